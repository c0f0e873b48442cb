#include <thread>

#include "dbg/dbg.h"
#include "ke_test_util.h"

using ke_test::ExpectBugCheck;

TEST(KeIrql, ThreadStartsAtPassiveAndRaiseLowerRoundTrips) {
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    KIRQL old;
    KeRaiseIrql(APC_LEVEL, &old);
    EXPECT_EQ(old, PASSIVE_LEVEL);
    EXPECT_EQ(KeGetCurrentIrql(), APC_LEVEL);
    KIRQL old2;
    KeRaiseIrql(DISPATCH_LEVEL, &old2);
    EXPECT_EQ(old2, APC_LEVEL);
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    EXPECT_EQ(ntsim::ke::CurrentIrql(), DISPATCH_LEVEL);
    KeLowerIrql(old2);
    EXPECT_EQ(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(old);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(KeIrql, RaisingToTheSameLevelIsAllowed) {
    KIRQL old = KfRaiseIrql(PASSIVE_LEVEL);
    EXPECT_EQ(old, PASSIVE_LEVEL);
    KfLowerIrql(PASSIVE_LEVEL);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(KeIrql, IrqlIsPerThread) {
    KIRQL old = KeRaiseIrqlToDpcLevel();
    EXPECT_EQ(old, PASSIVE_LEVEL);
    KIRQL other = HIGH_LEVEL;
    std::thread([&] { other = KeGetCurrentIrql(); }).join();
    EXPECT_EQ(other, PASSIVE_LEVEL);
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeLowerIrql(old);
}

TEST(KeIrql, RaisingToALowerLevelBugChecks0x9) {
    KIRQL old = KeRaiseIrqlToDpcLevel();
    auto e = ExpectBugCheck(0x9, [] {
        KIRQL ignored;
        KeRaiseIrql(APC_LEVEL, &ignored);
    });
    EXPECT_EQ(e.p1, ULONG_PTR(DISPATCH_LEVEL));    // current
    EXPECT_EQ(e.p2, ULONG_PTR(APC_LEVEL));         // requested
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL); // unchanged
    KeLowerIrql(old);
}

TEST(KeIrql, LoweringToAHigherLevelBugChecks0xA) {
    auto e = ExpectBugCheck(0xA, [] { KeLowerIrql(DISPATCH_LEVEL); });
    EXPECT_EQ(e.p1, ULONG_PTR(DISPATCH_LEVEL));
    EXPECT_EQ(e.p2, ULONG_PTR(PASSIVE_LEVEL));
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    ExpectBugCheck(0xA, [] { KfLowerIrql(APC_LEVEL); });
}

TEST(KeIrql, RaiseToDpcLevelAboveDispatchBugChecks) {
    // The bug check logs a line naming the current thread; Ps adopts an unknown thread on first
    // use, which allocates pool and is illegal above DISPATCH_LEVEL. Let it happen here first.
    ntsim::dbg::LogKernelMessage(ntsim::dbg::Severity::Info, "KeIrql test thread");
    KIRQL old = KfRaiseIrql(HIGH_LEVEL);
    ExpectBugCheck(0x9, [] { KeRaiseIrqlToDpcLevel(); });
    KeLowerIrql(old);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(KeIrql, RaiseToSynchLevel) {
    KIRQL old = KeRaiseIrqlToSynchLevel();
    EXPECT_EQ(old, PASSIVE_LEVEL);
    EXPECT_EQ(KeGetCurrentIrql(), SYNCH_LEVEL);
    KeLowerIrql(old);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(KeIrql, IrqlScopeRestores) {
    {
        ntsim::ke::IrqlScope scope(DISPATCH_LEVEL);
        EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    }
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(KeProcessor, CountsAgree) {
    KAFFINITY active = 0;
    ULONG count = KeQueryActiveProcessorCount(&active);
    EXPECT_GE(count, 1u);
    EXPECT_LE(count, 64u);
    EXPECT_EQ(count, ULONG(KeNumberProcessors));
    EXPECT_EQ(count, ntsim::ke::ProcessorCount());
    EXPECT_EQ(KeQueryActiveProcessorCount(nullptr), count);
    EXPECT_EQ(active, KeQueryActiveProcessors());
    EXPECT_EQ(ULONG(__builtin_popcountll(active)), count);
    EXPECT_EQ(KeQueryActiveProcessorCountEx(0), count);
    EXPECT_EQ(KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS), count);
    EXPECT_EQ(KeQueryActiveProcessorCountEx(1), 0u);
    EXPECT_EQ(KeQueryMaximumProcessorCount(), count);
    EXPECT_EQ(KeQueryActiveGroupCount(), 1);
    EXPECT_EQ(KeQueryMaximumGroupCount(), 1);
    EXPECT_EQ(KeQueryMaximumProcessorCountEx(0), count);
    EXPECT_EQ(KeQueryMaximumProcessorCountEx(ALL_PROCESSOR_GROUPS), count);
    EXPECT_EQ(KeQueryMaximumProcessorCountEx(2), 0u);
}

TEST(KeProcessor, CurrentNumberIsInRangeAndStableAtDispatch) {
    ULONG count = KeQueryActiveProcessorCount(nullptr);
    EXPECT_LT(KeGetCurrentProcessorNumber(), count);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    ULONG first = KeGetCurrentProcessorNumber();
    for (int i = 0; i < 1000; ++i)
        ASSERT_EQ(KeGetCurrentProcessorNumber(), first);
    PROCESSOR_NUMBER pn{0xffff, 0xff, 0xff};
    EXPECT_EQ(KeGetCurrentProcessorNumberEx(&pn), first);
    EXPECT_EQ(pn.Group, 0);
    EXPECT_EQ(pn.Number, first);
    EXPECT_EQ(pn.Reserved, 0);
    EXPECT_EQ(KeGetCurrentProcessorNumberEx(nullptr), first);
    EXPECT_EQ(KeGetCurrentProcessorIndex(), first);
    KeLowerIrql(old);
}

TEST(KeProcessor, IndexNumberConversions) {
    ULONG count = KeQueryActiveProcessorCount(nullptr);
    PROCESSOR_NUMBER pn{};
    EXPECT_EQ(KeGetProcessorNumberFromIndex(count - 1, &pn), STATUS_SUCCESS);
    EXPECT_EQ(pn.Number, count - 1);
    EXPECT_EQ(KeGetProcessorIndexFromNumber(&pn), count - 1);
    EXPECT_EQ(KeGetProcessorNumberFromIndex(count, &pn), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(KeGetProcessorNumberFromIndex(0, nullptr), STATUS_INVALID_PARAMETER);
    PROCESSOR_NUMBER bad{1, 0, 0};
    EXPECT_EQ(KeGetProcessorIndexFromNumber(&bad), INVALID_PROCESSOR_INDEX);
    bad = {0, UCHAR(count), 0};
    EXPECT_EQ(KeGetProcessorIndexFromNumber(&bad), INVALID_PROCESSOR_INDEX);
}
