// ZwQuerySystemInformation / NtQuerySystemInformation: SystemBasicInformation and
// SystemProcessInformation (one SYSTEM_PROCESS_INFORMATION per process, followed by its
// SYSTEM_THREAD_INFORMATION records and its image name, chained by NextEntryOffset).
//
// Calling convention: the WDK never declares these routines; drivers declare them themselves,
// like the book's EnumProc: `extern "C" NTSTATUS ZwQuerySystemInformation(...)` with no NTAPI.
// On x64 Windows there is one convention so that is correct there; with g++ a prototype without
// NTAPI calls with the System V convention. So these two exports use the default convention
// (no NTAPI), and <ntsim/ntsysinfo.h> declares them the same way.
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "mm/mm.h"
#include "ntsim/ntsysinfo.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "wdm.h"

namespace ntsim::ex {
namespace {

constexpr ULONG kTimerResolution = 156250; // 15.625 ms, the default clock tick, in 100 ns
constexpr ULONG kPageSize = 4096;
constexpr ULONG kAllocationGranularity = 64 * 1024;
constexpr ULONG_PTR kMinimumUserAddress = 0x10000;
constexpr ULONG_PTR kMaximumUserAddress = 0x7FFFFFFEFFFF;

NTSTATUS QueryBasic(PVOID buffer, ULONG length, PULONG returnLength) {
    // Windows wants the exact size for this class.
    if (length != sizeof(SYSTEM_BASIC_INFORMATION)) {
        if (returnLength) *returnLength = sizeof(SYSTEM_BASIC_INFORMATION);
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    SYSTEM_BASIC_INFORMATION info{};
    long pages = sysconf(_SC_PHYS_PAGES);
    ULONG cpus = ke::ProcessorCount();
    info.TimerResolution = kTimerResolution;
    info.PageSize = kPageSize;
    info.NumberOfPhysicalPages = pages > 0 ? ULONG(pages) : 0;
    info.LowestPhysicalPageNumber = 1;
    info.HighestPhysicalPageNumber = pages > 0 ? ULONG(pages) : 0;
    info.AllocationGranularity = kAllocationGranularity;
    info.MinimumUserModeAddress = kMinimumUserAddress;
    info.MaximumUserModeAddress = kMaximumUserAddress;
    info.ActiveProcessorsAffinityMask = cpus >= 64 ? ~KAFFINITY(0) : (KAFFINITY(1) << cpus) - 1;
    info.NumberOfProcessors = CCHAR(cpus);
    std::memcpy(buffer, &info, sizeof info);
    if (returnLength) *returnLength = sizeof info;
    return STATUS_SUCCESS;
}

// Bytes one process takes: the record, its threads, its name with a NUL, rounded to 8 so the
// next record is aligned.
size_t EntrySize(const ps::ProcessInfo& p) {
    size_t size =
        sizeof(SYSTEM_PROCESS_INFORMATION) + p.threads.size() * sizeof(SYSTEM_THREAD_INFORMATION);
    if (!p.imageName.empty()) size += (p.imageName.size() + 1) * sizeof(WCHAR);
    return (size + 7) & ~size_t(7);
}

// ImageName holds the file name only ("notepad.exe"), not the path the process was created from.
void KeepFileName(std::u16string& name) {
    size_t slash = name.find_last_of(u"\\/");
    if (slash != std::u16string::npos) name.erase(0, slash + 1);
}

ULONG SessionOf(HANDLE processId) {
    PEPROCESS process = nullptr;
    if (!NT_SUCCESS(ps::LookupProcess(processId, &process))) return 0;
    ULONG session = ps::SessionId(process);
    ob::DereferenceObject(process);
    return session;
}

NTSTATUS QueryProcesses(PVOID buffer, ULONG length, PULONG returnLength) {
    auto processes = ps::SnapshotProcesses();
    for (auto& p : processes)
        KeepFileName(p.imageName);
    size_t required = 0;
    for (const auto& p : processes)
        required += EntrySize(p);
    if (required > length) {
        if (returnLength) *returnLength = ULONG(required);
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    auto* base = static_cast<UCHAR*>(buffer);
    std::memset(base, 0, required);
    size_t offset = 0;
    for (size_t i = 0; i < processes.size(); ++i) {
        const auto& p = processes[i];
        auto* entry = reinterpret_cast<SYSTEM_PROCESS_INFORMATION*>(base + offset);
        size_t size = EntrySize(p);
        entry->NextEntryOffset = i + 1 < processes.size() ? ULONG(size) : 0;
        entry->NumberOfThreads = ULONG(p.threads.size());
        entry->BasePriority = p.basePriority;
        entry->UniqueProcessId = p.processId;
        entry->Reserved2 = p.parentId;
        entry->HandleCount = p.handleCount;
        entry->SessionId = SessionOf(p.processId);
        auto* threads = reinterpret_cast<SYSTEM_THREAD_INFORMATION*>(entry + 1);
        for (size_t t = 0; t < p.threads.size(); ++t) {
            const auto& ti = p.threads[t];
            threads[t].ClientId.UniqueProcess = p.processId;
            threads[t].ClientId.UniqueThread = ti.threadId;
            threads[t].Priority = ti.priority;
            threads[t].BasePriority = ti.basePriority;
            threads[t].ThreadState = ti.state;
            threads[t].WaitReason = ti.waitReason;
        }
        if (!p.imageName.empty()) {
            auto* name = reinterpret_cast<WCHAR*>(threads + p.threads.size());
            std::memcpy(name, p.imageName.data(), p.imageName.size() * sizeof(WCHAR));
            name[p.imageName.size()] = 0;
            entry->ImageName.Buffer = name;
            entry->ImageName.Length = USHORT(p.imageName.size() * sizeof(WCHAR));
            entry->ImageName.MaximumLength = USHORT(entry->ImageName.Length + sizeof(WCHAR));
        }
        offset += size;
    }
    if (returnLength) *returnLength = ULONG(required);
    return STATUS_SUCCESS;
}

NTSTATUS QuerySystemInformation(SYSTEM_INFORMATION_CLASS infoClass, PVOID buffer, ULONG length,
                                PULONG returnLength) {
    if (length != 0 && !buffer) return STATUS_ACCESS_VIOLATION;
    // Every class's records start with ULONG-or-wider fields: Windows probes for ULONG alignment.
    if (length != 0 && (reinterpret_cast<ULONG_PTR>(buffer) & (alignof(ULONG) - 1)) != 0)
        return STATUS_DATATYPE_MISALIGNMENT;
    try {
        switch (infoClass) {
        case SystemBasicInformation:
            return QueryBasic(buffer, length, returnLength);
        case SystemProcessInformation:
            return QueryProcesses(buffer, length, returnLength);
        case SystemPerformanceInformation:
        case SystemTimeOfDayInformation:
        case SystemProcessorPerformanceInformation:
        case SystemModuleInformation:
        case SystemHandleInformation:
        case SystemInterruptInformation:
        case SystemExceptionInformation:
        case SystemRegistryQuotaInformation:
        case SystemLookasideInformation:
        case SystemExtendedHandleInformation:
        case SystemCodeIntegrityInformation:
        case SystemPolicyInformation:
            dbg::LogKernelMessage(dbg::Severity::Warning,
                                  "ZwQuerySystemInformation: class %d is not implemented",
                                  int(infoClass));
            return STATUS_NOT_IMPLEMENTED;
        default:
            return STATUS_INVALID_INFO_CLASS;
        }
    } catch (const std::bad_alloc&) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
}

} // namespace
} // namespace ntsim::ex

using namespace ntsim;

extern "C" NTSTATUS ZwQuerySystemInformation(SYSTEM_INFORMATION_CLASS SystemInformationClass,
                                             PVOID SystemInformation, ULONG SystemInformationLength,
                                             PULONG ReturnLength) {
    ps::PreviousModeScope kernel(KernelMode);
    return ex::QuerySystemInformation(SystemInformationClass, SystemInformation,
                                      SystemInformationLength, ReturnLength);
}
NTSIM_EXPORT(ZwQuerySystemInformation);

// From user mode the buffer and the return length must lie in user space.
extern "C" NTSTATUS NtQuerySystemInformation(SYSTEM_INFORMATION_CLASS SystemInformationClass,
                                             PVOID SystemInformation, ULONG SystemInformationLength,
                                             PULONG ReturnLength) {
    if (ps::PreviousMode() == UserMode) {
        if (SystemInformationLength != 0 &&
            !mm::IsUserRange(SystemInformation, SystemInformationLength))
            return STATUS_ACCESS_VIOLATION;
        if (ReturnLength && !mm::IsUserRange(ReturnLength, sizeof(ULONG)))
            return STATUS_ACCESS_VIOLATION;
    }
    return ex::QuerySystemInformation(SystemInformationClass, SystemInformation,
                                      SystemInformationLength, ReturnLength);
}
NTSIM_EXPORT(NtQuerySystemInformation);
