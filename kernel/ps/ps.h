// Kernel-internal interface of processes and threads.
//
// EPROCESS/ETHREAD are opaque to drivers. Both start with a DISPATCHER_HEADER (through the
// embedded KPROCESS/KTHREAD) so they are waitable: they signal when the process/thread exits.
#pragma once

#include <string>
#include <vector>

#include "ntdef.h"
#include "km/types.h"

namespace ntsim::ps {

void Initialize(); // Idle (PID 0) and System (PID 4) processes, the CID table
void Shutdown();

PEPROCESS SystemProcess();
PEPROCESS IdleProcess();

// The calling Linux thread's ETHREAD. A thread that has none (a test thread, a kernel worker
// started with std::thread) is adopted as a System-process thread on first use.
PETHREAD CurrentThread();
PEPROCESS CurrentProcess();

// Creates a process object (not a Linux process: the lpc layer binds one to a client).
NTSTATUS CreateProcess(PEPROCESS parent, const std::u16string& imageName, PEPROCESS* process);
// Makes the calling Linux thread an NT thread of `process` (client kernel halves, system threads).
NTSTATUS AttachCurrentThread(PEPROCESS process, PETHREAD* thread);
void DetachCurrentThread(NTSTATUS exitStatus); // marks the thread exited and signals it
void TerminateProcess(PEPROCESS process, NTSTATUS exitStatus);

HANDLE ProcessId(PEPROCESS process);
HANDLE ThreadId(PETHREAD thread);
PEPROCESS ProcessOf(PETHREAD thread);
std::u16string ImageName(PEPROCESS process);

// Snapshot for ZwQuerySystemInformation and `ntsim ps`.
struct ThreadInfo {
    HANDLE threadId;
    KPRIORITY priority;
    KPRIORITY basePriority;
    ULONG state; // KTHREAD_STATE
    ULONG waitReason;
    // Linux scheduling applied by the last priority change (hostApplied false: inherited).
    bool hostApplied = false;
    bool hostRealtime = false; // SCHED_RR with rt priority hostValue, else nice hostValue
    int hostValue = 0;
    bool hostRefused = false; // the host refused the exact mapping (fallback applied)
};
struct ProcessInfo {
    HANDLE processId;
    HANDLE parentId;
    std::u16string imageName;
    ULONG handleCount;
    KPRIORITY basePriority;
    std::vector<ThreadInfo> threads;
};
std::vector<ProcessInfo> SnapshotProcesses();

// ---- additions (obps) ----

// Previous mode of the calling thread (ExGetPreviousMode): the mode the current system
// service was called from. KernelMode for system threads; the lpc layer sets UserMode around
// a client's system call, Zw* entry points set KernelMode.
KPROCESSOR_MODE PreviousMode();
void SetPreviousMode(KPROCESSOR_MODE mode);

// RAII: sets the calling thread's previous mode for a scope (I/O system services).
class PreviousModeScope {
public:
    explicit PreviousModeScope(KPROCESSOR_MODE mode) : saved_(PreviousMode()) {
        SetPreviousMode(mode);
    }
    ~PreviousModeScope() { SetPreviousMode(saved_); }
    PreviousModeScope(const PreviousModeScope&) = delete;
    PreviousModeScope& operator=(const PreviousModeScope&) = delete;

private:
    KPROCESSOR_MODE saved_;
};

// Process and thread object types (PsProcessType / PsThreadType).
POBJECT_TYPE ProcessType();
POBJECT_TYPE ThreadType();

// Referenced lookups by id (PsLookup* semantics: exited objects are not found).
NTSTATUS LookupProcess(HANDLE processId, PEPROCESS* process);
NTSTATUS LookupThread(HANDLE threadId, PETHREAD* thread);

bool IsSystemThread(PETHREAD thread);
bool ThreadExited(PETHREAD thread);
bool ProcessExited(PEPROCESS process);
NTSTATUS ProcessExitStatus(PEPROCESS process);
NTSTATUS ThreadExitStatus(PETHREAD thread);
// A client thread about to end tells its exit code (ExitThread, the return value of its start
// routine): the thread's exit status becomes that code instead of its rundown's status.
void ReportThreadExitCode(PETHREAD thread, NTSTATUS exitCode);
ULONG SessionId(PEPROCESS process);
HANDLE ParentId(PEPROCESS process);
std::vector<PETHREAD> ThreadsOf(PEPROCESS process); // each referenced: dereference them
// Base priority of new threads of a process (8 = NORMAL_PRIORITY_CLASS), thread priorities.
KPRIORITY BasePriority(PEPROCESS process);
KPRIORITY ThreadPriority(PETHREAD thread);
// Sets the thread's current priority (0..31) and applies it to the Linux threads behind it
// (the client's own thread and the kernel half; see host_priority.cpp for the mapping).
void SetThreadPriority(PETHREAD thread, KPRIORITY priority);

// ---- additions (priorities, host scheduling) ----
// Records the Linux thread (pid, tid) of a client thread, told by its hello; false if that
// tid is not a thread of pid.
bool SetHostThread(PETHREAD thread, int linuxPid, int linuxTid);
int HostThreadId(PETHREAD thread); // the client's Linux tid, else the kernel side's (0 if none)
// The Linux scheduling an NT priority maps to: SCHED_OTHER with a nice value for 0..15,
// SCHED_RR with rt priority (priority - 15) for 16..31.
struct HostMapping {
    bool realtime;
    int value; // nice (SCHED_OTHER) or rt priority (SCHED_RR)
};
HostMapping MapPriorityToHost(KPRIORITY priority);

// ---- additions (system threads) ----
// True on a thread started by PsCreateSystemThread/IoCreateSystemThread or a system worker
// thread (unhandled exceptions there are SYSTEM_THREAD_EXCEPTION_NOT_HANDLED).
bool InCreatedSystemThread();
// Starts a kernel thread of the System process running `body` at PASSIVE_LEVEL (system worker
// threads); returns the referenced thread object (nullptr on failure).
PETHREAD StartKernelThread(KPRIORITY priority, void (*body)(void*), void* context);

} // namespace ntsim::ps
