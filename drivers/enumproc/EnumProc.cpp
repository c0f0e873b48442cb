// EnumProc driver (book chapter 8): calling an undocumented system service from a driver.
//
// ZwQuerySystemInformation is exported by the kernel but not declared by the WDK, so the driver
// declares it and the pieces of SYSTEM_INFORMATION_CLASS / SYSTEM_PROCESS_INFORMATION it needs
// itself, with the layout of <winternl.h>. DriverEntry prints one DbgPrint line per process and
// the total, then returns STATUS_UNSUCCESSFUL: the work is done, so the driver asks to be
// unloaded right away (no Unload routine is needed, and `sc start` reports the failure).
#include "pch.h"

#define DRIVER_TAG 'cprP'

enum SYSTEM_INFORMATION_CLASS {
    SystemProcessInformation = 5,
};

struct SYSTEM_PROCESS_INFORMATION {
    ULONG NextEntryOffset;
    ULONG NumberOfThreads;
    UCHAR Reserved1[48];
    UNICODE_STRING ImageName;
    KPRIORITY BasePriority;
    HANDLE UniqueProcessId;
    PVOID Reserved2;
    ULONG HandleCount;
    ULONG SessionId;
    PVOID Reserved3;
    SIZE_T PeakVirtualSize;
    SIZE_T VirtualSize;
    ULONG Reserved4;
    SIZE_T PeakWorkingSetSize;
    SIZE_T WorkingSetSize;
    PVOID Reserved5;
    SIZE_T QuotaPagedPoolUsage;
    PVOID Reserved6;
    SIZE_T QuotaNonPagedPoolUsage;
    SIZE_T PagefileUsage;
    SIZE_T PeakPagefileUsage;
    SIZE_T PrivatePageCount;
    LARGE_INTEGER Reserved7[6];
};

extern "C" NTSTATUS ZwQuerySystemInformation(SYSTEM_INFORMATION_CLASS InfoClass, PVOID Buffer,
                                             ULONG Size, PULONG Len);

void EnumProcesses() {
    // First ask for the size: the call fails with STATUS_INFO_LENGTH_MISMATCH and reports it.
    ULONG size = 0;
    ZwQuerySystemInformation(SystemProcessInformation, nullptr, 0, &size);
    // Processes may start between the two calls: leave some room.
    size += 1 << 12;

    auto buffer = ExAllocatePoolWithTag(PagedPool, size, DRIVER_TAG);
    if (buffer == nullptr) return;

    if (NT_SUCCESS(ZwQuerySystemInformation(SystemProcessInformation, buffer, size, nullptr))) {
        auto info = (SYSTEM_PROCESS_INFORMATION*)buffer;
        ULONG count = 0;
        for (;;) {
            DbgPrint("PID: %u Session: %u Handles: %u Threads: %u Image: %wZ\n",
                     HandleToULong(info->UniqueProcessId), info->SessionId, info->HandleCount,
                     info->NumberOfThreads, &info->ImageName);
            count++;
            if (info->NextEntryOffset == 0) break;
            info = (SYSTEM_PROCESS_INFORMATION*)((PUCHAR)info + info->NextEntryOffset);
        }
        DbgPrint("Total Processes: %u\n", count);
    }
    ExFreePool(buffer);
}

extern "C" NTSTATUS DriverEntry(_In_ PDRIVER_OBJECT DriverObject,
                                _In_ PUNICODE_STRING RegistryPath) {
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);

    EnumProcesses();

    // Nothing to keep loaded for.
    return STATUS_UNSUCCESSFUL;
}
