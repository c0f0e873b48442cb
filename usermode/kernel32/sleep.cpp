// Sleep: a non-alertable delay needs nothing from the kernel.
#include "kernel32/k32.h"

#include <sched.h>
#include <time.h>

#include <cerrno>

extern "C" VOID WINAPI Sleep(DWORD dwMilliseconds) {
    if (dwMilliseconds == 0) { // give up the rest of the time slice
        sched_yield();
        return;
    }
    if (dwMilliseconds == INFINITE) {
        for (;;) {
            timespec forever{3600, 0};
            nanosleep(&forever, nullptr);
        }
    }
    timespec remaining{time_t(dwMilliseconds / 1000), long(dwMilliseconds % 1000) * 1000000L};
    while (nanosleep(&remaining, &remaining) != 0 && errno == EINTR) {
    }
}
