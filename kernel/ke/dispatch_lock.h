// A logical processor's dispatch lock (the DISPATCH model, affinity.cpp): taken on every raise
// to DISPATCH_LEVEL, by threads pinned to the processor's host CPU only. Its word is changed
// with CPU-local compare-and-stores (cpu_local.h), so the uncontended take and give-back are a
// few plain instructions. A thread that finds the processor busy sleeps on a futex.
#pragma once

#include <cstdint>

#include "ke/cpu_local.h"
#include "ke/ke.h"

namespace ntsim::ke {

// One per cache line: each is written by its own host CPU.
class alignas(64) KiDispatchLock {
public:
    void SetHost(int host) { host_ = host; }
    int Host() const { return host_; }

    // The caller runs on Host(). Retry: it does not (or was preempted): nothing taken.
    CpuLocal TryLock() {
        uint32_t seen;
        return KiCpuLocalCompareStore(&state_, kFree, kHeld, host_, &seen);
    }
    // Takes the lock, sleeping while another thread of this CPU holds it.
    NTSIM_KFAST void Lock();
    // A racy peek from any CPU: worth moving to this processor to try it?
    bool LooksFree() const { return __atomic_load_n(&state_, __ATOMIC_RELAXED) == kFree; }

    // The length of the processor's DPC queue (dpc.cpp keeps it): kept here, on the line the
    // lowering thread touches anyway, so giving the processor back checks it for free.
    void SetDpcsQueued(size_t n) { __atomic_store_n(&dpcsQueued_, n, __ATOMIC_RELAXED); }
    bool DpcsQueued() const { return __atomic_load_n(&dpcsQueued_, __ATOMIC_RELAXED) != 0; }
    // The holder (on Host()) gives it back, waking a sleeper if there is one.
    void Unlock() {
        uint32_t seen;
        if (KiCpuLocalCompareStore(&state_, kHeld, kFree, host_, &seen) != CpuLocal::Stored)
            UnlockSlow();
    }

private:
    static constexpr uint32_t kFree = 0, kHeld = 1, kSleepers = 2;
    NTSIM_KFAST __attribute__((noinline)) void UnlockSlow();

    uint32_t state_ = kFree; // kFree, kHeld, or kSleepers (held, someone may sleep)
    int host_ = 0;
    size_t dpcsQueued_ = 0;
};

} // namespace ntsim::ke
