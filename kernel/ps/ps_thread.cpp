// Thread objects and the binding of Linux threads to them (adoption, attach, detach).
#include <new>
#include <unistd.h>
#include <sys/syscall.h>

#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ob/ob.h"
#include "ps/ps_private.h"

namespace ntsim::ps {
namespace {

constexpr KPRIORITY kSystemThreadPriority = 8;

// The calling Linux thread's ETHREAD. Holds the thread object's creation reference; when the
// Linux thread ends, the NT thread exits with it.
struct CurrentSlot {
    PETHREAD thread = nullptr;
    bool binding = false; // re-entrancy guard while the thread object is being created
    ~CurrentSlot();
};
thread_local CurrentSlot t_slot;

// Previous mode of a Linux thread that has no ETHREAD yet (early boot).
thread_local KPROCESSOR_MODE t_earlyPreviousMode = KernelMode;

void ExitThreadObject(PETHREAD thread, NTSTATUS status, bool rundownKe) {
    thread->ExitStatus = thread->exitCodeReported ? thread->reportedExitCode : status;
    thread->terminating = true;
    thread->Tcb.State = Terminated;
    if (rundownKe) ke::RundownThread(); // abandons mutexes the thread still owns
    thread->exited = true;
    ke::SignalObject(&thread->Tcb.Header, 1);
    ProcessThreadExited(thread->Process, thread);
}

CurrentSlot::~CurrentSlot() {
    // The Linux thread is ending: its NT thread terminates with STATUS_SUCCESS (Ke's own
    // thread_local abandons owned mutexes).
    if (!thread) return;
    PETHREAD t = thread;
    thread = nullptr;
    ExitThreadObject(t, STATUS_SUCCESS, false);
    ob::DereferenceObject(t);
}

void Bind(PETHREAD thread) {
    t_slot.thread = thread;
    ke::SetCurrentThread(reinterpret_cast<PKTHREAD>(thread));
}

} // namespace

void InitializeThreads() {}

void DeleteThread(PVOID body) {
    auto* thread = static_cast<PETHREAD>(body);
    {
        std::lock_guard guard(ProcessListLock());
        if (thread->Cid.UniqueThread) FreeCid(thread->Cid.UniqueThread);
    }
    if (thread->Process) ob::DereferenceObject(thread->Process);
    thread->~_ETHREAD();
}

NTSTATUS CreateThreadObject(PEPROCESS process, bool systemThread, PETHREAD* result) {
    if (process->terminating) return STATUS_PROCESS_IS_TERMINATING;
    PVOID body = nullptr;
    NTSTATUS status = ob::CreateObject(ThreadType(), nullptr, sizeof(_ETHREAD), &body);
    if (!NT_SUCCESS(status)) return status;
    auto* thread = new (body) _ETHREAD;
    ke::InitializeDispatcherHeader(&thread->Tcb.Header, ThreadObject, 0);
    thread->Tcb.BasePriority = systemThread ? kSystemThreadPriority : process->Pcb.BasePriority;
    thread->Tcb.Priority = thread->Tcb.BasePriority;
    thread->Tcb.State = Running;
    thread->Tcb.WaitReason = Executive;
    thread->Tcb.PreviousMode = systemThread ? KernelMode : UserMode;
    thread->systemThread = systemThread;
    thread->CreateTime.QuadPart = Now();
    thread->linuxTid = int(syscall(SYS_gettid));
    ob::ReferenceObject(process);
    thread->Process = process;
    {
        std::lock_guard guard(ProcessListLock());
        if (process->terminating) {
            thread->Cid.UniqueProcess = process->UniqueProcessId;
            // Fall through to the failure path below without a CID.
        } else {
            thread->Cid.UniqueProcess = process->UniqueProcessId;
            thread->Cid.UniqueThread = AllocateCid(thread);
            if (thread->Cid.UniqueThread) {
                process->threads.push_back(thread);
                process->everHadThread = true;
            }
        }
    }
    if (!thread->Cid.UniqueThread) {
        NTSTATUS failure =
            process->terminating ? STATUS_PROCESS_IS_TERMINATING : STATUS_INSUFFICIENT_RESOURCES;
        ob::DereferenceObject(thread);
        return failure;
    }
    *result = thread;
    return STATUS_SUCCESS;
}

PETHREAD CurrentThread() {
    if (t_slot.thread) return t_slot.thread;
    if (t_slot.binding || !SystemProcess()) return nullptr;
    // Adoption: a Linux thread that enters the kernel without an ETHREAD (a test thread, a
    // worker started with std::thread) becomes a System thread.
    t_slot.binding = true;
    PETHREAD thread = nullptr;
    NTSTATUS status = CreateThreadObject(SystemProcess(), true, &thread);
    t_slot.binding = false;
    if (!NT_SUCCESS(status)) return nullptr;
    thread->adopted = true;
    thread->Tcb.PreviousMode = t_earlyPreviousMode;
    Bind(thread);
    return thread;
}

PEPROCESS CurrentProcess() {
    PETHREAD thread = CurrentThread();
    return thread ? thread->Process : SystemProcess();
}

NTSTATUS AttachCurrentThread(PEPROCESS process, PETHREAD* result) {
    if (!process) return STATUS_INVALID_PARAMETER;
    if (process->terminating) return STATUS_PROCESS_IS_TERMINATING;
    if (t_slot.thread) {
        // An implicitly adopted System thread gives way to the explicit binding; a thread
        // explicitly attached must detach first.
        if (!t_slot.thread->adopted) return STATUS_INVALID_PARAMETER;
        DetachCurrentThread(STATUS_SUCCESS);
    }
    t_slot.binding = true;
    PETHREAD thread = nullptr;
    NTSTATUS status = CreateThreadObject(process, process == SystemProcess(), &thread);
    t_slot.binding = false;
    if (!NT_SUCCESS(status)) return status;
    Bind(thread);
    if (result) *result = thread;
    return STATUS_SUCCESS;
}

void DetachCurrentThread(NTSTATUS exitStatus) {
    PETHREAD thread = t_slot.thread;
    if (!thread) return;
    t_slot.thread = nullptr;
    ExitThreadObject(thread, exitStatus, true);
    ke::SetCurrentThread(nullptr);
    ob::DereferenceObject(thread);
}

KPROCESSOR_MODE PreviousMode() {
    PETHREAD thread = CurrentThread();
    return thread ? thread->Tcb.PreviousMode : t_earlyPreviousMode;
}

void SetPreviousMode(KPROCESSOR_MODE mode) {
    PETHREAD thread = CurrentThread();
    if (thread)
        thread->Tcb.PreviousMode = mode;
    else
        t_earlyPreviousMode = mode;
}

HANDLE ThreadId(PETHREAD thread) {
    return thread ? thread->Cid.UniqueThread : nullptr;
}
PEPROCESS ProcessOf(PETHREAD thread) {
    return thread ? thread->Process : nullptr;
}
bool IsSystemThread(PETHREAD thread) {
    return thread->systemThread;
}
bool ThreadExited(PETHREAD thread) {
    return thread->exited;
}
NTSTATUS ThreadExitStatus(PETHREAD thread) {
    return thread->ExitStatus;
}
void ReportThreadExitCode(PETHREAD thread, NTSTATUS exitCode) {
    thread->reportedExitCode = exitCode;
    thread->exitCodeReported = true;
}
KPRIORITY ThreadPriority(PETHREAD thread) {
    return thread->Tcb.Priority;
}
// SetThreadPriority: host_priority.cpp.

NTSTATUS LookupThread(HANDLE threadId, PETHREAD* thread) {
    if (!thread) return STATUS_INVALID_PARAMETER;
    *thread = nullptr;
    std::lock_guard guard(ProcessListLock());
    PVOID object = LookupCid(threadId);
    if (!object || ob::TypeOf(object) != ThreadType()) return STATUS_INVALID_CID;
    auto* t = static_cast<PETHREAD>(object);
    if (t->exited || !ob::ReferenceObjectSafe(t)) return STATUS_INVALID_CID;
    *thread = t;
    return STATUS_SUCCESS;
}

} // namespace ntsim::ps
