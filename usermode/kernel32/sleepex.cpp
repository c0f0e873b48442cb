// SleepEx: the alertable delay is the kernel's (NtDelayExecution). When user APCs are queued to
// the thread (QueueUserAPC, I/O completion routines) the delay ends early, ntdll runs them and
// SleepEx returns WAIT_IO_COMPLETION. Separate file: Sleep alone needs no ntdll.
#include "kernel32/k32.h"

extern "C" DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable) {
    if (!bAlertable) {
        Sleep(dwMilliseconds);
        return 0;
    }
    LARGE_INTEGER interval;
    // INFINITE: the most negative relative interval (NtDelayExecution needs one).
    interval.QuadPart = dwMilliseconds == INFINITE ? LONGLONG(0x8000000000000000ULL)
                                                   : -LONGLONG(dwMilliseconds) * 10000;
    NTSTATUS status = NtDelayExecution(TRUE, &interval);
    return status == STATUS_USER_APC ? WAIT_IO_COMPLETION : 0;
}
