#include <chrono>
#include <thread>

#include "ke_test_util.h"

using ke_test::ExpectBugCheck;
using ke_test::Relative;
using ke_test::WaitForWaiters;
using ke_test::Zero;

namespace {
struct Events {
    KEVENT e[3];
    PVOID objects[3];
    explicit Events(EVENT_TYPE type) {
        for (int i = 0; i < 3; ++i) {
            KeInitializeEvent(&e[i], type, FALSE);
            objects[i] = &e[i];
        }
    }
};
} // namespace

TEST(KeWait, WaitAnyReturnsLowestSignalledIndex) {
    Events ev(SynchronizationEvent);
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(KeWaitForMultipleObjects(3, ev.objects, WaitAny, Executive, KernelMode, FALSE, &zero,
                                       nullptr),
              STATUS_TIMEOUT);
    KeSetEvent(&ev.e[2], 0, FALSE);
    KeSetEvent(&ev.e[1], 0, FALSE);
    EXPECT_EQ(KeWaitForMultipleObjects(3, ev.objects, WaitAny, Executive, KernelMode, FALSE,
                                       nullptr, nullptr),
              STATUS_WAIT_0 + 1);
    // Only the satisfying object is consumed.
    EXPECT_EQ(KeReadStateEvent(&ev.e[1]), 0);
    EXPECT_EQ(KeReadStateEvent(&ev.e[2]), 1);
    EXPECT_EQ(KeWaitForMultipleObjects(3, ev.objects, WaitAny, Executive, KernelMode, FALSE,
                                       nullptr, nullptr),
              STATUS_WAIT_0 + 2);
}

TEST(KeWait, WaitAnyWakesWithTheSignalledIndex) {
    Events ev(NotificationEvent);
    NTSTATUS status = STATUS_PENDING;
    std::thread waiter([&] {
        status = KeWaitForMultipleObjects(3, ev.objects, WaitAny, Executive, KernelMode, FALSE,
                                          nullptr, nullptr);
    });
    ASSERT_TRUE(WaitForWaiters(&ev.e[2], 1));
    KeSetEvent(&ev.e[2], 0, FALSE);
    waiter.join();
    EXPECT_EQ(status, STATUS_WAIT_0 + 2);
    for (auto& e : ev.e)
        EXPECT_EQ(ntsim::ke::WaiterCount(&e.Header), 0u);
}

TEST(KeWait, WaitAllIsSatisfiedOnlyWhenAllAreSignalled) {
    Events ev(SynchronizationEvent);
    LARGE_INTEGER zero = Zero();
    KeSetEvent(&ev.e[0], 0, FALSE);
    KeSetEvent(&ev.e[1], 0, FALSE);
    EXPECT_EQ(KeWaitForMultipleObjects(3, ev.objects, WaitAll, Executive, KernelMode, FALSE, &zero,
                                       nullptr),
              STATUS_TIMEOUT);
    // A failed WaitAll consumes nothing.
    EXPECT_EQ(KeReadStateEvent(&ev.e[0]), 1);
    EXPECT_EQ(KeReadStateEvent(&ev.e[1]), 1);
    KeSetEvent(&ev.e[2], 0, FALSE);
    EXPECT_EQ(KeWaitForMultipleObjects(3, ev.objects, WaitAll, Executive, KernelMode, FALSE, &zero,
                                       nullptr),
              STATUS_SUCCESS);
    for (auto& e : ev.e)
        EXPECT_EQ(KeReadStateEvent(&e), 0);
}

// Thread A waits for all of {E0, E1}; thread B waits for E0 alone. Signalling E0 while E1 is
// clear must go to B (A may not take E0 partially); A only wakes when both are signalled at
// the same time, and then consumes both.
TEST(KeWait, WaitAllIsAtomicAgainstAnotherWaiter) {
    Events ev(SynchronizationEvent);
    NTSTATUS a = STATUS_PENDING, b = STATUS_PENDING;
    std::thread ta([&] {
        a = KeWaitForMultipleObjects(2, ev.objects, WaitAll, Executive, KernelMode, FALSE, nullptr,
                                     nullptr);
    });
    ASSERT_TRUE(WaitForWaiters(&ev.e[0], 1));
    std::thread tb(
        [&] { b = KeWaitForSingleObject(&ev.e[0], Executive, KernelMode, FALSE, nullptr); });
    ASSERT_TRUE(WaitForWaiters(&ev.e[0], 2));

    KeSetEvent(&ev.e[0], 0, FALSE);
    tb.join();
    EXPECT_EQ(b, STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateEvent(&ev.e[0]), 0);
    EXPECT_EQ(ntsim::ke::WaiterCount(&ev.e[0].Header), 1u); // A still waits

    KeSetEvent(&ev.e[1], 0, FALSE);
    EXPECT_EQ(KeReadStateEvent(&ev.e[1]), 1); // A cannot take E1 alone either
    EXPECT_EQ(ntsim::ke::WaiterCount(&ev.e[1].Header), 1u);

    KeSetEvent(&ev.e[0], 0, FALSE);
    ta.join();
    EXPECT_EQ(a, STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateEvent(&ev.e[0]), 0);
    EXPECT_EQ(KeReadStateEvent(&ev.e[1]), 0);
}

TEST(KeWait, WaitAllWithMutexAndSemaphore) {
    KMUTEX m;
    KSEMAPHORE s;
    KeInitializeMutex(&m, 0);
    KeInitializeSemaphore(&s, 1, 1);
    PVOID objects[2] = {&m, &s};
    EXPECT_EQ(KeWaitForMultipleObjects(2, objects, WaitAll, Executive, KernelMode, FALSE, nullptr,
                                       nullptr),
              STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateMutex(&m), 0);
    EXPECT_EQ(KeReadStateSemaphore(&s), 0);
    KeReleaseMutex(&m, FALSE);
    KeReleaseSemaphore(&s, 0, 1, FALSE);
}

TEST(KeWait, MoreThanThreeObjectsNeedAWaitBlockArray) {
    KEVENT e[5];
    PVOID objects[5];
    for (int i = 0; i < 5; ++i) {
        KeInitializeEvent(&e[i], NotificationEvent, i == 4);
        objects[i] = &e[i];
    }
    ExpectBugCheck(0xC, [&] {
        KeWaitForMultipleObjects(4, objects, WaitAny, Executive, KernelMode, FALSE, nullptr,
                                 nullptr);
    });
    KWAIT_BLOCK blocks[5];
    EXPECT_EQ(KeWaitForMultipleObjects(5, objects, WaitAny, Executive, KernelMode, FALSE, nullptr,
                                       blocks),
              STATUS_WAIT_0 + 4);
}

TEST(KeWait, MoreThanMaximumWaitObjectsBugChecks0xC) {
    static KWAIT_BLOCK blocks[MAXIMUM_WAIT_OBJECTS + 1];
    static PVOID objects[MAXIMUM_WAIT_OBJECTS + 1];
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, TRUE);
    for (auto& o : objects)
        o = &e;
    ExpectBugCheck(0xC, [&] {
        KeWaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, objects, WaitAny, Executive, KernelMode,
                                 FALSE, nullptr, blocks);
    });
    EXPECT_EQ(KeWaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, objects, WaitAny, Executive,
                                       KernelMode, FALSE, nullptr, blocks),
              STATUS_SUCCESS);
}

TEST(KeWait, InvalidWaitTypeIsRejected) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, TRUE);
    PVOID objects[1] = {&e};
    EXPECT_EQ(KeWaitForMultipleObjects(1, objects, WaitNotification, Executive, KernelMode, FALSE,
                                       nullptr, nullptr),
              STATUS_INVALID_PARAMETER);
}

TEST(KeWait, RelativeTimeoutExpires) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, FALSE);
    LARGE_INTEGER timeout = Relative(50);
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &timeout), STATUS_TIMEOUT);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(45));
    EXPECT_EQ(ntsim::ke::WaiterCount(&e.Header), 0u); // the wait block was dequeued
}

TEST(KeWait, AbsoluteTimeoutExpires) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, FALSE);
    LARGE_INTEGER timeout;
    KeQuerySystemTime(&timeout);
    timeout.QuadPart += 50 * 10000; // 50 ms from now
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &timeout), STATUS_TIMEOUT);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(40));
}

TEST(KeWait, AbsoluteTimeoutInThePastExpiresAtOnce) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, FALSE);
    LARGE_INTEGER past;
    past.QuadPart = 1; // 1601
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &past), STATUS_TIMEOUT);
}

TEST(KeWait, SignalledObjectBeatsTimeout) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, FALSE);
    NTSTATUS status = STATUS_PENDING;
    std::thread waiter([&] {
        LARGE_INTEGER timeout = Relative(60000);
        status = KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &timeout);
    });
    ASSERT_TRUE(WaitForWaiters(&e, 1));
    KeSetEvent(&e, 0, FALSE);
    waiter.join();
    EXPECT_EQ(status, STATUS_SUCCESS);
}

TEST(KeWait, NonZeroWaitAtDispatchBugChecks0xA) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, TRUE); // even a signalled object
    KIRQL old = KeRaiseIrqlToDpcLevel();
    auto infinite = ExpectBugCheck(
        0xA, [&] { KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, nullptr); });
    EXPECT_EQ(infinite.p1, reinterpret_cast<ULONG_PTR>(&e));
    EXPECT_EQ(infinite.p2, ULONG_PTR(DISPATCH_LEVEL));
    EXPECT_EQ(infinite.p3, 0u);
    EXPECT_NE(infinite.p4, 0u); // the caller's address
    LARGE_INTEGER timeout = Relative(10);
    ExpectBugCheck(0xA, [&] { KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &timeout); });
    // A zero timeout (poll) is the one wait allowed at DISPATCH_LEVEL.
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, &zero), STATUS_SUCCESS);
    KeLowerIrql(old);
}

TEST(KeWait, WaitAtApcLevelIsAllowed) {
    KEVENT e;
    KeInitializeEvent(&e, NotificationEvent, TRUE);
    KIRQL old = KfRaiseIrql(APC_LEVEL);
    EXPECT_EQ(KeWaitForSingleObject(&e, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    KeLowerIrql(old);
}

TEST(KeWait, ThreadAndProcessObjectsSignalOnExit) {
    // What Ps does with the DISPATCHER_HEADER at the start of KTHREAD/KPROCESS.
    DISPATCHER_HEADER thread, process;
    ntsim::ke::InitializeDispatcherHeader(&thread, ThreadObject, 0);
    ntsim::ke::InitializeDispatcherHeader(&process, ProcessObject, 0);
    EXPECT_EQ(thread.Type, ThreadObject);
    EXPECT_EQ(process.Type, ProcessObject);
    PVOID objects[2] = {&thread, &process};
    NTSTATUS status = STATUS_PENDING;
    std::thread waiter([&] {
        status = KeWaitForMultipleObjects(2, objects, WaitAll, Executive, KernelMode, FALSE,
                                          nullptr, nullptr);
    });
    ASSERT_TRUE(WaitForWaiters(&process, 1));
    ntsim::ke::SignalObject(&thread, 1);
    EXPECT_EQ(ntsim::ke::WaiterCount(&thread), 1u);
    ntsim::ke::SignalObject(&process, 1);
    waiter.join();
    EXPECT_EQ(status, STATUS_SUCCESS);
    // Exited threads/processes stay signalled for every later waiter.
    EXPECT_EQ(KeWaitForSingleObject(&thread, Executive, KernelMode, FALSE, nullptr),
              STATUS_SUCCESS);
    EXPECT_EQ(thread.SignalState, 1);
}

TEST(KeDelay, RelativeDelayWaitsAndSucceeds) {
    LARGE_INTEGER interval = Relative(30);
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(KeDelayExecutionThread(KernelMode, FALSE, &interval), STATUS_SUCCESS);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(25));
}

TEST(KeDelay, AbsoluteAndZeroDelaysSucceed) {
    LARGE_INTEGER when;
    KeQuerySystemTime(&when);
    when.QuadPart += 20 * 10000;
    EXPECT_EQ(KeDelayExecutionThread(KernelMode, FALSE, &when), STATUS_SUCCESS);
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(KeDelayExecutionThread(KernelMode, FALSE, &zero), STATUS_SUCCESS);
}

TEST(KeDelay, DelayAtDispatchBugChecks0xA) {
    KIRQL old = KeRaiseIrqlToDpcLevel();
    LARGE_INTEGER interval = Relative(1);
    auto e = ExpectBugCheck(0xA, [&] { KeDelayExecutionThread(KernelMode, FALSE, &interval); });
    EXPECT_EQ(e.p2, ULONG_PTR(DISPATCH_LEVEL));
    KeLowerIrql(old);
}
