#include <fltKernel.h>

#include "locks_test_util.h"

using ex_test::ExpectBugCheck;
using locks_test::Helper;
using locks_test::WaitUntil;

TEST(ExPushLock, ExclusiveAndSharedStates) {
    EX_PUSH_LOCK lock = 0x1234;
    ExInitializePushLock(&lock);
    EXPECT_EQ(lock, 0u);
    ExAcquirePushLockExclusiveEx(&lock, EX_DEFAULT_PUSH_LOCK_FLAGS);
    EXPECT_EQ(lock, 1u);
    ExReleasePushLockExclusiveEx(&lock, EX_DEFAULT_PUSH_LOCK_FLAGS);
    EXPECT_EQ(lock, 0u);
    ExAcquirePushLockSharedEx(&lock, 0);
    ExAcquirePushLockSharedEx(&lock, 0);
    EXPECT_EQ(lock, 32u); // two shared owners
    ExReleasePushLockSharedEx(&lock, 0);
    ExReleasePushLockSharedEx(&lock, 0);
    EXPECT_EQ(lock, 0u);
}

TEST(ExPushLock, WriterSleepsUntilReadersLeave) {
    EX_PUSH_LOCK lock = 0;
    ExAcquirePushLockSharedEx(&lock, 0);
    std::atomic<bool> writerIn{false};
    std::thread writer([&] {
        ExAcquirePushLockExclusiveEx(&lock, 0);
        writerIn = true;
        ExReleasePushLockExclusiveEx(&lock, 0);
    });
    // The writer announces itself (bit 1) and then sleeps (bit 2).
    ASSERT_TRUE(WaitUntil([&] { return (__atomic_load_n(&lock, __ATOMIC_RELAXED) & 6) == 6; }));
    EXPECT_FALSE(writerIn);
    ExReleasePushLockSharedEx(&lock, 0);
    writer.join();
    EXPECT_TRUE(writerIn);
    EXPECT_EQ(lock, 0u);
}

TEST(ExPushLock, ReaderSleepsUntilWriterLeaves) {
    EX_PUSH_LOCK lock = 0;
    ExAcquirePushLockExclusiveEx(&lock, 0);
    std::atomic<bool> readerIn{false};
    std::thread reader([&] {
        ExAcquirePushLockSharedEx(&lock, 0);
        readerIn = true;
        ExReleasePushLockSharedEx(&lock, 0);
    });
    ASSERT_TRUE(WaitUntil([&] { return (__atomic_load_n(&lock, __ATOMIC_RELAXED) & 4) != 0; }));
    EXPECT_FALSE(readerIn);
    ExReleasePushLockExclusiveEx(&lock, 0);
    reader.join();
    EXPECT_TRUE(readerIn);
    EXPECT_EQ(lock, 0u);
}

TEST(ExPushLock, FltFormsEnterAndLeaveACriticalRegion) {
    EX_PUSH_LOCK lock;
    FltInitializePushLock(&lock);
    EXPECT_EQ(lock, 0u);
    EXPECT_FALSE(KeAreApcsDisabled());
    FltAcquirePushLockExclusive(&lock);
    EXPECT_TRUE(KeAreApcsDisabled());
    EXPECT_EQ(lock, 1u);
    FltReleasePushLock(&lock);
    EXPECT_FALSE(KeAreApcsDisabled());
    FltAcquirePushLockShared(&lock);
    EXPECT_TRUE(KeAreApcsDisabled());
    EXPECT_EQ(lock, 16u);
    FltReleasePushLock(&lock);
    EXPECT_FALSE(KeAreApcsDisabled());
    EXPECT_EQ(lock, 0u);
    FltDeletePushLock(&lock);
}

TEST(ExPushLock, BadReleaseAndDeleteBugCheck) {
    EX_PUSH_LOCK lock = 0;
    auto exclusive = ExpectBugCheck([&] { ExReleasePushLockExclusiveEx(&lock, 0); });
    EXPECT_EQ(exclusive.code, 0xC4u);
    EXPECT_EQ(exclusive.p1, 0x1007u);
    EXPECT_EQ(exclusive.p2, reinterpret_cast<ULONG_PTR>(&lock));
    auto shared = ExpectBugCheck([&] { ExReleasePushLockSharedEx(&lock, 0); });
    EXPECT_EQ(shared.p1, 0x1007u);
    ExAcquirePushLockExclusiveEx(&lock, 0);
    auto wrongMode = ExpectBugCheck([&] { ExReleasePushLockSharedEx(&lock, 0); });
    EXPECT_EQ(wrongMode.p1, 0x1007u);
    auto held = ExpectBugCheck([&] { FltDeletePushLock(&lock); });
    EXPECT_EQ(held.code, 0xC4u);
    EXPECT_EQ(held.p1, 0x100Bu);
    EXPECT_EQ(held.p2, reinterpret_cast<ULONG_PTR>(&lock));
    ExReleasePushLockExclusiveEx(&lock, 0);
    EXPECT_EQ(lock, 0u);
}
