// QueueUserAPC: a user APC for a thread of this (or another) process. It runs when that thread
// waits alertably (SleepEx, WaitForSingleObjectEx, WaitForMultipleObjectsEx with bAlertable
// TRUE), which then returns WAIT_IO_COMPLETION; a non-alertable wait leaves it queued.
#include "kernel32/k32.h"

using namespace ntsim::k32;

namespace {

// The routine the kernel hands back: calls the PAPCFUNC with its parameter, as kernel32's own
// APC dispatcher does on Windows.
VOID NTAPI DispatchUserApc(PVOID routine, PVOID parameter, PVOID) {
    reinterpret_cast<PAPCFUNC>(routine)(reinterpret_cast<ULONG_PTR>(parameter));
}

} // namespace

extern "C" DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData) {
    if (!pfnAPC) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    NTSTATUS status = NtQueueApcThread(hThread, DispatchUserApc, reinterpret_cast<PVOID>(pfnAPC),
                                       reinterpret_cast<PVOID>(dwData), nullptr);
    return Win32Result(status) ? 1 : 0;
}
