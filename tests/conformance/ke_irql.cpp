// ke.irql: IRQL raise/lower round trips, the processor number is stable at DISPATCH_LEVEL and
// follows the system affinity, and KeNumberProcessors agrees with the query routines.
#include "kmt.h"

void Test_KeIrql(void) {
    ok_eq_uint(KeGetCurrentIrql(), PASSIVE_LEVEL);
    KIRQL old;
    KeRaiseIrql(APC_LEVEL, &old);
    ok_eq_uint(old, PASSIVE_LEVEL);
    ok_eq_uint(KeGetCurrentIrql(), APC_LEVEL);
    KIRQL old2 = KeRaiseIrqlToDpcLevel();
    ok_eq_uint(old2, APC_LEVEL);
    ok_eq_uint(KeGetCurrentIrql(), DISPATCH_LEVEL);
    ULONG cpu = KeGetCurrentProcessorNumber();
    ok(cpu < (ULONG)KeNumberProcessors, "processor %lu of %d\n", (unsigned long)cpu,
       (int)KeNumberProcessors);
    BOOLEAN stable = TRUE;
    for (int i = 0; i < 1000; ++i)
        if (KeGetCurrentProcessorNumber() != cpu) stable = FALSE;
    ok(stable, "processor number changed at DISPATCH_LEVEL\n");
    KeLowerIrql(old2);
    ok_eq_uint(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(old);
    ok_eq_uint(KeGetCurrentIrql(), PASSIVE_LEVEL);

    KAFFINITY active = 0;
    ok_eq_uint(KeQueryActiveProcessorCount(&active), (ULONG)KeNumberProcessors);
    ok_eq_uint(KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS), (ULONG)KeNumberProcessors);
    ok_eq_hex64(active, KeQueryActiveProcessors());

    for (ULONG n = 0; n < (ULONG)KeNumberProcessors; ++n) {
        KAFFINITY previous = KeSetSystemAffinityThreadEx((KAFFINITY)1 << n);
        ok_eq_hex64(previous, 0);
        ok_eq_uint(KeGetCurrentProcessorNumber(), n);
        PROCESSOR_NUMBER number;
        ok_eq_uint(KeGetCurrentProcessorNumberEx(&number), n);
        ok_eq_uint(number.Group, 0);
        ok_eq_uint(number.Number, n);
        KIRQL level = KeRaiseIrqlToDpcLevel();
        ok_eq_uint(KeGetCurrentProcessorNumber(), n);
        KeLowerIrql(level);
        KeRevertToUserAffinityThreadEx(previous);
    }
    KAFFINITY first = KeSetSystemAffinityThreadEx(1);
    KAFFINITY second = KeSetSystemAffinityThreadEx(active);
    ok_eq_hex64(first, 0);
    ok_eq_hex64(second, 1);
    KeRevertToUserAffinityThreadEx(0);
}
KMT_TEST("ke.irql", Test_KeIrql);
