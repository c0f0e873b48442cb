#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include "ke_test_util.h"

using ke_test::WaitForWaiters;
using ke_test::Zero;

TEST(KeEvent, InitializeSetsHeader) {
    KEVENT e;
    memset(&e, 0xcc, sizeof(e));
    KeInitializeEvent(&e, NotificationEvent, TRUE);
    EXPECT_EQ(e.Header.Type, EventNotificationObject);
    EXPECT_EQ(e.Header.Size, sizeof(KEVENT) / 4);
    EXPECT_EQ(e.Header.SignalState, 1);
    EXPECT_EQ(e.Header.WaitListHead.Flink, &e.Header.WaitListHead);
    EXPECT_EQ(e.Header.WaitListHead.Blink, &e.Header.WaitListHead);
    KeInitializeEvent(&e, SynchronizationEvent, FALSE);
    EXPECT_EQ(e.Header.Type, EventSynchronizationObject);
    EXPECT_EQ(KeReadStateEvent(&e), 0);
}

TEST(KeEvent, SetResetClearReturnPreviousState) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, FALSE);
    EXPECT_EQ(KeSetEvent(&e, 0, FALSE), 0);
    EXPECT_EQ(KeSetEvent(&e, 0, FALSE), 1);
    EXPECT_EQ(KeReadStateEvent(&e), 1);
    EXPECT_EQ(KeResetEvent(&e), 1);
    EXPECT_EQ(KeResetEvent(&e), 0);
    KeSetEvent(&e, 0, FALSE);
    KeClearEvent(&e);
    EXPECT_EQ(KeReadStateEvent(&e), 0);
}

TEST(KeEvent, NotificationEventStaysSignalled) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, FALSE);
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &zero), STATUS_TIMEOUT);
    KeSetEvent(&e, 0, FALSE);
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &zero), STATUS_SUCCESS);
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateEvent(&e), 1);
}

TEST(KeEvent, SynchronizationEventAutoResets) {
    KEVENT e;
    KeInitializeEvent(&e, SynchronizationEvent, TRUE);
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &zero), STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateEvent(&e), 0);
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &zero), STATUS_TIMEOUT);
}

TEST(KeEvent, NotificationEventReleasesAllWaiters) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, FALSE);
    std::atomic<int> released{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 3; ++i)
        threads.emplace_back([&] {
            if (KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, nullptr) == STATUS_SUCCESS)
                ++released;
        });
    ASSERT_TRUE(WaitForWaiters(&e, 3));
    EXPECT_EQ(KeSetEvent(&e, 0, FALSE), 0);
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(released, 3);
    EXPECT_EQ(KeReadStateEvent(&e), 1);
    EXPECT_EQ(ntsim::ke::WaiterCount(&e.Header), 0u);
}

TEST(KeEvent, SynchronizationEventReleasesExactlyOneWaiter) {
    KEVENT e;
    KeInitializeEvent(&e, SynchronizationEvent, FALSE);
    std::atomic<int> released{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i)
        threads.emplace_back([&] {
            if (KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, nullptr) == STATUS_SUCCESS)
                ++released;
        });
    ASSERT_TRUE(WaitForWaiters(&e, 2));
    KeSetEvent(&e, 0, FALSE);
    // The waiter was satisfied on its behalf: the event never shows as signalled.
    EXPECT_EQ(KeReadStateEvent(&e), 0);
    // Exactly one waiter was dequeued (synchronously, inside KeSetEvent); one is still queued.
    EXPECT_EQ(ntsim::ke::WaiterCount(&e.Header), 1u);
    KeSetEvent(&e, 0, FALSE);
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(released, 2);
    EXPECT_EQ(KeReadStateEvent(&e), 0);
}

TEST(KeEvent, SynchronizationEventSetWithoutWaiterStaysSignalledUntilConsumed) {
    KEVENT e;
    KeInitializeEvent(&e, SynchronizationEvent, FALSE);
    KeSetEvent(&e, 0, FALSE);
    EXPECT_EQ(KeReadStateEvent(&e), 1);
    NTSTATUS status = STATUS_PENDING;
    std::thread([&] {
        status = KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, nullptr);
    }).join();
    EXPECT_EQ(status, STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateEvent(&e), 0);
}

TEST(KeEvent, PulseReleasesWaitersAndResets) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, FALSE);
    EXPECT_EQ(KePulseEvent(&e, 0, FALSE), 0); // nobody waiting: nothing remains signalled
    EXPECT_EQ(KeReadStateEvent(&e), 0);
    NTSTATUS status = STATUS_PENDING;
    std::thread waiter(
        [&] { status = KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, nullptr); });
    ASSERT_TRUE(WaitForWaiters(&e, 1));
    EXPECT_EQ(KePulseEvent(&e, 0, FALSE), 0);
    waiter.join();
    EXPECT_EQ(status, STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateEvent(&e), 0);
    KeSetEvent(&e, 0, FALSE);
    EXPECT_EQ(KePulseEvent(&e, 0, FALSE), 1);
    EXPECT_EQ(KeReadStateEvent(&e), 0);
}

TEST(KeEvent, SetWithWaitTrueStaysAtDispatchUntilTheNextWait) {
    KEVENT e, other;
    KeInitializeEvent(&e, NotificationEvent, FALSE);
    KeInitializeEvent(&other, NotificationEvent, TRUE);
    KeSetEvent(&e, 0, TRUE);
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    // The wait that follows is legal (it runs at the caller's original IRQL) and returns there.
    EXPECT_EQ(KeWaitForSingleObject(&other, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}
