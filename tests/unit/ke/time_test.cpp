#include <time.h>

#include "ke_test_util.h"

namespace {
constexpr LONGLONG kEpochDelta = 116444736000000000LL; // 1601 -> 1970, 100 ns units
}

TEST(KeTime, SystemTimeIsHundredNanosecondsSince1601) {
    // The precise wall clock around the calls (time() reads the coarse one, which may still show
    // the previous second just after a second boundary).
    auto wallSeconds = [] {
        timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return ts.tv_sec;
    };
    time_t before = wallSeconds();
    LARGE_INTEGER now, precise;
    KeQuerySystemTime(&now);
    KeQuerySystemTimePrecise(&precise);
    time_t after = wallSeconds();
    LONGLONG seconds = (now.QuadPart - kEpochDelta) / 10000000;
    EXPECT_GE(seconds, LONGLONG(before));
    EXPECT_LE(seconds, LONGLONG(after));
    EXPECT_GE(precise.QuadPart, now.QuadPart);
    EXPECT_EQ(ntsim::ke::SystemTime() >= precise.QuadPart, true);
}

TEST(KeTime, InterruptTimeAndCounterAreMonotonic) {
    ULONGLONG a = KeQueryInterruptTime();
    ULONG64 qpc = 0;
    ULONG64 b = KeQueryInterruptTimePrecise(&qpc);
    ULONGLONG c = KeQueryUnbiasedInterruptTime();
    EXPECT_LE(a, b);
    EXPECT_LE(b, c);
    EXPECT_NE(qpc, 0u);
    LARGE_INTEGER frequency;
    frequency.QuadPart = 0;
    LARGE_INTEGER first = KeQueryPerformanceCounter(&frequency);
    EXPECT_EQ(frequency.QuadPart, 10000000);
    LARGE_INTEGER second = KeQueryPerformanceCounter(nullptr);
    EXPECT_LE(first.QuadPart, second.QuadPart);
}

TEST(KeTime, TickCountUsesTheTimeIncrement) {
    EXPECT_EQ(KeQueryTimeIncrement(), 156250u);
    ULONGLONG before = KeQueryInterruptTime() / 156250;
    LARGE_INTEGER ticks;
    KeQueryTickCount(&ticks);
    ULONGLONG after = KeQueryInterruptTime() / 156250;
    EXPECT_GE(ULONGLONG(ticks.QuadPart), before);
    EXPECT_LE(ULONGLONG(ticks.QuadPart), after);
}

TEST(KeTime, StallExecutionWaitsAtLeastTheInterval) {
    ULONGLONG start = KeQueryInterruptTime();
    KeStallExecutionProcessor(200);
    EXPECT_GE(KeQueryInterruptTime() - start, 2000u); // 200 us in 100 ns units
}
