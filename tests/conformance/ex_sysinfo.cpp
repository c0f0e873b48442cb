// ex.sysinfo: ZwQuerySystemInformation called from driver code the way drivers declare it
// (<ntsim/ntsysinfo.h>: no NTAPI, see kernel/ex/system_info.cpp): the size query, the process
// records and their chaining, SystemBasicInformation, bad classes and buffers.
#include "kmt.h"

#include <ntsim/ntsysinfo.h>

#define KMT_SYSINFO_TAG 'iSmK'

KMT_TEST("ex.sysinfo", Test_ExSysinfo);

void Test_ExSysinfo() {
    ULONG size = 0;
    ok_eq_status(ZwQuerySystemInformation(SystemProcessInformation, nullptr, 0, &size),
                 STATUS_INFO_LENGTH_MISMATCH);
    ok(size >= 2 * sizeof(SYSTEM_PROCESS_INFORMATION), "required size %u\n", size);
    size += 4096;
    auto buffer = (PUCHAR)ExAllocatePoolWithTag(PagedPool, size, KMT_SYSINFO_TAG);
    if (!ok(buffer != nullptr, "allocation failed\n")) return;

    ULONG used = 0;
    ok_eq_status(ZwQuerySystemInformation(SystemProcessInformation, buffer, size, &used),
                 STATUS_SUCCESS);
    ok(used <= size, "used %u of %u\n", used, size);
    BOOLEAN sawIdle = FALSE, sawSystem = FALSE;
    ULONG count = 0;
    for (auto info = (SYSTEM_PROCESS_INFORMATION*)buffer;; ++count) {
        if (HandleToULong(info->UniqueProcessId) == 0) sawIdle = info->ImageName.Length == 0;
        if (HandleToULong(info->UniqueProcessId) == 4) {
            UNICODE_STRING system = RTL_CONSTANT_STRING(L"System");
            sawSystem = RtlEqualUnicodeString(&info->ImageName, &system, FALSE);
            ok(info->NumberOfThreads >= 1, "System has %u threads\n", info->NumberOfThreads);
        }
        if (info->NextEntryOffset == 0) break;
        info = (SYSTEM_PROCESS_INFORMATION*)((PUCHAR)info + info->NextEntryOffset);
    }
    ok(sawIdle, "Idle (PID 0, no name) listed\n");
    ok(sawSystem, "System (PID 4) listed\n");
    ok(count >= 1, "%u records\n", count + 1);

    SYSTEM_BASIC_INFORMATION basic;
    ok_eq_status(ZwQuerySystemInformation(SystemBasicInformation, &basic, sizeof basic, nullptr),
                 STATUS_SUCCESS);
    ok_eq_uint(basic.PageSize, 4096);
    ok(basic.NumberOfProcessors >= 1, "processors %d\n", (int)basic.NumberOfProcessors);

    ok_eq_status(ZwQuerySystemInformation((SYSTEM_INFORMATION_CLASS)12345, buffer, size, nullptr),
                 STATUS_INVALID_INFO_CLASS);
    ok_eq_status(ZwQuerySystemInformation(SystemBasicInformation, buffer + 2,
                                          sizeof(SYSTEM_BASIC_INFORMATION), nullptr),
                 STATUS_DATATYPE_MISALIGNMENT);
    ExFreePoolWithTag(buffer, KMT_SYSINFO_TAG);
}
