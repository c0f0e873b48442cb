#include <atomic>
#include <thread>
#include <vector>

#include "ke_test_util.h"

using ke_test::ExpectBugCheck;

namespace {
constexpr int kThreads = 4;
constexpr int kIterations = 20000;
} // namespace

TEST(KeSpinLock, InitializeMakesItFree) {
    KSPIN_LOCK lock = 12345;
    KeInitializeSpinLock(&lock);
    EXPECT_EQ(lock, 0u);
    EXPECT_TRUE(KeTestSpinLock(&lock));
}

TEST(KeSpinLock, AcquireRaisesToDispatchAndReleaseRestores) {
    KSPIN_LOCK lock;
    KeInitializeSpinLock(&lock);
    KIRQL old;
    KeAcquireSpinLock(&lock, &old);
    EXPECT_EQ(old, PASSIVE_LEVEL);
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    EXPECT_FALSE(KeTestSpinLock(&lock));
    KeReleaseSpinLock(&lock, old);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    EXPECT_TRUE(KeTestSpinLock(&lock));
    EXPECT_EQ(lock, 0u);
}

TEST(KeSpinLock, ZeroedNeverInitialisedLockWorks) {
    static KSPIN_LOCK zeroed; // like a driver global nobody initialised
    KIRQL old = KeAcquireSpinLockRaiseToDpc(&zeroed);
    KeReleaseSpinLock(&zeroed, old);
    EXPECT_EQ(zeroed, 0u);
}

TEST(KeSpinLock, AtDpcLevelDoesNotChangeIrql) {
    KSPIN_LOCK lock = 0;
    KIRQL old = KeRaiseIrqlToDpcLevel();
    KeAcquireSpinLockAtDpcLevel(&lock);
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeReleaseSpinLockFromDpcLevel(&lock);
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeLowerIrql(old);
}

TEST(KeSpinLock, TryToAcquireFailsWhileAnotherThreadHoldsIt) {
    KSPIN_LOCK lock = 0;
    EXPECT_TRUE(KeTryToAcquireSpinLockAtDpcLevel(&lock));
    BOOLEAN otherGot = TRUE, testedFree = TRUE;
    std::thread([&] {
        testedFree = KeTestSpinLock(&lock);
        otherGot = KeTryToAcquireSpinLockAtDpcLevel(&lock);
    }).join();
    EXPECT_FALSE(otherGot);
    EXPECT_FALSE(testedFree);
    KeReleaseSpinLockFromDpcLevel(&lock);
    std::thread([&] {
        otherGot = KeTryToAcquireSpinLockAtDpcLevel(&lock);
        if (otherGot) KeReleaseSpinLockFromDpcLevel(&lock);
    }).join();
    EXPECT_TRUE(otherGot);
}

TEST(KeSpinLock, MutualExclusionExactCount) {
    KSPIN_LOCK lock = 0;
    long counter = 0; // deliberately non-atomic
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < kIterations; ++i) {
                KIRQL old;
                KeAcquireSpinLock(&lock, &old);
                long v = counter;
                counter = v + 1;
                KeReleaseSpinLock(&lock, old);
            }
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(counter, long(kThreads) * kIterations);
    EXPECT_EQ(lock, 0u);
}

TEST(KeSpinLock, ReleasingAFreeLockBugChecks0x10) {
    KSPIN_LOCK lock = 0;
    auto e = ExpectBugCheck(0x10, [&] { KeReleaseSpinLockFromDpcLevel(&lock); });
    EXPECT_EQ(e.p1, reinterpret_cast<ULONG_PTR>(&lock));
}

TEST(KeSpinLock, ReleasingAnotherThreadsLockBugChecks0x10) {
    KSPIN_LOCK lock = 0;
    std::thread([&] { KeAcquireSpinLockAtDpcLevel(&lock); }).join(); // left held
    ExpectBugCheck(0x10, [&] { KeReleaseSpinLockFromDpcLevel(&lock); });
    EXPECT_NE(lock, 0u);
}

TEST(KeSpinLock, RecursiveAcquireBugChecks0xF) {
    KSPIN_LOCK lock = 0;
    KIRQL old = KeAcquireSpinLockRaiseToDpc(&lock);
    auto e = ExpectBugCheck(0xF, [&] { KeAcquireSpinLockAtDpcLevel(&lock); });
    EXPECT_EQ(e.p1, reinterpret_cast<ULONG_PTR>(&lock));
    KeReleaseSpinLock(&lock, old);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

// KeAcquireSpinLock and KeReleaseSpinLock are inline in the SDK (km/ke.h) and call the
// exported routines for everything but the plain case: each check below goes through them.
TEST(KeSpinLock, InlineReleaseOfAFreeLockBugChecks0x10) {
    KSPIN_LOCK lock = 0, other = 0;
    KIRQL old;
    KeAcquireSpinLock(&other, &old);
    auto e = ExpectBugCheck(0x10, [&] { KeReleaseSpinLock(&lock, old); });
    EXPECT_EQ(e.p1, reinterpret_cast<ULONG_PTR>(&lock));
    KeReleaseSpinLock(&other, old);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(KeSpinLock, InlineReleaseOfAnotherThreadsLockBugChecks0x10) {
    KSPIN_LOCK lock = 0;
    std::thread([&] { KeAcquireSpinLockAtDpcLevel(&lock); }).join(); // left held
    KIRQL old = KeRaiseIrqlToDpcLevel();
    auto e = ExpectBugCheck(0x10, [&] { KeReleaseSpinLock(&lock, old); });
    EXPECT_EQ(e.p1, reinterpret_cast<ULONG_PTR>(&lock));
    EXPECT_NE(lock, 0u);
    KeLowerIrql(old);
}

TEST(KeSpinLock, InlineRecursiveAcquireBugChecks0xF) {
    KSPIN_LOCK lock = 0;
    KIRQL old, inner;
    KeAcquireSpinLock(&lock, &old);
    auto e = ExpectBugCheck(0xF, [&] { KeAcquireSpinLock(&lock, &inner); });
    EXPECT_EQ(e.p1, reinterpret_cast<ULONG_PTR>(&lock));
    KeReleaseSpinLock(&lock, old);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(KeSpinLock, InlineReleaseToAHigherIrqlBugChecks0xA) {
    KSPIN_LOCK lock = 0;
    KIRQL old;
    KeAcquireSpinLock(&lock, &old);
    auto e = ExpectBugCheck(0xA, [&] { KeReleaseSpinLock(&lock, HIGH_LEVEL); });
    EXPECT_EQ(e.p1, ULONG_PTR(HIGH_LEVEL));
    EXPECT_EQ(e.p2, ULONG_PTR(DISPATCH_LEVEL));
    KeLowerIrql(old);
}

TEST(KeSpinLock, InlineAcquireAtDispatchReturnsDispatch) {
    KSPIN_LOCK lock = 0;
    KIRQL passive = KeRaiseIrqlToDpcLevel();
    KIRQL old;
    KeAcquireSpinLock(&lock, &old);
    EXPECT_EQ(old, DISPATCH_LEVEL);
    KeReleaseSpinLock(&lock, old);
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    EXPECT_EQ(lock, 0u);
    KeLowerIrql(passive);
}

TEST(KeSpinLock, InlineNestedLocksReleaseInAnyOrder) {
    KSPIN_LOCK a = 0, b = 0;
    for (int round = 0; round < 3; ++round) {
        KIRQL oldA, oldB;
        KeAcquireSpinLock(&a, &oldA);
        KeAcquireSpinLock(&b, &oldB);
        EXPECT_EQ(oldA, PASSIVE_LEVEL);
        EXPECT_EQ(oldB, DISPATCH_LEVEL);
        if (round % 2) {
            KeReleaseSpinLock(&b, oldB);
            KeReleaseSpinLock(&a, oldA);
        } else { // NT allows it: the IRQL each release restores is what matters
            KeReleaseSpinLockFromDpcLevel(&a);
            KeReleaseSpinLock(&b, oldA);
        }
        EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
        EXPECT_EQ(a, 0u);
        EXPECT_EQ(b, 0u);
    }
}

TEST(KeSpinLock, InlineAndExportedRoutinesPairEitherWay) {
    KSPIN_LOCK lock = 0;
    KIRQL old;
    KeAcquireSpinLock(&lock, &old);
    KeReleaseSpinLockFromDpcLevel(&lock);
    KeLowerIrql(old);
    old = KeAcquireSpinLockRaiseToDpc(&lock);
    KeReleaseSpinLock(&lock, old);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    EXPECT_EQ(lock, 0u);
}

TEST(KeQueuedSpinLock, AcquireReleaseRestoresIrql) {
    KSPIN_LOCK lock = 0;
    KLOCK_QUEUE_HANDLE handle;
    KeAcquireInStackQueuedSpinLock(&lock, &handle);
    EXPECT_EQ(handle.OldIrql, PASSIVE_LEVEL);
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    EXPECT_FALSE(KeTestSpinLock(&lock));
    KeReleaseInStackQueuedSpinLock(&handle);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    EXPECT_EQ(lock, 0u);
}

TEST(KeQueuedSpinLock, AtDpcLevelVariants) {
    KSPIN_LOCK lock = 0;
    KIRQL old = KeRaiseIrqlToDpcLevel();
    KLOCK_QUEUE_HANDLE handle;
    KeAcquireInStackQueuedSpinLockAtDpcLevel(&lock, &handle);
    EXPECT_FALSE(KeTestSpinLock(&lock));
    KeReleaseInStackQueuedSpinLockFromDpcLevel(&handle);
    EXPECT_TRUE(KeTestSpinLock(&lock));
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    KeLowerIrql(old);
}

TEST(KeQueuedSpinLock, MutualExclusionExactCount) {
    KSPIN_LOCK lock = 0;
    long counter = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < kIterations; ++i) {
                KLOCK_QUEUE_HANDLE handle;
                KeAcquireInStackQueuedSpinLock(&lock, &handle);
                long v = counter;
                counter = v + 1;
                KeReleaseInStackQueuedSpinLock(&handle);
            }
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(counter, long(kThreads) * kIterations);
    EXPECT_EQ(lock, 0u);
}

TEST(KeQueuedSpinLock, MixedWithPlainAcquisitionStaysExclusive) {
    KSPIN_LOCK lock = 0;
    long counter = 0;
    std::thread queued([&] {
        for (int i = 0; i < kIterations; ++i) {
            KLOCK_QUEUE_HANDLE handle;
            KeAcquireInStackQueuedSpinLock(&lock, &handle);
            counter = counter + 1;
            KeReleaseInStackQueuedSpinLock(&handle);
        }
    });
    std::thread plain([&] {
        for (int i = 0; i < kIterations; ++i) {
            KIRQL old;
            KeAcquireSpinLock(&lock, &old);
            counter = counter + 1;
            KeReleaseSpinLock(&lock, old);
        }
    });
    queued.join();
    plain.join();
    EXPECT_EQ(counter, 2L * kIterations);
    EXPECT_EQ(lock, 0u);
}

TEST(KeQueuedSpinLock, DoubleReleaseBugChecks0x10) {
    KSPIN_LOCK lock = 0;
    KLOCK_QUEUE_HANDLE handle;
    KeAcquireInStackQueuedSpinLock(&lock, &handle);
    KeReleaseInStackQueuedSpinLock(&handle);
    ExpectBugCheck(0x10, [&] { KeReleaseInStackQueuedSpinLockFromDpcLevel(&handle); });
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}
