// <winternl.h> for ntsim client programs: the native (ntdll) API subset the book's clients use
// — opening devices by NT name, native I/O, system information — over the NT base types
// (UNICODE_STRING, OBJECT_ATTRIBUTES, InitializeObjectAttributes, OBJ_* from ntdef.h).
#pragma once

#include "windows.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef __kernel_entry
#define __kernel_entry
#endif

typedef struct _IO_STATUS_BLOCK {
    union {
        NTSTATUS Status;
        PVOID Pointer;
    };
    ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;
static_assert(sizeof(IO_STATUS_BLOCK) == 0x10, "IO_STATUS_BLOCK");
static_assert(__builtin_offsetof(IO_STATUS_BLOCK, Status) == 0 &&
                  __builtin_offsetof(IO_STATUS_BLOCK, Pointer) == 0 &&
                  __builtin_offsetof(IO_STATUS_BLOCK, Information) == 8,
              "IO_STATUS_BLOCK offsets");

typedef VOID(NTAPI* PIO_APC_ROUTINE)(PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                                     ULONG Reserved);

// ---- NtCreateFile dispositions, options and results ---------------------------------------
#define FILE_SUPERSEDE 0x00000000
#define FILE_OPEN 0x00000001
#define FILE_CREATE 0x00000002
#define FILE_OPEN_IF 0x00000003
#define FILE_OVERWRITE 0x00000004
#define FILE_OVERWRITE_IF 0x00000005
#define FILE_MAXIMUM_DISPOSITION 0x00000005

#define FILE_DIRECTORY_FILE 0x00000001
#define FILE_WRITE_THROUGH 0x00000002
#define FILE_SEQUENTIAL_ONLY 0x00000004
#define FILE_NO_INTERMEDIATE_BUFFERING 0x00000008
#define FILE_SYNCHRONOUS_IO_ALERT 0x00000010
#define FILE_SYNCHRONOUS_IO_NONALERT 0x00000020
#define FILE_NON_DIRECTORY_FILE 0x00000040
#define FILE_CREATE_TREE_CONNECTION 0x00000080
#define FILE_COMPLETE_IF_OPLOCKED 0x00000100
#define FILE_NO_EA_KNOWLEDGE 0x00000200
#define FILE_OPEN_REMOTE_INSTANCE 0x00000400
#define FILE_RANDOM_ACCESS 0x00000800
#define FILE_DELETE_ON_CLOSE 0x00001000
#define FILE_OPEN_BY_FILE_ID 0x00002000
#define FILE_OPEN_FOR_BACKUP_INTENT 0x00004000
#define FILE_NO_COMPRESSION 0x00008000
#define FILE_RESERVE_OPFILTER 0x00100000
#define FILE_OPEN_REPARSE_POINT 0x00200000
#define FILE_OPEN_NO_RECALL 0x00400000
#define FILE_OPEN_FOR_FREE_SPACE_QUERY 0x00800000
#define FILE_VALID_OPTION_FLAGS 0x00ffffff

#define FILE_SUPERSEDED 0x00000000
#define FILE_OPENED 0x00000001
#define FILE_CREATED 0x00000002
#define FILE_OVERWRITTEN 0x00000003
#define FILE_EXISTS 0x00000004
#define FILE_DOES_NOT_EXIST 0x00000005

// ---- system and process information -------------------------------------------------------
typedef enum _SYSTEM_INFORMATION_CLASS {
    SystemBasicInformation = 0,
    SystemPerformanceInformation = 2,
    SystemTimeOfDayInformation = 3,
    SystemProcessInformation = 5,
    SystemProcessorPerformanceInformation = 8,
    SystemInterruptInformation = 23,
    SystemExceptionInformation = 33,
    SystemRegistryQuotaInformation = 37,
    SystemLookasideInformation = 45,
    SystemCodeIntegrityInformation = 103,
    SystemPolicyInformation = 134,
} SYSTEM_INFORMATION_CLASS;

typedef enum _PROCESSINFOCLASS {
    ProcessBasicInformation = 0,
    ProcessDebugPort = 7,
    ProcessWow64Information = 26,
    ProcessImageFileName = 27,
    ProcessBreakOnTermination = 29,
} PROCESSINFOCLASS;

// One record of SystemProcessInformation (records are chained by NextEntryOffset; thread
// records follow each). winternl.h's documented view: undocumented fields are Reserved*.
typedef struct _SYSTEM_PROCESS_INFORMATION {
    ULONG NextEntryOffset;
    ULONG NumberOfThreads;
    BYTE Reserved1[48];
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
} SYSTEM_PROCESS_INFORMATION, *PSYSTEM_PROCESS_INFORMATION;
static_assert(sizeof(SYSTEM_PROCESS_INFORMATION) == 0x100, "SYSTEM_PROCESS_INFORMATION");
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

// ---- native services (ntdll) --------------------------------------------------------------
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI
NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
             PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
             ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer,
             ULONG EaLength);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                                      POBJECT_ATTRIBUTES ObjectAttributes,
                                                      PIO_STATUS_BLOCK IoStatusBlock,
                                                      ULONG ShareAccess, ULONG OpenOptions);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI
NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                      PIO_STATUS_BLOCK IoStatusBlock, ULONG IoControlCode, PVOID InputBuffer,
                      ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtReadFile(HANDLE FileHandle, HANDLE Event,
                                                      PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                                                      PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer,
                                                      ULONG Length, PLARGE_INTEGER ByteOffset,
                                                      PULONG Key);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event,
                                                       PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                                                       PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer,
                                                       ULONG Length, PLARGE_INTEGER ByteOffset,
                                                       PULONG Key);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtClose(HANDLE Handle);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
                                                                 PLARGE_INTEGER Timeout);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI
NtQuerySystemInformation(SYSTEM_INFORMATION_CLASS SystemInformationClass, PVOID SystemInformation,
                         ULONG SystemInformationLength, PULONG ReturnLength);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtQueryInformationProcess(
    HANDLE ProcessHandle, PROCESSINFOCLASS ProcessInformationClass, PVOID ProcessInformation,
    ULONG ProcessInformationLength, PULONG ReturnLength);

// ---- events, waits, handles, cancellation (used by kernel32) ------------------------------
#ifndef _NTSIM_EVENT_WAIT_TYPES
#define _NTSIM_EVENT_WAIT_TYPES
typedef enum _EVENT_TYPE { NotificationEvent, SynchronizationEvent } EVENT_TYPE;
typedef enum _WAIT_TYPE { WaitAll, WaitAny, WaitNotification, WaitDequeue, WaitDpc } WAIT_TYPE;
#endif
#ifndef DUPLICATE_CLOSE_SOURCE
#define DUPLICATE_CLOSE_SOURCE 0x00000001
#endif
#ifndef DUPLICATE_SAME_ACCESS
#define DUPLICATE_SAME_ACCESS 0x00000002
#endif
#ifndef DUPLICATE_SAME_ATTRIBUTES
#define DUPLICATE_SAME_ATTRIBUTES 0x00000004
#endif

__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtFlushBuffersFile(HANDLE FileHandle,
                                                              PIO_STATUS_BLOCK IoStatusBlock);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtCancelIoFile(HANDLE FileHandle,
                                                          PIO_STATUS_BLOCK IoStatusBlock);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtCancelIoFileEx(HANDLE FileHandle,
                                                            PIO_STATUS_BLOCK IoRequestToCancel,
                                                            PIO_STATUS_BLOCK IoStatusBlock);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtDuplicateObject(
    HANDLE SourceProcessHandle, HANDLE SourceHandle, HANDLE TargetProcessHandle,
    PHANDLE TargetHandle, ACCESS_MASK DesiredAccess, ULONG HandleAttributes, ULONG Options);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtOpenProcess(PHANDLE ProcessHandle,
                                                         ACCESS_MASK DesiredAccess,
                                                         POBJECT_ATTRIBUTES ObjectAttributes,
                                                         PCLIENT_ID ClientId);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG Count, HANDLE Handles[],
                                                                    WAIT_TYPE WaitType,
                                                                    BOOLEAN Alertable,
                                                                    PLARGE_INTEGER Timeout);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle,
                                                         ACCESS_MASK DesiredAccess,
                                                         POBJECT_ATTRIBUTES ObjectAttributes,
                                                         EVENT_TYPE EventType,
                                                         BOOLEAN InitialState);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtOpenEvent(PHANDLE EventHandle,
                                                       ACCESS_MASK DesiredAccess,
                                                       POBJECT_ATTRIBUTES ObjectAttributes);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtResetEvent(HANDLE EventHandle, PLONG PreviousState);
// Alertable sleep (SleepEx): STATUS_USER_APC when a user APC was delivered.
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable,
                                                            PLARGE_INTEGER DelayInterval);

NTSYSAPI VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString);
NTSYSAPI ULONG NTAPI RtlNtStatusToDosError(NTSTATUS Status);

// ---- semaphores, mutants, user APCs, threads (kernel32's CreateSemaphore/CreateMutex/
// QueueUserAPC/OpenThread; same definitions as km/zw_sync.h) ------------------------------
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
typedef VOID(NTAPI* PPS_APC_ROUTINE)(PVOID ApcArgument1, PVOID ApcArgument2, PVOID ApcArgument3);
#endif
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtPulseEvent(HANDLE EventHandle, PLONG PreviousState);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtCreateSemaphore(PHANDLE SemaphoreHandle,
                                                             ACCESS_MASK DesiredAccess,
                                                             POBJECT_ATTRIBUTES ObjectAttributes,
                                                             LONG InitialCount, LONG MaximumCount);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtOpenSemaphore(PHANDLE SemaphoreHandle,
                                                           ACCESS_MASK DesiredAccess,
                                                           POBJECT_ATTRIBUTES ObjectAttributes);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtReleaseSemaphore(HANDLE SemaphoreHandle,
                                                              LONG ReleaseCount,
                                                              PLONG PreviousCount);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI
NtQuerySemaphore(HANDLE SemaphoreHandle, SEMAPHORE_INFORMATION_CLASS SemaphoreInformationClass,
                 PVOID SemaphoreInformation, ULONG SemaphoreInformationLength, PULONG ReturnLength);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtCreateMutant(PHANDLE MutantHandle,
                                                          ACCESS_MASK DesiredAccess,
                                                          POBJECT_ATTRIBUTES ObjectAttributes,
                                                          BOOLEAN InitialOwner);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtOpenMutant(PHANDLE MutantHandle,
                                                        ACCESS_MASK DesiredAccess,
                                                        POBJECT_ATTRIBUTES ObjectAttributes);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtReleaseMutant(HANDLE MutantHandle,
                                                           PLONG PreviousCount);
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI
NtQueryMutant(HANDLE MutantHandle, MUTANT_INFORMATION_CLASS MutantInformationClass,
              PVOID MutantInformation, ULONG MutantInformationLength, PULONG ReturnLength);
// Queues a user APC to a thread (THREAD_SET_CONTEXT): it runs when that thread waits
// alertably (SleepEx(..., TRUE), WaitForSingleObjectEx(..., TRUE)).
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtQueueApcThread(HANDLE ThreadHandle,
                                                            PPS_APC_ROUTINE ApcRoutine,
                                                            PVOID ApcArgument1, PVOID ApcArgument2,
                                                            PVOID ApcArgument3);
// Opens a thread by its client id (UniqueThread; ObjectName must be NULL).
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtOpenThread(PHANDLE ThreadHandle,
                                                        ACCESS_MASK DesiredAccess,
                                                        POBJECT_ATTRIBUTES ObjectAttributes,
                                                        PCLIENT_ID ClientId);
// Runs the calling thread's queued user APCs; STATUS_ALERTED if it was alerted.
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtTestAlert(VOID);

#ifdef __cplusplus
}
#endif
