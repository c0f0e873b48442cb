// IoAllocateWorkItem / IoInitializeWorkItem / IoQueueWorkItem(Ex): routine parameters, the
// reference held on the device while the item is queued, reuse, bad input.
#include <gtest/gtest.h>

#include "io_test_support.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "test_support.h"
#include "wdm.h"

namespace {

struct Seen {
    PDEVICE_OBJECT device = nullptr;
    PVOID ioObject = nullptr;
    PVOID context = nullptr;
    PIO_WORKITEM item = nullptr;
    KIRQL irql = 0xFF;
    PEPROCESS process = nullptr;
    KEVENT release;
    KEVENT started;
    KEVENT done;
    bool block = false;
    bool freeInRoutine = false;
    Seen() {
        KeInitializeEvent(&release, NotificationEvent, FALSE);
        KeInitializeEvent(&started, NotificationEvent, FALSE);
        KeInitializeEvent(&done, NotificationEvent, FALSE);
    }
};

void Routine(PDEVICE_OBJECT device, PVOID context) {
    auto* s = static_cast<Seen*>(context);
    s->device = device;
    s->context = context;
    s->irql = KeGetCurrentIrql();
    s->process = PsGetCurrentProcess();
    KeSetEvent(&s->started, 0, FALSE);
    if (s->block) KeWaitForSingleObject(&s->release, Executive, KernelMode, FALSE, nullptr);
    KeSetEvent(&s->done, 0, FALSE);
}

void RoutineEx(PVOID ioObject, PVOID context, PIO_WORKITEM item) {
    auto* s = static_cast<Seen*>(context);
    s->ioObject = ioObject;
    s->context = context;
    s->item = item;
    s->irql = KeGetCurrentIrql();
    if (s->freeInRoutine) IoFreeWorkItem(item); // allowed: the kernel copied what it needs
    KeSetEvent(&s->done, 0, FALSE);
}

void Wait(KEVENT* event) {
    ASSERT_EQ(KeWaitForSingleObject(event, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
}

// The work item's reference is dropped after the routine returns, just after `done` is set:
// poll (bounded) for the count to come back.
bool WaitPointerCount(PVOID object, LONG_PTR expected) {
    for (int i = 0; i < 5000; ++i) {
        if (ntsim::ob::PointerCount(object) == expected) return true;
        LARGE_INTEGER ms{};
        ms.QuadPart = -10000;
        KeDelayExecutionThread(KernelMode, FALSE, &ms);
    }
    return false;
}

TEST(WorkItem, AllocateNeedsDevice) {
    EXPECT_EQ(IoAllocateWorkItem(nullptr), nullptr);
    EXPECT_GE(IoSizeofWorkItem(), ULONG(sizeof(WORK_QUEUE_ITEM)));
    IoFreeWorkItem(nullptr); // no-op
}

TEST(WorkItem, QueueRunsRoutineWithDeviceAndContextHoldingReference) {
    iotest::TestDriver driver;
    PDEVICE_OBJECT device = driver.AddDevice(driver.UniqueName(u"WorkItem"));
    ASSERT_NE(device, nullptr);
    PIO_WORKITEM item = IoAllocateWorkItem(device);
    ASSERT_NE(item, nullptr);
    Seen s;
    s.block = true;
    LONG_PTR before = ntsim::ob::PointerCount(device);
    IoQueueWorkItem(item, Routine, DelayedWorkQueue, &s);
    Wait(&s.started);
    EXPECT_EQ(ntsim::ob::PointerCount(device), before + 1); // held while queued/running
    KeSetEvent(&s.release, 0, FALSE);
    Wait(&s.done);
    EXPECT_TRUE(WaitPointerCount(device, before));
    EXPECT_EQ(s.device, device);
    EXPECT_EQ(s.context, &s);
    EXPECT_EQ(s.irql, PASSIVE_LEVEL);
    EXPECT_EQ(s.process, ntsim::ps::SystemProcess());

    // Reusable once it ran.
    Seen again;
    IoQueueWorkItem(item, Routine, CriticalWorkQueue, &again);
    Wait(&again.done);
    EXPECT_EQ(again.device, device);
    EXPECT_TRUE(WaitPointerCount(device, before));
    IoFreeWorkItem(item);
}

TEST(WorkItem, QueueExPassesIoObjectAndItem) {
    iotest::TestDriver driver;
    PDEVICE_OBJECT device = driver.AddDevice(driver.UniqueName(u"WorkItemEx"));
    ASSERT_NE(device, nullptr);
    PIO_WORKITEM item = IoAllocateWorkItem(device);
    ASSERT_NE(item, nullptr);
    Seen s;
    s.freeInRoutine = true;
    LONG_PTR before = ntsim::ob::PointerCount(device);
    IoQueueWorkItemEx(item, RoutineEx, DelayedWorkQueue, &s);
    Wait(&s.done);
    EXPECT_EQ(s.ioObject, device);
    EXPECT_EQ(s.item, item);
    EXPECT_EQ(s.context, &s);
    EXPECT_EQ(s.irql, PASSIVE_LEVEL);
    EXPECT_TRUE(WaitPointerCount(device, before));
}

TEST(WorkItem, InitializeOnCallerStorageWithDriverObject) {
    iotest::TestDriver driver;
    std::vector<unsigned char> storage(IoSizeofWorkItem());
    auto item = reinterpret_cast<PIO_WORKITEM>(storage.data());
    IoInitializeWorkItem(driver.driver(), item);
    Seen s;
    LONG_PTR before = ntsim::ob::PointerCount(driver.driver());
    IoQueueWorkItemEx(item, RoutineEx, CriticalWorkQueue, &s);
    Wait(&s.done);
    EXPECT_EQ(s.ioObject, driver.driver());
    EXPECT_EQ(s.item, item);
    EXPECT_TRUE(WaitPointerCount(driver.driver(), before));
    IoUninitializeWorkItem(item);
}

TEST(WorkItem, DoubleQueueIsRefusedAndLogged) {
    iotest::TestDriver driver;
    PDEVICE_OBJECT device = driver.AddDevice(driver.UniqueName(u"WorkItem2"));
    ASSERT_NE(device, nullptr);
    PIO_WORKITEM item = IoAllocateWorkItem(device);
    Seen s;
    s.block = true;
    LONG_PTR before = ntsim::ob::PointerCount(device);
    IoQueueWorkItem(item, Routine, DelayedWorkQueue, &s);
    Wait(&s.started);
    // Running (no longer queued): may be queued again; queue it while blocked, then again.
    Seen second;
    second.block = false;
    IoQueueWorkItem(item, Routine, DelayedWorkQueue, &second);
    IoQueueWorkItem(item, Routine, DelayedWorkQueue, &second); // already queued: refused
    EXPECT_EQ(ntsim::ob::PointerCount(device), before + 2);
    KeSetEvent(&s.release, 0, FALSE);
    Wait(&second.done);
    EXPECT_TRUE(WaitPointerCount(device, before));
    IoFreeWorkItem(item);
}

} // namespace
