// io.workitem: IoAllocateWorkItem/IoQueueWorkItem(Ex) run the routine on a System worker thread
// at PASSIVE_LEVEL with the device and context; IoInitializeWorkItem works on driver storage;
// items of one queue run in order.
#include "kmt.h"

namespace {

struct ItemData {
    PDEVICE_OBJECT Device;
    PVOID IoObject;
    PIO_WORKITEM Item;
    PVOID Context;
    KIRQL Irql;
    PEPROCESS Process;
    BOOLEAN System;
    KEVENT Done;
};

VOID Routine(PDEVICE_OBJECT device, PVOID context) {
    ItemData* data = (ItemData*)context;
    data->Device = device;
    data->Context = context;
    data->Irql = KeGetCurrentIrql();
    data->Process = PsGetCurrentProcess();
    data->System = PsIsSystemThread(PsGetCurrentThread());
    KeSetEvent(&data->Done, IO_NO_INCREMENT, FALSE);
}

VOID RoutineEx(PVOID ioObject, PVOID context, PIO_WORKITEM item) {
    ItemData* data = (ItemData*)context;
    data->IoObject = ioObject;
    data->Item = item;
    data->Context = context;
    data->Irql = KeGetCurrentIrql();
    KeSetEvent(&data->Done, IO_NO_INCREMENT, FALSE);
}

LONG g_Order[8];
volatile LONG g_Next;
KEVENT g_LastDone;

VOID OrderRoutine(PDEVICE_OBJECT, PVOID context) {
    LONG slot = InterlockedIncrement(&g_Next) - 1;
    if (slot < 8) g_Order[slot] = (LONG)(LONG_PTR)context;
    if (slot == 7) KeSetEvent(&g_LastDone, IO_NO_INCREMENT, FALSE);
}

} // namespace

void TestWorkItem() {
    ok_eq_ptr(IoAllocateWorkItem(NULL), NULL);
    ok(IoSizeofWorkItem() >= sizeof(WORK_QUEUE_ITEM), "size %lu\n", IoSizeofWorkItem());

    PIO_WORKITEM item = IoAllocateWorkItem(KmtControlDevice);
    ok(item != NULL, "IoAllocateWorkItem failed\n");
    if (!item) return;
    ItemData data = {};
    KeInitializeEvent(&data.Done, NotificationEvent, FALSE);
    IoQueueWorkItem(item, Routine, DelayedWorkQueue, &data);
    ok_eq_hex(KeWaitForSingleObject(&data.Done, Executive, KernelMode, FALSE, NULL),
              STATUS_SUCCESS);
    ok_eq_ptr(data.Device, KmtControlDevice);
    ok_eq_ptr(data.Context, &data);
    ok_eq_int(data.Irql, PASSIVE_LEVEL);
    ok_eq_ptr(data.Process, PsInitialSystemProcess);
    ok_eq_bool(data.System, TRUE);

    ItemData ex = {};
    KeInitializeEvent(&ex.Done, NotificationEvent, FALSE);
    IoQueueWorkItemEx(item, RoutineEx, CriticalWorkQueue, &ex);
    ok_eq_hex(KeWaitForSingleObject(&ex.Done, Executive, KernelMode, FALSE, NULL), STATUS_SUCCESS);
    ok_eq_ptr(ex.IoObject, KmtControlDevice);
    ok_eq_ptr(ex.Item, item);
    ok_eq_int(ex.Irql, PASSIVE_LEVEL);

    // In order on one queue.
    g_Next = 0;
    KeInitializeEvent(&g_LastDone, NotificationEvent, FALSE);
    PIO_WORKITEM items[8];
    for (int i = 0; i < 8; ++i)
        items[i] = IoAllocateWorkItem(KmtControlDevice);
    for (int i = 0; i < 8; ++i)
        if (items[i])
            IoQueueWorkItem(items[i], OrderRoutine, CriticalWorkQueue, (PVOID)(LONG_PTR)i);
    ok_eq_hex(KeWaitForSingleObject(&g_LastDone, Executive, KernelMode, FALSE, NULL),
              STATUS_SUCCESS);
    for (int i = 0; i < 8; ++i)
        ok_eq_int(g_Order[i], i);

    // Caller storage.
    PIO_WORKITEM own =
        (PIO_WORKITEM)ExAllocatePool2(POOL_FLAG_NON_PAGED, IoSizeofWorkItem(), 'iWtK');
    ok(own != NULL, "pool\n");
    if (own) {
        IoInitializeWorkItem(KmtDriverObject, own);
        ItemData mine = {};
        KeInitializeEvent(&mine.Done, NotificationEvent, FALSE);
        IoQueueWorkItemEx(own, RoutineEx, DelayedWorkQueue, &mine);
        ok_eq_hex(KeWaitForSingleObject(&mine.Done, Executive, KernelMode, FALSE, NULL),
                  STATUS_SUCCESS);
        ok_eq_ptr(mine.IoObject, KmtDriverObject);
        ok_eq_ptr(mine.Item, own);
        // The kernel may still be dropping its reference: wait for the queue to move on.
        ItemData fence = {};
        KeInitializeEvent(&fence.Done, NotificationEvent, FALSE);
        IoQueueWorkItem(item, Routine, DelayedWorkQueue, &fence);
        KeWaitForSingleObject(&fence.Done, Executive, KernelMode, FALSE, NULL);
        IoUninitializeWorkItem(own);
        ExFreePool(own);
    }
    // Let the last routines return before freeing their items.
    ItemData fence = {};
    KeInitializeEvent(&fence.Done, NotificationEvent, FALSE);
    IoQueueWorkItem(item, Routine, CriticalWorkQueue, &fence);
    KeWaitForSingleObject(&fence.Done, Executive, KernelMode, FALSE, NULL);
    LARGE_INTEGER delay;
    delay.QuadPart = -10 * 1000 * 20; // 20 ms: the worker finishes the trampoline
    KeDelayExecutionThread(KernelMode, FALSE, &delay);
    for (int i = 0; i < 8; ++i)
        if (items[i]) IoFreeWorkItem(items[i]);
    IoFreeWorkItem(item);
}

KMT_TEST("io.workitem", TestWorkItem);
