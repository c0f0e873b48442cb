#include "locks_test_util.h"

using ex_test::ExpectBugCheck;

TEST(ExSpinLock, SharedAcquireRaisesToDispatchAndCountsOwners) {
    EX_SPIN_LOCK lock = 0;
    KIRQL old = ExAcquireSpinLockShared(&lock);
    EXPECT_EQ(old, PASSIVE_LEVEL);
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    EXPECT_EQ(lock, 1);
    ExAcquireSpinLockSharedAtDpcLevel(&lock);
    EXPECT_EQ(lock, 2);
    EXPECT_FALSE(ExTryAcquireSpinLockExclusiveAtDpcLevel(&lock));
    EXPECT_TRUE(ExTryAcquireSpinLockSharedAtDpcLevel(&lock));
    EXPECT_EQ(lock, 3);
    ExReleaseSpinLockSharedFromDpcLevel(&lock);
    ExReleaseSpinLockSharedFromDpcLevel(&lock);
    ExReleaseSpinLockShared(&lock, old);
    EXPECT_EQ(lock, 0);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(ExSpinLock, ExclusiveExcludesEveryone) {
    EX_SPIN_LOCK lock = 0;
    KIRQL old = ExAcquireSpinLockExclusive(&lock);
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    EXPECT_EQ(ULONG(lock), 0x80000000u);
    LOGICAL shared = TRUE, exclusive = TRUE;
    std::thread([&] {
        KIRQL o = KeRaiseIrqlToDpcLevel();
        shared = ExTryAcquireSpinLockSharedAtDpcLevel(&lock);
        exclusive = ExTryAcquireSpinLockExclusiveAtDpcLevel(&lock);
        KeLowerIrql(o);
    }).join();
    EXPECT_FALSE(shared);
    EXPECT_FALSE(exclusive);
    ExReleaseSpinLockExclusive(&lock, old);
    EXPECT_EQ(lock, 0);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);

    old = KeRaiseIrqlToDpcLevel();
    ExAcquireSpinLockExclusiveAtDpcLevel(&lock);
    EXPECT_EQ(KeGetCurrentIrql(), DISPATCH_LEVEL);
    ExReleaseSpinLockExclusiveFromDpcLevel(&lock);
    EXPECT_EQ(lock, 0);
    KeLowerIrql(old);
}

TEST(ExSpinLock, ConvertSucceedsOnlyForTheSoleSharedOwner) {
    EX_SPIN_LOCK lock = 0;
    KIRQL old = ExAcquireSpinLockShared(&lock);
    ExAcquireSpinLockSharedAtDpcLevel(&lock);
    EXPECT_FALSE(ExTryConvertSharedSpinLockExclusive(&lock));
    EXPECT_EQ(lock, 2);
    ExReleaseSpinLockSharedFromDpcLevel(&lock);
    EXPECT_TRUE(ExTryConvertSharedSpinLockExclusive(&lock));
    EXPECT_EQ(ULONG(lock), 0x80000000u);
    ExReleaseSpinLockExclusive(&lock, old);
    EXPECT_EQ(lock, 0);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

TEST(ExSpinLock, WaitingWriterHoldsBackNewReaders) {
    EX_SPIN_LOCK lock = 0;
    KIRQL old = ExAcquireSpinLockShared(&lock);
    std::atomic<bool> writerIn{false};
    std::thread writer([&] {
        KIRQL o = ExAcquireSpinLockExclusive(&lock);
        writerIn = true;
        ExReleaseSpinLockExclusive(&lock, o);
    });
    ASSERT_TRUE(locks_test::WaitUntil(
        [&] { return (ULONG(__atomic_load_n(&lock, __ATOMIC_RELAXED)) & 0x80000000u) != 0; }));
    EXPECT_FALSE(ExTryAcquireSpinLockSharedAtDpcLevel(&lock)); // the writer is next
    EXPECT_FALSE(writerIn);
    ExReleaseSpinLockShared(&lock, old);
    writer.join();
    EXPECT_TRUE(writerIn);
    EXPECT_EQ(lock, 0);
}

TEST(ExSpinLock, ReleasingAFreeLockIsSpinLockNotOwned) {
    EX_SPIN_LOCK lock = 0;
    KIRQL old = KeRaiseIrqlToDpcLevel();
    auto shared = ExpectBugCheck([&] { ExReleaseSpinLockSharedFromDpcLevel(&lock); });
    auto exclusive = ExpectBugCheck([&] { ExReleaseSpinLockExclusiveFromDpcLevel(&lock); });
    ExAcquireSpinLockSharedAtDpcLevel(&lock);
    auto wrongMode = ExpectBugCheck([&] { ExReleaseSpinLockExclusiveFromDpcLevel(&lock); });
    ExReleaseSpinLockSharedFromDpcLevel(&lock);
    KeLowerIrql(old);
    EXPECT_EQ(shared.code, 0x10u);
    EXPECT_EQ(shared.p1, reinterpret_cast<ULONG_PTR>(&lock));
    EXPECT_EQ(exclusive.code, 0x10u);
    EXPECT_EQ(wrongMode.code, 0x10u);
    EXPECT_EQ(wrongMode.p2, 1u);
    EXPECT_EQ(lock, 0);
}

TEST(ExSpinLock, AtDpcLevelFormsRequireDispatchLevel) {
    EX_SPIN_LOCK lock = 0;
    auto e = ExpectBugCheck([&] { ExAcquireSpinLockSharedAtDpcLevel(&lock); });
    EXPECT_EQ(e.code, 0x09u);
    EXPECT_EQ(e.p1, ULONG_PTR(PASSIVE_LEVEL));
    EXPECT_EQ(e.p2, ULONG_PTR(DISPATCH_LEVEL));
    EXPECT_EQ(ExpectBugCheck([&] { ExAcquireSpinLockExclusiveAtDpcLevel(&lock); }).code, 0x09u);
    EXPECT_EQ(lock, 0);
}
