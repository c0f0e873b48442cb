// The out-of-line parts of the dispatch lock (dispatch_lock.h): taking a processor over,
// sleeping while another thread of the same CPU is at DISPATCH_LEVEL on it, giving it back.
#include "ke/dispatch_lock.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

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

// Futexes are 32-bit: sleepers wait on the low half of the word (little-endian x86-64). An
// owner's address | kSleepers is odd there, so any change of owner changes that half too.
uint32_t* FutexWord(uintptr_t* state) {
    return reinterpret_cast<uint32_t*>(state);
}

void FutexWait(uintptr_t* state, uintptr_t value) {
    syscall(SYS_futex, FutexWord(state), FUTEX_WAIT_PRIVATE, uint32_t(value), nullptr, nullptr, 0);
}

void FutexWakeAll(uintptr_t* state) {
    syscall(SYS_futex, FutexWord(state), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}

} // namespace

bool KiDispatchLock::TryAcquire(uintptr_t me, long activeOffset) {
    for (;;) {
        uintptr_t seen = 0;
        CpuLocal r = KiCpuLocalClaim(&state_, me, activeOffset, false, host_, &seen);
        if (r == CpuLocal::Stored) {
            if (seen & kSleepers) FutexWakeAll(&state_); // they waited for the previous owner
            return true;
        }
        if (r == CpuLocal::Mismatch) return (seen & ~kSleepers) == me;
        ReturnToHost(host_);
    }
}

void KiDispatchLock::Acquire(uintptr_t me, long activeOffset) {
    for (;;) {
        uintptr_t seen = 0;
        CpuLocal r = KiCpuLocalClaim(&state_, me, activeOffset, true, host_, &seen);
        if (r == CpuLocal::Stored) {
            if (seen & kSleepers) FutexWakeAll(&state_);
            return;
        }
        if (r == CpuLocal::Mismatch) return; // already ours
        if (r == CpuLocal::Retry) {
            ReturnToHost(host_);
            continue;
        }
        // Marked: the owner is at DISPATCH_LEVEL and will wake us when it lowers.
        FutexWait(&state_, seen | kSleepers);
    }
}

void KiDispatchLock::Release(uintptr_t me) {
    for (;;) {
        uintptr_t seen = Load();
        if ((seen & ~kSleepers) != me) return; // not (or no longer) the owner
        CpuLocal r = KiCpuLocalCompareStore(&state_, seen, 0, host_, &seen);
        if (r == CpuLocal::Stored) {
            if (seen & kSleepers) FutexWakeAll(&state_);
            return;
        }
        if (r == CpuLocal::Retry) ReturnToHost(host_);
    }
}

} // namespace ntsim::ke
