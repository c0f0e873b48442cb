// Timers: dispatcher objects signalled at their due time (relative or absolute), periodic
// re-arming, cancel/re-set return values, synchronization timers releasing one waiter, timer
// DPCs. Never asserts an upper bound on timing.
#include <atomic>
#include <thread>

#include "ke_test_util.h"

using ke_test::Relative;
using ke_test::WaitForWaiters;
using ke_test::Zero;

namespace {

NTSTATUS WaitFor(PVOID object, LONGLONG ms) {
    LARGE_INTEGER timeout = Relative(ms);
    return KeWaitForSingleObject(object, Executive, KernelMode, FALSE, &timeout);
}

NTSTATUS Poll(PVOID object) {
    LARGE_INTEGER zero = Zero();
    return KeWaitForSingleObject(object, Executive, KernelMode, FALSE, &zero);
}

LARGE_INTEGER Due(LONGLONG value) {
    LARGE_INTEGER d;
    d.QuadPart = value;
    return d;
}

} // namespace

TEST(KeTimer, InitializeSetsTheHeader) {
    KTIMER timer;
    memset(&timer, 0xCC, sizeof(timer));
    KeInitializeTimer(&timer);
    EXPECT_EQ(timer.Header.Type, TimerNotificationObject);
    EXPECT_EQ(timer.Header.SignalState, 0);
    EXPECT_EQ(timer.Header.Inserted, 0);
    EXPECT_EQ(timer.Header.Absolute, 0);
    EXPECT_EQ(timer.Dpc, nullptr);
    EXPECT_EQ(timer.Period, 0u);
    EXPECT_EQ(ntsim::ke::WaiterCount(&timer.Header), 0u);
    EXPECT_FALSE(KeReadStateTimer(&timer));
    KeInitializeTimerEx(&timer, SynchronizationTimer);
    EXPECT_EQ(timer.Header.Type, TimerSynchronizationObject);
    KeInitializeTimerEx(&timer, NotificationTimer);
    EXPECT_EQ(timer.Header.Type, TimerNotificationObject);
}

TEST(KeTimer, RelativeTimerSignalsAndStaysSignalled) {
    KTIMER timer;
    KeInitializeTimer(&timer);
    EXPECT_FALSE(KeSetTimer(&timer, Due(-20 * 10000), nullptr));
    EXPECT_EQ(timer.Header.Inserted, 1);
    EXPECT_EQ(WaitFor(&timer, 20000), STATUS_SUCCESS);
    EXPECT_TRUE(KeReadStateTimer(&timer));
    EXPECT_EQ(timer.Header.Inserted, 0);
    EXPECT_EQ(Poll(&timer), STATUS_SUCCESS); // notification: still signalled
    EXPECT_FALSE(KeCancelTimer(&timer));     // no longer queued
    EXPECT_TRUE(KeReadStateTimer(&timer));   // cancel keeps the state
}

TEST(KeTimer, AbsoluteTimer) {
    KTIMER timer;
    KeInitializeTimer(&timer);
    LARGE_INTEGER now;
    KeQuerySystemTime(&now);
    EXPECT_FALSE(KeSetTimer(&timer, Due(now.QuadPart + 20 * 10000), nullptr));
    EXPECT_EQ(timer.Header.Absolute, 1);
    EXPECT_EQ(WaitFor(&timer, 20000), STATUS_SUCCESS);
    LARGE_INTEGER after;
    KeQuerySystemTime(&after);
    EXPECT_GE(after.QuadPart, now.QuadPart + 20 * 10000);
}

TEST(KeTimer, DueTimeInThePastSignalsAtOnce) {
    KTIMER timer;
    KeInitializeTimer(&timer);
    LARGE_INTEGER now;
    KeQuerySystemTime(&now);
    EXPECT_FALSE(KeSetTimer(&timer, Due(now.QuadPart - 10000000), nullptr));
    EXPECT_TRUE(KeReadStateTimer(&timer));
    EXPECT_EQ(timer.Header.Inserted, 0);
    KeInitializeTimer(&timer);
    KeSetTimer(&timer, Due(0), nullptr); // relative zero
    EXPECT_TRUE(KeReadStateTimer(&timer));
}

TEST(KeTimer, RelativeDueTimeIsRespected) {
    KTIMER timer;
    KeInitializeTimer(&timer);
    ULONGLONG start = KeQueryInterruptTime();
    KeSetTimer(&timer, Due(-30 * 10000), nullptr);
    EXPECT_EQ(WaitFor(&timer, 20000), STATUS_SUCCESS);
    EXPECT_GE(KeQueryInterruptTime() - start, ULONGLONG(30 * 10000));
}

TEST(KeTimer, CancelAndReset) {
    KTIMER timer;
    KeInitializeTimer(&timer);
    EXPECT_FALSE(KeCancelTimer(&timer));                        // never set
    EXPECT_FALSE(KeSetTimer(&timer, Due(-100000000), nullptr)); // 10 s
    EXPECT_TRUE(KeSetTimer(&timer, Due(-100000000), nullptr));  // re-set: was queued
    EXPECT_TRUE(KeCancelTimer(&timer));
    EXPECT_FALSE(KeCancelTimer(&timer)); // double cancel
    EXPECT_FALSE(KeReadStateTimer(&timer));
    EXPECT_EQ(Poll(&timer), STATUS_TIMEOUT);
}

TEST(KeTimer, SettingResetsTheSignalState) {
    KTIMER timer;
    KeInitializeTimer(&timer);
    KeSetTimer(&timer, Due(0), nullptr);
    EXPECT_TRUE(KeReadStateTimer(&timer));
    EXPECT_FALSE(KeSetTimer(&timer, Due(-100000000), nullptr));
    EXPECT_FALSE(KeReadStateTimer(&timer));
    EXPECT_TRUE(KeCancelTimer(&timer));
}

TEST(KeTimer, WaitingThreadIsReleasedByExpiry) {
    KTIMER timer;
    KeInitializeTimer(&timer);
    std::atomic<NTSTATUS> result{STATUS_PENDING};
    std::thread waiter(
        [&] { result = KeWaitForSingleObject(&timer, Executive, KernelMode, FALSE, nullptr); });
    ASSERT_TRUE(WaitForWaiters(&timer, 1));
    KeSetTimer(&timer, Due(-5 * 10000), nullptr);
    waiter.join();
    EXPECT_EQ(result, STATUS_SUCCESS);
}

TEST(KeTimer, SynchronizationTimerReleasesOneWaiterAndResets) {
    KTIMER timer;
    KeInitializeTimerEx(&timer, SynchronizationTimer);
    std::atomic<int> released{0};
    auto wait = [&] {
        if (KeWaitForSingleObject(&timer, Executive, KernelMode, FALSE, nullptr) == STATUS_SUCCESS)
            ++released;
    };
    std::thread a(wait), b(wait);
    ASSERT_TRUE(WaitForWaiters(&timer, 2));
    KeSetTimer(&timer, Due(-5 * 10000), nullptr);
    ASSERT_TRUE(WaitForWaiters(&timer, 1));
    for (int i = 0; i < 2000 && released < 1; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    EXPECT_EQ(released, 1);
    EXPECT_FALSE(KeReadStateTimer(&timer)); // consumed by the waiter it released
    KeSetTimer(&timer, Due(0), nullptr);    // releases the other one
    a.join();
    b.join();
    EXPECT_EQ(released, 2);
    EXPECT_FALSE(KeReadStateTimer(&timer));
}

TEST(KeTimer, SynchronizationTimerWithoutWaiterStaysSignalledUntilAWait) {
    KTIMER timer;
    KeInitializeTimerEx(&timer, SynchronizationTimer);
    KeSetTimer(&timer, Due(0), nullptr);
    EXPECT_TRUE(KeReadStateTimer(&timer));
    EXPECT_EQ(Poll(&timer), STATUS_SUCCESS);
    EXPECT_FALSE(KeReadStateTimer(&timer));
    EXPECT_EQ(Poll(&timer), STATUS_TIMEOUT);
}

namespace {
struct TimerDpcRecord {
    std::atomic<int> runs{0};
    KIRQL irql = 0xFF;
    ULONG cpu = 0xFFFFFFFF;
    LONGLONG expiry = 0;
    KEVENT done;
    TimerDpcRecord() { KeInitializeEvent(&done, NotificationEvent, FALSE); }
};
void TimerDpc(PKDPC, PVOID context, PVOID arg1, PVOID arg2) {
    auto* r = static_cast<TimerDpcRecord*>(context);
    r->irql = KeGetCurrentIrql();
    r->cpu = KeGetCurrentProcessorNumber();
    LARGE_INTEGER t;
    t.LowPart = ULONG(reinterpret_cast<ULONG_PTR>(arg1));
    t.HighPart = LONG(reinterpret_cast<ULONG_PTR>(arg2));
    r->expiry = t.QuadPart;
    if (++r->runs >= 3) KeSetEvent(&r->done, 0, FALSE);
}
} // namespace

TEST(KeTimer, TimerDpcRunsAtDispatchOnItsTargetWithTheExpiryTime) {
    TimerDpcRecord r;
    r.runs = 2; // the first run sets `done`
    KDPC dpc;
    KeInitializeDpc(&dpc, TimerDpc, &r);
    KeSetTargetProcessorDpc(&dpc, CCHAR(KeNumberProcessors - 1));
    KTIMER timer;
    KeInitializeTimer(&timer);
    LARGE_INTEGER before;
    KeQuerySystemTime(&before);
    KeSetTimer(&timer, Due(-10 * 10000), &dpc);
    EXPECT_EQ(timer.Dpc, &dpc);
    EXPECT_EQ(WaitFor(&r.done, 20000), STATUS_SUCCESS);
    KeFlushQueuedDpcs();
    EXPECT_EQ(r.runs, 3);
    EXPECT_EQ(r.irql, DISPATCH_LEVEL);
    EXPECT_EQ(r.cpu, ULONG(KeNumberProcessors - 1));
    EXPECT_GE(r.expiry, before.QuadPart);
    EXPECT_TRUE(KeReadStateTimer(&timer)); // the timer is signalled too
}

TEST(KeTimer, PeriodicTimerRepeatsUntilCancelled) {
    TimerDpcRecord r;
    KDPC dpc;
    KeInitializeDpc(&dpc, TimerDpc, &r);
    KTIMER timer;
    KeInitializeTimerEx(&timer, SynchronizationTimer);
    EXPECT_FALSE(KeSetTimerEx(&timer, Due(-1 * 10000), 5, &dpc));
    EXPECT_EQ(timer.Period, 5u);
    EXPECT_EQ(WaitFor(&r.done, 20000), STATUS_SUCCESS); // three expiries
    EXPECT_EQ(WaitFor(&timer, 20000), STATUS_SUCCESS);  // and it keeps signalling
    EXPECT_EQ(WaitFor(&timer, 20000), STATUS_SUCCESS);
    EXPECT_TRUE(KeCancelTimer(&timer)); // still queued: periodic
    KeFlushQueuedDpcs();
    int runs = r.runs;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    KeFlushQueuedDpcs();
    EXPECT_EQ(r.runs, runs);
    EXPECT_FALSE(KeCancelTimer(&timer));
}

TEST(KeTimer, WaitAnyOnTimerAndEvent) {
    KTIMER timer;
    KEVENT event;
    KeInitializeTimer(&timer);
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    KeSetTimer(&timer, Due(-5 * 10000), nullptr);
    PVOID objects[2] = {&event, &timer};
    LARGE_INTEGER timeout = Relative(20000);
    EXPECT_EQ(KeWaitForMultipleObjects(2, objects, WaitAny, Executive, KernelMode, FALSE, &timeout,
                                       nullptr),
              NTSTATUS(STATUS_WAIT_0 + 1));
}

TEST(KeTimer, SettingAndCancellingAtDispatchLevel) {
    KTIMER timer;
    KeInitializeTimer(&timer);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    EXPECT_FALSE(KeSetTimer(&timer, Due(-100000000), nullptr));
    EXPECT_TRUE(KeCancelTimer(&timer));
    KeLowerIrql(old);
}
