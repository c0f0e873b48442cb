// Process and thread objects (kernel/ps internals). Drivers see PEPROCESS/PETHREAD as opaque
// pointers; the first member of each is the dispatcher header, so both are waitable and a
// PETHREAD is also a PKTHREAD (as ETHREAD.Tcb / EPROCESS.Pcb come first on Windows).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <wdm.h>

#include "ps/ps.h"

namespace ntsim::ps {

// KTHREAD_STATE values (Performance Monitor numbering).
enum ThreadState : ULONG {
    Initialized = 0,
    Ready = 1,
    Running = 2,
    Standby = 3,
    Terminated = 4,
    Waiting = 5,
    Transition = 6,
    DeferredReady = 7,
};

struct KProcessPart {
    DISPATCHER_HEADER Header; // ProcessObject, signalled at exit
    KPRIORITY BasePriority;
};

// The Linux scheduling an NT priority maps to, as last applied to a thread's Linux threads.
struct HostSchedule {
    bool applied = false;  // false: never changed, the thread runs with what it inherited
    bool realtime = false; // SCHED_RR (value = rt priority) or SCHED_OTHER (value = nice)
    int value = 0;
    bool refused = false; // the host refused the exact mapping: a fallback was applied
};

struct KThreadPart {
    DISPATCHER_HEADER Header; // ThreadObject, signalled at exit
    KPRIORITY Priority;
    KPRIORITY BasePriority;
    std::atomic<ULONG> State;
    ULONG WaitReason;
    KPROCESSOR_MODE PreviousMode;
};

} // namespace ntsim::ps

namespace ntsim::se {
struct Token;
}

struct _EPROCESS {
    ntsim::ps::KProcessPart Pcb;
    HANDLE UniqueProcessId = nullptr;
    HANDLE InheritedFromUniqueProcessId = nullptr;
    LARGE_INTEGER CreateTime{};
    NTSTATUS ExitStatus = STATUS_PENDING; // STATUS_PENDING while running, as Windows reports
    std::atomic<bool> exited{false};
    std::atomic<bool> terminating{false};
    bool everHadThread = false;
    ULONG SessionId = 0;
    UCHAR ImageFileName[16] = {};  // 15 characters + NUL, as EPROCESS.ImageFileName
    std::u16string imageName;      // full image name as given at creation
    std::vector<PETHREAD> threads; // live (not yet exited) threads, under ProcessListLock()
    bool system = false;
    bool idle = false;
    // Primary token (kernel/se: read and set through se::ProcessToken / SetProcessToken).
    std::shared_ptr<const ntsim::se::Token> token;
};

struct _ETHREAD {
    ntsim::ps::KThreadPart Tcb;
    CLIENT_ID Cid{};
    PEPROCESS Process = nullptr; // referenced
    NTSTATUS ExitStatus = STATUS_PENDING;
    std::atomic<bool> exited{false};
    std::atomic<bool> terminating{false};
    // The exit code a client thread reported itself (ExitThread, its start routine's return):
    // what ExitStatus becomes at its exit instead of the rundown's status (sync helper).
    std::atomic<bool> exitCodeReported{false};
    NTSTATUS reportedExitCode = STATUS_SUCCESS;
    bool systemThread = false;
    bool adopted = false; // implicitly created for a Linux thread that had no ETHREAD
    LARGE_INTEGER CreateTime{};
    int linuxTid = 0; // the Linux thread running this thread's kernel side
    // A client thread's own Linux thread (another process), told by its hello; 0 if none.
    int hostPid = 0;
    int hostTid = 0;
    // What the last priority change did to the Linux scheduling (host_priority.cpp).
    ntsim::ps::HostSchedule hostSchedule;
};

namespace ntsim::ps {

std::mutex& ProcessListLock(); // process list, thread lists, CID table
LONGLONG Now();

// CID table: process and thread ids share one space of multiples of 4 (4 = System).
HANDLE AllocateCid(PVOID object);
void FreeCid(HANDLE id);
PVOID LookupCid(HANDLE id); // unreferenced; under ProcessListLock()

NTSTATUS CreateThreadObject(PEPROCESS process, bool systemThread, PETHREAD* thread);
void ProcessThreadExited(PEPROCESS process, PETHREAD thread); // last thread: process exits
void ExitProcessObject(PEPROCESS process, NTSTATUS status);

void InitializeThreads();
ThreadInfo SnapshotThread(PETHREAD thread); // priorities, state, host scheduling
void DeleteThread(PVOID body);              // Thread type delete procedure

} // namespace ntsim::ps
