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

#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ke/ki.h"

namespace ntsim::ke {
namespace {

constexpr LONG kLockBit = GM_LOCK_BIT;
constexpr LONG kWaiterInc = GM_LOCK_WAITER_INC;
constexpr int kSpinsBeforeSleep = 64;

constexpr ULONG kVerifierViolation = 0xC4;
constexpr ULONG_PTR kSelfDeadlock = 0x1000;
constexpr ULONG_PTR kUnexpectedThread = 0x1004;
constexpr ULONG_PTR kUnacquiredRelease = 0x1007;

bool TryClearLockBit(volatile LONG* count, LONG& c) {
    while (c & kLockBit) {
        if (__atomic_compare_exchange_n(count, &c, c & ~kLockBit, true, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return true;
    }
    return false;
}

} // namespace

bool GateLockTryAcquire(volatile LONG* count) {
    LONG c = __atomic_load_n(count, __ATOMIC_RELAXED);
    return TryClearLockBit(count, c);
}

PKTHREAD LockOwnerIdentity() {
    KiThread& t = KiCurrentThread();
    // Binds an unadopted thread to a KTHREAD now, not mid-lock; once Ps has told Ke the
    // thread's KTHREAD, the identity is one field of the thread_local state.
    if (!t.kthread) (void)KeGetCurrentThread();
    return KiIdentity(t);
}

bool GateLockIsFree(const volatile LONG* count) {
    return __atomic_load_n(count, __ATOMIC_RELAXED) & kLockBit;
}

void GateLockAcquire(volatile LONG* count, ULONG* contention, DISPATCHER_HEADER* gate) {
    LONG c = __atomic_load_n(count, __ATOMIC_RELAXED);
    if (TryClearLockBit(count, c)) return;
    __atomic_fetch_add(contention, 1u, __ATOMIC_RELAXED);
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
        KeWaitForSingleObject(gate, Executive, KernelMode, FALSE, nullptr);
        __atomic_fetch_sub(count, kWaiterInc, __ATOMIC_ACQ_REL);
    }
}

namespace {
NTSIM_KFAST __attribute__((noinline)) void WakeGateWaiter(DISPATCHER_HEADER* gate) {
    SignalObject(gate, 1);
}
} // namespace

void GateLockRelease(volatile LONG* count, DISPATCHER_HEADER* gate) {
    LONG before = __atomic_fetch_add(count, kLockBit, __ATOMIC_RELEASE);
    if (before >= kWaiterInc) WakeGateWaiter(gate);
}

} // namespace ntsim::ke

using namespace ntsim::ke;

namespace {

PKTHREAD OwnerOf(PKGUARDED_MUTEX m) {
    return __atomic_load_n(&m->Owner, __ATOMIC_RELAXED);
}

void CheckAcquire(PKGUARDED_MUTEX m, void* caller) {
    KIRQL irql = KeGetCurrentIrql();
    if (irql > APC_LEVEL)
        ntsim::ke::BugCheckFast(kIrqlNotLessOrEqual, reinterpret_cast<ULONG_PTR>(m), irql, 0,
                                reinterpret_cast<ULONG_PTR>(caller));
    if (OwnerOf(m) == LockOwnerIdentity())
        ntsim::ke::BugCheckFast(kVerifierViolation, kSelfDeadlock, reinterpret_cast<ULONG_PTR>(m));
}

void Acquire(PKGUARDED_MUTEX m) {
    GateLockAcquire(&m->Count, &m->Contention, &m->Gate.Header);
    __atomic_store_n(&m->Owner, LockOwnerIdentity(), __ATOMIC_RELAXED);
}

void CheckRelease(PKGUARDED_MUTEX m) {
    PKTHREAD me = LockOwnerIdentity();
    PKTHREAD owner = OwnerOf(m);
    if (GateLockIsFree(&m->Count))
        ntsim::ke::BugCheckFast(kVerifierViolation, kUnacquiredRelease,
                                reinterpret_cast<ULONG_PTR>(m));
    if (owner != me)
        ntsim::ke::BugCheckFast(kVerifierViolation, kUnexpectedThread,
                                reinterpret_cast<ULONG_PTR>(m), reinterpret_cast<ULONG_PTR>(owner),
                                reinterpret_cast<ULONG_PTR>(me));
}

void Release(PKGUARDED_MUTEX m) {
    __atomic_store_n(&m->Owner, static_cast<PKTHREAD>(nullptr), __ATOMIC_RELAXED);
    GateLockRelease(&m->Count, &m->Gate.Header);
}

void EnterGuarded() {
    KeEnterGuardedRegion();
}
void LeaveGuarded() {
    KeLeaveGuardedRegion();
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
    CheckAcquire(Mutex, __builtin_return_address(0));
    EnterGuarded();
    Acquire(Mutex);
}
NTSIM_EXPORT(KeAcquireGuardedMutex);

extern "C" VOID NTAPI KeReleaseGuardedMutex(PKGUARDED_MUTEX Mutex) {
    CheckRelease(Mutex);
    Release(Mutex);
    LeaveGuarded();
}
NTSIM_EXPORT(KeReleaseGuardedMutex);

extern "C" BOOLEAN NTAPI KeTryToAcquireGuardedMutex(PKGUARDED_MUTEX Mutex) {
    KIRQL irql = KeGetCurrentIrql();
    if (irql > APC_LEVEL)
        ntsim::ke::BugCheckFast(kIrqlNotLessOrEqual, reinterpret_cast<ULONG_PTR>(Mutex), irql, 0,
                                reinterpret_cast<ULONG_PTR>(__builtin_return_address(0)));
    EnterGuarded();
    if (!GateLockTryAcquire(&Mutex->Count)) {
        LeaveGuarded();
        return FALSE;
    }
    __atomic_store_n(&Mutex->Owner, LockOwnerIdentity(), __ATOMIC_RELAXED);
    return TRUE;
}
NTSIM_EXPORT(KeTryToAcquireGuardedMutex);

// The caller is already in a guarded region or at APC_LEVEL.
extern "C" VOID NTAPI KeAcquireGuardedMutexUnsafe(PKGUARDED_MUTEX FastMutex) {
    CheckAcquire(FastMutex, __builtin_return_address(0));
    Acquire(FastMutex);
}
NTSIM_EXPORT(KeAcquireGuardedMutexUnsafe);

extern "C" VOID NTAPI KeReleaseGuardedMutexUnsafe(PKGUARDED_MUTEX FastMutex) {
    CheckRelease(FastMutex);
    Release(FastMutex);
}
NTSIM_EXPORT(KeReleaseGuardedMutexUnsafe);
