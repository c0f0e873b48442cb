// Spin locks. The KSPIN_LOCK word is 0 when free (so a zeroed, never-initialised lock works,
// as drivers assume), holds the owner's tag (odd) when taken by KeAcquireSpinLock*, and holds
// the tail of the waiter queue (a KSPIN_LOCK_QUEUE address, even) when taken by the in-stack
// queued routines. Both kinds wait for each other, so mixing them on one lock stays safe.
//
// Checks: acquiring a lock the thread already holds -> SPIN_LOCK_ALREADY_OWNED (0xF) instead of
// a silent hang; releasing a lock the thread does not hold -> SPIN_LOCK_NOT_OWNED (0x10).
#include <sched.h>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ke/ki.h"
#include "ke/ki_irql.h"

namespace ntsim::ke {
namespace {

constexpr ULONG_PTR kQueueWait = 1;  // KSPIN_LOCK_QUEUE.Lock: waiting for the predecessor
constexpr ULONG_PTR kQueueOwner = 2; // KSPIN_LOCK_QUEUE.Lock: holds the lock
constexpr ULONG_PTR kQueueFlags = kQueueWait | kQueueOwner;

ULONG_PTR OwnerTag(KiThread& t) {
    return reinterpret_cast<ULONG_PTR>(&t) | 1;
}

// Out of line and ms_abi: a System V call (sched_yield) inlined into the queued-lock routines
// would make them save and restore xmm6-xmm15 on every call (NTSIM_KFAST, ke/ke.h).
NTSIM_KFAST __attribute__((noinline)) void YieldToHolder() {
    sched_yield();
}

// A holder may be a preempted Linux thread: yield now and then instead of burning the CPU.
inline void SpinPause(unsigned& spins) {
    if (++spins % 128 == 0)
        YieldToHolder();
    else
        __builtin_ia32_pause();
}

ULONG_PTR Load(const volatile ULONG_PTR* p) {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

__attribute__((always_inline)) inline bool TryAcquire(PKSPIN_LOCK lock, ULONG_PTR tag) {
    ULONG_PTR expected = 0;
    if (__atomic_compare_exchange_n(lock, &expected, tag, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED))
        return true;
    if (expected == tag) ke::BugCheckFast(kSpinLockAlreadyOwned, reinterpret_cast<ULONG_PTR>(lock));
    return false;
}

// Waiting is out of line (and ms_abi, see NTSIM_KFAST): the NTAPI routines that inline the
// uncontended path then make no System V call.
NTSIM_KFAST __attribute__((noinline)) void AcquireContended(PKSPIN_LOCK lock, ULONG_PTR tag) {
    unsigned spins = 0;
    do {
        while (Load(lock) != 0)
            SpinPause(spins);
    } while (!TryAcquire(lock, tag));
}

inline void Acquire(KiThread& t, PKSPIN_LOCK lock) {
    ULONG_PTR tag = OwnerTag(t);
    if (!TryAcquire(lock, tag)) AcquireContended(lock, tag);
}

inline void Release(KiThread& t, PKSPIN_LOCK lock) {
    ULONG_PTR value = Load(lock);
    if (value != OwnerTag(t))
        ke::BugCheckFast(kSpinLockNotOwned, reinterpret_cast<ULONG_PTR>(lock), value);
    __atomic_store_n(lock, ULONG_PTR(0), __ATOMIC_RELEASE);
}

// In-stack queued lock: each waiter spins on its own queue entry, and the lock is handed to
// waiters in arrival order.
NTSIM_KFAST __attribute__((noinline)) void AcquireQueued(PKSPIN_LOCK lock,
                                                         PKLOCK_QUEUE_HANDLE handle) {
    PKSPIN_LOCK_QUEUE me = &handle->LockQueue;
    me->Next = nullptr;
    me->Lock = reinterpret_cast<PKSPIN_LOCK>(reinterpret_cast<ULONG_PTR>(lock) | kQueueWait);
    ULONG_PTR self = reinterpret_cast<ULONG_PTR>(me);
    unsigned spins = 0;
    ULONG_PTR previous = Load(lock);
    for (;;) {
        if (previous & 1) { // held by a plain acquisition: wait for it to go
            SpinPause(spins);
            previous = Load(lock);
            continue;
        }
        if (__atomic_compare_exchange_n(lock, &previous, self, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            break;
    }
    if (previous != 0) {
        auto* predecessor = reinterpret_cast<PKSPIN_LOCK_QUEUE>(previous);
        __atomic_store_n(&predecessor->Next, me, __ATOMIC_RELEASE);
        while (reinterpret_cast<ULONG_PTR>(__atomic_load_n(&me->Lock, __ATOMIC_ACQUIRE)) &
               kQueueWait)
            SpinPause(spins);
    }
    __atomic_store_n(&me->Lock,
                     reinterpret_cast<PKSPIN_LOCK>(reinterpret_cast<ULONG_PTR>(lock) | kQueueOwner),
                     __ATOMIC_RELAXED);
}

NTSIM_KFAST __attribute__((noinline)) void ReleaseQueued(PKLOCK_QUEUE_HANDLE handle) {
    PKSPIN_LOCK_QUEUE me = &handle->LockQueue;
    ULONG_PTR tagged = reinterpret_cast<ULONG_PTR>(me->Lock);
    auto* lock = reinterpret_cast<PKSPIN_LOCK>(tagged & ~kQueueFlags);
    if (!(tagged & kQueueOwner) || !lock || Load(lock) == 0)
        ke::BugCheckFast(kSpinLockNotOwned, reinterpret_cast<ULONG_PTR>(lock),
                         reinterpret_cast<ULONG_PTR>(handle));
    me->Lock = lock; // no longer the owner: a second release is caught above
    PKSPIN_LOCK_QUEUE next = __atomic_load_n(&me->Next, __ATOMIC_ACQUIRE);
    if (!next) {
        ULONG_PTR expected = reinterpret_cast<ULONG_PTR>(me);
        if (__atomic_compare_exchange_n(lock, &expected, ULONG_PTR(0), false, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED))
            return;
        // A waiter swapped itself in as the tail but has not linked itself yet.
        unsigned spins = 0;
        while (!(next = __atomic_load_n(&me->Next, __ATOMIC_ACQUIRE)))
            SpinPause(spins);
    }
    __atomic_store_n(&next->Lock, lock, __ATOMIC_RELEASE); // clears its wait bit
}

// The raise and lower around a spin lock, inline (ki_irql.h) with KfRaiseIrql's and
// KfLowerIrql's direction checks.
inline KIRQL RaiseToDispatch(KiThread& t) {
    if (t.irql > DISPATCH_LEVEL) BugCheckFast(kIrqlNotGreaterOrEqual, t.irql, DISPATCH_LEVEL);
    return KiRaiseIrqlInline(t, DISPATCH_LEVEL);
}

inline void LowerFromDispatch(KiThread& t, KIRQL newIrql, void* caller) {
    if (newIrql > t.irql)
        BugCheckFast(kIrqlNotLessOrEqual, newIrql, t.irql, 0, reinterpret_cast<ULONG_PTR>(caller));
    KiLowerIrqlInline(t, newIrql);
}

} // namespace
} // namespace ntsim::ke

using namespace ntsim::ke;

extern "C" VOID NTAPI KeInitializeSpinLock(PKSPIN_LOCK SpinLock) {
    *SpinLock = 0;
}
NTSIM_EXPORT(KeInitializeSpinLock);

extern "C" KIRQL NTAPI KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock) {
    KiThread& t = KiCurrentThread();
    KIRQL old = RaiseToDispatch(t);
    Acquire(t, SpinLock);
    return old;
}
NTSIM_EXPORT(KeAcquireSpinLockRaiseToDpc);

// The exported routine behind the SDK's inline macro (km/ke.h): the checked, complete release.
#undef KeReleaseSpinLock
extern "C" VOID NTAPI KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql) {
    KiThread& t = KiCurrentThread();
    Release(t, SpinLock);
    LowerFromDispatch(t, NewIrql, __builtin_return_address(0));
}
NTSIM_EXPORT(KeReleaseSpinLock);

extern "C" VOID NTAPI KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock) {
    Acquire(KiCurrentThread(), SpinLock);
}
NTSIM_EXPORT(KeAcquireSpinLockAtDpcLevel);

extern "C" VOID NTAPI KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock) {
    Release(KiCurrentThread(), SpinLock);
}
NTSIM_EXPORT(KeReleaseSpinLockFromDpcLevel);

extern "C" BOOLEAN NTAPI KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock) {
    return TryAcquire(SpinLock, OwnerTag(KiCurrentThread())) ? TRUE : FALSE;
}
NTSIM_EXPORT(KeTryToAcquireSpinLockAtDpcLevel);

// TRUE when the lock is free (a caller can poll before trying to acquire).
extern "C" BOOLEAN NTAPI KeTestSpinLock(PKSPIN_LOCK SpinLock) {
    return Load(SpinLock) == 0 ? TRUE : FALSE;
}
NTSIM_EXPORT(KeTestSpinLock);

extern "C" VOID NTAPI KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock,
                                                     PKLOCK_QUEUE_HANDLE LockHandle) {
    LockHandle->OldIrql = RaiseToDispatch(KiCurrentThread());
    AcquireQueued(SpinLock, LockHandle);
}
NTSIM_EXPORT(KeAcquireInStackQueuedSpinLock);

extern "C" VOID NTAPI KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle) {
    ReleaseQueued(LockHandle);
    LowerFromDispatch(KiCurrentThread(), LockHandle->OldIrql, __builtin_return_address(0));
}
NTSIM_EXPORT(KeReleaseInStackQueuedSpinLock);

extern "C" VOID NTAPI KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock,
                                                               PKLOCK_QUEUE_HANDLE LockHandle) {
    AcquireQueued(SpinLock, LockHandle);
}
NTSIM_EXPORT(KeAcquireInStackQueuedSpinLockAtDpcLevel);

extern "C" VOID NTAPI KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle) {
    ReleaseQueued(LockHandle);
}
NTSIM_EXPORT(KeReleaseInStackQueuedSpinLockFromDpcLevel);
