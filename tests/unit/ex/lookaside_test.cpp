// Lookaside lists: initial fields, statistics after allocate/free sequences, custom routines,
// deletion, Ex-list validation and the periodic depth scan.
#include <set>

#include "ex_test_support.h"

using namespace ex_test;
using ntsim::ex::QueryPoolBlock;

namespace {

template <typename L> void ExpectFreshList(const L& l, POOL_TYPE type, ULONG size, ULONG tag) {
    EXPECT_EQ(l.Depth, 4);
    EXPECT_EQ(l.MaximumDepth, 256);
    EXPECT_EQ(l.TotalAllocates, 0u);
    EXPECT_EQ(l.AllocateMisses, 0u);
    EXPECT_EQ(l.TotalFrees, 0u);
    EXPECT_EQ(l.FreeMisses, 0u);
    EXPECT_EQ(l.Type, type);
    EXPECT_EQ(l.Tag, tag);
    EXPECT_EQ(l.Size, size);
    EXPECT_NE(l.Allocate, nullptr);
    EXPECT_NE(l.Free, nullptr);
    EXPECT_EQ(l.ListHead.Alignment, 0u);
    EXPECT_EQ(l.ListHead.Region, 0u);
}

} // namespace

TEST(NPagedLookaside, StatisticsFollowAllocateFreeSequence) {
    const ULONG tag = PoolTag("Lkn1");
    NPAGED_LOOKASIDE_LIST list;
    std::memset(&list, 0xAB, sizeof(list));
    const size_t activeBefore = ntsim::ex::ActiveLookasideListCount();
    ExInitializeNPagedLookasideList(&list, nullptr, nullptr, 0, 40, tag, 0);
    EXPECT_EQ(ntsim::ex::ActiveLookasideListCount(), activeBefore + 1);
    ExpectFreshList(list.L, NonPagedPool, 40, tag);

    const auto row0 = TagRow(tag, false);
    void* e[6];
    for (auto& p : e) {
        p = ExAllocateFromNPagedLookasideList(&list);
        ASSERT_NE(p, nullptr);
        EXPECT_TRUE(IsAligned(p, 16));
    }
    EXPECT_EQ(list.L.TotalAllocates, 6u);
    EXPECT_EQ(list.L.AllocateMisses, 6u);
    EXPECT_EQ(TagRow(tag, false).allocs - row0.allocs, 6u);
    EXPECT_EQ(TagRow(tag, false).bytes - row0.bytes, 240u);

    for (auto& p : e)
        ExFreeToNPagedLookasideList(&list, p);
    EXPECT_EQ(list.L.TotalFrees, 6u);
    EXPECT_EQ(list.L.FreeMisses, 2u); // Depth 4: the first four are cached
    EXPECT_EQ(ExQueryDepthSList(&list.L.ListHead), 4);
    EXPECT_EQ(TagRow(tag, false).frees - row0.frees, 2u);

    // Cached entries come back last-in first-out, then misses allocate again.
    void* a = ExAllocateFromNPagedLookasideList(&list);
    EXPECT_EQ(a, e[3]);
    void* more[4];
    for (auto& p : more)
        p = ExAllocateFromNPagedLookasideList(&list);
    EXPECT_EQ(list.L.TotalAllocates, 11u);
    EXPECT_EQ(list.L.AllocateMisses, 7u);
    EXPECT_EQ(ExQueryDepthSList(&list.L.ListHead), 0);

    // Delete frees only what is cached; outstanding entries stay allocated.
    ExFreeToNPagedLookasideList(&list, a);
    ExFreeToNPagedLookasideList(&list, more[0]);
    ExDeleteNPagedLookasideList(&list);
    EXPECT_EQ(ntsim::ex::ActiveLookasideListCount(), activeBefore);
    EXPECT_FALSE(QueryPoolBlock(a, nullptr));
    EXPECT_FALSE(QueryPoolBlock(more[0], nullptr));
    for (int i = 1; i < 4; ++i) {
        ASSERT_TRUE(QueryPoolBlock(more[i], nullptr));
        ExFreePoolWithTag(more[i], tag);
    }
    EXPECT_EQ(TagRow(tag, false).bytes, row0.bytes);
}

TEST(PagedLookaside, EntriesComeFromPagedPool) {
    const ULONG tag = PoolTag("Lkp1");
    PAGED_LOOKASIDE_LIST list;
    ExInitializePagedLookasideList(&list, nullptr, nullptr, 0, 16, tag, 0);
    ExpectFreshList(list.L, PagedPool, 16, tag);
    void* p = ExAllocateFromPagedLookasideList(&list);
    ASSERT_NE(p, nullptr);
    ntsim::ex::LiveAllocation info{};
    ASSERT_TRUE(QueryPoolBlock(p, &info));
    EXPECT_TRUE(info.paged);
    EXPECT_EQ(info.size, 16u);
    EXPECT_EQ(info.tag, tag);
    ExFreeToPagedLookasideList(&list, p);
    EXPECT_EQ(list.L.TotalFrees, 1u);
    EXPECT_EQ(list.L.FreeMisses, 0u);
    ExDeletePagedLookasideList(&list);
    EXPECT_FALSE(QueryPoolBlock(p, nullptr));
}

TEST(PagedLookaside, SizeBelowMinimumIsRaisedToOneSlistEntry) {
    PAGED_LOOKASIDE_LIST list;
    ExInitializePagedLookasideList(&list, nullptr, nullptr, 0, 1, PoolTag("Lkp2"), 0);
    EXPECT_EQ(LOOKASIDE_MINIMUM_BLOCK_SIZE, 8u);
    EXPECT_EQ(list.L.Size, LOOKASIDE_MINIMUM_BLOCK_SIZE);
    ExDeletePagedLookasideList(&list);
}

namespace {
struct ClassicCalls {
    int allocates = 0;
    int frees = 0;
    POOL_TYPE type{};
    SIZE_T size = 0;
    ULONG tag = 0;
    std::set<void*> live;
} g_classic;

PVOID ClassicAllocate(POOL_TYPE type, SIZE_T size, ULONG tag) {
    ++g_classic.allocates;
    g_classic.type = type;
    g_classic.size = size;
    g_classic.tag = tag;
    void* p = ExAllocatePoolWithTag(type, size, tag);
    g_classic.live.insert(p);
    return p;
}
VOID ClassicFree(PVOID p) {
    ++g_classic.frees;
    g_classic.live.erase(p);
    ExFreePool(p);
}
} // namespace

TEST(NPagedLookaside, CallsCustomRoutinesOnMissAndWhenFull) {
    g_classic = {};
    const ULONG tag = PoolTag("Lkn2");
    NPAGED_LOOKASIDE_LIST list;
    ExInitializeNPagedLookasideList(&list, ClassicAllocate, ClassicFree, POOL_NX_ALLOCATION, 24,
                                    tag, 0);
    EXPECT_EQ(list.L.Allocate, &ClassicAllocate);
    EXPECT_EQ(list.L.Free, &ClassicFree);
    EXPECT_EQ(list.L.Type, POOL_TYPE(NonPagedPool | POOL_NX_ALLOCATION));
    void* e[5];
    for (auto& p : e)
        p = ExAllocateFromNPagedLookasideList(&list);
    EXPECT_EQ(g_classic.allocates, 5);
    EXPECT_EQ(g_classic.type, POOL_TYPE(NonPagedPool | POOL_NX_ALLOCATION));
    EXPECT_EQ(g_classic.size, 24u);
    EXPECT_EQ(g_classic.tag, tag);
    for (auto& p : e)
        ExFreeToNPagedLookasideList(&list, p);
    EXPECT_EQ(g_classic.frees, 1);
    EXPECT_EQ(list.L.FreeMisses, 1u);
    ExDeleteNPagedLookasideList(&list); // frees the four cached entries through ClassicFree
    EXPECT_EQ(g_classic.frees, 5);
    EXPECT_TRUE(g_classic.live.empty());
}

TEST(NPagedLookaside, RaiseFlagRaisesWhenTheDefaultAllocatorFails) {
    NPAGED_LOOKASIDE_LIST list;
    ExInitializeNPagedLookasideList(&list, nullptr, nullptr, POOL_RAISE_IF_ALLOCATION_FAILURE, 32,
                                    PoolTag("Lkn3"), 0);
    {
        FailAllocations fail;
        EXPECT_EQ(ExpectRaise([&] { ExAllocateFromNPagedLookasideList(&list); }),
                  STATUS_INSUFFICIENT_RESOURCES);
    }
    EXPECT_EQ(list.L.AllocateMisses, 1u);
    ExDeleteNPagedLookasideList(&list);

    ExInitializeNPagedLookasideList(&list, nullptr, nullptr, 0, 32, PoolTag("Lkn3"), 0);
    {
        FailAllocations fail;
        EXPECT_EQ(ExAllocateFromNPagedLookasideList(&list), nullptr);
    }
    ExDeleteNPagedLookasideList(&list);
}

TEST(NPagedLookaside, DeletingTwiceOrNeverInitialisedBugChecks) {
    NPAGED_LOOKASIDE_LIST list;
    ExInitializeNPagedLookasideList(&list, nullptr, nullptr, 0, 32, PoolTag("Lkn4"), 0);
    ExDeleteNPagedLookasideList(&list);
    auto bc = ExpectBugCheck([&] { ExDeleteNPagedLookasideList(&list); });
    EXPECT_EQ(bc.code, 0x139u);
    EXPECT_EQ(bc.p1, 3u); // LIST_ENTRY corruption

    PAGED_LOOKASIDE_LIST never{};
    bc = ExpectBugCheck([&] { ExDeletePagedLookasideList(&never); });
    EXPECT_EQ(bc.code, 0x139u);
}

// ---- LOOKASIDE_LIST_EX --------------------------------------------------------------------------

namespace {
struct DriverContext {
    int allocates = 0;
    int frees = 0;
    PLOOKASIDE_LIST_EX seenList = nullptr;
    LOOKASIDE_LIST_EX Lookaside;
};

PVOID ContextAllocate(POOL_TYPE type, SIZE_T size, ULONG tag, PLOOKASIDE_LIST_EX lookaside) {
    auto* ctx = CONTAINING_RECORD(lookaside, DriverContext, Lookaside);
    ++ctx->allocates;
    ctx->seenList = lookaside;
    return ExAllocatePoolWithTag(POOL_TYPE(type & ~POOL_QUOTA_FAIL_INSTEAD_OF_RAISE), size, tag);
}
VOID ContextFree(PVOID p, PLOOKASIDE_LIST_EX lookaside) {
    auto* ctx = CONTAINING_RECORD(lookaside, DriverContext, Lookaside);
    ++ctx->frees;
    ExFreePool(p);
}
} // namespace

TEST(LookasideListEx, CustomRoutinesReceiveTheList) {
    const ULONG tag = PoolTag("Lke1");
    auto ctx = std::make_unique<DriverContext>();
    ASSERT_EQ(ExInitializeLookasideListEx(&ctx->Lookaside, ContextAllocate, ContextFree,
                                          NonPagedPoolNx, 0, 48, tag, 0),
              STATUS_SUCCESS);
    const GENERAL_LOOKASIDE_POOL& l = ctx->Lookaside.L;
    EXPECT_EQ(l.Depth, 4);
    EXPECT_EQ(l.MaximumDepth, 256);
    EXPECT_EQ(l.Type, NonPagedPoolNx);
    EXPECT_EQ(l.Size, 48u);
    EXPECT_EQ(l.Tag, tag);
    EXPECT_EQ(l.AllocateEx, &ContextAllocate);
    EXPECT_EQ(l.FreeEx, &ContextFree);

    void* e[7];
    for (auto& p : e)
        p = ExAllocateFromLookasideListEx(&ctx->Lookaside);
    EXPECT_EQ(ctx->allocates, 7);
    EXPECT_EQ(ctx->seenList, &ctx->Lookaside);
    for (auto& p : e)
        ExFreeToLookasideListEx(&ctx->Lookaside, p);
    EXPECT_EQ(l.TotalAllocates, 7u);
    EXPECT_EQ(l.AllocateMisses, 7u);
    EXPECT_EQ(l.TotalFrees, 7u);
    EXPECT_EQ(l.FreeMisses, 3u);
    EXPECT_EQ(ctx->frees, 3);

    void* again = ExAllocateFromLookasideListEx(&ctx->Lookaside);
    EXPECT_EQ(again, e[3]); // e[0..3] were cached, e[4..6] freed
    EXPECT_EQ(l.TotalAllocates, 8u);
    EXPECT_EQ(l.AllocateMisses, 7u);

    ExFlushLookasideListEx(&ctx->Lookaside); // frees the three still cached
    EXPECT_EQ(ctx->frees, 6);
    EXPECT_EQ(ExQueryDepthSList(const_cast<PSLIST_HEADER>(&l.ListHead)), 0);
    ExFreeToLookasideListEx(&ctx->Lookaside, again);
    ExDeleteLookasideListEx(&ctx->Lookaside);
    EXPECT_EQ(ctx->frees, 7);
}

TEST(LookasideListEx, DefaultRoutinesUseThePool) {
    const ULONG tag = PoolTag("Lke2");
    LOOKASIDE_LIST_EX list;
    ASSERT_EQ(ExInitializeLookasideListEx(&list, nullptr, nullptr, PagedPool, 0, 100, tag, 0),
              STATUS_SUCCESS);
    const auto row0 = TagRow(tag, true);
    void* p = ExAllocateFromLookasideListEx(&list);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(TagRow(tag, true).allocs - row0.allocs, 1u);
    EXPECT_EQ(TagRow(tag, true).bytes - row0.bytes, 100u);
    ExFreeToLookasideListEx(&list, p);
    EXPECT_TRUE(QueryPoolBlock(p, nullptr)); // cached
    ExDeleteLookasideListEx(&list);
    EXPECT_FALSE(QueryPoolBlock(p, nullptr));
    EXPECT_EQ(TagRow(tag, true).bytes, row0.bytes);
}

TEST(LookasideListEx, RejectsInvalidPoolTypeAndFlags) {
    LOOKASIDE_LIST_EX list;
    const size_t active = ntsim::ex::ActiveLookasideListCount();
    EXPECT_EQ(ExInitializeLookasideListEx(&list, nullptr, nullptr, NonPagedPoolMustSucceed, 0, 8,
                                          PoolTag("Lke3"), 0),
              STATUS_INVALID_PARAMETER_4);
    EXPECT_EQ(ExInitializeLookasideListEx(&list, nullptr, nullptr, POOL_TYPE(0x4000), 0, 8,
                                          PoolTag("Lke3"), 0),
              STATUS_INVALID_PARAMETER_4);
    EXPECT_EQ(ExInitializeLookasideListEx(&list, ContextAllocate, ContextFree, PagedPool,
                                          EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL |
                                              EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE,
                                          8, PoolTag("Lke3"), 0),
              STATUS_INVALID_PARAMETER_5);
    EXPECT_EQ(ExInitializeLookasideListEx(&list, nullptr, nullptr, PagedPool, 0x10, 8,
                                          PoolTag("Lke3"), 0),
              STATUS_INVALID_PARAMETER_5);
    EXPECT_EQ(ExInitializeLookasideListEx(&list, nullptr, nullptr, PagedPool,
                                          EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE, 8,
                                          PoolTag("Lke3"), 0),
              STATUS_INVALID_PARAMETER_5);
    EXPECT_EQ(ntsim::ex::ActiveLookasideListCount(), active);
}

TEST(LookasideListEx, FlagsAreFoldedIntoTheType) {
    auto ctx = std::make_unique<DriverContext>();
    ASSERT_EQ(ExInitializeLookasideListEx(&ctx->Lookaside, ContextAllocate, ContextFree, PagedPool,
                                          EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE, 8,
                                          PoolTag("Lke4"), 0),
              STATUS_SUCCESS);
    EXPECT_EQ(ctx->Lookaside.L.Type, POOL_TYPE(PagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE));
    ExDeleteLookasideListEx(&ctx->Lookaside);

    LOOKASIDE_LIST_EX list;
    ASSERT_EQ(ExInitializeLookasideListEx(&list, nullptr, nullptr, NonPagedPoolNx,
                                          EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL, 8,
                                          PoolTag("Lke4"), 0),
              STATUS_SUCCESS);
    EXPECT_EQ(list.L.Type, POOL_TYPE(NonPagedPoolNx | POOL_RAISE_IF_ALLOCATION_FAILURE));
    {
        FailAllocations fail;
        EXPECT_EQ(ExpectRaise([&] { ExAllocateFromLookasideListEx(&list); }),
                  STATUS_INSUFFICIENT_RESOURCES);
    }
    ExDeleteLookasideListEx(&list);
    auto bc = ExpectBugCheck([&] { ExDeleteLookasideListEx(&list); });
    EXPECT_EQ(bc.code, 0x139u);
}

TEST(LookasideScan, DepthGrowsWithMissesAndShrinksWhenIdle) {
    LOOKASIDE_LIST_EX list;
    ASSERT_EQ(ExInitializeLookasideListEx(&list, nullptr, nullptr, NonPagedPoolNx, 0, 32,
                                          PoolTag("Lks1"), 0),
              STATUS_SUCCESS);
    ntsim::ex::AdjustLookasideDepths(); // baseline for every list
    std::vector<void*> blocks;
    for (int i = 0; i < 200; ++i)
        blocks.push_back(ExAllocateFromLookasideListEx(&list));
    ntsim::ex::AdjustLookasideDepths(); // 100% misses
    EXPECT_GT(list.L.Depth, 4);
    EXPECT_LE(list.L.Depth, 256);
    EXPECT_EQ(list.L.LastTotalAllocates, 200u);
    EXPECT_EQ(list.L.LastAllocateMisses, 200u);
    const USHORT grown = list.L.Depth;
    for (void* b : blocks)
        ExFreeToLookasideListEx(&list, b);
    EXPECT_EQ(ExQueryDepthSList(&list.L.ListHead), grown);
    for (int i = 0; i < 100; ++i)
        ntsim::ex::AdjustLookasideDepths(); // idle
    EXPECT_EQ(list.L.Depth, 4);
    ExDeleteLookasideListEx(&list);
}
