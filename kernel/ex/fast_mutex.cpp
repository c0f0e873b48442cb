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

const char kFastMutexIrqlRule[] = "ExAcquireFastMutex should only be called at IRQL <= APC_LEVEL.";

// The fast mutex's code for an acquisition above APC_LEVEL (Ke's gate lock stops the kernel
// itself for the checks fast and guarded mutexes share).
[[noreturn]] NTSIM_KFAST void FastMutexIrqlFault(PFAST_MUTEX m, KIRQL, void*) {
    ke::BugCheckFast(kDriverVerifierViolation, kVerifierFastMutexIrql,
                     reinterpret_cast<ULONG_PTR>(kFastMutexIrqlRule),
                     reinterpret_cast<ULONG_PTR>(m));
}

} // namespace
} // namespace ntsim::ex

using namespace ntsim::ex;
using ntsim::ke::AcquireGateLock;
using ntsim::ke::ReleaseGateLock;

extern "C" VOID NTAPI ExInitializeFastMutex(PFAST_MUTEX FastMutex) {
    FastMutex->Count = FM_LOCK_BIT;
    FastMutex->Owner = nullptr;
    FastMutex->Contention = 0;
    KeInitializeEvent(&FastMutex->Event, SynchronizationEvent, FALSE);
    FastMutex->OldIrql = PASSIVE_LEVEL;
}
NTSIM_EXPORT(ExInitializeFastMutex);

extern "C" VOID NTAPI ExAcquireFastMutex(PFAST_MUTEX FastMutex) {
    AcquireGateLock(FastMutex, GateEntry::RaiseToApc, true, FastMutexIrqlFault);
}
NTSIM_EXPORT(ExAcquireFastMutex);

extern "C" VOID NTAPI ExReleaseFastMutex(PFAST_MUTEX FastMutex) {
    ReleaseGateLock(FastMutex, GateEntry::RaiseToApc);
}
NTSIM_EXPORT(ExReleaseFastMutex);

extern "C" BOOLEAN NTAPI ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex) {
    return AcquireGateLock(FastMutex, GateEntry::RaiseToApc, false, FastMutexIrqlFault);
}
NTSIM_EXPORT(ExTryToAcquireFastMutex);

// The caller is at APC_LEVEL or in a critical/guarded region: the IRQL is left alone.
extern "C" VOID NTAPI ExAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex) {
    AcquireGateLock(FastMutex, GateEntry::AsIs, true, FastMutexIrqlFault);
}
NTSIM_EXPORT(ExAcquireFastMutexUnsafe);

extern "C" VOID NTAPI ExReleaseFastMutexUnsafe(PFAST_MUTEX FastMutex) {
    ReleaseGateLock(FastMutex, GateEntry::AsIs);
}
NTSIM_EXPORT(ExReleaseFastMutexUnsafe);
