// Executive spin locks (EX_SPIN_LOCK): reader/writer spin locks in one 32-bit word.
//
// Bit 31 = exclusive owner (or an exclusive acquirer draining readers), bits 0-30 = shared
// owners. An exclusive acquirer sets bit 31 first, which stops new readers, then spins until
// the readers are gone: writers cannot be starved. Every routine works at DISPATCH_LEVEL; the
// plain forms raise to it and return the previous IRQL.
//
// Checks: releasing an exclusive lock that is not held exclusively, or a shared lock with no
// shared owner -> SPIN_LOCK_NOT_OWNED (0x10, lock, lock word). The AtDpcLevel forms called
// below DISPATCH_LEVEL -> IRQL_NOT_GREATER_OR_EQUAL (0x9, current IRQL, DISPATCH_LEVEL).
#include <sched.h>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ex/ex_locks.h"
#include "ke/ke.h"
#include "wdm.h"

namespace ntsim::ex {
namespace {

constexpr LONG kExclusive = LONG(0x80000000u);
constexpr LONG kSharedMask = 0x7FFFFFFF;
constexpr ULONG kIrqlNotGreaterOrEqual = 0x09;

inline void Pause(unsigned& spins) {
    if (++spins % 128 == 0)
        sched_yield(); // the holder may be a preempted Linux thread
    else
        __builtin_ia32_pause();
}

LONG Load(PEX_SPIN_LOCK lock) {
    return __atomic_load_n(lock, __ATOMIC_RELAXED);
}

bool TryShared(PEX_SPIN_LOCK lock) {
    LONG v = Load(lock);
    while (!(v & kExclusive)) {
        if (__atomic_compare_exchange_n(lock, &v, v + 1, true, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return true;
    }
    return false;
}

// Waiting is out of line and ms_abi (NTSIM_KFAST, ke/ke.h): the NTAPI routines that inline
// the uncontended path then make no System V call.
NTSIM_KFAST __attribute__((noinline)) void AcquireSharedContended(PEX_SPIN_LOCK lock) {
    unsigned spins = 0;
    while (!TryShared(lock))
        Pause(spins);
}

inline void AcquireShared(PEX_SPIN_LOCK lock) {
    if (!TryShared(lock)) AcquireSharedContended(lock);
}

bool TryExclusive(PEX_SPIN_LOCK lock) {
    LONG expected = 0;
    return __atomic_compare_exchange_n(lock, &expected, kExclusive, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

NTSIM_KFAST __attribute__((noinline)) void AcquireExclusiveContended(PEX_SPIN_LOCK lock) {
    unsigned spins = 0;
    for (;;) { // claim bit 31 (one writer at a time), then wait for the readers to leave
        LONG v = Load(lock);
        if (!(v & kExclusive) && __atomic_compare_exchange_n(lock, &v, v | kExclusive, true,
                                                             __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            break;
        Pause(spins);
    }
    while (__atomic_load_n(lock, __ATOMIC_ACQUIRE) & kSharedMask)
        Pause(spins);
}

inline void AcquireExclusive(PEX_SPIN_LOCK lock) {
    if (!TryExclusive(lock)) AcquireExclusiveContended(lock);
}

[[noreturn]] NTSIM_KFAST void NotOwned(PEX_SPIN_LOCK lock, LONG v) {
    ke::BugCheckFast(kSpinLockNotOwnedCode, reinterpret_cast<ULONG_PTR>(lock), ULONG_PTR(ULONG(v)));
}

void ReleaseShared(PEX_SPIN_LOCK lock) {
    LONG v = Load(lock);
    do {
        if ((v & kSharedMask) == 0) NotOwned(lock, v);
    } while (
        !__atomic_compare_exchange_n(lock, &v, v - 1, true, __ATOMIC_RELEASE, __ATOMIC_RELAXED));
}

void ReleaseExclusive(PEX_SPIN_LOCK lock) {
    LONG v = Load(lock);
    if (v != kExclusive) NotOwned(lock, v);
    __atomic_store_n(lock, LONG(0), __ATOMIC_RELEASE);
}

void RequireDispatch() {
    KIRQL irql = KeGetCurrentIrql();
    if (irql < DISPATCH_LEVEL) ke::BugCheckFast(kIrqlNotGreaterOrEqual, irql, DISPATCH_LEVEL);
}

} // namespace
} // namespace ntsim::ex

using namespace ntsim::ex;

extern "C" KIRQL NTAPI ExAcquireSpinLockShared(PEX_SPIN_LOCK SpinLock) {
    KIRQL old = KfRaiseIrql(DISPATCH_LEVEL);
    AcquireShared(SpinLock);
    return old;
}
NTSIM_EXPORT(ExAcquireSpinLockShared);

extern "C" VOID NTAPI ExReleaseSpinLockShared(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql) {
    ReleaseShared(SpinLock);
    KeLowerIrql(OldIrql);
}
NTSIM_EXPORT(ExReleaseSpinLockShared);

extern "C" KIRQL NTAPI ExAcquireSpinLockExclusive(PEX_SPIN_LOCK SpinLock) {
    KIRQL old = KfRaiseIrql(DISPATCH_LEVEL);
    AcquireExclusive(SpinLock);
    return old;
}
NTSIM_EXPORT(ExAcquireSpinLockExclusive);

extern "C" VOID NTAPI ExReleaseSpinLockExclusive(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql) {
    ReleaseExclusive(SpinLock);
    KeLowerIrql(OldIrql);
}
NTSIM_EXPORT(ExReleaseSpinLockExclusive);

extern "C" VOID NTAPI ExAcquireSpinLockSharedAtDpcLevel(PEX_SPIN_LOCK SpinLock) {
    RequireDispatch();
    AcquireShared(SpinLock);
}
NTSIM_EXPORT(ExAcquireSpinLockSharedAtDpcLevel);

extern "C" VOID NTAPI ExReleaseSpinLockSharedFromDpcLevel(PEX_SPIN_LOCK SpinLock) {
    ReleaseShared(SpinLock);
}
NTSIM_EXPORT(ExReleaseSpinLockSharedFromDpcLevel);

extern "C" VOID NTAPI ExAcquireSpinLockExclusiveAtDpcLevel(PEX_SPIN_LOCK SpinLock) {
    RequireDispatch();
    AcquireExclusive(SpinLock);
}
NTSIM_EXPORT(ExAcquireSpinLockExclusiveAtDpcLevel);

extern "C" VOID NTAPI ExReleaseSpinLockExclusiveFromDpcLevel(PEX_SPIN_LOCK SpinLock) {
    ReleaseExclusive(SpinLock);
}
NTSIM_EXPORT(ExReleaseSpinLockExclusiveFromDpcLevel);

// Succeeds only when the caller is the one shared owner; the lock is then held exclusively.
extern "C" LOGICAL NTAPI ExTryConvertSharedSpinLockExclusive(PEX_SPIN_LOCK SpinLock) {
    LONG expected = 1;
    return __atomic_compare_exchange_n(SpinLock, &expected, kExclusive, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED)
               ? TRUE
               : FALSE;
}
NTSIM_EXPORT(ExTryConvertSharedSpinLockExclusive);

extern "C" LOGICAL NTAPI ExTryAcquireSpinLockSharedAtDpcLevel(PEX_SPIN_LOCK SpinLock) {
    RequireDispatch();
    return TryShared(SpinLock) ? TRUE : FALSE;
}
NTSIM_EXPORT(ExTryAcquireSpinLockSharedAtDpcLevel);

extern "C" LOGICAL NTAPI ExTryAcquireSpinLockExclusiveAtDpcLevel(PEX_SPIN_LOCK SpinLock) {
    RequireDispatch();
    return TryExclusive(SpinLock) ? TRUE : FALSE;
}
NTSIM_EXPORT(ExTryAcquireSpinLockExclusiveAtDpcLevel);
