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

#include <ntsim/iosb.h>

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
// records follow each).
#include <ntsim/sysprocinfo.h>

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
// QueueUserAPC/OpenThread; shared with km/zw_sync.h) ---------------------------------------
#include <ntsim/ntsyncinfo.h>
__kernel_entry NTSYSCALLAPI NTSTATUS NTAPI NtPulseEvent(HANDLE EventHandle, PLONG PreviousState);
#include <ntsim/ntsyncapi.h>
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
