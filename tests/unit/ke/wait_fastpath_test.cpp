// The lock-free path of KeWaitForSingleObject (a signalled notification event) must behave
// exactly like the wait engine: same results, same IRQL rules, the Wait = TRUE hand-off, and no
// effect on objects whose wait has a side effect.
#include <atomic>
#include <thread>

#include "ke_test_util.h"

using namespace ke_test;

TEST(KeWaitFastPath, SignalledNotificationEventStaysSignalled) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, TRUE);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, TRUE, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateEvent(&e), 1);
    KeClearEvent(&e);
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &zero), STATUS_TIMEOUT);
}

TEST(KeWaitFastPath, SynchronizationEventIsStillConsumed) {
    KEVENT e;
    KeInitializeEvent(&e, SynchronizationEvent, TRUE);
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &zero), STATUS_SUCCESS);
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &zero), STATUS_TIMEOUT);
    EXPECT_EQ(KeReadStateEvent(&e), 0);
}

TEST(KeWaitFastPath, PulseLeavesTheEventReset) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, FALSE);
    EXPECT_EQ(KePulseEvent(&e, 0, FALSE), 0);
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &zero), STATUS_TIMEOUT);
}

TEST(KeWaitFastPath, WaitTrueHandOffEndsAtTheSignalledWait) {
    KEVENT signalled, other;
    KeInitializeEvent(&signalled, NotificationEvent, TRUE);
    KeInitializeEvent(&other, NotificationEvent, FALSE);
    ASSERT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    KeSetEvent(&other, 0, TRUE); // stays at DISPATCH_LEVEL until the next wait
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    // An infinite wait is allowed here: the hand-off drops back to PASSIVE_LEVEL first.
    EXPECT_EQ(KeWaitForSingleObject(&signalled, Executive, KernelMode, FALSE, nullptr),
              STATUS_SUCCESS);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(KeWaitFastPath, PollAtDispatchSucceedsButASignalledObjectDoesNotExcuseAnInfiniteWait) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, TRUE);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &zero), STATUS_SUCCESS);
    ExpectBugCheck(0xA, [&] { KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, nullptr); });
    KeLowerIrql(old);
}

// Ping-pong through two notification events: each side waits (often on the lock-free path),
// resets its own event and sets the other's. A missed or stale state would hang the wait (the
// bounded timeout turns that into a failure) or break the strict alternation.
TEST(KeWaitFastPath, SetAndResetAreSeenAcrossThreads) {
    KEVENT ping, pong;
    KeInitializeEvent(&ping, NotificationEvent, FALSE);
    KeInitializeEvent(&pong, NotificationEvent, FALSE);
    constexpr int kRounds = 2000;
    std::atomic<int> turn{0};
    std::atomic<int> failures{0};
    std::thread other([&] {
        LARGE_INTEGER timeout = Relative(20000);
        for (int i = 0; i < kRounds; ++i) {
            if (KeWaitForSingleObject(&ping, Executive, KernelMode, FALSE, &timeout) !=
                STATUS_SUCCESS) {
                ++failures;
                return;
            }
            KeClearEvent(&ping);
            if (turn.load() != 2 * i + 1) ++failures;
            turn.store(2 * i + 2);
            KeSetEvent(&pong, 0, FALSE);
        }
    });
    LARGE_INTEGER timeout = Relative(20000);
    for (int i = 0; i < kRounds && failures == 0; ++i) {
        if (turn.load() != 2 * i) ++failures;
        turn.store(2 * i + 1);
        KeSetEvent(&ping, 0, FALSE);
        if (KeWaitForSingleObject(&pong, Executive, KernelMode, FALSE, &timeout) !=
            STATUS_SUCCESS) {
            ++failures;
            break;
        }
        KeClearEvent(&pong);
    }
    other.join();
    EXPECT_EQ(failures, 0);
    EXPECT_EQ(turn.load(), 2 * kRounds);
}
