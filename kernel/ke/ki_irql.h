// Raising and lowering the IRQL, inline: every spin lock and mutex fast path of Ke does both,
// and a call per step would cost more than the lock. Crossing DISPATCH_LEVEL takes or gives
// back the thread's processor (affinity.cpp); the uncontended case stays inline here.
#pragma once

#include "ke/dispatch_lock.h"
#include "ke/ki.h"

namespace ntsim::ke {

// The dispatch locks of the logical processors (set once the processors are known).
extern KiDispatchLock* g_kiDispatchLocks;

inline uintptr_t KiDispatchTag(const KiThread& t) {
    return reinterpret_cast<uintptr_t>(&t);
}

// Takes the thread's processor: inline when the thread is still pinned from its last DISPATCH
// section to a processor its affinity allows and still keeps that processor's dispatch lock
// (lazy, dispatch_lock.h): one plain store and one plain load.
inline void KiAcquireProcessorInline(KiThread& t) {
    KiDispatchLock* locks = __atomic_load_n(&g_kiDispatchLocks, __ATOMIC_ACQUIRE);
    ULONG cpu = t.dispatchCpu;
    if (locks && t.pinnedHost >= 0 && (!t.systemAffinity || ((t.systemAffinity >> cpu) & 1))) {
        t.holdsProcessor = true; // first: a thread taking the processor over reads it
        std::atomic_signal_fence(std::memory_order_seq_cst);
        if (locks[cpu].OwnedBy(KiDispatchTag(t))) return;
        t.holdsProcessor = false;
    }
    KiAcquireProcessor(t);
}

inline void KiReleaseProcessorInline(KiThread& t) {
    if (!t.holdsProcessor) return;
    ULONG cpu = t.dispatchCpu;
    t.holdsProcessor = false; // first: from here on the processor may be taken over
    std::atomic_signal_fence(std::memory_order_seq_cst);
    // A processor was held: the locks exist.
    KiDispatchLock& lock = __atomic_load_n(&g_kiDispatchLocks, __ATOMIC_RELAXED)[cpu];
    // Kept lazily, unless someone sleeps until this lowering (or the lock is eager).
    if (!lock.KeptLazily(KiDispatchTag(t))) lock.Release(KiDispatchTag(t));
    // The thread stays pinned (lazy unpin, affinity.cpp). DPCs queued meanwhile run now.
    if (lock.DpcsQueued()) KiKickDpcQueue(cpu);
}

inline KIRQL KiRaiseIrqlInline(KiThread& t, KIRQL newIrql) {
    KIRQL old = t.irql;
    if (old < DISPATCH_LEVEL && newIrql >= DISPATCH_LEVEL) KiAcquireProcessorInline(t);
    t.irql = newIrql;
    return old;
}

inline void KiLowerIrqlInline(KiThread& t, KIRQL newIrql) {
    KIRQL old = t.irql;
    t.irql = newIrql;
    if (old >= DISPATCH_LEVEL && newIrql < DISPATCH_LEVEL) {
        // Lowering below DISPATCH_LEVEL by hand cancels a pending Wait = TRUE hand-off (tested
        // first: a store costs more than a load on this path).
        if (t.waitNext) t.waitNext = false;
        KiReleaseProcessorInline(t);
    }
    // Back at PASSIVE_LEVEL: where NT's pending APC interrupt fires.
    if (newIrql == PASSIVE_LEVEL && old > PASSIVE_LEVEL &&
        t.kernelApcPending.load(std::memory_order_relaxed))
        KiDeliverKernelApcs(t);
}

} // namespace ntsim::ke
