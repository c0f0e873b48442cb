// Native semaphore and mutant services (NtCreate/Open/Release/QuerySemaphore and ...Mutant):
// one declaration for both header trees (km/zw_sync.h for drivers and the kernel, um/winternl.h
// for clients; ntdll implements them over the kernel's). Previous mode is the caller's.
#pragma once

#include <ntdef.h>
#include <ntsim/ntsyncinfo.h>

#ifdef __cplusplus
extern "C" {
#endif

NTSYSCALLAPI NTSTATUS NTAPI NtCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                              POBJECT_ATTRIBUTES ObjectAttributes,
                                              LONG InitialCount, LONG MaximumCount);
NTSYSCALLAPI NTSTATUS NTAPI NtOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                            POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSCALLAPI NTSTATUS NTAPI NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount,
                                               PLONG PreviousCount);
NTSYSCALLAPI NTSTATUS NTAPI NtQuerySemaphore(HANDLE SemaphoreHandle,
                                             SEMAPHORE_INFORMATION_CLASS SemaphoreInformationClass,
                                             PVOID SemaphoreInformation,
                                             ULONG SemaphoreInformationLength, PULONG ReturnLength);
NTSYSCALLAPI NTSTATUS NTAPI NtCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                           POBJECT_ATTRIBUTES ObjectAttributes,
                                           BOOLEAN InitialOwner);
NTSYSCALLAPI NTSTATUS NTAPI NtOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                                         POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSCALLAPI NTSTATUS NTAPI NtReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount);
NTSYSCALLAPI NTSTATUS NTAPI NtQueryMutant(HANDLE MutantHandle,
                                          MUTANT_INFORMATION_CLASS MutantInformationClass,
                                          PVOID MutantInformation, ULONG MutantInformationLength,
                                          PULONG ReturnLength);

#ifdef __cplusplus
}
#endif
