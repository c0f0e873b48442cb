// The slow paths of the dispatch lock (dispatch_lock.h): sleeping while another thread of the
// same CPU holds it, and waking such a sleeper.
#include "ke/dispatch_lock.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ntsim::ke {
namespace {

// A CPU-local operation that must run on `host` found the thread elsewhere (someone changed
// its affinity behind Ke's back) or was preempted: puts the thread back where it belongs.
void ReturnToHost(int host) {
    if (sched_getcpu() == host) return; // only preempted: simply retry
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(host, &set);
    sched_setaffinity(0, sizeof(set), &set);
}

void FutexWait(uint32_t* word, uint32_t value) {
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, value, nullptr, nullptr, 0);
}

void FutexWake(uint32_t* word) {
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

} // namespace

void KiDispatchLock::Lock() {
    // After a sleep the lock is taken as kSleepers: other sleepers may remain.
    uint32_t take = kHeld;
    for (;;) {
        uint32_t seen;
        CpuLocal r = KiCpuLocalCompareStore(&state_, kFree, take, host_, &seen);
        if (r == CpuLocal::Stored) return;
        if (r == CpuLocal::Retry) {
            ReturnToHost(host_);
            continue;
        }
        if (seen == kHeld) {
            r = KiCpuLocalCompareStore(&state_, kHeld, kSleepers, host_, &seen);
            if (r == CpuLocal::Retry) ReturnToHost(host_);
            if (r != CpuLocal::Stored) continue;
        }
        FutexWait(&state_, kSleepers);
        take = kSleepers;
    }
}

void KiDispatchLock::UnlockSlow() {
    for (;;) {
        uint32_t seen;
        CpuLocal r = KiCpuLocalCompareStore(&state_, kHeld, kFree, host_, &seen);
        if (r == CpuLocal::Stored) return;
        if (r == CpuLocal::Retry) {
            ReturnToHost(host_);
            continue;
        }
        if (seen != kSleepers) return; // not held: nothing to give back
        r = KiCpuLocalCompareStore(&state_, kSleepers, kFree, host_, &seen);
        if (r == CpuLocal::Stored) {
            FutexWake(&state_);
            return;
        }
        if (r == CpuLocal::Retry) ReturnToHost(host_);
    }
}

} // namespace ntsim::ke
