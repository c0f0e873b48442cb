#include "ex/ex_locks.h"
#include "locks_test_util.h"

using ex_test::ExpectBugCheck;
using locks_test::Helper;
using locks_test::WaitUntil;

TEST(ExFastMutex, InitializeMakesItFree) {
    FAST_MUTEX m;
    memset(&m, 0xAB, sizeof(m));
    ExInitializeFastMutex(&m);
    EXPECT_EQ(m.Count, FM_LOCK_BIT);
    EXPECT_EQ(m.Owner, nullptr);
    EXPECT_EQ(m.Contention, 0u);
    EXPECT_EQ(m.Event.Header.Type, EventSynchronizationObject);
    EXPECT_EQ(KeReadStateEvent(&m.Event), 0);
}

TEST(ExFastMutex, AcquireRaisesToApcAndReleaseRestores) {
    FAST_MUTEX m;
    ExInitializeFastMutex(&m);
    ExAcquireFastMutex(&m);
    EXPECT_EQ(KeGetCurrentIrql(), APC_LEVEL);
    EXPECT_EQ(m.Count & FM_LOCK_BIT, 0);
    EXPECT_EQ(reinterpret_cast<ERESOURCE_THREAD>(m.Owner), ExGetCurrentResourceThread());
    EXPECT_EQ(m.OldIrql, ULONG(PASSIVE_LEVEL));
    ExReleaseFastMutex(&m);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    EXPECT_EQ(m.Count, FM_LOCK_BIT);
    EXPECT_EQ(m.Owner, nullptr);
}

TEST(ExFastMutex, AcquireAtApcLevelStaysThere) {
    FAST_MUTEX m;
    ExInitializeFastMutex(&m);
    KIRQL old;
    KeRaiseIrql(APC_LEVEL, &old);
    ExAcquireFastMutex(&m);
    EXPECT_EQ(m.OldIrql, ULONG(APC_LEVEL));
    ExReleaseFastMutex(&m);
    EXPECT_EQ(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(old);
}

TEST(ExFastMutex, TryFailsWhileAnotherThreadOwnsIt) {
    FAST_MUTEX m;
    ExInitializeFastMutex(&m);
    Helper holder([&] { ExAcquireFastMutex(&m); }, [&] { ExReleaseFastMutex(&m); });
    ASSERT_TRUE(holder.Started());
    EXPECT_FALSE(ExTryToAcquireFastMutex(&m));
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL); // a failed try restores the IRQL
    holder.Finish();
    EXPECT_TRUE(ExTryToAcquireFastMutex(&m));
    EXPECT_EQ(KeGetCurrentIrql(), APC_LEVEL);
    ExReleaseFastMutex(&m);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(ExFastMutex, UnsafeFormsLeaveTheIrqlAlone) {
    FAST_MUTEX m;
    ExInitializeFastMutex(&m);
    KIRQL old;
    KeRaiseIrql(APC_LEVEL, &old);
    ExAcquireFastMutexUnsafe(&m);
    EXPECT_EQ(KeGetCurrentIrql(), APC_LEVEL);
    EXPECT_EQ(m.Count & FM_LOCK_BIT, 0);
    ExReleaseFastMutexUnsafe(&m);
    EXPECT_EQ(m.Count, FM_LOCK_BIT);
    EXPECT_EQ(KeGetCurrentIrql(), APC_LEVEL);
    KeLowerIrql(old);
}

TEST(ExFastMutex, ContendedAcquireSleepsOnTheEventUntilRelease) {
    FAST_MUTEX m;
    ExInitializeFastMutex(&m);
    ExAcquireFastMutex(&m);
    std::atomic<bool> acquired{false};
    std::thread waiter([&] {
        ExAcquireFastMutex(&m);
        acquired = true;
        ExReleaseFastMutex(&m);
    });
    ASSERT_TRUE(WaitUntil([&] { return ntsim::ke::WaiterCount(&m.Event.Header) == 1; }));
    EXPECT_FALSE(acquired);
    EXPECT_GE(m.Contention, 1u);
    EXPECT_EQ(m.Count, FM_LOCK_WAITER_INC); // held, one sleeper
    ExReleaseFastMutex(&m);
    waiter.join();
    EXPECT_TRUE(acquired);
    EXPECT_EQ(m.Count, FM_LOCK_BIT);
}

TEST(ExFastMutex, AcquireAboveApcLevelIsAVerifierViolation) {
    FAST_MUTEX m;
    ExInitializeFastMutex(&m);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    auto e = ExpectBugCheck([&] { ExAcquireFastMutex(&m); });
    auto t = ExpectBugCheck([&] { ExTryToAcquireFastMutex(&m); });
    KeLowerIrql(old);
    EXPECT_EQ(e.code, 0xC4u);
    EXPECT_EQ(e.p1, 0x20005u);
    EXPECT_EQ(t.code, 0xC4u);
    EXPECT_EQ(t.p1, 0x20005u);
    EXPECT_EQ(m.Count, FM_LOCK_BIT); // nothing was taken
}

TEST(ExFastMutex, RecursiveAcquireIsASelfDeadlockNotAHang) {
    FAST_MUTEX m;
    ExInitializeFastMutex(&m);
    ExAcquireFastMutex(&m);
    auto e = ExpectBugCheck([&] { ExAcquireFastMutex(&m); });
    EXPECT_EQ(e.code, 0xC4u);
    EXPECT_EQ(e.p1, 0x1000u);
    EXPECT_EQ(e.p2, reinterpret_cast<ULONG_PTR>(&m));
    auto u = ExpectBugCheck([&] { ExAcquireFastMutexUnsafe(&m); });
    EXPECT_EQ(u.p1, 0x1000u);
    ExReleaseFastMutex(&m);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(ExFastMutex, ReleasingAFreeMutexIsCaught) {
    FAST_MUTEX m;
    ExInitializeFastMutex(&m);
    auto e = ExpectBugCheck([&] { ExReleaseFastMutex(&m); });
    EXPECT_EQ(e.code, 0xC4u);
    EXPECT_EQ(e.p1, 0x1007u);
    EXPECT_EQ(e.p2, reinterpret_cast<ULONG_PTR>(&m));
    auto u = ExpectBugCheck([&] { ExReleaseFastMutexUnsafe(&m); });
    EXPECT_EQ(u.p1, 0x1007u);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(ExFastMutex, ReleaseByAnotherThreadReportsBothThreads) {
    FAST_MUTEX m;
    ExInitializeFastMutex(&m);
    std::atomic<ERESOURCE_THREAD> owner{0};
    Helper holder(
        [&] {
            ExAcquireFastMutex(&m);
            owner = ExGetCurrentResourceThread();
        },
        [&] { ExReleaseFastMutex(&m); });
    ASSERT_TRUE(holder.Started());
    auto e = ExpectBugCheck([&] { ExReleaseFastMutex(&m); });
    EXPECT_EQ(e.code, 0xC4u);
    EXPECT_EQ(e.p1, 0x1004u);
    EXPECT_EQ(e.p2, reinterpret_cast<ULONG_PTR>(&m));
    EXPECT_EQ(e.p3, owner.load());
    EXPECT_EQ(e.p4, ExGetCurrentResourceThread());
    holder.Finish();
    EXPECT_EQ(m.Count, FM_LOCK_BIT);
}
