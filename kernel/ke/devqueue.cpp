// Device queues: the I/O manager's StartIo queuing. A queue is "busy" while its device is
// working on a request; inserting into an idle queue marks it busy and tells the caller to
// start the request itself (FALSE), inserting into a busy one queues the entry (TRUE).
// Removing from an empty busy queue marks it idle again.
//
// Insert/remove run at DISPATCH_LEVEL and synchronise on the queue's own spin lock.
#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ke/ki.h"

using namespace ntsim::ke;

namespace {

// Holds the queue's spin lock for a scope (the caller is at DISPATCH_LEVEL already).
class QueueLock {
public:
    explicit QueueLock(PKDEVICE_QUEUE q) : lock_(&q->Lock) { KeAcquireSpinLockAtDpcLevel(lock_); }
    ~QueueLock() { KeReleaseSpinLockFromDpcLevel(lock_); }
    QueueLock(const QueueLock&) = delete;
    QueueLock& operator=(const QueueLock&) = delete;

private:
    PKSPIN_LOCK lock_;
};

PKDEVICE_QUEUE_ENTRY EntryOf(LIST_ENTRY* e) {
    return CONTAINING_RECORD(e, KDEVICE_QUEUE_ENTRY, DeviceListEntry);
}

void RequireBusy(PKDEVICE_QUEUE q) {
    if (!q->Busy) ntsim::dbg::BugCheck(kDeviceQueueNotBusy, reinterpret_cast<ULONG_PTR>(q));
}

PKDEVICE_QUEUE_ENTRY RemoveByKey(PKDEVICE_QUEUE q, ULONG sortKey) {
    LIST_ENTRY* head = &q->DeviceListHead;
    if (KiIsListEmpty(head)) {
        q->Busy = FALSE;
        return nullptr;
    }
    // The first entry whose key is >= SortKey; if none, wrap around to the first entry.
    LIST_ENTRY* chosen = head->Flink;
    for (LIST_ENTRY* e = head->Flink; e != head; e = e->Flink) {
        if (EntryOf(e)->SortKey >= sortKey) {
            chosen = e;
            break;
        }
    }
    KiRemoveEntryList(chosen);
    PKDEVICE_QUEUE_ENTRY entry = EntryOf(chosen);
    entry->Inserted = FALSE;
    return entry;
}

} // namespace

extern "C" VOID NTAPI KeInitializeDeviceQueue(PKDEVICE_QUEUE DeviceQueue) {
    DeviceQueue->Type = DeviceQueueObject;
    DeviceQueue->Size = sizeof(KDEVICE_QUEUE);
    KiInitializeListHead(&DeviceQueue->DeviceListHead);
    DeviceQueue->Lock = 0;
    DeviceQueue->Hint = 0;
    DeviceQueue->Reserved = 0;
    DeviceQueue->Busy = FALSE;
}
NTSIM_EXPORT(KeInitializeDeviceQueue);

extern "C" BOOLEAN NTAPI KeInsertDeviceQueue(PKDEVICE_QUEUE DeviceQueue,
                                             PKDEVICE_QUEUE_ENTRY DeviceQueueEntry) {
    QueueLock guard(DeviceQueue);
    if (!DeviceQueue->Busy) {
        DeviceQueue->Busy = TRUE;
        DeviceQueueEntry->Inserted = FALSE;
        return FALSE;
    }
    KiInsertTailList(&DeviceQueue->DeviceListHead, &DeviceQueueEntry->DeviceListEntry);
    DeviceQueueEntry->Inserted = TRUE;
    return TRUE;
}
NTSIM_EXPORT(KeInsertDeviceQueue);

// Queues in ascending SortKey order, after the entries with an equal key.
extern "C" BOOLEAN NTAPI KeInsertByKeyDeviceQueue(PKDEVICE_QUEUE DeviceQueue,
                                                  PKDEVICE_QUEUE_ENTRY DeviceQueueEntry,
                                                  ULONG SortKey) {
    QueueLock guard(DeviceQueue);
    DeviceQueueEntry->SortKey = SortKey;
    if (!DeviceQueue->Busy) {
        DeviceQueue->Busy = TRUE;
        DeviceQueueEntry->Inserted = FALSE;
        return FALSE;
    }
    LIST_ENTRY* head = &DeviceQueue->DeviceListHead;
    LIST_ENTRY* before = head; // insert before the first entry with a greater key
    for (LIST_ENTRY* e = head->Flink; e != head; e = e->Flink) {
        if (EntryOf(e)->SortKey > SortKey) {
            before = e;
            break;
        }
    }
    KiInsertTailList(before, &DeviceQueueEntry->DeviceListEntry);
    DeviceQueueEntry->Inserted = TRUE;
    return TRUE;
}
NTSIM_EXPORT(KeInsertByKeyDeviceQueue);

// Removes the first entry; on an empty queue marks it not busy and returns NULL. The queue must
// be busy (DEVICE_QUEUE_NOT_BUSY otherwise).
extern "C" PKDEVICE_QUEUE_ENTRY NTAPI KeRemoveDeviceQueue(PKDEVICE_QUEUE DeviceQueue) {
    QueueLock guard(DeviceQueue);
    RequireBusy(DeviceQueue);
    LIST_ENTRY* head = &DeviceQueue->DeviceListHead;
    if (KiIsListEmpty(head)) {
        DeviceQueue->Busy = FALSE;
        return nullptr;
    }
    LIST_ENTRY* first = head->Flink;
    KiRemoveEntryList(first);
    PKDEVICE_QUEUE_ENTRY entry = EntryOf(first);
    entry->Inserted = FALSE;
    return entry;
}
NTSIM_EXPORT(KeRemoveDeviceQueue);

extern "C" PKDEVICE_QUEUE_ENTRY NTAPI KeRemoveByKeyDeviceQueue(PKDEVICE_QUEUE DeviceQueue,
                                                               ULONG SortKey) {
    QueueLock guard(DeviceQueue);
    RequireBusy(DeviceQueue);
    return RemoveByKey(DeviceQueue, SortKey);
}
NTSIM_EXPORT(KeRemoveByKeyDeviceQueue);

// As KeRemoveByKeyDeviceQueue, but returns NULL (instead of stopping) on an idle queue.
extern "C" PKDEVICE_QUEUE_ENTRY NTAPI KeRemoveByKeyDeviceQueueIfBusy(PKDEVICE_QUEUE DeviceQueue,
                                                                     ULONG SortKey) {
    QueueLock guard(DeviceQueue);
    if (!DeviceQueue->Busy) return nullptr;
    return RemoveByKey(DeviceQueue, SortKey);
}
NTSIM_EXPORT(KeRemoveByKeyDeviceQueueIfBusy);

// Removes a specific entry if it is queued (callable at IRQL <= DISPATCH_LEVEL).
extern "C" BOOLEAN NTAPI KeRemoveEntryDeviceQueue(PKDEVICE_QUEUE DeviceQueue,
                                                  PKDEVICE_QUEUE_ENTRY DeviceQueueEntry) {
    IrqlScope dispatch(DISPATCH_LEVEL);
    QueueLock guard(DeviceQueue);
    if (!DeviceQueueEntry->Inserted) return FALSE;
    KiRemoveEntryList(&DeviceQueueEntry->DeviceListEntry);
    DeviceQueueEntry->Inserted = FALSE;
    return TRUE;
}
NTSIM_EXPORT(KeRemoveEntryDeviceQueue);
