// I/O work items: IoAllocateWorkItem / IoInitializeWorkItem and IoQueueWorkItem(Ex).
//
// An IO_WORKITEM wraps a WORK_QUEUE_ITEM whose routine is a kernel trampoline: it calls the
// driver's routine through CallDriverRoutine, then drops the reference on the IoObject (device
// or driver object) taken when the item was queued, so the driver cannot unload while its work
// item is pending (the image's outstanding-work count makes UnloadDriver wait).
#include <cstring>
#include <new>

#include "core/callout.h"
#include "core/export.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "ldr/ldr.h"
#include "ob/ob.h"
#include "wdm.h"

struct _IO_WORKITEM {
    WORK_QUEUE_ITEM Item;
    PVOID IoObject;
    PIO_WORKITEM_ROUTINE Routine;
    PIO_WORKITEM_ROUTINE_EX RoutineEx;
    PVOID Context;
    uintptr_t ImageToken;
    ULONG Magic;
    BOOLEAN Allocated; // IoAllocateWorkItem (IoFreeWorkItem frees it)
    volatile LONG Queued;
};

namespace ntsim::io {
namespace {

constexpr ULONG kWorkItemMagic = 0x6B576F49; // "IoWk"

void WorkItemTrampoline(PVOID parameter) {
    auto* item = static_cast<PIO_WORKITEM>(parameter);
    // Copy first: the routine may free or re-queue the item.
    PVOID ioObject = item->IoObject;
    PIO_WORKITEM_ROUTINE routine = item->Routine;
    PIO_WORKITEM_ROUTINE_EX routineEx = item->RoutineEx;
    PVOID context = item->Context;
    uintptr_t token = item->ImageToken;
    __atomic_store_n(&item->Queued, 0, __ATOMIC_SEQ_CST);
    try {
        if (routineEx)
            CallDriverRoutine(routineEx, ioObject, context, item);
        else
            CallDriverRoutine(routine, static_cast<PDEVICE_OBJECT>(ioObject), context);
    } catch (...) {
        ob::DereferenceObject(ioObject);
        ldr::EndImageWork(token);
        throw;
    }
    ob::DereferenceObject(ioObject);
    ldr::EndImageWork(token);
}

void Queue(PIO_WORKITEM item, PIO_WORKITEM_ROUTINE routine, PIO_WORKITEM_ROUTINE_EX routineEx,
           WORK_QUEUE_TYPE queueType, PVOID context) {
    if (!item || item->Magic != kWorkItemMagic || (!routine && !routineEx)) {
        dbg::LogKernelMessage(dbg::Severity::Error,
                              "IoQueueWorkItem: not an initialised work item or no routine");
        return;
    }
    if (__atomic_exchange_n(&item->Queued, 1, __ATOMIC_SEQ_CST)) {
        // Windows corrupts its queue here; ntsim refuses the second insertion loudly.
        dbg::LogKernelMessage(dbg::Severity::Error,
                              "IoQueueWorkItem: work item %p is already queued", (void*)item);
        return;
    }
    ob::ReferenceObject(item->IoObject);
    item->Routine = routine;
    item->RoutineEx = routineEx;
    item->Context = context;
    item->ImageToken = ldr::BeginImageWork(routineEx ? reinterpret_cast<const void*>(routineEx)
                                                     : reinterpret_cast<const void*>(routine));
    ExInitializeWorkItem(&item->Item, WorkItemTrampoline, item);
    ex::QueueWorkItem(&item->Item, ULONG(queueType), 0);
}

} // namespace
} // namespace ntsim::io

using namespace ntsim;

extern "C" ULONG NTAPI IoSizeofWorkItem(VOID) {
    return sizeof(_IO_WORKITEM);
}
NTSIM_EXPORT(IoSizeofWorkItem);

extern "C" VOID NTAPI IoInitializeWorkItem(PVOID IoObject, PIO_WORKITEM IoWorkItem) {
    std::memset(static_cast<void*>(IoWorkItem), 0, sizeof(*IoWorkItem));
    IoWorkItem->IoObject = IoObject;
    IoWorkItem->Magic = io::kWorkItemMagic;
}
NTSIM_EXPORT(IoInitializeWorkItem);

extern "C" VOID NTAPI IoUninitializeWorkItem(PIO_WORKITEM IoWorkItem) {
    IoWorkItem->Magic = 0;
}
NTSIM_EXPORT(IoUninitializeWorkItem);

extern "C" PIO_WORKITEM NTAPI IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject) {
    if (!DeviceObject) return nullptr;
    auto* item = new (std::nothrow) _IO_WORKITEM;
    if (!item) return nullptr;
    IoInitializeWorkItem(DeviceObject, item);
    item->Allocated = TRUE;
    return item;
}
NTSIM_EXPORT(IoAllocateWorkItem);

extern "C" VOID NTAPI IoFreeWorkItem(PIO_WORKITEM IoWorkItem) {
    if (!IoWorkItem) return;
    if (IoWorkItem->Magic != io::kWorkItemMagic || !IoWorkItem->Allocated) {
        dbg::LogKernelMessage(dbg::Severity::Error,
                              "IoFreeWorkItem: %p was not allocated by IoAllocateWorkItem",
                              (void*)IoWorkItem);
        return;
    }
    IoWorkItem->Magic = 0;
    delete IoWorkItem;
}
NTSIM_EXPORT(IoFreeWorkItem);

extern "C" VOID NTAPI IoQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE WorkerRoutine,
                                      WORK_QUEUE_TYPE QueueType, PVOID Context) {
    io::Queue(IoWorkItem, WorkerRoutine, nullptr, QueueType, Context);
}
NTSIM_EXPORT(IoQueueWorkItem);

extern "C" VOID NTAPI IoQueueWorkItemEx(PIO_WORKITEM IoWorkItem,
                                        PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
                                        WORK_QUEUE_TYPE QueueType, PVOID Context) {
    io::Queue(IoWorkItem, nullptr, WorkerRoutine, QueueType, Context);
}
NTSIM_EXPORT(IoQueueWorkItemEx);
