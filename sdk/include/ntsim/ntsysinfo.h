// System information classes and records (ZwQuerySystemInformation), x64 layouts.
//
// Not part of the WDK headers (they come from winternl.h / reverse-engineered headers), so
// ntddk.h does not include this file: a driver that declares its own SYSTEM_INFORMATION_CLASS
// (as the book's EnumProc does) still compiles. The kernel and ntsim tools include it.
#pragma once

#include <ntdef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum _SYSTEM_INFORMATION_CLASS {
    SystemBasicInformation = 0,
    SystemPerformanceInformation = 2,
    SystemTimeOfDayInformation = 3,
    SystemProcessInformation = 5,
    SystemProcessorPerformanceInformation = 8,
    SystemModuleInformation = 11,
    SystemHandleInformation = 16,
    SystemInterruptInformation = 23,
    SystemExceptionInformation = 33,
    SystemRegistryQuotaInformation = 37,
    SystemLookasideInformation = 45,
    SystemExtendedHandleInformation = 64,
    SystemCodeIntegrityInformation = 103,
    SystemPolicyInformation = 134
} SYSTEM_INFORMATION_CLASS;

typedef struct _SYSTEM_BASIC_INFORMATION {
    ULONG Reserved;
    ULONG TimerResolution;
    ULONG PageSize;
    ULONG NumberOfPhysicalPages;
    ULONG LowestPhysicalPageNumber;
    ULONG HighestPhysicalPageNumber;
    ULONG AllocationGranularity;
    ULONG_PTR MinimumUserModeAddress;
    ULONG_PTR MaximumUserModeAddress;
    KAFFINITY ActiveProcessorsAffinityMask;
    CCHAR NumberOfProcessors;
} SYSTEM_BASIC_INFORMATION, *PSYSTEM_BASIC_INFORMATION;
static_assert(sizeof(SYSTEM_BASIC_INFORMATION) == 0x40, "SYSTEM_BASIC_INFORMATION size");
static_assert(__builtin_offsetof(SYSTEM_BASIC_INFORMATION, Reserved) == 0x00 &&
                  __builtin_offsetof(SYSTEM_BASIC_INFORMATION, TimerResolution) == 0x04 &&
                  __builtin_offsetof(SYSTEM_BASIC_INFORMATION, PageSize) == 0x08 &&
                  __builtin_offsetof(SYSTEM_BASIC_INFORMATION, NumberOfPhysicalPages) == 0x0C &&
                  __builtin_offsetof(SYSTEM_BASIC_INFORMATION, LowestPhysicalPageNumber) == 0x10 &&
                  __builtin_offsetof(SYSTEM_BASIC_INFORMATION, HighestPhysicalPageNumber) == 0x14 &&
                  __builtin_offsetof(SYSTEM_BASIC_INFORMATION, AllocationGranularity) == 0x18 &&
                  __builtin_offsetof(SYSTEM_BASIC_INFORMATION, MinimumUserModeAddress) == 0x20 &&
                  __builtin_offsetof(SYSTEM_BASIC_INFORMATION, MaximumUserModeAddress) == 0x28 &&
                  __builtin_offsetof(SYSTEM_BASIC_INFORMATION, ActiveProcessorsAffinityMask) ==
                      0x30 &&
                  __builtin_offsetof(SYSTEM_BASIC_INFORMATION, NumberOfProcessors) == 0x38,
              "SYSTEM_BASIC_INFORMATION offsets");

typedef struct _SYSTEM_THREAD_INFORMATION {
    LARGE_INTEGER KernelTime;
    LARGE_INTEGER UserTime;
    LARGE_INTEGER CreateTime;
    ULONG WaitTime;
    PVOID StartAddress;
    CLIENT_ID ClientId;
    KPRIORITY Priority;
    LONG BasePriority;
    ULONG ContextSwitches;
    ULONG ThreadState; // KTHREAD_STATE
    ULONG WaitReason;  // KWAIT_REASON
} SYSTEM_THREAD_INFORMATION, *PSYSTEM_THREAD_INFORMATION;
static_assert(sizeof(SYSTEM_THREAD_INFORMATION) == 0x50, "SYSTEM_THREAD_INFORMATION size");
static_assert(__builtin_offsetof(SYSTEM_THREAD_INFORMATION, KernelTime) == 0x00 &&
                  __builtin_offsetof(SYSTEM_THREAD_INFORMATION, UserTime) == 0x08 &&
                  __builtin_offsetof(SYSTEM_THREAD_INFORMATION, CreateTime) == 0x10 &&
                  __builtin_offsetof(SYSTEM_THREAD_INFORMATION, WaitTime) == 0x18 &&
                  __builtin_offsetof(SYSTEM_THREAD_INFORMATION, StartAddress) == 0x20 &&
                  __builtin_offsetof(SYSTEM_THREAD_INFORMATION, ClientId) == 0x28 &&
                  __builtin_offsetof(SYSTEM_THREAD_INFORMATION, Priority) == 0x38 &&
                  __builtin_offsetof(SYSTEM_THREAD_INFORMATION, BasePriority) == 0x3C &&
                  __builtin_offsetof(SYSTEM_THREAD_INFORMATION, ContextSwitches) == 0x40 &&
                  __builtin_offsetof(SYSTEM_THREAD_INFORMATION, ThreadState) == 0x44 &&
                  __builtin_offsetof(SYSTEM_THREAD_INFORMATION, WaitReason) == 0x48,
              "SYSTEM_THREAD_INFORMATION offsets");

#include <ntsim/sysprocinfo.h>

// Undocumented in the WDK, so drivers declare these themselves, as the book's EnumProc does:
// `extern "C" NTSTATUS ZwQuerySystemInformation(...)` with no NTAPI. With g++ such a prototype
// calls with the default (System V) convention, so ntsim exports both routines with the default
// convention and declares them here the same way (no NTAPI), unlike every other export.
// (A driver that declares them WITH NTAPI calls with ms_abi and would pass garbage: declare
// them without it, or include this header.)
NTSTATUS ZwQuerySystemInformation(SYSTEM_INFORMATION_CLASS SystemInformationClass,
                                  PVOID SystemInformation, ULONG SystemInformationLength,
                                  PULONG ReturnLength);
NTSTATUS NtQuerySystemInformation(SYSTEM_INFORMATION_CLASS SystemInformationClass,
                                  PVOID SystemInformation, ULONG SystemInformationLength,
                                  PULONG ReturnLength);

#ifdef __cplusplus
}
#endif
