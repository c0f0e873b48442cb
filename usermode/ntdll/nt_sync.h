// ntdll's user APC dispatcher, for the parts of the client runtime that end an alertable wait
// themselves (I/O completion routines, kernel32's waits).
#pragma once

#include <ntdef.h>

namespace ntsim::ntdll {

// Runs the calling thread's queued user APCs, oldest first, in this thread: each one is fetched
// from the kernel (which runs its kernel routine first) and called as
// `VOID NTAPI routine(PVOID NormalContext, PVOID SystemArgument1, PVOID SystemArgument2)`.
// An APC queued by one of them runs too. Returns how many ran. The alertable waits and
// NtDelayExecution call it when the kernel says STATUS_USER_APC.
ULONG DeliverUserApcs();

// The calling thread is about to end with `exitCode` (ExitThread, or its start routine
// returned): its thread object reports that code (GetExitCodeThread).
NTSTATUS ReportThreadExitCode(ULONG exitCode);
// The exit status of a thread or process handle: STILL_ACTIVE (259) while it runs.
NTSTATUS QueryExitStatus(HANDLE handle, ULONG* exitStatus);

} // namespace ntsim::ntdll
