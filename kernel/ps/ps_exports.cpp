// Exported Ps*/Io*/Ke*/Ex* routines about the current context and process/thread objects.
#include "core/export.h"
#include "ob/ob.h"
#include "ps/ps_private.h"

using namespace ntsim;

extern "C" HANDLE NTAPI PsGetCurrentProcessId(VOID) {
    return ps::CurrentProcess()->UniqueProcessId;
}
NTSIM_EXPORT(PsGetCurrentProcessId);

extern "C" HANDLE NTAPI PsGetCurrentThreadId(VOID) {
    PETHREAD t = ps::CurrentThread();
    return t ? t->Cid.UniqueThread : nullptr;
}
NTSIM_EXPORT(PsGetCurrentThreadId);

extern "C" PEPROCESS NTAPI IoGetCurrentProcess(VOID) {
    return ps::CurrentProcess();
}
NTSIM_EXPORT(IoGetCurrentProcess);

extern "C" PETHREAD NTAPI PsGetCurrentThread(VOID) {
    return ps::CurrentThread();
}
NTSIM_EXPORT(PsGetCurrentThread);

extern "C" PKTHREAD NTAPI KeGetCurrentThread(VOID) {
    return reinterpret_cast<PKTHREAD>(ps::CurrentThread());
}
NTSIM_EXPORT(KeGetCurrentThread);

extern "C" KPROCESSOR_MODE NTAPI ExGetPreviousMode(VOID) {
    return ps::PreviousMode();
}
NTSIM_EXPORT(ExGetPreviousMode);

extern "C" KPROCESSOR_MODE NTAPI KeGetPreviousMode(VOID) {
    return ps::PreviousMode();
}
NTSIM_EXPORT(KeGetPreviousMode);

extern "C" ULONG NTAPI PsGetCurrentProcessSessionId(VOID) {
    return ps::CurrentProcess()->SessionId;
}
NTSIM_EXPORT(PsGetCurrentProcessSessionId);

extern "C" HANDLE NTAPI PsGetProcessId(PEPROCESS Process) {
    return Process->UniqueProcessId;
}
NTSIM_EXPORT(PsGetProcessId);

extern "C" HANDLE NTAPI PsGetThreadId(PETHREAD Thread) {
    return Thread->Cid.UniqueThread;
}
NTSIM_EXPORT(PsGetThreadId);

extern "C" HANDLE NTAPI PsGetThreadProcessId(PETHREAD Thread) {
    return Thread->Cid.UniqueProcess;
}
NTSIM_EXPORT(PsGetThreadProcessId);

extern "C" PEPROCESS NTAPI PsGetThreadProcess(PETHREAD Thread) {
    return Thread->Process;
}
NTSIM_EXPORT(PsGetThreadProcess);

extern "C" BOOLEAN NTAPI PsIsSystemThread(PETHREAD Thread) {
    return Thread->systemThread;
}
NTSIM_EXPORT(PsIsSystemThread);

extern "C" BOOLEAN NTAPI PsIsThreadTerminating(PETHREAD Thread) {
    return Thread->terminating.load();
}
NTSIM_EXPORT(PsIsThreadTerminating);

extern "C" NTSTATUS NTAPI PsGetProcessExitStatus(PEPROCESS Process) {
    return Process->ExitStatus;
}
NTSIM_EXPORT(PsGetProcessExitStatus);

extern "C" LONGLONG NTAPI PsGetProcessCreateTimeQuadPart(PEPROCESS Process) {
    return Process->CreateTime.QuadPart;
}
NTSIM_EXPORT(PsGetProcessCreateTimeQuadPart);

extern "C" ULONG NTAPI PsGetProcessSessionId(PEPROCESS Process) {
    return Process->SessionId;
}
NTSIM_EXPORT(PsGetProcessSessionId);

extern "C" PUCHAR NTAPI PsGetProcessImageFileName(PEPROCESS Process) {
    return Process->ImageFileName;
}
NTSIM_EXPORT(PsGetProcessImageFileName);

extern "C" NTSTATUS NTAPI PsLookupProcessByProcessId(HANDLE ProcessId, PEPROCESS* Process) {
    return ps::LookupProcess(ProcessId, Process);
}
NTSIM_EXPORT(PsLookupProcessByProcessId);

extern "C" NTSTATUS NTAPI PsLookupThreadByThreadId(HANDLE ThreadId, PETHREAD* Thread) {
    return ps::LookupThread(ThreadId, Thread);
}
NTSIM_EXPORT(PsLookupThreadByThreadId);

// The emulated system is Windows 11 23H2 (10.0.22631), the same version RtlGetVersion reports.
extern "C" BOOLEAN NTAPI PsGetVersion(PULONG MajorVersion, PULONG MinorVersion, PULONG BuildNumber,
                                      PUNICODE_STRING CSDVersion) {
    if (MajorVersion) *MajorVersion = 10;
    if (MinorVersion) *MinorVersion = 0;
    if (BuildNumber) *BuildNumber = 22631;
    if (CSDVersion) CSDVersion->Length = 0; // no service pack
    return FALSE;                           // a free (retail) build
}
NTSIM_EXPORT(PsGetVersion);
