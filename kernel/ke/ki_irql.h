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

// Takes the thread's processor: inline when the thread still keeps the dispatch lock of the
// processor it is pinned to from its last DISPATCH section (lazy, dispatch_lock.h; the SDK's
// inline KeAcquireSpinLock does the same): one plain store and one plain load.
inline void KiAcquireProcessorInline(KiThread& t) {
    t.holdsProcessor = true; // first: a thread taking the processor over reads it
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (t.lazyProcessor->OwnedBy(KiDispatchTag(t))) return;
    t.holdsProcessor = false;
    KiAcquireProcessor(t);
}

// After clearing holdsProcessor: gives the processor back unless it can stay lazily kept,
// runs the DPCs queued meanwhile (the thread stays pinned: lazy unpin, affinity.cpp).
inline void KiFinishProcessorRelease(KiThread& t) {
    // A processor was held: the locks exist.
    ULONG cpu = t.dispatchCpu;
    KiDispatchLock& lock = __atomic_load_n(&g_kiDispatchLocks, __ATOMIC_RELAXED)[cpu];
    // Kept lazily, unless someone sleeps until this lowering (or the lock is eager).
    if (!lock.KeptLazily(KiDispatchTag(t))) lock.Release(KiDispatchTag(t));
    if (lock.DpcsQueued()) KiKickDpcQueue(cpu);
}

inline void KiReleaseProcessorInline(KiThread& t) {
    if (!t.holdsProcessor) return;
    t.holdsProcessor = false; // first: from here on the processor may be taken over
    std::atomic_signal_fence(std::memory_order_seq_cst);
    KiFinishProcessorRelease(t);
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
