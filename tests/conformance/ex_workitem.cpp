// ex.workitem: ExInitializeWorkItem/ExQueueWorkItem run the routine with its parameter on the
// queue's System worker thread at PASSIVE_LEVEL, in order per queue.
#include "kmt.h"

namespace {

struct ExItem {
    WORK_QUEUE_ITEM Item;
    LONG Index;
    KIRQL Irql;
    PEPROCESS Process;
    BOOLEAN System;
    HANDLE ThreadId;
};

ExItem g_Items[6];
LONG g_Seen[6];
volatile LONG g_Count;
KEVENT g_Done;

VOID Worker(PVOID parameter) {
    ExItem* item = (ExItem*)parameter;
    item->Irql = KeGetCurrentIrql();
    item->Process = PsGetCurrentProcess();
    item->System = PsIsSystemThread(PsGetCurrentThread());
    item->ThreadId = PsGetCurrentThreadId();
    LONG slot = InterlockedIncrement(&g_Count) - 1;
    if (slot < 6) g_Seen[slot] = item->Index;
    if (slot == 5) KeSetEvent(&g_Done, IO_NO_INCREMENT, FALSE);
}

} // namespace

void TestExWorkItem() {
    g_Count = 0;
    KeInitializeEvent(&g_Done, NotificationEvent, FALSE);
    for (LONG i = 0; i < 6; ++i) {
        g_Items[i].Index = i;
        ExInitializeWorkItem(&g_Items[i].Item, Worker, &g_Items[i]);
        ok_eq_ptr(g_Items[i].Item.List.Flink, NULL);
        ok_eq_ptr(g_Items[i].Item.Parameter, &g_Items[i]);
        ok_eq_ptr((PVOID)g_Items[i].Item.WorkerRoutine, (PVOID)Worker);
    }
    for (LONG i = 0; i < 6; ++i)
        ExQueueWorkItem(&g_Items[i].Item, DelayedWorkQueue);
    ok_eq_hex(KeWaitForSingleObject(&g_Done, Executive, KernelMode, FALSE, NULL), STATUS_SUCCESS);
    for (LONG i = 0; i < 6; ++i) {
        ok_eq_int(g_Seen[i], i);
        ok_eq_int(g_Items[i].Irql, PASSIVE_LEVEL);
        ok_eq_ptr(g_Items[i].Process, PsInitialSystemProcess);
        ok_eq_bool(g_Items[i].System, TRUE);
        ok(g_Items[i].ThreadId != PsGetCurrentThreadId(), "ran on the caller's thread\n");
    }
}

KMT_TEST("ex.workitem", TestExWorkItem);
