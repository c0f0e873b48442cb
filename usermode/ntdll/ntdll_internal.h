// ntdll internals other parts of the client runtime (kernel32) use.
#pragma once

#include <windows.h>
#include <winternl.h>

#include <cstddef>
#include <cstdint>

// NT ids of the calling process and thread, as the kernel assigned them (0 when no kernel is
// reachable).
ULONG NtsimProcessId();
ULONG NtsimThreadId();

// Reports the exit code the process is about to exit with (ExitProcess): the kernel marks the
// EPROCESS exited with it when the process goes away.
void NtsimReportExitCode(ULONG exitCode);

// Copies the results of completed asynchronous requests back to their callers' IOSBs
// (OVERLAPPED) and buffers; waits do it too. GetOverlappedResult calls it before looking.
void NtsimReapCompletedIo();

// Memory inside the process's shared I/O arena: buffers allocated here are passed to the kernel
// without being staged (copied). NULL when not connected or the arena is full.
void* NtsimArenaAllocate(size_t size);
void NtsimArenaFree(void* p);
