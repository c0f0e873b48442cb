// Semaphore and mutant query records (NtQuerySemaphore / NtQueryMutant) and the user APC
// routine of NtQueueApcThread, x64 layouts: one definition for both header trees (km/zw_sync.h
// for drivers and the kernel, um/winternl.h for clients).
#pragma once

#include <ntdef.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _NTSIM_SYNC_INFO_TYPES
#define _NTSIM_SYNC_INFO_TYPES
typedef enum _SEMAPHORE_INFORMATION_CLASS { SemaphoreBasicInformation } SEMAPHORE_INFORMATION_CLASS;
typedef struct _SEMAPHORE_BASIC_INFORMATION {
    LONG CurrentCount;
    LONG MaximumCount;
} SEMAPHORE_BASIC_INFORMATION, *PSEMAPHORE_BASIC_INFORMATION;
static_assert(sizeof(SEMAPHORE_BASIC_INFORMATION) == 8, "SEMAPHORE_BASIC_INFORMATION size");
static_assert(__builtin_offsetof(SEMAPHORE_BASIC_INFORMATION, CurrentCount) == 0, "CurrentCount");
static_assert(__builtin_offsetof(SEMAPHORE_BASIC_INFORMATION, MaximumCount) == 4, "MaximumCount");
typedef enum _MUTANT_INFORMATION_CLASS { MutantBasicInformation } MUTANT_INFORMATION_CLASS;
typedef struct _MUTANT_BASIC_INFORMATION {
    LONG CurrentCount; // 1 free, 0 owned once, negative: owned recursively
    BOOLEAN OwnedByCaller;
    BOOLEAN AbandonedState;
} MUTANT_BASIC_INFORMATION, *PMUTANT_BASIC_INFORMATION;
static_assert(sizeof(MUTANT_BASIC_INFORMATION) == 8, "MUTANT_BASIC_INFORMATION size");
static_assert(__builtin_offsetof(MUTANT_BASIC_INFORMATION, CurrentCount) == 0, "CurrentCount");
static_assert(__builtin_offsetof(MUTANT_BASIC_INFORMATION, OwnedByCaller) == 4, "OwnedByCaller");
static_assert(__builtin_offsetof(MUTANT_BASIC_INFORMATION, AbandonedState) == 5, "AbandonedState");
// A user APC routine: called in user mode by the target thread with the three arguments.
typedef VOID(NTAPI* PPS_APC_ROUTINE)(PVOID ApcArgument1, PVOID ApcArgument2, PVOID ApcArgument3);
#endif

#ifdef __cplusplus
}
#endif
