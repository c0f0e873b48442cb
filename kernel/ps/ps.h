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

} // namespace ntsim::ps
