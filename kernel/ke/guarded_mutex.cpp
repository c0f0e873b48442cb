// Guarded mutexes and the lock word they share with fast mutexes (ExAcquireFastMutex).
//
// Count bit 0 set = free. Acquiring clears it with one compare-exchange; a thread that finds it
// clear adds 4 (a sleeper) and waits on the gate, an auto-reset dispatcher object. Releasing
// sets bit 0 with one atomic add and signals the gate only when sleepers are counted. A woken
// thread removes its 4 and competes again, so spurious wake-ups are harmless and no wake-up is
// lost: a sleeper registers only while the lock is held, and the release that frees the lock
// sees it.
//
// Guarded region: KeAcquireGuardedMutex enters one (all APCs off) and KeReleaseGuardedMutex
// leaves it; the IRQL is left alone, as on Windows. The Unsafe forms expect the caller to be in
// a guarded region or at APC_LEVEL already.
//
// Checks: acquisition above APC_LEVEL -> IRQL_NOT_LESS_OR_EQUAL (0xA); acquiring a guarded mutex
// the thread already owns (a certain self-deadlock) -> 0xC4/0x1000; releasing one owned by
// another thread -> 0xC4/0x1004 (mutex, owner, current thread); releasing a free one ->
// 0xC4/0x1007 (Driver Verifier's deadlock-detection codes).
#include <sched.h>

#include <cstddef>

#include "core/export.h"
#include "wdm.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ke/ki.h"
#include "ke/ki_irql.h"

namespace ntsim::ke {
namespace {

constexpr LONG kLockBit = GM_LOCK_BIT;
constexpr LONG kWaiterInc = GM_LOCK_WAITER_INC;
constexpr int kSpinsBeforeSleep = 64;

constexpr ULONG kVerifierViolation = 0xC4;
constexpr ULONG_PTR kSelfDeadlock = 0x1000;
constexpr ULONG_PTR kUnexpectedThread = 0x1004;
constexpr ULONG_PTR kUnacquiredRelease = 0x1007;

// The guarded mutex runs on the fast mutex's layout (ke.h).
static_assert(offsetof(KGUARDED_MUTEX, Count) == offsetof(FAST_MUTEX, Count) &&
              offsetof(KGUARDED_MUTEX, Owner) == offsetof(FAST_MUTEX, Owner) &&
              offsetof(KGUARDED_MUTEX, Contention) == offsetof(FAST_MUTEX, Contention) &&
              offsetof(KGUARDED_MUTEX, Gate) == offsetof(FAST_MUTEX, Event));

__attribute__((always_inline)) inline bool TryClearLockBit(volatile LONG* count, LONG& c) {
    while (c & kLockBit) {
        if (__atomic_compare_exchange_n(count, &c, c & ~kLockBit, true, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return true;
    }
    return false;
}

// Held: spin briefly, then sleep on the gate until the lock bit can be cleared.
NTSIM_KFAST __attribute__((noinline)) void AcquireContended(PFAST_MUTEX m) {
    volatile LONG* count = &m->Count;
    LONG c;
    __atomic_fetch_add(&m->Contention, 1u, __ATOMIC_RELAXED);
    // A short spin: holders of these locks usually release within microseconds.
    for (int i = 0; i < kSpinsBeforeSleep; ++i) {
        __builtin_ia32_pause();
        c = __atomic_load_n(count, __ATOMIC_RELAXED);
        if (TryClearLockBit(count, c)) return;
    }
    for (;;) {
        c = __atomic_load_n(count, __ATOMIC_RELAXED);
        if (TryClearLockBit(count, c)) return;
        // Held: register as a sleeper (fails if the holder released meanwhile).
        if (!__atomic_compare_exchange_n(count, &c, c + kWaiterInc, false, __ATOMIC_ACQ_REL,
                                         __ATOMIC_RELAXED))
            continue;
        KeWaitForSingleObject(&m->Event.Header, Executive, KernelMode, FALSE, nullptr);
        __atomic_fetch_sub(count, kWaiterInc, __ATOMIC_ACQ_REL);
    }
}

NTSIM_KFAST __attribute__((noinline)) void WakeGateWaiter(DISPATCHER_HEADER* gate) {
    SignalObject(gate, 1);
}

__attribute__((always_inline)) inline PKTHREAD Identity(KiThread& t) {
    // Binds an unadopted thread to a KTHREAD now, not mid-lock; once Ps has told Ke the
    // thread's KTHREAD, the identity is one field of the thread's state.
    if (__builtin_expect(!t.kthread, 0)) (void)KeGetCurrentThread();
    return KiIdentity(t);
}

} // namespace

PKTHREAD LockOwnerIdentity() {
    return Identity(KiCurrentThread());
}

namespace {

// Everything but the uncontended acquire by a thread Ps knows: checks that fail, a held lock,
// a thread seen for the first time.
NTSIM_KFAST __attribute__((noinline)) BOOLEAN AcquireGateLockSlow(PFAST_MUTEX m, GateEntry entry,
                                                                  bool wait,
                                                                  GateIrqlFaultHandler onIrqlFault,
                                                                  void* caller) {
    KiThread& t = KiCurrentThread();
    KIRQL irql = t.irql;
    if (irql > APC_LEVEL) onIrqlFault(m, irql, caller);
    PKTHREAD me = Identity(t);
    if (__atomic_load_n(&m->Owner, __ATOMIC_RELAXED) == me) {
        if (!wait) return FALSE;
        BugCheckFast(kVerifierViolation, kSelfDeadlock, reinterpret_cast<ULONG_PTR>(m));
    }
    if (entry == GateEntry::RaiseToApc)
        t.irql = APC_LEVEL; // never crosses DISPATCH_LEVEL: nothing else to do
    else if (entry == GateEntry::GuardedRegion)
        KiEnterRegion(t.specialApcDisable);
    LONG c = __atomic_load_n(&m->Count, __ATOMIC_RELAXED);
    if (!TryClearLockBit(&m->Count, c)) {
        if (!wait) {
            if (entry == GateEntry::RaiseToApc)
                KiLowerIrqlInline(t, irql);
            else if (entry == GateEntry::GuardedRegion)
                KiLeaveRegion(t, t.specialApcDisable, true, caller);
            return FALSE;
        }
        AcquireContended(m);
    }
    __atomic_store_n(&m->Owner, static_cast<PVOID>(me), __ATOMIC_RELAXED);
    if (entry == GateEntry::RaiseToApc) m->OldIrql = irql; // only the owner writes or reads it
    return TRUE;
}

// Everything but the uncontended release to APC_LEVEL or below by a thread Ps knows.
NTSIM_KFAST __attribute__((noinline)) void ReleaseGateLockSlow(PFAST_MUTEX m, GateEntry entry,
                                                               void* caller) {
    KiThread& t = KiCurrentThread();
    auto lock = reinterpret_cast<ULONG_PTR>(m);
    if (__atomic_load_n(&m->Count, __ATOMIC_RELAXED) & kLockBit)
        BugCheckFast(kVerifierViolation, kUnacquiredRelease, lock);
    PVOID owner = __atomic_load_n(&m->Owner, __ATOMIC_RELAXED);
    PKTHREAD me = Identity(t);
    if (owner != me)
        BugCheckFast(kVerifierViolation, kUnexpectedThread, lock,
                     reinterpret_cast<ULONG_PTR>(owner), reinterpret_cast<ULONG_PTR>(me));
    KIRQL newIrql = entry == GateEntry::RaiseToApc ? KIRQL(m->OldIrql) : KIRQL(0);
    __atomic_store_n(&m->Owner, static_cast<PVOID>(nullptr), __ATOMIC_RELAXED);
    LONG before = __atomic_fetch_add(&m->Count, kLockBit, __ATOMIC_RELEASE);
    if (before >= kWaiterInc) WakeGateWaiter(&m->Event.Header);
    if (entry == GateEntry::RaiseToApc) {
        if (newIrql > t.irql)
            BugCheckFast(kIrqlNotLessOrEqual, newIrql, t.irql, 0,
                         reinterpret_cast<ULONG_PTR>(caller));
        KiLowerIrqlInline(t, newIrql);
    } else if (entry == GateEntry::GuardedRegion) {
        KiLeaveRegion(t, t.specialApcDisable, true, caller);
    }
}

} // namespace

BOOLEAN AcquireGateLock(PFAST_MUTEX m, GateEntry entry, bool wait,
                        GateIrqlFaultHandler onIrqlFault) {
    // The fast path is a leaf: one compare-exchange, then the IRQL or region change. Taking
    // the lock before raising is the same as after: nothing can run on this thread in between.
    KiThread* t = KiCurrentThreadOrNull();
    LONG c = __atomic_load_n(&m->Count, __ATOMIC_RELAXED);
    if (__builtin_expect(!t || !t->kthread || t->irql > APC_LEVEL || !(c & kLockBit) ||
                             __atomic_load_n(&m->Owner, __ATOMIC_RELAXED) == t->kthread ||
                             !__atomic_compare_exchange_n(&m->Count, &c, c & ~kLockBit, false,
                                                          __ATOMIC_ACQUIRE, __ATOMIC_RELAXED),
                         0))
        return AcquireGateLockSlow(m, entry, wait, onIrqlFault, __builtin_return_address(0));
    if (entry == GateEntry::RaiseToApc) {
        m->OldIrql = t->irql;
        t->irql = APC_LEVEL;
    } else if (entry == GateEntry::GuardedRegion) {
        KiEnterRegion(t->specialApcDisable);
    }
    __atomic_store_n(&m->Owner, static_cast<PVOID>(t->kthread), __ATOMIC_RELAXED);
    return TRUE;
}

void ReleaseGateLock(PFAST_MUTEX m, GateEntry entry) {
    // The fast path is a leaf too: nobody asleep on the gate, an IRQL that stays below
    // DISPATCH_LEVEL, no kernel APC waiting for the end of the section.
    KiThread* t = KiCurrentThreadOrNull();
    LONG c = __atomic_load_n(&m->Count, __ATOMIC_RELAXED);
    KIRQL newIrql = entry == GateEntry::RaiseToApc ? KIRQL(m->OldIrql) : KIRQL(0);
    if (__builtin_expect(
            !t || !t->kthread || c != 0 ||
                __atomic_load_n(&m->Owner, __ATOMIC_RELAXED) != t->kthread ||
                (entry == GateEntry::RaiseToApc && (newIrql > t->irql || t->irql > APC_LEVEL)) ||
                t->kernelApcPending.load(std::memory_order_relaxed) ||
                (entry == GateEntry::GuardedRegion &&
                 t->specialApcDisable.load(std::memory_order_relaxed) >= 0),
            0))
        return ReleaseGateLockSlow(m, entry, __builtin_return_address(0));
    __atomic_store_n(&m->Owner, static_cast<PVOID>(nullptr), __ATOMIC_RELAXED);
    if (!__atomic_compare_exchange_n(&m->Count, &c, c | kLockBit, false, __ATOMIC_RELEASE,
                                     __ATOMIC_RELAXED)) {
        // A sleeper registered meanwhile: give the owner back and take the full path.
        __atomic_store_n(&m->Owner, static_cast<PVOID>(t->kthread), __ATOMIC_RELAXED);
        return ReleaseGateLockSlow(m, entry, __builtin_return_address(0));
    }
    if (entry == GateEntry::RaiseToApc)
        t->irql = newIrql;
    else if (entry == GateEntry::GuardedRegion)
        KiLeaveRegion(*t, t->specialApcDisable, true, __builtin_return_address(0));
}

} // namespace ntsim::ke

using namespace ntsim::ke;

namespace {

PFAST_MUTEX AsGateLock(PKGUARDED_MUTEX m) {
    return reinterpret_cast<PFAST_MUTEX>(m);
}

// The guarded mutex's code for an acquisition above APC_LEVEL.
[[noreturn]] NTSIM_KFAST void GuardedMutexIrqlFault(PFAST_MUTEX lock, KIRQL irql, void* caller) {
    BugCheckFast(kIrqlNotLessOrEqual, reinterpret_cast<ULONG_PTR>(lock), irql, 0,
                 reinterpret_cast<ULONG_PTR>(caller));
}

} // namespace

extern "C" VOID NTAPI KeInitializeGuardedMutex(PKGUARDED_MUTEX Mutex) {
    Mutex->Count = GM_LOCK_BIT;
    Mutex->Owner = nullptr;
    Mutex->Contention = 0;
    InitializeDispatcherHeader(&Mutex->Gate.Header, GateObject, 0);
    Mutex->Gate.Header.Size = sizeof(KGATE) / sizeof(LONG);
    Mutex->CombinedApcDisable = 0;
}
NTSIM_EXPORT(KeInitializeGuardedMutex);

extern "C" VOID NTAPI KeAcquireGuardedMutex(PKGUARDED_MUTEX Mutex) {
    AcquireGateLock(AsGateLock(Mutex), GateEntry::GuardedRegion, true, GuardedMutexIrqlFault);
}
NTSIM_EXPORT(KeAcquireGuardedMutex);

extern "C" VOID NTAPI KeReleaseGuardedMutex(PKGUARDED_MUTEX Mutex) {
    ReleaseGateLock(AsGateLock(Mutex), GateEntry::GuardedRegion);
}
NTSIM_EXPORT(KeReleaseGuardedMutex);

extern "C" BOOLEAN NTAPI KeTryToAcquireGuardedMutex(PKGUARDED_MUTEX Mutex) {
    return AcquireGateLock(AsGateLock(Mutex), GateEntry::GuardedRegion, false,
                           GuardedMutexIrqlFault);
}
NTSIM_EXPORT(KeTryToAcquireGuardedMutex);

// The caller is already in a guarded region or at APC_LEVEL.
extern "C" VOID NTAPI KeAcquireGuardedMutexUnsafe(PKGUARDED_MUTEX FastMutex) {
    AcquireGateLock(AsGateLock(FastMutex), GateEntry::AsIs, true, GuardedMutexIrqlFault);
}
NTSIM_EXPORT(KeAcquireGuardedMutexUnsafe);

extern "C" VOID NTAPI KeReleaseGuardedMutexUnsafe(PKGUARDED_MUTEX FastMutex) {
    ReleaseGateLock(AsGateLock(FastMutex), GateEntry::AsIs);
}
NTSIM_EXPORT(KeReleaseGuardedMutexUnsafe);
