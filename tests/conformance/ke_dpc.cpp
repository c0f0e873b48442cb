// ke.dpc: DPCs run once per queuing on their target processor at DISPATCH_LEVEL, after the
// processor lowers below DISPATCH_LEVEL; a second insert fails, a removed DPC never runs,
// KeFlushQueuedDpcs waits, high importance DPCs run first, threaded DPCs run at PASSIVE_LEVEL.
#include "kmt.h"

namespace {

struct DpcResult {
    volatile LONG Runs;
    KIRQL Irql;
    ULONG Processor;
    PVOID Arg1;
    PVOID Arg2;
    PKDPC Dpc;
};

void RecordDpc(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2) {
    DpcResult* r = (DpcResult*)Context;
    r->Irql = KeGetCurrentIrql();
    r->Processor = KeGetCurrentProcessorNumber();
    r->Arg1 = Arg1;
    r->Arg2 = Arg2;
    r->Dpc = Dpc;
    InterlockedIncrement(&r->Runs);
}

LONG g_Order[8];
volatile LONG g_OrderCount;
void OrderDpc(PKDPC, PVOID Context, PVOID, PVOID) {
    LONG slot = InterlockedIncrement(&g_OrderCount) - 1;
    if (slot < 8) g_Order[slot] = (LONG)(ULONG_PTR)Context;
}

} // namespace

void Test_KeDpc(void) {
    KDPC dpc;
    DpcResult r;

    // Every processor, with arguments.
    for (ULONG n = 0; n < (ULONG)KeNumberProcessors; ++n) {
        RtlZeroMemory(&r, sizeof(r));
        KeInitializeDpc(&dpc, RecordDpc, &r);
        ok_eq_uint(dpc.Type, DpcObject);
        KeSetTargetProcessorDpc(&dpc, (CCHAR)n);
        ok_eq_bool(KeInsertQueueDpc(&dpc, (PVOID)0x1234, (PVOID)0x5678), TRUE);
        KeFlushQueuedDpcs();
        ok_eq_int(r.Runs, 1);
        ok_eq_uint(r.Irql, DISPATCH_LEVEL);
        ok_eq_uint(r.Processor, n);
        ok_eq_ptr(r.Arg1, (PVOID)0x1234);
        ok_eq_ptr(r.Arg2, (PVOID)0x5678);
        ok_eq_ptr(r.Dpc, &dpc);
    }

    // Queued at DISPATCH_LEVEL: runs only after lowering; double insert; remove.
    RtlZeroMemory(&r, sizeof(r));
    KeInitializeDpc(&dpc, RecordDpc, &r);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    ok_eq_bool(KeInsertQueueDpc(&dpc, NULL, NULL), TRUE);
    ok_eq_bool(KeInsertQueueDpc(&dpc, NULL, NULL), FALSE);
    KeStallExecutionProcessor(20000);
    ok_eq_int(r.Runs, 0);
    KeLowerIrql(old);
    KeFlushQueuedDpcs();
    ok_eq_int(r.Runs, 1);

    RtlZeroMemory(&r, sizeof(r));
    ok_eq_bool(KeRemoveQueueDpc(&dpc), FALSE);
    old = KeRaiseIrqlToDpcLevel();
    ok_eq_bool(KeInsertQueueDpc(&dpc, NULL, NULL), TRUE);
    ok_eq_bool(KeRemoveQueueDpc(&dpc), TRUE);
    ok_eq_bool(KeRemoveQueueDpc(&dpc), FALSE);
    KeLowerIrql(old);
    KeFlushQueuedDpcs();
    ok_eq_int(r.Runs, 0);

    // Importance.
    KDPC a, b, c;
    g_OrderCount = 0;
    KeInitializeDpc(&a, OrderDpc, (PVOID)1);
    KeInitializeDpc(&b, OrderDpc, (PVOID)2);
    KeInitializeDpc(&c, OrderDpc, (PVOID)3);
    KeSetImportanceDpc(&c, HighImportance);
    old = KeRaiseIrqlToDpcLevel();
    KeInsertQueueDpc(&a, NULL, NULL);
    KeInsertQueueDpc(&b, NULL, NULL);
    KeInsertQueueDpc(&c, NULL, NULL);
    KeLowerIrql(old);
    KeFlushQueuedDpcs();
    ok_eq_int(g_OrderCount, 3);
    ok_eq_int(g_Order[0], 3);
    ok_eq_int(g_Order[1], 1);
    ok_eq_int(g_Order[2], 2);

    // Threaded DPC.
    RtlZeroMemory(&r, sizeof(r));
    KeInitializeThreadedDpc(&dpc, RecordDpc, &r);
    ok_eq_uint(dpc.Type, ThreadedDpcObject);
    PROCESSOR_NUMBER number = {0, 0, 0};
    ok_eq_status(KeSetTargetProcessorDpcEx(&dpc, &number), STATUS_SUCCESS);
    number.Number = (UCHAR)KeNumberProcessors;
    ok_eq_status(KeSetTargetProcessorDpcEx(&dpc, &number), STATUS_INVALID_PARAMETER);
    ok_eq_bool(KeInsertQueueDpc(&dpc, NULL, NULL), TRUE);
    KeFlushQueuedDpcs();
    ok_eq_int(r.Runs, 1);
    ok_eq_uint(r.Irql, PASSIVE_LEVEL);
    ok_eq_uint(r.Processor, 0);
}
KMT_TEST("ke.dpc", Test_KeDpc);
