// Processor numbers and counts. ntsim presents one processor group with ProcessorCount() CPUs
// (the CPUs the process may run on, or what `ntsim boot` was told); a Linux CPU number maps
// onto them modulo the count.
#include <sched.h>
#include <time.h>

#include "core/export.h"
#include "ke/ke.h"
#include "ke/ki.h"

// CurrentProcessorNumber() lives with the DISPATCH model in affinity.cpp.

using namespace ntsim::ke;

CCHAR KeNumberProcessors = 1; // declared extern "C" by km/ke.h; set by ke::Initialize
NTSIM_EXPORT_DATA(KeNumberProcessors);

extern "C" ULONG NTAPI KeGetCurrentProcessorNumber(VOID) {
    return CurrentProcessorNumber();
}
NTSIM_EXPORT(KeGetCurrentProcessorNumber);

extern "C" ULONG NTAPI KeGetCurrentProcessorIndex(VOID) {
    return CurrentProcessorNumber();
}
NTSIM_EXPORT(KeGetCurrentProcessorIndex);

extern "C" ULONG NTAPI KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber) {
    ULONG index = CurrentProcessorNumber();
    if (ProcNumber) {
        ProcNumber->Group = 0;
        ProcNumber->Number = UCHAR(index);
        ProcNumber->Reserved = 0;
    }
    return index;
}
NTSIM_EXPORT(KeGetCurrentProcessorNumberEx);

extern "C" KAFFINITY NTAPI KeQueryActiveProcessors(VOID) {
    ULONG n = ProcessorCount();
    return n >= 64 ? ~KAFFINITY(0) : (KAFFINITY(1) << n) - 1;
}
NTSIM_EXPORT(KeQueryActiveProcessors);

extern "C" ULONG NTAPI KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors) {
    if (ActiveProcessors) *ActiveProcessors = KeQueryActiveProcessors();
    return ProcessorCount();
}
NTSIM_EXPORT(KeQueryActiveProcessorCount);

extern "C" ULONG NTAPI KeQueryActiveProcessorCountEx(USHORT GroupNumber) {
    return GroupNumber == 0 || GroupNumber == ALL_PROCESSOR_GROUPS ? ProcessorCount() : 0;
}
NTSIM_EXPORT(KeQueryActiveProcessorCountEx);

extern "C" ULONG NTAPI KeQueryMaximumProcessorCount(VOID) {
    return ProcessorCount();
}
NTSIM_EXPORT(KeQueryMaximumProcessorCount);

extern "C" ULONG NTAPI KeQueryMaximumProcessorCountEx(USHORT GroupNumber) {
    return KeQueryActiveProcessorCountEx(GroupNumber);
}
NTSIM_EXPORT(KeQueryMaximumProcessorCountEx);

extern "C" USHORT NTAPI KeQueryActiveGroupCount(VOID) {
    return 1;
}
NTSIM_EXPORT(KeQueryActiveGroupCount);

extern "C" USHORT NTAPI KeQueryMaximumGroupCount(VOID) {
    return 1;
}
NTSIM_EXPORT(KeQueryMaximumGroupCount);

extern "C" ULONG NTAPI KeGetProcessorIndexFromNumber(PPROCESSOR_NUMBER ProcNumber) {
    if (!ProcNumber || ProcNumber->Group != 0 || ProcNumber->Number >= ProcessorCount())
        return INVALID_PROCESSOR_INDEX;
    return ProcNumber->Number;
}
NTSIM_EXPORT(KeGetProcessorIndexFromNumber);

extern "C" NTSTATUS NTAPI KeGetProcessorNumberFromIndex(ULONG ProcIndex,
                                                        PPROCESSOR_NUMBER ProcNumber) {
    if (!ProcNumber || ProcIndex >= ProcessorCount()) return STATUS_INVALID_PARAMETER;
    ProcNumber->Group = 0;
    ProcNumber->Number = UCHAR(ProcIndex);
    ProcNumber->Reserved = 0;
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(KeGetProcessorNumberFromIndex);

// Busy-waits (no yield), as the HAL routine does; meant for microsecond delays.
extern "C" VOID NTAPI KeStallExecutionProcessor(ULONG MicroSeconds) {
    ULONGLONG end = InterruptTime() + ULONGLONG(MicroSeconds) * 10;
    while (InterruptTime() < end)
        __builtin_ia32_pause();
}
NTSIM_EXPORT(KeStallExecutionProcessor);
