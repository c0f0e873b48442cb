// IRQL: a per-thread value (the thread stands for the processor it runs on).
//
// KeRaiseIrql must raise and KeLowerIrql must lower; the wrong direction stops the kernel as
// Windows does (IRQL_NOT_GREATER_OR_EQUAL when raising to a lower level, IRQL_NOT_LESS_OR_EQUAL
// when lowering to a higher one). Crossing DISPATCH_LEVEL goes through EnterDispatch /
// LeaveDispatch: that is where pinning to a CPU, the per-CPU dispatch lock and the DPC drain
// belong (mechanisms issue).
#include <sched.h>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ke/ki.h"

namespace ntsim::ke {
namespace {

void EnterDispatch(KiThread& t) {
    // Owns a processor: pinned to it, with its dispatch lock (affinity.cpp).
    KiAcquireProcessor(t);
}

void LeaveDispatch(KiThread& t) {
    // Lowering below DISPATCH_LEVEL by hand cancels a pending Wait = TRUE hand-off.
    t.waitNext = false;
    // Gives the processor back and lets its DPC thread drain the queue.
    KiReleaseProcessor(t);
}

} // namespace

// The thread's state is looked up once per exported call and passed down: every raise/lower is
// on the spin lock and mutex fast paths.
inline KIRQL RaiseIrql(KiThread& t, KIRQL newIrql) {
    KIRQL old = t.irql;
    if (old < DISPATCH_LEVEL && newIrql >= DISPATCH_LEVEL) EnterDispatch(t);
    t.irql = newIrql;
    return old;
}

inline void LowerIrql(KiThread& t, KIRQL newIrql) {
    KIRQL old = t.irql;
    t.irql = newIrql;
    if (old >= DISPATCH_LEVEL && newIrql < DISPATCH_LEVEL) LeaveDispatch(t);
    // Back at PASSIVE_LEVEL: where NT's pending APC interrupt fires.
    if (newIrql == PASSIVE_LEVEL && old > PASSIVE_LEVEL &&
        t.kernelApcPending.load(std::memory_order_relaxed))
        KiDeliverKernelApcs(t);
}

KIRQL KiRaiseIrql(KIRQL newIrql) {
    return RaiseIrql(KiCurrentThread(), newIrql);
}

void KiLowerIrql(KIRQL newIrql) {
    LowerIrql(KiCurrentThread(), newIrql);
}

void BugCheckFast(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
    dbg::BugCheck(code, p1, p2, p3, p4);
}

KIRQL CurrentIrql() {
    return KiCurrentThread().irql;
}

IrqlScope::IrqlScope(KIRQL irql) : old_(KfRaiseIrql(irql)) {}
IrqlScope::~IrqlScope() {
    KfLowerIrql(old_);
}

} // namespace ntsim::ke

using namespace ntsim::ke;

extern "C" KIRQL NTAPI KeGetCurrentIrql(VOID) {
    return KiCurrentThread().irql;
}
NTSIM_EXPORT(KeGetCurrentIrql);

extern "C" KIRQL NTAPI KfRaiseIrql(KIRQL NewIrql) {
    KiThread& t = KiCurrentThread();
    KIRQL current = t.irql;
    if (NewIrql < current) BugCheckFast(kIrqlNotGreaterOrEqual, current, NewIrql);
    return RaiseIrql(t, NewIrql);
}
NTSIM_EXPORT(KfRaiseIrql);

extern "C" VOID NTAPI KfLowerIrql(KIRQL NewIrql) {
    KiThread& t = KiCurrentThread();
    KIRQL current = t.irql;
    if (NewIrql > current)
        BugCheckFast(kIrqlNotLessOrEqual, NewIrql, current, 0,
                     reinterpret_cast<ULONG_PTR>(__builtin_return_address(0)));
    LowerIrql(t, NewIrql);
}
NTSIM_EXPORT(KfLowerIrql);

extern "C" VOID NTAPI KeLowerIrql(KIRQL NewIrql) {
    KiThread& t = KiCurrentThread();
    KIRQL current = t.irql;
    if (NewIrql > current)
        BugCheckFast(kIrqlNotLessOrEqual, NewIrql, current, 0,
                     reinterpret_cast<ULONG_PTR>(__builtin_return_address(0)));
    LowerIrql(t, NewIrql);
}
NTSIM_EXPORT(KeLowerIrql);

extern "C" KIRQL NTAPI KeRaiseIrqlToDpcLevel(VOID) {
    return KfRaiseIrql(DISPATCH_LEVEL);
}
NTSIM_EXPORT(KeRaiseIrqlToDpcLevel);

extern "C" KIRQL NTAPI KeRaiseIrqlToSynchLevel(VOID) {
    return KfRaiseIrql(SYNCH_LEVEL);
}
NTSIM_EXPORT(KeRaiseIrqlToSynchLevel);
