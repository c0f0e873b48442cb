// Part of wdm.h/ntddk.h (ntsim SDK): system services on named dispatcher objects and handle
// waits (kernel/ex/event_services.cpp, semaphore_services.cpp, mutant_services.cpp,
// apc_services.cpp). Zw* run with previous
// mode KernelMode; Nt* use the calling thread's previous mode (user pointers are probed).
#pragma once

#include <km/types.h>

EXTERN_C_START

// Semaphore and mutant queries (NtQuerySemaphore / NtQueryMutant), APC routines of
// NtQueueApcThread: shared with um/winternl.h.
#include <ntsim/ntsyncinfo.h>

typedef enum _EVENT_INFORMATION_CLASS { EventBasicInformation } EVENT_INFORMATION_CLASS;
typedef struct _EVENT_BASIC_INFORMATION {
    EVENT_TYPE EventType;
    LONG EventState;
} EVENT_BASIC_INFORMATION, *PEVENT_BASIC_INFORMATION;
static_assert(sizeof(EVENT_BASIC_INFORMATION) == 8, "EVENT_BASIC_INFORMATION size");
static_assert(__builtin_offsetof(EVENT_BASIC_INFORMATION, EventType) == 0, "EventType");
static_assert(__builtin_offsetof(EVENT_BASIC_INFORMATION, EventState) == 4, "EventState");

NTSYSAPI NTSTATUS NTAPI ZwCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                      BOOLEAN InitialState);
NTSYSAPI NTSTATUS NTAPI ZwOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                    POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSAPI NTSTATUS NTAPI ZwSetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSAPI NTSTATUS NTAPI ZwResetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSAPI NTSTATUS NTAPI ZwClearEvent(HANDLE EventHandle);
NTSYSAPI NTSTATUS NTAPI ZwPulseEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSAPI NTSTATUS NTAPI ZwQueryEvent(HANDLE EventHandle,
                                     EVENT_INFORMATION_CLASS EventInformationClass,
                                     PVOID EventInformation, ULONG EventInformationLength,
                                     PULONG ReturnLength);
NTSYSAPI NTSTATUS NTAPI ZwWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
                                              PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI ZwWaitForMultipleObjects(ULONG Count, HANDLE Handles[], WAIT_TYPE WaitType,
                                                 BOOLEAN Alertable, PLARGE_INTEGER Timeout);

NTSYSCALLAPI NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                          POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                          BOOLEAN InitialState);
NTSYSCALLAPI NTSTATUS NTAPI NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSCALLAPI NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSCALLAPI NTSTATUS NTAPI NtResetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSCALLAPI NTSTATUS NTAPI NtClearEvent(HANDLE EventHandle);
NTSYSCALLAPI NTSTATUS NTAPI NtPulseEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSCALLAPI NTSTATUS NTAPI NtQueryEvent(HANDLE EventHandle,
                                         EVENT_INFORMATION_CLASS EventInformationClass,
                                         PVOID EventInformation, ULONG EventInformationLength,
                                         PULONG ReturnLength);
// The previous-mode aware waits (WaitForSingleObjectEx): with previous mode UserMode the wait
// is a UserMode wait, so Alertable = TRUE returns STATUS_USER_APC when user APCs are queued.
NTSYSCALLAPI NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
                                                  PLARGE_INTEGER Timeout);
NTSYSCALLAPI NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG Count, HANDLE Handles[],
                                                     WAIT_TYPE WaitType, BOOLEAN Alertable,
                                                     PLARGE_INTEGER Timeout);

// Semaphores and mutants (kernel/ex/semaphore_services.cpp, mutant_services.cpp).
NTSYSAPI NTSTATUS NTAPI ZwCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                          POBJECT_ATTRIBUTES ObjectAttributes, LONG InitialCount,
                                          LONG MaximumCount);
NTSYSAPI NTSTATUS NTAPI ZwOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSAPI NTSTATUS NTAPI ZwReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount,
                                           PLONG PreviousCount);
NTSYSAPI NTSTATUS NTAPI ZwQuerySemaphore(HANDLE SemaphoreHandle,
                                         SEMAPHORE_INFORMATION_CLASS SemaphoreInformationClass,
                                         PVOID SemaphoreInformation,
                                         ULONG SemaphoreInformationLength, PULONG ReturnLength);
NTSYSAPI NTSTATUS NTAPI ZwCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes, BOOLEAN InitialOwner);
NTSYSAPI NTSTATUS NTAPI ZwOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                     POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSAPI NTSTATUS NTAPI ZwReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount);
NTSYSAPI NTSTATUS NTAPI ZwQueryMutant(HANDLE MutantHandle,
                                      MUTANT_INFORMATION_CLASS MutantInformationClass,
                                      PVOID MutantInformation, ULONG MutantInformationLength,
                                      PULONG ReturnLength);
#include <ntsim/ntsyncapi.h>

// Thread APCs, alerts and delays (kernel/ex/apc_services.cpp).
NTSYSCALLAPI NTSTATUS NTAPI NtQueueApcThread(HANDLE ThreadHandle, PPS_APC_ROUTINE ApcRoutine,
                                             PVOID ApcArgument1, PVOID ApcArgument2,
                                             PVOID ApcArgument3);
NTSYSCALLAPI NTSTATUS NTAPI NtTestAlert(VOID);
NTSYSCALLAPI NTSTATUS NTAPI NtAlertThread(HANDLE ThreadHandle);
NTSYSCALLAPI NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER DelayInterval);

EXTERN_C_END
