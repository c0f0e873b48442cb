// Fast mutexes: not recursive, no timeout, acquisition raises to APC_LEVEL (all APCs off) and
// saves the previous IRQL in FAST_MUTEX.OldIrql for the release. The lock word is Ke's gate
// lock (shared with guarded mutexes): one atomic on Count when uncontended, a wait on the
// embedded synchronization event when not.
//
// Checks (Driver Verifier codes, bug check 0xC4):
//   ExAcquireFastMutex / ExTryToAcquireFastMutex above APC_LEVEL -> 0x20005 (IrqlExApcLte1);
//   acquiring a fast mutex the thread already owns (would hang forever) -> 0x1000 (self-deadlock);
//   releasing a fast mutex owned by another thread -> 0x1004 (mutex, owner, current thread);
//   releasing a fast mutex nobody owns -> 0x1007.
// Not checked: the Unsafe variants' "critical region or APC_LEVEL" precondition (no critical
// region state exists yet to test).
#include "core/export.h"
#include "dbg/dbg.h"
#include "ex/ex_locks.h"
#include "ke/ke.h"
#include "wdm.h"

namespace ntsim::ex {
namespace {

const char kFastMutexIrqlRule[] = "ExAcquireFastMutex should only be called at IRQL <= APC_LEVEL.";

PVOID OwnerOf(PFAST_MUTEX m) {
    return __atomic_load_n(&m->Owner, __ATOMIC_RELAXED);
}

void CheckIrql(PFAST_MUTEX m) {
    if (KeGetCurrentIrql() > APC_LEVEL)
        ke::BugCheckFast(kDriverVerifierViolation, kVerifierFastMutexIrql,
                         reinterpret_cast<ULONG_PTR>(kFastMutexIrqlRule),
                         reinterpret_cast<ULONG_PTR>(m));
}

void CheckNotOwner(PFAST_MUTEX m, PVOID me) {
    if (OwnerOf(m) == me)
        ke::BugCheckFast(kDriverVerifierViolation, kVerifierSelfDeadlock,
                         reinterpret_cast<ULONG_PTR>(m));
}

void CheckOwner(PFAST_MUTEX m) {
    if (ke::GateLockIsFree(&m->Count))
        ke::BugCheckFast(kDriverVerifierViolation, kVerifierUnacquiredRelease,
                         reinterpret_cast<ULONG_PTR>(m));
    PVOID owner = OwnerOf(m);
    PVOID me = ke::LockOwnerIdentity();
    if (owner != me)
        ke::BugCheckFast(kDriverVerifierViolation, kVerifierUnexpectedThread,
                         reinterpret_cast<ULONG_PTR>(m), reinterpret_cast<ULONG_PTR>(owner),
                         reinterpret_cast<ULONG_PTR>(me));
}

// Uncontended: one compare-exchange on Count (GateLockAcquire); the checks around it read
// the thread's state, looked up once.
void Lock(PFAST_MUTEX m, PVOID me) {
    ke::GateLockAcquire(&m->Count, &m->Contention, &m->Event.Header);
    __atomic_store_n(&m->Owner, me, __ATOMIC_RELAXED);
}

void Unlock(PFAST_MUTEX m) {
    __atomic_store_n(&m->Owner, static_cast<PVOID>(nullptr), __ATOMIC_RELAXED);
    ke::GateLockRelease(&m->Count, &m->Event.Header);
}

} // namespace
} // namespace ntsim::ex

using namespace ntsim::ex;

extern "C" VOID NTAPI ExInitializeFastMutex(PFAST_MUTEX FastMutex) {
    FastMutex->Count = FM_LOCK_BIT;
    FastMutex->Owner = nullptr;
    FastMutex->Contention = 0;
    KeInitializeEvent(&FastMutex->Event, SynchronizationEvent, FALSE);
    FastMutex->OldIrql = PASSIVE_LEVEL;
}
NTSIM_EXPORT(ExInitializeFastMutex);

extern "C" VOID NTAPI ExAcquireFastMutex(PFAST_MUTEX FastMutex) {
    CheckIrql(FastMutex);
    PVOID me = ntsim::ke::LockOwnerIdentity();
    CheckNotOwner(FastMutex, me);
    KIRQL old = KfRaiseIrql(APC_LEVEL);
    Lock(FastMutex, me);
    FastMutex->OldIrql = old; // only the owner writes or reads it
}
NTSIM_EXPORT(ExAcquireFastMutex);

extern "C" VOID NTAPI ExReleaseFastMutex(PFAST_MUTEX FastMutex) {
    CheckOwner(FastMutex);
    KIRQL old = KIRQL(FastMutex->OldIrql);
    Unlock(FastMutex);
    KeLowerIrql(old);
}
NTSIM_EXPORT(ExReleaseFastMutex);

extern "C" BOOLEAN NTAPI ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex) {
    CheckIrql(FastMutex);
    KIRQL old = KfRaiseIrql(APC_LEVEL);
    if (!ntsim::ke::GateLockTryAcquire(&FastMutex->Count)) {
        KeLowerIrql(old);
        return FALSE;
    }
    __atomic_store_n(&FastMutex->Owner, static_cast<PVOID>(ntsim::ke::LockOwnerIdentity()),
                     __ATOMIC_RELAXED);
    FastMutex->OldIrql = old;
    return TRUE;
}
NTSIM_EXPORT(ExTryToAcquireFastMutex);

// The caller is at APC_LEVEL or in a critical/guarded region: the IRQL is left alone.
extern "C" VOID NTAPI ExAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex) {
    PVOID me = ntsim::ke::LockOwnerIdentity();
    CheckNotOwner(FastMutex, me);
    Lock(FastMutex, me);
}
NTSIM_EXPORT(ExAcquireFastMutexUnsafe);

extern "C" VOID NTAPI ExReleaseFastMutexUnsafe(PFAST_MUTEX FastMutex) {
    CheckOwner(FastMutex);
    Unlock(FastMutex);
}
NTSIM_EXPORT(ExReleaseFastMutexUnsafe);
