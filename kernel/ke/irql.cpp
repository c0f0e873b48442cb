// IRQL: a per-thread value (the thread stands for the processor it runs on).
//
// KeRaiseIrql must raise and KeLowerIrql must lower; the wrong direction stops the kernel as
// Windows does (IRQL_NOT_GREATER_OR_EQUAL when raising to a lower level, IRQL_NOT_LESS_OR_EQUAL
// when lowering to a higher one). Crossing DISPATCH_LEVEL takes or gives back the thread's
// processor (ki_irql.h, affinity.cpp).
#include <sched.h>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ke/ki.h"
#include "ke/ki_irql.h"

namespace ntsim::ke {

KIRQL KiRaiseIrql(KIRQL newIrql) {
    return KiRaiseIrqlInline(KiCurrentThread(), newIrql);
}

void KiLowerIrql(KIRQL newIrql) {
    KiLowerIrqlInline(KiCurrentThread(), newIrql);
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

// The tail of the SDK's inline KeReleaseSpinLock (km/ke.h), which lowered below DISPATCH_LEVEL
// and cleared HoldsProcessor itself.
extern "C" VOID NTAPI KiFinishLowerIrql(VOID) {
    KiThread& t = KiCurrentThread();
    KiFinishProcessorRelease(t);
    if (t.irql == PASSIVE_LEVEL && t.kernelApcPending.load(std::memory_order_relaxed))
        KiDeliverKernelApcs(t);
}
NTSIM_EXPORT(KiFinishLowerIrql);

extern "C" KIRQL NTAPI KeGetCurrentIrql(VOID) {
    return KiCurrentThread().irql;
}
NTSIM_EXPORT(KeGetCurrentIrql);

extern "C" KIRQL NTAPI KfRaiseIrql(KIRQL NewIrql) {
    KiThread& t = KiCurrentThread();
    KIRQL current = t.irql;
    if (NewIrql < current) BugCheckFast(kIrqlNotGreaterOrEqual, current, NewIrql);
    return KiRaiseIrqlInline(t, NewIrql);
}
NTSIM_EXPORT(KfRaiseIrql);

extern "C" VOID NTAPI KfLowerIrql(KIRQL NewIrql) {
    KiThread& t = KiCurrentThread();
    KIRQL current = t.irql;
    if (NewIrql > current)
        BugCheckFast(kIrqlNotLessOrEqual, NewIrql, current, 0,
                     reinterpret_cast<ULONG_PTR>(__builtin_return_address(0)));
    KiLowerIrqlInline(t, NewIrql);
}
NTSIM_EXPORT(KfLowerIrql);

extern "C" VOID NTAPI KeLowerIrql(KIRQL NewIrql) {
    KiThread& t = KiCurrentThread();
    KIRQL current = t.irql;
    if (NewIrql > current)
        BugCheckFast(kIrqlNotLessOrEqual, NewIrql, current, 0,
                     reinterpret_cast<ULONG_PTR>(__builtin_return_address(0)));
    KiLowerIrqlInline(t, NewIrql);
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
