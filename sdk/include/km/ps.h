// Part of wdm.h/ntddk.h (ntsim SDK): processes and threads (Ps*), owned by kernel/ps.
// EPROCESS/ETHREAD/KTHREAD/KPROCESS are opaque to drivers.
#pragma once

#include <km/types.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- object types exported as data -----------------------------------------------------------
extern POBJECT_TYPE* PsProcessType;
extern POBJECT_TYPE* PsThreadType;
extern PEPROCESS PsInitialSystemProcess;

// ---- process and thread rights ---------------------------------------------------------------
#include <ntsim/psaccess.h>
#define THREAD_ALERT 0x0004 // kernel headers only

// ---- current context -------------------------------------------------------------------------
NTKERNELAPI HANDLE NTAPI PsGetCurrentProcessId(VOID);
NTKERNELAPI HANDLE NTAPI PsGetCurrentThreadId(VOID);
NTKERNELAPI PEPROCESS NTAPI IoGetCurrentProcess(VOID);
#define PsGetCurrentProcess IoGetCurrentProcess
NTKERNELAPI PETHREAD NTAPI PsGetCurrentThread(VOID);
// On x64 Windows an inline reading gs:[0x188]; here an exported function.
NTKERNELAPI PKTHREAD NTAPI KeGetCurrentThread(VOID);
NTKERNELAPI KPROCESSOR_MODE NTAPI ExGetPreviousMode(VOID);
NTKERNELAPI KPROCESSOR_MODE NTAPI KeGetPreviousMode(VOID);
NTKERNELAPI ULONG NTAPI PsGetCurrentProcessSessionId(VOID);

// ---- queries on process and thread objects ---------------------------------------------------
NTKERNELAPI HANDLE NTAPI PsGetProcessId(PEPROCESS Process);
NTKERNELAPI HANDLE NTAPI PsGetThreadId(PETHREAD Thread);
NTKERNELAPI HANDLE NTAPI PsGetThreadProcessId(PETHREAD Thread);
NTKERNELAPI PEPROCESS NTAPI PsGetThreadProcess(PETHREAD Thread);
NTKERNELAPI BOOLEAN NTAPI PsIsSystemThread(PETHREAD Thread);
NTKERNELAPI BOOLEAN NTAPI PsIsThreadTerminating(PETHREAD Thread);
NTKERNELAPI NTSTATUS NTAPI PsGetProcessExitStatus(PEPROCESS Process);
NTKERNELAPI LONGLONG NTAPI PsGetProcessCreateTimeQuadPart(PEPROCESS Process);
NTKERNELAPI ULONG NTAPI PsGetProcessSessionId(PEPROCESS Process);
// Undocumented but exported: the 15-character image file name (NUL-terminated).
NTKERNELAPI PUCHAR NTAPI PsGetProcessImageFileName(PEPROCESS Process);

NTKERNELAPI NTSTATUS NTAPI PsLookupProcessByProcessId(HANDLE ProcessId, PEPROCESS* Process);
NTKERNELAPI NTSTATUS NTAPI PsLookupThreadByThreadId(HANDLE ThreadId, PETHREAD* Thread);

// Obsolete: the version of the emulated Windows (10.0, build 22631). Returns TRUE for a
// checked build, so FALSE here.
NTKERNELAPI BOOLEAN NTAPI PsGetVersion(PULONG MajorVersion, PULONG MinorVersion, PULONG BuildNumber,
                                       PUNICODE_STRING CSDVersion);

// System threads (kernel/ps/system_thread.cpp). ProcessHandle NULL: the System process. The
// thread runs StartRoutine(StartContext) at PASSIVE_LEVEL; returning from it terminates the
// thread with STATUS_SUCCESS. *ThreadHandle is a kernel handle (close it with ZwClose).
NTKERNELAPI NTSTATUS NTAPI PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess,
                                                POBJECT_ATTRIBUTES ObjectAttributes,
                                                HANDLE ProcessHandle, PCLIENT_ID ClientId,
                                                PKSTART_ROUTINE StartRoutine, PVOID StartContext);
// Ends the calling system thread now (does not return); STATUS_INVALID_PARAMETER from a thread
// PsCreateSystemThread did not create.
NTKERNELAPI NTSTATUS NTAPI PsTerminateSystemThread(NTSTATUS ExitStatus);

#ifdef __cplusplus
}
#endif
