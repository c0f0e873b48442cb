// Push locks (EX_PUSH_LOCK): small reader/writer locks in one pointer-sized word that sleep
// when contended. Not recursive; callers run in a critical region (the Flt forms enter one).
//
// Word: bit 0 = held exclusive, bit 1 = an exclusive acquirer is waiting (new readers hold
// back, so writers are not starved), bit 2 = threads are asleep on the word, bits 4.. = shared
// owner count. Sleepers use a futex on the word's low 32 bits; a release that sees bit 2 clears
// it and wakes every sleeper, which then compete again.
//
// Checks: releasing a push lock that is not held -> 0xC4/0x1007 (lock); deleting a held push
// lock (FltDeletePushLock) -> 0xC4/0x100B (lock).
#include <climits>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ex/ex_locks.h"
#include "ke/ke.h"
#include "wdm.h"
#include <fltKernel.h>

namespace ntsim::ex {
namespace {

constexpr ULONG_PTR kLocked = 1;
constexpr ULONG_PTR kWriterWaiting = 2;
constexpr ULONG_PTR kSleepers = 4;
constexpr ULONG_PTR kShareInc = 16;
constexpr ULONG_PTR kOwnersMask = ~ULONG_PTR(kShareInc - 1) | kLocked;
constexpr int kSpins = 100;

ULONG_PTR Load(PEX_PUSH_LOCK lock) {
    return __atomic_load_n(lock, __ATOMIC_RELAXED);
}

// Sleeps while the word still equals `seen` (which has kSleepers set).
// The futex calls are out of line and ms_abi (NTSIM_KFAST, ke/ke.h): the NTAPI routines that
// inline the uncontended paths then make no System V call.
NTSIM_KFAST __attribute__((noinline)) void Sleep(PEX_PUSH_LOCK lock, ULONG_PTR seen) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(lock), FUTEX_WAIT_PRIVATE, uint32_t(seen),
            nullptr, nullptr, 0);
}

NTSIM_KFAST __attribute__((noinline)) void WakeAll(PEX_PUSH_LOCK lock) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(lock), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr,
            nullptr, 0);
}

// One step of waiting for `v` to change: spin first, then mark sleepers and sleep.
void Backoff(PEX_PUSH_LOCK lock, ULONG_PTR v, int& spins) {
    if (++spins < kSpins) {
        __builtin_ia32_pause();
        return;
    }
    if (!(v & kSleepers) && !__atomic_compare_exchange_n(lock, &v, v | kSleepers, false,
                                                         __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        return; // changed meanwhile: look again
    Sleep(lock, v | kSleepers);
}

void AcquireExclusive(PEX_PUSH_LOCK lock) {
    int spins = 0;
    for (;;) {
        ULONG_PTR v = Load(lock);
        if (!(v & kOwnersMask)) {
            if (__atomic_compare_exchange_n(lock, &v, (v | kLocked) & ~kWriterWaiting, false,
                                            __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
                return;
            continue;
        }
        if (!(v & kWriterWaiting)) {
            if (!__atomic_compare_exchange_n(lock, &v, v | kWriterWaiting, false, __ATOMIC_RELAXED,
                                             __ATOMIC_RELAXED))
                continue;
            v |= kWriterWaiting;
        }
        Backoff(lock, v, spins);
    }
}

void AcquireShared(PEX_PUSH_LOCK lock) {
    int spins = 0;
    for (;;) {
        ULONG_PTR v = Load(lock);
        if (!(v & (kLocked | kWriterWaiting))) {
            if (__atomic_compare_exchange_n(lock, &v, v + kShareInc, false, __ATOMIC_ACQUIRE,
                                            __ATOMIC_RELAXED))
                return;
            continue;
        }
        Backoff(lock, v, spins);
    }
}

[[noreturn]] NTSIM_KFAST void NotOwned(PEX_PUSH_LOCK lock) {
    ke::BugCheckFast(kDriverVerifierViolation, kVerifierUnacquiredRelease,
                     reinterpret_cast<ULONG_PTR>(lock));
}

void ReleaseExclusive(PEX_PUSH_LOCK lock) {
    ULONG_PTR v = Load(lock);
    if (!(v & kLocked)) NotOwned(lock);
    v = __atomic_fetch_and(lock, ~(kLocked | kSleepers), __ATOMIC_RELEASE);
    if (v & kSleepers) WakeAll(lock);
}

void ReleaseShared(PEX_PUSH_LOCK lock) {
    ULONG_PTR v = Load(lock);
    do {
        if ((v & kLocked) || v < kShareInc) NotOwned(lock);
    } while (!__atomic_compare_exchange_n(lock, &v, v - kShareInc, true, __ATOMIC_RELEASE,
                                          __ATOMIC_RELAXED));
    if ((v - kShareInc) < kShareInc && (v & kSleepers)) { // the last reader wakes the writers
        v = __atomic_fetch_and(lock, ~kSleepers, __ATOMIC_RELAXED);
        if (v & kSleepers) WakeAll(lock);
    }
}

void EnterCritical() {
    KeEnterCriticalRegion();
}
void LeaveCritical() {
    KeLeaveCriticalRegion();
}

} // namespace
} // namespace ntsim::ex

using namespace ntsim::ex;

extern "C" VOID NTAPI ExInitializePushLock(PEX_PUSH_LOCK PushLock) {
    *PushLock = 0;
}
NTSIM_EXPORT(ExInitializePushLock);

extern "C" VOID NTAPI ExAcquirePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags) {
    (void)Flags; // EX_DEFAULT_PUSH_LOCK_FLAGS is the only documented value
    AcquireExclusive(PushLock);
}
NTSIM_EXPORT(ExAcquirePushLockExclusiveEx);

extern "C" VOID NTAPI ExAcquirePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags) {
    (void)Flags;
    AcquireShared(PushLock);
}
NTSIM_EXPORT(ExAcquirePushLockSharedEx);

extern "C" VOID NTAPI ExReleasePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags) {
    (void)Flags;
    ReleaseExclusive(PushLock);
}
NTSIM_EXPORT(ExReleasePushLockExclusiveEx);

extern "C" VOID NTAPI ExReleasePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags) {
    (void)Flags;
    ReleaseShared(PushLock);
}
NTSIM_EXPORT(ExReleasePushLockSharedEx);

// Filter manager forms: acquisition enters a critical region, FltReleasePushLock (either mode)
// leaves it.
extern "C" VOID NTAPI FltInitializePushLock(PEX_PUSH_LOCK PushLock) {
    *PushLock = 0;
}
NTSIM_EXPORT(FltInitializePushLock);

extern "C" VOID NTAPI FltDeletePushLock(PEX_PUSH_LOCK PushLock) {
    if (Load(PushLock) & kOwnersMask)
        ntsim::dbg::BugCheck(kDriverVerifierViolation, kVerifierDeleteOwnedLock,
                             reinterpret_cast<ULONG_PTR>(PushLock));
}
NTSIM_EXPORT(FltDeletePushLock);

extern "C" VOID NTAPI FltAcquirePushLockExclusive(PEX_PUSH_LOCK PushLock) {
    EnterCritical();
    AcquireExclusive(PushLock);
}
NTSIM_EXPORT(FltAcquirePushLockExclusive);

extern "C" VOID NTAPI FltAcquirePushLockShared(PEX_PUSH_LOCK PushLock) {
    EnterCritical();
    AcquireShared(PushLock);
}
NTSIM_EXPORT(FltAcquirePushLockShared);

extern "C" VOID NTAPI FltReleasePushLock(PEX_PUSH_LOCK PushLock) {
    if (Load(PushLock) & kLocked)
        ReleaseExclusive(PushLock);
    else
        ReleaseShared(PushLock);
    LeaveCritical();
}
NTSIM_EXPORT(FltReleasePushLock);
