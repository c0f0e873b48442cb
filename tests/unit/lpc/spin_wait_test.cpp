// The channel's polling policy (lpc/spin_wait.h): SpinUntil returns as soon as the condition
// holds; AdaptiveSpin stops polling after polls that time out (1, 2, 4 ... waits without one)
// and polls again at once after one that succeeds. Counted by calls of the condition, never by
// time.
#include <gtest/gtest.h>

#include "lpc/spin_wait.h"

namespace {

using ntsim::lpc::AdaptiveSpin;
using ntsim::lpc::SpinBudgetNs;
using ntsim::lpc::SpinUntil;

TEST(LpcSpinWait, SpinUntilStopsWhenTheConditionHolds) {
    int calls = 0;
    EXPECT_TRUE(SpinUntil([&] { return ++calls >= 3; }, 1'000'000'000));
    EXPECT_EQ(calls, 3);
    calls = 0;
    EXPECT_FALSE(SpinUntil([&] { return ++calls > 1'000'000'000; }, 0)); // no budget: one look
    EXPECT_EQ(calls, 1);
}

TEST(LpcSpinWait, AdaptiveSpinBacksOffAndRecovers) {
    if (SpinBudgetNs() == 0)
        GTEST_SKIP() << "polling is off here (one CPU or NTSIM_CHANNEL_SPIN_NS=0)";
    AdaptiveSpin spin;
    int calls = 0;
    auto never = [&] {
        ++calls;
        return false;
    };
    auto polled = [&](auto condition) {
        calls = 0;
        spin.Poll(condition);
        return calls > 1;
    };
    EXPECT_TRUE(polled(never));  // first wait polls (and times out)
    EXPECT_FALSE(polled(never)); // 1 wait skipped
    EXPECT_TRUE(polled(never));  // polls again, times out
    EXPECT_FALSE(polled(never)); // 2 waits skipped
    EXPECT_FALSE(polled(never));
    EXPECT_TRUE(polled(never)); // then 4
    for (int i = 0; i < 4; ++i)
        EXPECT_FALSE(polled(never));
    // A poll that succeeds resets the back-off: the next wait polls again.
    int round = 0;
    EXPECT_TRUE(polled([&] { return ++calls > 2 && ++round; }));
    EXPECT_TRUE(polled(never));
    EXPECT_FALSE(polled(never));
    EXPECT_TRUE(polled(never));
}

TEST(LpcSpinWait, BackOffIsBounded) {
    if (SpinBudgetNs() == 0) GTEST_SKIP() << "polling is off here";
    AdaptiveSpin spin;
    auto never = [] { return false; };
    int polls = 0, waits = 0;
    // After reaching kMaxSkip, a poll happens every kMaxSkip + 1 waits.
    while (polls < 12) {
        int calls = 0;
        spin.Poll([&] {
            ++calls;
            return never();
        });
        ++waits;
        if (calls > 1) ++polls;
    }
    EXPECT_LE(waits, 1 + 2 + 4 + 8 + 16 + 32 + 64 + 128 + 256 + 3 * 257);
}

} // namespace
