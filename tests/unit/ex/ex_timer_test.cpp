// Executive timers (ExAllocateTimer family): callbacks at DISPATCH_LEVEL with the timer and
// context, set/cancel return values, periods in 100 ns units, deletion with and without cancel
// and wait, delete callbacks, parameter checks.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "test_support.h"
#include "wdm.h"

namespace {

struct Record {
    std::atomic<int> runs{0};
    KIRQL irql = 0xFF;
    PEX_TIMER timer = nullptr;
    int target = 1; // runs that set `done`
    KEVENT done;
    Record() { KeInitializeEvent(&done, NotificationEvent, FALSE); }
};

void Callback(PEX_TIMER timer, PVOID context) {
    auto* r = static_cast<Record*>(context);
    r->irql = KeGetCurrentIrql();
    r->timer = timer;
    if (++r->runs == r->target) KeSetEvent(&r->done, 0, FALSE);
}

NTSTATUS WaitFor(PKEVENT event) {
    LARGE_INTEGER timeout;
    timeout.QuadPart = -200000000; // 20 s
    return KeWaitForSingleObject(event, Executive, KernelMode, FALSE, &timeout);
}

std::atomic<int> g_deleted{0};
KEVENT g_deletedEvent;
void DeleteCallback(PVOID context) {
    g_deleted += int(reinterpret_cast<ULONG_PTR>(context));
    KeSetEvent(&g_deletedEvent, 0, FALSE);
}

EXT_DELETE_PARAMETERS DeleteParams(ULONG_PTR value) {
    EXT_DELETE_PARAMETERS p;
    ExInitializeDeleteTimerParameters(&p);
    p.DeleteCallback = DeleteCallback;
    p.DeleteContext = reinterpret_cast<PVOID>(value);
    g_deleted = 0;
    KeInitializeEvent(&g_deletedEvent, NotificationEvent, FALSE);
    return p;
}

} // namespace

TEST(ExTimer, ParameterInitializers) {
    EXT_SET_PARAMETERS set;
    memset(&set, 0xCC, sizeof(set));
    ExInitializeSetTimerParameters(&set);
    EXPECT_EQ(set.Version, 0u);
    EXPECT_EQ(set.Reserved, 0u);
    EXPECT_EQ(set.NoWakeTolerance, 0);
    EXT_DELETE_PARAMETERS del;
    memset(&del, 0xCC, sizeof(del));
    ExInitializeDeleteTimerParameters(&del);
    EXPECT_EQ(del.Version, 0u);
    EXPECT_EQ(del.DeleteCallback, nullptr);
    EXPECT_EQ(del.DeleteContext, nullptr);
}

TEST(ExTimer, UnknownAttributesFail) {
    EXPECT_EQ(ExAllocateTimer(Callback, nullptr, 0x1), nullptr);
    EXPECT_EQ(ExAllocateTimer(Callback, nullptr, 0x100), nullptr);
}

TEST(ExTimer, OneShotCallsBackAtDispatchWithTimerAndContext) {
    for (ULONG attributes : {0u, ULONG(EX_TIMER_HIGH_RESOLUTION), ULONG(EX_TIMER_NO_WAKE)}) {
        Record r;
        PEX_TIMER timer = ExAllocateTimer(Callback, &r, attributes);
        ASSERT_NE(timer, nullptr);
        EXT_SET_PARAMETERS params;
        ExInitializeSetTimerParameters(&params);
        EXPECT_FALSE(ExSetTimer(timer, -5 * 10000, 0, &params));
        EXPECT_EQ(WaitFor(&r.done), STATUS_SUCCESS);
        KeFlushQueuedDpcs();
        EXPECT_EQ(r.runs, 1);
        EXPECT_EQ(r.irql, DISPATCH_LEVEL);
        EXPECT_EQ(r.timer, timer);
        EXPECT_FALSE(ExCancelTimer(timer, nullptr)); // expired: nothing to cancel
        EXPECT_FALSE(ExDeleteTimer(timer, TRUE, TRUE, nullptr));
    }
}

TEST(ExTimer, AbsoluteDueTimeAndUnlimitedTolerance) {
    Record r;
    PEX_TIMER timer = ExAllocateTimer(Callback, &r, EX_TIMER_NO_WAKE);
    ASSERT_NE(timer, nullptr);
    EXT_SET_PARAMETERS params;
    ExInitializeSetTimerParameters(&params);
    params.NoWakeTolerance = EX_TIMER_UNLIMITED_TOLERANCE;
    LARGE_INTEGER now;
    KeQuerySystemTime(&now);
    ExSetTimer(timer, now.QuadPart + 5 * 10000, 0, &params);
    EXPECT_EQ(WaitFor(&r.done), STATUS_SUCCESS);
    ExDeleteTimer(timer, TRUE, TRUE, nullptr);
}

TEST(ExTimer, SetCancelReturnValues) {
    Record r;
    PEX_TIMER timer = ExAllocateTimer(Callback, &r, 0);
    ASSERT_NE(timer, nullptr);
    EXPECT_FALSE(ExCancelTimer(timer, nullptr));
    EXPECT_FALSE(ExSetTimer(timer, -100000000, 0, nullptr));
    EXPECT_TRUE(ExSetTimer(timer, -100000000, 0, nullptr)); // was set
    EXPECT_TRUE(ExCancelTimer(timer, nullptr));
    EXPECT_FALSE(ExCancelTimer(timer, nullptr));
    KeFlushQueuedDpcs();
    EXPECT_EQ(r.runs, 0);
    EXPECT_FALSE(ExDeleteTimer(timer, TRUE, FALSE, nullptr));
}

TEST(ExTimer, PeriodIsIn100nsUnits) {
    Record r;
    r.target = 4;
    PEX_TIMER timer = ExAllocateTimer(Callback, &r, EX_TIMER_HIGH_RESOLUTION);
    ASSERT_NE(timer, nullptr);
    ExSetTimer(timer, -1 * 10000, 2 * 10000, nullptr); // every 2 ms
    EXPECT_EQ(WaitFor(&r.done), STATUS_SUCCESS);
    EXPECT_TRUE(ExCancelTimer(timer, nullptr)); // periodic: still set
    KeFlushQueuedDpcs();
    int runs = r.runs;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    KeFlushQueuedDpcs();
    EXPECT_EQ(r.runs, runs);
    EXPECT_GE(runs, 4);
    ExDeleteTimer(timer, TRUE, TRUE, nullptr);
}

TEST(ExTimer, DeleteCancelsASetTimerAndCallsTheDeleteCallback) {
    Record r;
    PEX_TIMER timer = ExAllocateTimer(Callback, &r, 0);
    ASSERT_NE(timer, nullptr);
    ExSetTimer(timer, -100000000, 0, nullptr);
    EXT_DELETE_PARAMETERS params = DeleteParams(7);
    EXPECT_TRUE(ExDeleteTimer(timer, TRUE, TRUE, &params));
    EXPECT_EQ(g_deleted, 7);
    KeFlushQueuedDpcs();
    EXPECT_EQ(r.runs, 0);
}

TEST(ExTimer, DeleteOfAnUnsetTimerReturnsFalse) {
    PEX_TIMER timer = ExAllocateTimer(nullptr, nullptr, 0);
    ASSERT_NE(timer, nullptr);
    EXT_DELETE_PARAMETERS params = DeleteParams(3);
    EXPECT_FALSE(ExDeleteTimer(timer, TRUE, FALSE, &params));
    EXPECT_EQ(g_deleted, 3);
}

TEST(ExTimer, DeleteWithoutCancelLetsTheTimerExpireFirst) {
    Record r;
    PEX_TIMER timer = ExAllocateTimer(Callback, &r, 0);
    ASSERT_NE(timer, nullptr);
    ExSetTimer(timer, -10 * 10000, 0, nullptr);
    EXT_DELETE_PARAMETERS params = DeleteParams(5);
    EXPECT_FALSE(ExDeleteTimer(timer, FALSE, FALSE, &params));
    EXPECT_EQ(WaitFor(&r.done), STATUS_SUCCESS);
    EXPECT_EQ(WaitFor(&g_deletedEvent), STATUS_SUCCESS);
    EXPECT_EQ(r.runs, 1);
    EXPECT_EQ(g_deleted, 5);
}

namespace {
std::atomic<bool> g_deleteResult{true};
void DeletingCallback(PEX_TIMER timer, PVOID context) {
    g_deleteResult =
        ExDeleteTimer(timer, TRUE, FALSE, static_cast<PEXT_DELETE_PARAMETERS>(context));
}
} // namespace

TEST(ExTimer, ACallbackMayDeleteItsOwnTimer) {
    EXT_DELETE_PARAMETERS params = DeleteParams(9);
    PEX_TIMER timer = ExAllocateTimer(DeletingCallback, &params, 0);
    ASSERT_NE(timer, nullptr);
    ExSetTimer(timer, -1 * 10000, 0, nullptr);
    EXPECT_EQ(WaitFor(&g_deletedEvent), STATUS_SUCCESS);
    EXPECT_FALSE(g_deleteResult); // it had already expired
    EXPECT_EQ(g_deleted, 9);
}

TEST(ExTimer, WaitWithoutCancelBugChecks) {
    PEX_TIMER timer = ExAllocateTimer(nullptr, nullptr, 0);
    ASSERT_NE(timer, nullptr);
    try {
        ExDeleteTimer(timer, FALSE, TRUE, nullptr);
        ADD_FAILURE() << "expected a bug check";
    } catch (const ntsim::test::BugCheckException& e) {
        EXPECT_EQ(e.code, 0x1Eu);
    }
    EXPECT_FALSE(ExDeleteTimer(timer, TRUE, TRUE, nullptr));
}

TEST(ExTimer, NegativeToleranceBugChecks) {
    PEX_TIMER timer = ExAllocateTimer(nullptr, nullptr, EX_TIMER_NO_WAKE);
    ASSERT_NE(timer, nullptr);
    EXT_SET_PARAMETERS params;
    ExInitializeSetTimerParameters(&params);
    params.NoWakeTolerance = -5;
    try {
        ExSetTimer(timer, -100000000, 0, &params);
        ADD_FAILURE() << "expected a bug check";
    } catch (const ntsim::test::BugCheckException& e) {
        EXPECT_EQ(e.code, 0x1Eu);
    }
    EXPECT_FALSE(ExCancelTimer(timer, nullptr));
    ExDeleteTimer(timer, TRUE, TRUE, nullptr);
}
