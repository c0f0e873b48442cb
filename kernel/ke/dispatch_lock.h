// A logical processor's dispatch lock (the DISPATCH model, affinity.cpp): owned by the thread
// at DISPATCH_LEVEL on that processor, and touched only by threads pinned to the processor's
// host CPU, so its word changes with CPU-local operations (cpu_local.h), never a locked
// instruction.
//
// With restartable sequences the lock is also lazy: a thread that lowers below DISPATCH_LEVEL
// keeps its address in the word, and raising again on the same processor only checks that it
// is still there (a plain store of holdsProcessor and a plain load). Another thread of the same
// CPU that wants the processor takes it over in one restartable sequence if the owner is not at
// DISPATCH_LEVEL (its holdsProcessor byte is 0); otherwise it marks the word (bit 0) and sleeps
// on a futex until the owner lowers. The owner's store-then-load and the thief's sequence run
// on one CPU, so one of them always sees the other. An owner gives the word back before it
// leaves the CPU (it unpins, moves to another processor, or ends). Without rseq (TSan, rseq off)
// the lock is eager: taken on every raise and given back on every lower.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ke/cpu_local.h"
#include "ke/ke.h"

namespace ntsim::ke {

// One per cache line: each is written by its own host CPU.
class alignas(64) KiDispatchLock {
public:
    static constexpr uintptr_t kSleepers = 1; // someone sleeps until the owner lowers

    void SetHost(int host) { host_ = host; }
    int Host() const { return host_; }
    // The lazy owner (`me`, a thread's address) raising again: still its owner? A plain load,
    // called after the owner set its holdsProcessor byte.
    bool OwnedBy(uintptr_t me) const { return (Load() & ~kSleepers) == me; }
    // After the owner cleared its holdsProcessor byte: nothing more to do (lazy, nobody waits).
    bool KeptLazily(uintptr_t me) const { return Lazy() && Load() == me; }
    static bool Lazy() { return KiCpuLocalIsRseq(); }

    // On Host(), with the caller's holdsProcessor byte (at `activeOffset` of `me`) already set:
    // takes the processor if free or lazily kept by a thread not at DISPATCH_LEVEL.
    NTSIM_KFAST bool TryAcquire(uintptr_t me, long activeOffset);
    // The same, sleeping while another thread of this CPU is at DISPATCH_LEVEL on it.
    NTSIM_KFAST void Acquire(uintptr_t me, long activeOffset);
    // On Host(): gives the word back if `me` owns it, waking sleepers.
    NTSIM_KFAST void Release(uintptr_t me);

    // The length of the processor's DPC queue (dpc.cpp keeps it): kept here, on the line the
    // lowering thread touches anyway, so giving the processor back checks it for free.
    void SetDpcsQueued(size_t n) { __atomic_store_n(&dpcsQueued_, n, __ATOMIC_RELAXED); }
    bool DpcsQueued() const { return __atomic_load_n(&dpcsQueued_, __ATOMIC_RELAXED) != 0; }

private:
    friend struct KiDispatchLockSdkLayout;
    uintptr_t Load() const { return __atomic_load_n(&state_, __ATOMIC_RELAXED); }

    uintptr_t state_ = 0; // owner's address | kSleepers, 0 when free
    int host_ = 0;
    size_t dpcsQueued_ = 0;
};

// The SDK's inline spin lock paths read a thread's lazily kept lock as NTSIM_KDISPATCH_LOCK.
struct KiDispatchLockSdkLayout {
    static_assert(offsetof(KiDispatchLock, state_) == offsetof(NTSIM_KDISPATCH_LOCK, Owner) &&
                      offsetof(KiDispatchLock, host_) == offsetof(NTSIM_KDISPATCH_LOCK, Host) &&
                      offsetof(KiDispatchLock, dpcsQueued_) ==
                          offsetof(NTSIM_KDISPATCH_LOCK, DpcsQueued),
                  "KiDispatchLock must match NTSIM_KDISPATCH_LOCK");
};

} // namespace ntsim::ke
