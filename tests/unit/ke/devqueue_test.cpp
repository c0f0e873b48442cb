#include <cstring>

#include "ke_test_util.h"

using ke_test::ExpectBugCheck;

namespace {
// What the I/O manager does around these calls: it is at DISPATCH_LEVEL.
struct AtDispatch {
    KIRQL old = KeRaiseIrqlToDpcLevel();
    ~AtDispatch() { KeLowerIrql(old); }
};
} // namespace

TEST(KeDeviceQueue, Initialize) {
    KDEVICE_QUEUE q;
    memset(&q, 0xcc, sizeof(q));
    KeInitializeDeviceQueue(&q);
    EXPECT_EQ(q.Type, DeviceQueueObject);
    EXPECT_EQ(q.Size, CSHORT(sizeof(KDEVICE_QUEUE)));
    EXPECT_EQ(q.DeviceListHead.Flink, &q.DeviceListHead);
    EXPECT_EQ(q.Lock, 0u);
    EXPECT_FALSE(q.Busy);
}

TEST(KeDeviceQueue, InsertIntoIdleQueueMakesItBusyWithoutQueuing) {
    KDEVICE_QUEUE q;
    KeInitializeDeviceQueue(&q);
    KDEVICE_QUEUE_ENTRY a{}, b{}, c{};
    AtDispatch irql;
    EXPECT_FALSE(KeInsertDeviceQueue(&q, &a)); // caller starts `a` itself
    EXPECT_TRUE(q.Busy);
    EXPECT_FALSE(a.Inserted);
    EXPECT_TRUE(KeInsertDeviceQueue(&q, &b));
    EXPECT_TRUE(KeInsertDeviceQueue(&q, &c));
    EXPECT_TRUE(b.Inserted);
    EXPECT_EQ(KeRemoveDeviceQueue(&q), &b); // FIFO
    EXPECT_FALSE(b.Inserted);
    EXPECT_EQ(KeRemoveDeviceQueue(&q), &c);
    EXPECT_TRUE(q.Busy);
    EXPECT_EQ(KeRemoveDeviceQueue(&q), nullptr); // empty: the device goes idle
    EXPECT_FALSE(q.Busy);
    EXPECT_EQ(q.Lock, 0u);
}

TEST(KeDeviceQueue, RemoveFromIdleQueueBugChecks0x2) {
    KDEVICE_QUEUE q;
    KeInitializeDeviceQueue(&q);
    AtDispatch irql;
    ExpectBugCheck(0x2, [&] { KeRemoveDeviceQueue(&q); });
    ExpectBugCheck(0x2, [&] { KeRemoveByKeyDeviceQueue(&q, 0); });
    EXPECT_EQ(KeRemoveByKeyDeviceQueueIfBusy(&q, 0), nullptr);
    EXPECT_EQ(q.Lock, 0u); // the queue lock was released on the way out
}

TEST(KeDeviceQueue, ByKeyOrderingAndRemoval) {
    KDEVICE_QUEUE q;
    KeInitializeDeviceQueue(&q);
    KDEVICE_QUEUE_ENTRY first{}, k30{}, k10{}, k20{}, k20b{};
    AtDispatch irql;
    EXPECT_FALSE(KeInsertByKeyDeviceQueue(&q, &first, 99));
    EXPECT_EQ(first.SortKey, 99u);
    EXPECT_TRUE(KeInsertByKeyDeviceQueue(&q, &k30, 30));
    EXPECT_TRUE(KeInsertByKeyDeviceQueue(&q, &k10, 10));
    EXPECT_TRUE(KeInsertByKeyDeviceQueue(&q, &k20, 20));
    EXPECT_TRUE(KeInsertByKeyDeviceQueue(&q, &k20b, 20)); // after the equal key
    // Queue is now 10, 20, 20b, 30.
    EXPECT_EQ(KeRemoveByKeyDeviceQueue(&q, 15), &k20); // first key >= 15
    EXPECT_EQ(KeRemoveByKeyDeviceQueue(&q, 40), &k10); // none >= 40: wraps to the head
    EXPECT_EQ(KeRemoveByKeyDeviceQueueIfBusy(&q, 20), &k20b);
    EXPECT_EQ(KeRemoveDeviceQueue(&q), &k30);
    EXPECT_EQ(KeRemoveByKeyDeviceQueue(&q, 0), nullptr);
    EXPECT_FALSE(q.Busy);
}

TEST(KeDeviceQueue, RemoveEntry) {
    KDEVICE_QUEUE q;
    KeInitializeDeviceQueue(&q);
    KDEVICE_QUEUE_ENTRY a{}, b{}, c{};
    {
        AtDispatch irql;
        KeInsertDeviceQueue(&q, &a);
        KeInsertDeviceQueue(&q, &b);
        KeInsertDeviceQueue(&q, &c);
    }
    // Callable at PASSIVE_LEVEL; returns to the caller's IRQL.
    EXPECT_TRUE(KeRemoveEntryDeviceQueue(&q, &b));
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    EXPECT_FALSE(b.Inserted);
    EXPECT_FALSE(KeRemoveEntryDeviceQueue(&q, &b)); // not queued any more
    EXPECT_FALSE(KeRemoveEntryDeviceQueue(&q, &a)); // never queued (started directly)
    AtDispatch irql;
    EXPECT_EQ(KeRemoveDeviceQueue(&q), &c);
    EXPECT_EQ(KeRemoveDeviceQueue(&q), nullptr);
}
