#include "locks_test_util.h"

using ex_test::ExpectBugCheck;
using locks_test::Helper;
using locks_test::WaitUntil;

namespace {

// An initialised resource deleted at the end of the test.
struct Resource {
    ERESOURCE r;
    Resource() { EXPECT_EQ(ExInitializeResourceLite(&r), STATUS_SUCCESS); }
    ~Resource() { ExDeleteResourceLite(&r); }
    PERESOURCE operator&() { return &r; }
};

} // namespace

TEST(ExResource, InitializeAndDeleteTrackTheSystemList) {
    size_t before = ntsim::ex::ActiveResourceCount();
    ERESOURCE r;
    memset(&r, 0xAB, sizeof(r));
    ASSERT_EQ(ExInitializeResourceLite(&r), STATUS_SUCCESS);
    EXPECT_EQ(ntsim::ex::ActiveResourceCount(), before + 1);
    EXPECT_EQ(r.Flag, 0);
    EXPECT_EQ(r.ActiveEntries, 0u);
    EXPECT_EQ(r.ActiveCount, 0);
    EXPECT_EQ(r.NumberOfSharedWaiters, 0u);
    EXPECT_EQ(r.NumberOfExclusiveWaiters, 0u);
    EXPECT_NE(r.SharedWaiters, nullptr);
    EXPECT_NE(r.ExclusiveWaiters, nullptr);
    EXPECT_EQ(ExDeleteResourceLite(&r), STATUS_SUCCESS);
    EXPECT_EQ(ntsim::ex::ActiveResourceCount(), before);
}

TEST(ExResource, ExclusiveIsRecursiveAndIncludesShared) {
    Resource r;
    ASSERT_TRUE(ExAcquireResourceExclusiveLite(&r, TRUE));
    EXPECT_TRUE(ExIsResourceAcquiredExclusiveLite(&r));
    EXPECT_TRUE(r.r.Flag & ResourceOwnedExclusive);
    EXPECT_EQ(r.r.OwnerEntry.OwnerThread, ExGetCurrentResourceThread());
    EXPECT_TRUE(ExAcquireResourceExclusiveLite(&r, FALSE));
    EXPECT_TRUE(ExAcquireResourceSharedLite(&r, FALSE)); // shared by the exclusive owner
    EXPECT_EQ(ExIsResourceAcquiredSharedLite(&r), 3u);
    EXPECT_EQ(ExIsResourceAcquiredLite(&r), 3u);
    EXPECT_EQ(r.r.ActiveEntries, 1u);
    ExReleaseResourceLite(&r);
    ExReleaseResourceLite(&r);
    EXPECT_TRUE(ExIsResourceAcquiredExclusiveLite(&r));
    ExReleaseResourceLite(&r);
    EXPECT_FALSE(ExIsResourceAcquiredExclusiveLite(&r));
    EXPECT_EQ(ExIsResourceAcquiredSharedLite(&r), 0u);
    EXPECT_EQ(r.r.Flag & ResourceOwnedExclusive, 0);
    EXPECT_EQ(r.r.ActiveEntries, 0u);
}

TEST(ExResource, SharedOwnersCoexistAndBlockExclusive) {
    Resource r;
    ASSERT_TRUE(ExAcquireResourceSharedLite(&r, TRUE));
    EXPECT_TRUE(ExAcquireResourceSharedLite(&r, TRUE)); // recursive shared
    EXPECT_EQ(ExIsResourceAcquiredSharedLite(&r), 2u);
    EXPECT_FALSE(ExIsResourceAcquiredExclusiveLite(&r));
    std::atomic<int> otherShared{-1}, otherExclusive{-1};
    std::thread([&] {
        otherShared = ExAcquireResourceSharedLite(&r, FALSE);
        otherExclusive = ExAcquireResourceExclusiveLite(&r, FALSE);
        EXPECT_EQ(r.r.ActiveEntries, 2u);
        if (otherShared) ExReleaseResourceLite(&r);
    }).join();
    EXPECT_EQ(otherShared, TRUE);
    EXPECT_EQ(otherExclusive, FALSE);
    ExReleaseResourceLite(&r);
    ExReleaseResourceLite(&r);
    EXPECT_EQ(r.r.ActiveEntries, 0u);
}

TEST(ExResource, ExclusiveOwnerBlocksEveryoneElseWithoutWait) {
    Resource r;
    ASSERT_TRUE(ExAcquireResourceExclusiveLite(&r, TRUE));
    std::atomic<int> shared{-1}, starve{-1}, exclusive{-1};
    std::thread([&] {
        shared = ExAcquireResourceSharedLite(&r, FALSE);
        starve = ExAcquireSharedStarveExclusive(&r, FALSE);
        exclusive = ExAcquireResourceExclusiveLite(&r, FALSE);
    }).join();
    EXPECT_EQ(shared, FALSE);
    EXPECT_EQ(starve, FALSE);
    EXPECT_EQ(exclusive, FALSE);
    EXPECT_EQ(ExGetSharedWaiterCount(&r), 0u);
    EXPECT_EQ(ExGetExclusiveWaiterCount(&r), 0u);
    ExReleaseResourceLite(&r);
}

TEST(ExResource, ExclusiveWaiterHoldsBackNewSharedRequestsButNotStarveExclusive) {
    Resource r;
    ASSERT_TRUE(ExAcquireResourceSharedLite(&r, TRUE));
    std::atomic<bool> gotExclusive{false};
    std::thread writer([&] {
        ExAcquireResourceExclusiveLite(&r, TRUE);
        gotExclusive = ExIsResourceAcquiredExclusiveLite(&r);
        ExReleaseResourceLite(&r);
    });
    ASSERT_TRUE(WaitUntil([&] { return ExGetExclusiveWaiterCount(&r) == 1; }));
    std::atomic<int> lite{-1}, waitForExclusive{-1}, starve{-1};
    std::thread([&] {
        lite = ExAcquireResourceSharedLite(&r, FALSE);
        waitForExclusive = ExAcquireSharedWaitForExclusive(&r, FALSE);
        starve = ExAcquireSharedStarveExclusive(&r, FALSE);
        if (starve) ExReleaseResourceLite(&r);
    }).join();
    EXPECT_EQ(lite, FALSE);
    EXPECT_EQ(waitForExclusive, FALSE);
    EXPECT_EQ(starve, TRUE);
    EXPECT_FALSE(gotExclusive);
    ExReleaseResourceLite(&r); // hands the resource to the writer
    writer.join();
    EXPECT_TRUE(gotExclusive);
    EXPECT_EQ(ExGetExclusiveWaiterCount(&r), 0u);
    EXPECT_EQ(r.r.ActiveEntries, 0u);
}

TEST(ExResource, ExclusiveReleaseWakesEverySharedWaiter) {
    Resource r;
    ASSERT_TRUE(ExAcquireResourceExclusiveLite(&r, TRUE));
    constexpr int kReaders = 3;
    std::atomic<int> inside{0}, maxInside{0};
    std::atomic<bool> leave{false};
    std::vector<std::thread> readers;
    for (int i = 0; i < kReaders; ++i)
        readers.emplace_back([&] {
            ExAcquireResourceSharedLite(&r, TRUE);
            int n = ++inside;
            int m = maxInside;
            while (n > m && !maxInside.compare_exchange_weak(m, n)) {
            }
            while (!leave)
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            ExReleaseResourceLite(&r);
        });
    ASSERT_TRUE(WaitUntil([&] { return ExGetSharedWaiterCount(&r) == kReaders; }));
    EXPECT_EQ(inside, 0);
    ExReleaseResourceLite(&r);
    ASSERT_TRUE(WaitUntil([&] { return inside.load() == kReaders; }));
    EXPECT_EQ(ExGetSharedWaiterCount(&r), 0u);
    EXPECT_EQ(r.r.ActiveEntries, ULONG(kReaders));
    leave = true;
    for (auto& t : readers)
        t.join();
    EXPECT_EQ(maxInside, kReaders);
    EXPECT_EQ(r.r.ActiveEntries, 0u);
}

TEST(ExResource, ConvertExclusiveToSharedAdmitsSharedWaiters) {
    Resource r;
    ASSERT_TRUE(ExAcquireResourceExclusiveLite(&r, TRUE));
    ASSERT_TRUE(ExAcquireResourceExclusiveLite(&r, TRUE));
    std::atomic<bool> reader{false};
    std::thread t([&] {
        ExAcquireResourceSharedLite(&r, TRUE);
        reader = true;
        ExReleaseResourceLite(&r);
    });
    ASSERT_TRUE(WaitUntil([&] { return ExGetSharedWaiterCount(&r) == 1; }));
    ExConvertExclusiveToSharedLite(&r);
    t.join();
    EXPECT_TRUE(reader);
    EXPECT_FALSE(ExIsResourceAcquiredExclusiveLite(&r));
    EXPECT_EQ(ExIsResourceAcquiredSharedLite(&r), 2u); // the recursion count is kept
    ExReleaseResourceLite(&r);
    ExReleaseResourceLite(&r);
    EXPECT_EQ(r.r.ActiveEntries, 0u);
}

TEST(ExResource, ReleaseForThreadAndOwnerPointer) {
    Resource r;
    std::atomic<ERESOURCE_THREAD> reader{0};
    std::thread([&] {
        ExAcquireResourceSharedLite(&r, TRUE);
        reader = ExGetCurrentResourceThread();
    }).join();
    EXPECT_EQ(ExIsResourceAcquiredSharedLite(&r), 0u);
    ExReleaseResourceForThreadLite(&r, reader);
    EXPECT_EQ(r.r.ActiveEntries, 0u);

    static int cookie;
    auto pointer = reinterpret_cast<ERESOURCE_THREAD>(&cookie) | 3;
    ASSERT_TRUE(ExAcquireResourceExclusiveLite(&r, TRUE));
    ExSetResourceOwnerPointer(&r, reinterpret_cast<PVOID>(pointer));
    EXPECT_FALSE(ExIsResourceAcquiredExclusiveLite(&r));
    std::thread([&] { ExReleaseResourceForThreadLite(&r, pointer); }).join();
    EXPECT_EQ(r.r.ActiveEntries, 0u);
    EXPECT_TRUE(ExAcquireResourceExclusiveLite(&r, FALSE));
    ExReleaseResourceLite(&r);
}

TEST(ExResource, CriticalRegionCombinedCalls) {
    Resource r;
    EXPECT_EQ(ExEnterCriticalRegionAndAcquireResourceExclusive(&r), nullptr);
    EXPECT_TRUE(ExIsResourceAcquiredExclusiveLite(&r));
    ExReleaseResourceAndLeaveCriticalRegion(&r);
    EXPECT_EQ(ExEnterCriticalRegionAndAcquireResourceShared(&r), nullptr);
    EXPECT_EQ(ExIsResourceAcquiredSharedLite(&r), 1u);
    ExReleaseResourceAndLeaveCriticalRegion(&r);
    EXPECT_EQ(ExEnterCriticalRegionAndAcquireSharedWaitForExclusive(&r), nullptr);
    EXPECT_EQ(ExIsResourceAcquiredSharedLite(&r), 1u);
    ExReleaseResourceAndLeaveCriticalRegion(&r);
    EXPECT_EQ(r.r.ActiveEntries, 0u);
}

TEST(ExResource, ReinitializeResetsCounters) {
    Resource r;
    ASSERT_TRUE(ExAcquireResourceExclusiveLite(&r, TRUE));
    ExReleaseResourceLite(&r);
    r.r.ContentionCount = 7;
    EXPECT_EQ(ExReinitializeResourceLite(&r), STATUS_SUCCESS);
    EXPECT_EQ(r.r.ContentionCount, 0u);
    EXPECT_EQ(r.r.Flag, 0);
    EXPECT_TRUE(ExAcquireResourceSharedLite(&r, FALSE));
    ExReleaseResourceLite(&r);
}

TEST(ExResource, ReleaseByANonOwnerIsResourceNotOwned) {
    Resource r;
    auto unowned = ExpectBugCheck([&] { ExReleaseResourceLite(&r); });
    EXPECT_EQ(unowned.code, 0xE3u);
    EXPECT_EQ(unowned.p1, reinterpret_cast<ULONG_PTR>(&r));
    EXPECT_EQ(unowned.p2, ExGetCurrentResourceThread());

    Helper holder([&] { ExAcquireResourceExclusiveLite(&r, TRUE); },
                  [&] { ExReleaseResourceLite(&r); });
    ASSERT_TRUE(holder.Started());
    auto other = ExpectBugCheck([&] { ExReleaseResourceLite(&r); });
    EXPECT_EQ(other.code, 0xE3u);
    EXPECT_EQ(other.p2, ExGetCurrentResourceThread());
    holder.Finish();

    Helper reader([&] { ExAcquireResourceSharedLite(&r, TRUE); },
                  [&] { ExReleaseResourceLite(&r); });
    ASSERT_TRUE(reader.Started());
    auto shared = ExpectBugCheck([&] { ExReleaseResourceLite(&r); });
    EXPECT_EQ(shared.code, 0xE3u);
    EXPECT_NE(shared.p3, 0u); // the shared owner table
    reader.Finish();
    EXPECT_EQ(r.r.ActiveEntries, 0u);
}

TEST(ExResource, SharedOwnerAskingForExclusiveIsASelfDeadlock) {
    Resource r;
    ASSERT_TRUE(ExAcquireResourceSharedLite(&r, TRUE));
    EXPECT_FALSE(ExAcquireResourceExclusiveLite(&r, FALSE));
    auto e = ExpectBugCheck([&] { ExAcquireResourceExclusiveLite(&r, TRUE); });
    EXPECT_EQ(e.code, 0xC4u);
    EXPECT_EQ(e.p1, 0x1000u);
    EXPECT_EQ(e.p2, reinterpret_cast<ULONG_PTR>(&r));
    EXPECT_EQ(ExGetExclusiveWaiterCount(&r), 0u);
    ExReleaseResourceLite(&r);
}

TEST(ExResource, DeletingAnOwnedResourceBugChecks) {
    Resource r;
    ASSERT_TRUE(ExAcquireResourceExclusiveLite(&r, TRUE));
    auto e = ExpectBugCheck([&] { ExDeleteResourceLite(&r); });
    EXPECT_EQ(e.code, 0xC4u);
    EXPECT_EQ(e.p1, 0x100Bu);
    EXPECT_EQ(e.p2, reinterpret_cast<ULONG_PTR>(&r));
    EXPECT_EQ(e.p3, ExGetCurrentResourceThread());
    ExReleaseResourceLite(&r);
}

TEST(ExResource, AcquireAboveApcLevelBugChecks) {
    Resource r;
    KIRQL old = KeRaiseIrqlToDpcLevel();
    auto e = ExpectBugCheck([&] { ExAcquireResourceSharedLite(&r, FALSE); });
    auto x = ExpectBugCheck([&] { ExAcquireResourceExclusiveLite(&r, FALSE); });
    KeLowerIrql(old);
    EXPECT_EQ(e.code, 0xC4u);
    EXPECT_EQ(e.p1, 0x20007u);
    EXPECT_EQ(x.p1, 0x20007u);
    EXPECT_EQ(r.r.ActiveEntries, 0u);
}

TEST(ExResource, UninitialisedOrDeletedResourceBugChecks) {
    ERESOURCE zeroed{};
    auto e = ExpectBugCheck([&] { ExAcquireResourceExclusiveLite(&zeroed, TRUE); });
    EXPECT_EQ(e.code, 0xC4u);
    EXPECT_EQ(e.p1, 0x1002u);
    EXPECT_EQ(e.p2, reinterpret_cast<ULONG_PTR>(&zeroed));
    ERESOURCE r;
    ASSERT_EQ(ExInitializeResourceLite(&r), STATUS_SUCCESS);
    ASSERT_EQ(ExDeleteResourceLite(&r), STATUS_SUCCESS);
    auto twice = ExpectBugCheck([&] { ExDeleteResourceLite(&r); });
    EXPECT_EQ(twice.p1, 0x1002u);
}
