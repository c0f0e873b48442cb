// Fast mutexes: not recursive, no timeout, acquisition raises to APC_LEVEL (all APCs off) and
// saves the previous IRQL in FAST_MUTEX.OldIrql for the release. The lock word is Ke's gate
// lock (shared with guarded mutexes): one call into Ke and one atomic on Count when
// uncontended, a wait on the embedded synchronization event when not.
//
// Checks (Driver Verifier codes, bug check 0xC4), made by Ke in the same call as the lock:
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

using ke::GateEntry;
using ke::GateFault;

const char kFastMutexIrqlRule[] = "ExAcquireFastMutex should only be called at IRQL <= APC_LEVEL.";

// Stops the kernel for a failed check of ke::AcquireGateLock / ke::ReleaseGateLock.
NTSIM_KFAST void CheckAcquire(PFAST_MUTEX m, ke::GateResult r) {
    if (r.fault == GateFault::IrqlAboveApc)
        ke::BugCheckFast(kDriverVerifierViolation, kVerifierFastMutexIrql,
                         reinterpret_cast<ULONG_PTR>(kFastMutexIrqlRule),
                         reinterpret_cast<ULONG_PTR>(m));
    if (r.fault == GateFault::OwnedByCaller)
        ke::BugCheckFast(kDriverVerifierViolation, kVerifierSelfDeadlock,
                         reinterpret_cast<ULONG_PTR>(m));
}

NTSIM_KFAST void CheckRelease(PFAST_MUTEX m, GateFault fault) {
    if (fault == GateFault::NotHeld)
        ke::BugCheckFast(kDriverVerifierViolation, kVerifierUnacquiredRelease,
                         reinterpret_cast<ULONG_PTR>(m));
    if (fault == GateFault::NotOwner)
        ke::BugCheckFast(kDriverVerifierViolation, kVerifierUnexpectedThread,
                         reinterpret_cast<ULONG_PTR>(m),
                         reinterpret_cast<ULONG_PTR>(__atomic_load_n(&m->Owner, __ATOMIC_RELAXED)),
                         reinterpret_cast<ULONG_PTR>(ke::LockOwnerIdentity()));
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
    ntsim::ke::GateResult r = ntsim::ke::AcquireGateLock(FastMutex, GateEntry::RaiseToApc, true);
    CheckAcquire(FastMutex, r);
    FastMutex->OldIrql = r.irql; // only the owner writes or reads it
}
NTSIM_EXPORT(ExAcquireFastMutex);

extern "C" VOID NTAPI ExReleaseFastMutex(PFAST_MUTEX FastMutex) {
    CheckRelease(FastMutex, ntsim::ke::ReleaseGateLock(FastMutex, GateEntry::RaiseToApc,
                                                       KIRQL(FastMutex->OldIrql)));
}
NTSIM_EXPORT(ExReleaseFastMutex);

extern "C" BOOLEAN NTAPI ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex) {
    ntsim::ke::GateResult r = ntsim::ke::AcquireGateLock(FastMutex, GateEntry::RaiseToApc, false);
    if (r.fault == GateFault::Busy) return FALSE;
    CheckAcquire(FastMutex, r);
    FastMutex->OldIrql = r.irql;
    return TRUE;
}
NTSIM_EXPORT(ExTryToAcquireFastMutex);

// The caller is at APC_LEVEL or in a critical/guarded region: the IRQL is left alone.
extern "C" VOID NTAPI ExAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex) {
    CheckAcquire(FastMutex, ntsim::ke::AcquireGateLock(FastMutex, GateEntry::AsIs, true));
}
NTSIM_EXPORT(ExAcquireFastMutexUnsafe);

extern "C" VOID NTAPI ExReleaseFastMutexUnsafe(PFAST_MUTEX FastMutex) {
    CheckRelease(FastMutex, ntsim::ke::ReleaseGateLock(FastMutex, GateEntry::AsIs, 0));
}
NTSIM_EXPORT(ExReleaseFastMutexUnsafe);
