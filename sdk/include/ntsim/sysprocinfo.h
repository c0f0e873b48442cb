// SYSTEM_PROCESS_INFORMATION (ZwQuerySystemInformation's SystemProcessInformation records), x64
// layout: one definition for ntsim/ntsysinfo.h (kernel, tools) and um/winternl.h (clients).
// Drivers that declare their own (as the book's EnumProc does) include neither.
#pragma once

#include <ntdef.h>

// winternl.h field names (the reserved fields' real meaning in the comments). Each record is
// followed by NumberOfThreads SYSTEM_THREAD_INFORMATION records and the image name characters;
// NextEntryOffset skips all of it (0 = last record).
typedef struct _SYSTEM_PROCESS_INFORMATION {
    ULONG NextEntryOffset;
    ULONG NumberOfThreads;
    UCHAR Reserved1[48]; // working set private, hard faults, ..., create/user/kernel time
    UNICODE_STRING ImageName;
    KPRIORITY BasePriority;
    HANDLE UniqueProcessId;
    PVOID Reserved2; // InheritedFromUniqueProcessId
    ULONG HandleCount;
    ULONG SessionId;
    PVOID Reserved3; // UniqueProcessKey
    SIZE_T PeakVirtualSize;
    SIZE_T VirtualSize;
    ULONG Reserved4; // PageFaultCount
    SIZE_T PeakWorkingSetSize;
    SIZE_T WorkingSetSize;
    PVOID Reserved5; // QuotaPeakPagedPoolUsage
    SIZE_T QuotaPagedPoolUsage;
    PVOID Reserved6; // QuotaPeakNonPagedPoolUsage
    SIZE_T QuotaNonPagedPoolUsage;
    SIZE_T PagefileUsage;
    SIZE_T PeakPagefileUsage;
    SIZE_T PrivatePageCount;
    LARGE_INTEGER Reserved7[6]; // read/write/other operation and transfer counts
} SYSTEM_PROCESS_INFORMATION, *PSYSTEM_PROCESS_INFORMATION;
static_assert(sizeof(SYSTEM_PROCESS_INFORMATION) == 0x100, "SYSTEM_PROCESS_INFORMATION size");
static_assert(__builtin_offsetof(SYSTEM_PROCESS_INFORMATION, NextEntryOffset) == 0x00 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, NumberOfThreads) == 0x04 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, Reserved1) == 0x08 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, ImageName) == 0x38 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, BasePriority) == 0x48 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, UniqueProcessId) == 0x50 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, Reserved2) == 0x58 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, HandleCount) == 0x60 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, SessionId) == 0x64 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, Reserved3) == 0x68 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, PeakVirtualSize) == 0x70 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, VirtualSize) == 0x78 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, Reserved4) == 0x80 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, PeakWorkingSetSize) == 0x88 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, WorkingSetSize) == 0x90 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, Reserved5) == 0x98 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, QuotaPagedPoolUsage) == 0xA0 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, Reserved6) == 0xA8 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, QuotaNonPagedPoolUsage) == 0xB0 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, PagefileUsage) == 0xB8 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, PeakPagefileUsage) == 0xC0 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, PrivatePageCount) == 0xC8 &&
                  __builtin_offsetof(SYSTEM_PROCESS_INFORMATION, Reserved7) == 0xD0,
              "SYSTEM_PROCESS_INFORMATION offsets");
