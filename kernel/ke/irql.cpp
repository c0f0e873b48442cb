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

KIRQL KiRaiseIrql(KIRQL newIrql) {
    KiThread& t = KiCurrentThread();
    KIRQL old = t.irql;
    if (old < DISPATCH_LEVEL && newIrql >= DISPATCH_LEVEL) EnterDispatch(t);
    t.irql = newIrql;
    return old;
}

void KiLowerIrql(KIRQL newIrql) {
    KiThread& t = KiCurrentThread();
    KIRQL old = t.irql;
    t.irql = newIrql;
    if (old >= DISPATCH_LEVEL && newIrql < DISPATCH_LEVEL) LeaveDispatch(t);
    // Back at PASSIVE_LEVEL: where NT's pending APC interrupt fires.
    if (newIrql == PASSIVE_LEVEL && old > PASSIVE_LEVEL && t.kernelApcPending)
        KiDeliverKernelApcs(t);
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
    KIRQL current = KiCurrentThread().irql;
    if (NewIrql < current) ntsim::dbg::BugCheck(kIrqlNotGreaterOrEqual, current, NewIrql);
    return KiRaiseIrql(NewIrql);
}
NTSIM_EXPORT(KfRaiseIrql);

extern "C" VOID NTAPI KfLowerIrql(KIRQL NewIrql) {
    KIRQL current = KiCurrentThread().irql;
    if (NewIrql > current)
        ntsim::dbg::BugCheck(kIrqlNotLessOrEqual, NewIrql, current, 0,
                             reinterpret_cast<ULONG_PTR>(__builtin_return_address(0)));
    KiLowerIrql(NewIrql);
}
NTSIM_EXPORT(KfLowerIrql);

extern "C" VOID NTAPI KeLowerIrql(KIRQL NewIrql) {
    KIRQL current = KiCurrentThread().irql;
    if (NewIrql > current)
        ntsim::dbg::BugCheck(kIrqlNotLessOrEqual, NewIrql, current, 0,
                             reinterpret_cast<ULONG_PTR>(__builtin_return_address(0)));
    KiLowerIrql(NewIrql);
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
