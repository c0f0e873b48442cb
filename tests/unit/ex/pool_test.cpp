// Pool allocators, frees, accounting and the pool's bug checks.
#include <cstring>
#include <memory>

#include "ex_test_support.h"

using namespace ex_test;
using ntsim::ex::QueryPoolBlock;

namespace {

ULONG ReadTagBeforeBlock(const void* p) {
    ULONG tag;
    std::memcpy(&tag, static_cast<const char*>(p) - 12, sizeof(tag)); // POOL_HEADER.PoolTag
    return tag;
}

} // namespace

// ---- ExAllocatePool2 ----------------------------------------------------------------------------

TEST(ExAllocatePool2, ZeroesNonPagedBlockAlignedTo16) {
    const ULONG tag = PoolTag("Ap2a");
    auto* p = static_cast<unsigned char*>(ExAllocatePool2(POOL_FLAG_NON_PAGED, 200, tag));
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(IsAligned(p, 16));
    EXPECT_TRUE(AllBytes(p, 200, 0));
    ntsim::ex::LiveAllocation info{};
    ASSERT_TRUE(QueryPoolBlock(p, &info));
    EXPECT_EQ(info.size, 200u);
    EXPECT_EQ(info.tag, tag);
    EXPECT_FALSE(info.paged);
    EXPECT_EQ(ReadTagBeforeBlock(p), tag);
    ExFreePoolWithTag(p, tag);
    EXPECT_FALSE(QueryPoolBlock(p, nullptr));
}

TEST(ExAllocatePool2, UninitializedFlagLeavesRecognisablePattern) {
    const ULONG tag = PoolTag("Ap2b");
    auto* p = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_UNINITIALIZED, 64, tag);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(AllBytes(p, 64, ntsim::ex::kUninitializedFill));
    ntsim::ex::LiveAllocation info{};
    ASSERT_TRUE(QueryPoolBlock(p, &info));
    EXPECT_TRUE(info.paged);
    ExFreePool(p);
}

TEST(ExAllocatePool2, CacheAlignedAndPageSizedBlocks) {
    const ULONG tag = PoolTag("Ap2c");
    for (int i = 0; i < 8; ++i) {
        void* p = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, 24, tag);
        ASSERT_NE(p, nullptr);
        EXPECT_TRUE(IsAligned(p, 64));
        ExFreePool(p);
    }
    void* big = ExAllocatePool2(POOL_FLAG_PAGED, PAGE_SIZE + 1, tag);
    ASSERT_NE(big, nullptr);
    EXPECT_TRUE(IsAligned(big, PAGE_SIZE)); // PAGE_SIZE or more: page aligned
    EXPECT_TRUE(AllBytes(big, PAGE_SIZE + 1, 0));
    ExFreePool(big);
}

TEST(ExAllocatePool2, InvalidFlagsOrZeroTagReturnNull) {
    const ULONG tag = PoolTag("Ap2d");
    const auto before = TagRow(tag, false);
    EXPECT_EQ(ExAllocatePool2(0, 16, tag), nullptr);                       // no pool
    EXPECT_EQ(ExAllocatePool2(POOL_FLAG_UNINITIALIZED, 16, tag), nullptr); // still no pool
    EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED, 16, tag), nullptr);
    EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE, 16, tag), nullptr);
    EXPECT_EQ(ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_RESERVED1, 16, tag), nullptr);
    EXPECT_EQ(ExAllocatePool2(POOL_FLAG_PAGED | 0x0000000000010000ULL, 16, tag), nullptr);
    EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0), nullptr);
    const auto after = TagRow(tag, false);
    EXPECT_EQ(after.allocs, before.allocs);
}

TEST(ExAllocatePool2, UnknownOptionalFlagsAreIgnored) {
    const ULONG tag = PoolTag("Ap2e");
    void* p = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_SPECIAL_POOL | (1ULL << 45), 8, tag);
    ASSERT_NE(p, nullptr);
    ExFreePoolWithTag(p, tag);
}

TEST(ExAllocatePool2, RaiseOnFailureRaisesInsufficientResources) {
    const ULONG tag = PoolTag("Ap2f");
    EXPECT_EQ(ExpectRaise([&] { ExAllocatePool2(POOL_FLAG_RAISE_ON_FAILURE, 8, tag); }),
              STATUS_INSUFFICIENT_RESOURCES); // invalid flags (no pool) raise too
    {
        FailAllocations fail;
        EXPECT_EQ(ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, tag), nullptr);
        EXPECT_EQ(ExpectRaise([&] {
                      ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, 8, tag);
                  }),
                  STATUS_INSUFFICIENT_RESOURCES);
    }
    EXPECT_EQ(ExpectRaise(
                  [&] { ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, 8, 0); }),
              STATUS_INSUFFICIENT_RESOURCES);
}

TEST(ExAllocatePool2, ZeroByteRequestGetsAUniqueBlock) {
    const ULONG tag = PoolTag("Ap2g");
    void* a = ExAllocatePool2(POOL_FLAG_NON_PAGED, 0, tag);
    void* b = ExAllocatePool2(POOL_FLAG_NON_PAGED, 0, tag);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_NE(a, b);
    ExFreePool(a);
    ExFreePool(b);
}

// ---- ExAllocatePool3 ----------------------------------------------------------------------------

TEST(ExAllocatePool3, ValidatesRequiredExtendedParameters) {
    const ULONG tag = PoolTag("Ap3a");
    POOL_EXTENDED_PARAMETER param{};
    param.Type = PoolExtendedParameterPriority;
    param.Priority = HighPoolPriority;
    void* p = ExAllocatePool3(POOL_FLAG_NON_PAGED, 32, tag, &param, 1);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(AllBytes(p, 32, 0));
    ExFreePool(p);

    param.Priority = EX_POOL_PRIORITY(7); // not a priority
    EXPECT_EQ(ExAllocatePool3(POOL_FLAG_NON_PAGED, 32, tag, &param, 1), nullptr);

    POOL_EXTENDED_PARAMETER secure{};
    secure.Type = PoolExtendedParameterSecurePool; // no secure pools without VBS
    EXPECT_EQ(ExAllocatePool3(POOL_FLAG_NON_PAGED, 32, tag, &secure, 1), nullptr);
    secure.Optional = 1; // optional ones that cannot be honoured are ignored
    p = ExAllocatePool3(POOL_FLAG_NON_PAGED, 32, tag, &secure, 1);
    ASSERT_NE(p, nullptr);
    ExFreePool(p);

    POOL_EXTENDED_PARAMETER unknown{};
    unknown.Type = 0x7F;
    EXPECT_EQ(ExAllocatePool3(POOL_FLAG_PAGED, 32, tag, &unknown, 1), nullptr);
    unknown.Type = PoolExtendedParameterInvalidType;
    EXPECT_EQ(ExAllocatePool3(POOL_FLAG_PAGED, 32, tag, &unknown, 1), nullptr);

    POOL_EXTENDED_PARAMETER node{};
    node.Type = PoolExtendedParameterNumaNode;
    node.PreferredNode = 0;
    p = ExAllocatePool3(POOL_FLAG_PAGED, 32, tag, &node, 1);
    ASSERT_NE(p, nullptr);
    ExFreePool(p);
    node.PreferredNode = 5;
    EXPECT_EQ(ExAllocatePool3(POOL_FLAG_PAGED, 32, tag, &node, 1), nullptr);

    EXPECT_EQ(ExAllocatePool3(POOL_FLAG_PAGED, 32, tag, nullptr, 1), nullptr);
    p = ExAllocatePool3(POOL_FLAG_PAGED, 32, tag, nullptr, 0);
    ASSERT_NE(p, nullptr);
    ExFreePool(p);
    EXPECT_EQ(ExpectRaise([&] {
                  ExAllocatePool3(POOL_FLAG_PAGED | POOL_FLAG_RAISE_ON_FAILURE, 32, tag, &unknown,
                                  1);
              }),
              STATUS_INSUFFICIENT_RESOURCES);
}

// ---- ExAllocatePoolWithTag family
// ----------------------------------------------------------------

TEST(ExAllocatePoolWithTag, UninitializedUnlessZeroRequested) {
    const ULONG tag = PoolTag("Awta");
    void* p = ExAllocatePoolWithTag(NonPagedPoolNx, 48, tag);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(IsAligned(p, 16));
    EXPECT_TRUE(AllBytes(p, 48, ntsim::ex::kUninitializedFill));
    ExFreePoolWithTag(p, tag);

    p = ExAllocatePoolZero(PagedPool, 48, tag);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(AllBytes(p, 48, 0));
    ExFreePool(p);

    p = ExAllocatePoolUninitialized(NonPagedPoolCacheAligned, 48, tag);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(IsAligned(p, 64));
    ExFreePool(p);

    p = ExAllocatePoolPriorityZero(NonPagedPoolNx, 48, tag, LowPoolPriority);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(AllBytes(p, 48, 0));
    ExFreePool(p);
}

TEST(ExAllocatePoolWithTag, FailureReturnsNullOrRaisesWithModifier) {
    const ULONG tag = PoolTag("Awtb");
    FailAllocations fail;
    EXPECT_EQ(ExAllocatePoolWithTag(PagedPool, 8, tag), nullptr);
    EXPECT_EQ(ExpectRaise([&] {
                  ExAllocatePoolWithTag(POOL_TYPE(PagedPool | POOL_RAISE_IF_ALLOCATION_FAILURE), 8,
                                        tag);
              }),
              STATUS_INSUFFICIENT_RESOURCES);
}

TEST(ExAllocatePoolWithTag, ZeroTagBugChecks0x9B) {
    auto bc = ExpectBugCheck([] { ExAllocatePoolWithTag(PagedPool, 24, 0); });
    EXPECT_EQ(bc.code, 0xC2u);
    EXPECT_EQ(bc.p1, 0x9Bu);
    EXPECT_EQ(bc.p2, ULONG_PTR(PagedPool));
    EXPECT_EQ(bc.p3, 24u);
    EXPECT_NE(bc.p4, 0u); // caller's address
}

TEST(ExAllocatePoolWithTag, MustSucceedPoolBugChecks0x9A) {
    const ULONG tag = PoolTag("Awtc");
    auto bc = ExpectBugCheck([&] { ExAllocatePoolWithTag(NonPagedPoolMustSucceed, 24, tag); });
    EXPECT_EQ(bc.code, 0xC2u);
    EXPECT_EQ(bc.p1, 0x9Au);
    EXPECT_EQ(bc.p2, ULONG_PTR(NonPagedPoolMustSucceed));
    EXPECT_EQ(bc.p3, 24u);
    EXPECT_EQ(bc.p4, tag);
}

TEST(ExAllocatePool, UsesTheNoneTag) {
    void* p = ExAllocatePool(NonPagedPool, 16);
    ASSERT_NE(p, nullptr);
    ntsim::ex::LiveAllocation info{};
    ASSERT_TRUE(QueryPoolBlock(p, &info));
    EXPECT_EQ(info.tag, PoolTag("None"));
    EXPECT_EQ(ntsim::ex::TagToString(info.tag), "None");
    ExFreePool(p);
}

TEST(ExAllocatePoolWithQuotaTag, RaisesUnlessFailInsteadOfRaise) {
    const ULONG tag = PoolTag("Aqta");
    void* p = ExAllocatePoolQuotaZero(PagedPool, 40, tag);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(AllBytes(p, 40, 0));
    ExFreePoolWithTag(p, tag);

    FailAllocations fail;
    EXPECT_EQ(ExpectRaise([&] { ExAllocatePoolWithQuotaTag(PagedPool, 40, tag); }),
              STATUS_INSUFFICIENT_RESOURCES);
    EXPECT_EQ(ExAllocatePoolWithQuotaTag(POOL_TYPE(PagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE),
                                         40, tag),
              nullptr);
}

// ---- accounting
// ------------------------------------------------------------------------------------

TEST(PoolAccounting, CountsAllocsFreesAndBytesPerTagAndPool) {
    const ULONG tag = PoolTag("Acct");
    const auto np0 = TagRow(tag, false);
    const auto pg0 = TagRow(tag, true);
    void* a = ExAllocatePool2(POOL_FLAG_NON_PAGED, 10, tag);
    void* b = ExAllocatePoolWithTag(NonPagedPoolNx, 20, tag);
    void* c = ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 30, tag);
    void* d = ExAllocatePool2(POOL_FLAG_PAGED, 100, tag);
    auto np = TagRow(tag, false);
    auto pg = TagRow(tag, true);
    EXPECT_EQ(np.allocs - np0.allocs, 3u);
    EXPECT_EQ(np.frees - np0.frees, 0u);
    EXPECT_EQ(np.bytes - np0.bytes, 60u);
    EXPECT_EQ(pg.allocs - pg0.allocs, 1u);
    EXPECT_EQ(pg.bytes - pg0.bytes, 100u);

    ExFreePoolWithTag(b, tag);
    ExFreePool(d);
    np = TagRow(tag, false);
    pg = TagRow(tag, true);
    EXPECT_EQ(np.frees - np0.frees, 1u);
    EXPECT_EQ(np.bytes - np0.bytes, 40u);
    EXPECT_EQ(pg.frees - pg0.frees, 1u);
    EXPECT_EQ(pg.bytes - pg0.bytes, 0u);

    ExFreePool(a);
    ExFreePool(c);
    np = TagRow(tag, false);
    EXPECT_EQ(np.allocs - np0.allocs, 3u);
    EXPECT_EQ(np.frees - np0.frees, 3u);
    EXPECT_EQ(np.bytes, np0.bytes);
}

TEST(PoolAccounting, KernelInternalAllocationsAreCounted) {
    const ULONG tag = PoolTag("Kint");
    const auto before = TagRow(tag, true);
    void* p = ntsim::ex::AllocatePool(POOL_TYPE(PagedPool | POOL_ZERO_ALLOCATION), 33, tag);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(AllBytes(p, 33, 0));
    EXPECT_EQ(TagRow(tag, true).allocs - before.allocs, 1u);
    EXPECT_EQ(TagRow(tag, true).bytes - before.bytes, 33u);
    ntsim::ex::FreePool(p);
    EXPECT_EQ(TagRow(tag, true).bytes, before.bytes);
}

namespace {
__attribute__((noinline)) void* AllocateHere(ULONG tag) {
    return ExAllocatePool2(POOL_FLAG_NON_PAGED, 12, tag);
}
} // namespace

TEST(PoolAccounting, LiveAllocationsFromFiltersByCallerRange) {
    const ULONG tag = PoolTag("Live");
    void* p = AllocateHere(tag);
    ASSERT_NE(p, nullptr);
    ntsim::ex::LiveAllocation info{};
    ASSERT_TRUE(QueryPoolBlock(p, &info));
    const auto fn = reinterpret_cast<uintptr_t>(&AllocateHere);
    const auto caller = reinterpret_cast<uintptr_t>(info.caller);
    EXPECT_GT(caller, fn); // the return address inside AllocateHere
    EXPECT_LT(caller, fn + 256);

    auto inRange = ntsim::ex::LiveAllocationsFrom(caller, caller + 1);
    ASSERT_EQ(inRange.size(), 1u);
    EXPECT_EQ(inRange[0].address, p);
    EXPECT_EQ(inRange[0].size, 12u);
    EXPECT_EQ(inRange[0].tag, tag);
    EXPECT_FALSE(inRange[0].paged);
    for (const auto& a : ntsim::ex::LiveAllocationsFrom(caller + 1, caller + 4096))
        EXPECT_NE(a.address, p);
    bool found = false;
    for (const auto& a : ntsim::ex::LiveAllocationsFrom(0, UINTPTR_MAX))
        found |= a.address == p;
    EXPECT_TRUE(found);
    ExFreePool(p);
    EXPECT_TRUE(ntsim::ex::LiveAllocationsFrom(caller, caller + 1).empty());
}

TEST(PoolTags, TagToStringPrintsMemoryOrder) {
    EXPECT_EQ(ntsim::ex::TagToString(PoolTag("Abcd")), "Abcd");
    EXPECT_EQ(ntsim::ex::TagToString(0x64636241), "Abcd");
    EXPECT_EQ(ntsim::ex::TagToString(PoolTag("Irp ")), "Irp ");
    EXPECT_EQ(ntsim::ex::TagToString(PoolTag("Abcd") | PROTECTED_POOL), "Abcd");
    EXPECT_EQ(ntsim::ex::TagToString(0x00410A42), "B?A?");
}

// ---- frees and their bug checks -----------------------------------------------------------------

TEST(ExFreePoolWithTag, WrongTagBugChecks0x0A) {
    const ULONG tag = PoolTag("Ftga");
    const ULONG other = PoolTag("Oops");
    void* p = ExAllocatePool2(POOL_FLAG_PAGED, 16, tag);
    ASSERT_NE(p, nullptr);
    auto bc = ExpectBugCheck([&] { ExFreePoolWithTag(p, other); });
    EXPECT_EQ(bc.code, 0xC2u);
    EXPECT_EQ(bc.p1, 0x0Au);
    EXPECT_EQ(bc.p2, reinterpret_cast<ULONG_PTR>(p));
    EXPECT_EQ(bc.p3, tag);
    EXPECT_EQ(bc.p4, other);
    ASSERT_TRUE(QueryPoolBlock(p, nullptr)); // still allocated
    ExFreePoolWithTag(p, 0);                 // tag 0: no check, as ExFreePool
    EXPECT_FALSE(QueryPoolBlock(p, nullptr));
}

TEST(ExFreePoolWithTag, ProtectedPoolNeedsItsTag) {
    const ULONG tag = PoolTag("Prot") | PROTECTED_POOL;
    void* p = ExAllocatePoolWithTag(NonPagedPoolNx, 16, tag);
    ASSERT_NE(p, nullptr);
    auto bc = ExpectBugCheck([&] { ExFreePool(p); });
    EXPECT_EQ(bc.p1, 0x0Au);
    EXPECT_EQ(bc.p3, tag);
    bc = ExpectBugCheck([&] { ExFreePoolWithTag(p, tag & ~ULONG(PROTECTED_POOL)); });
    EXPECT_EQ(bc.p1, 0x0Au);
    ExFreePoolWithTag(p, tag);
}

TEST(ExFreePool, DoubleFreeBugChecks0x07) {
    const ULONG tag = PoolTag("Dblf");
    void* p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, tag);
    ASSERT_NE(p, nullptr);
    ExFreePool(p);
    EXPECT_TRUE(AllBytes(p, 64, ntsim::ex::kFreedFill)); // quarantined, marked freed
    auto bc = ExpectBugCheck([&] { ExFreePool(p); });
    EXPECT_EQ(bc.code, 0xC2u);
    EXPECT_EQ(bc.p1, 0x07u);
    EXPECT_EQ(bc.p2, 0u);
    EXPECT_EQ(bc.p3 >> 32, tag);         // header contents: the tag...
    EXPECT_EQ((bc.p3 >> 24) & 0xFF, 0u); // ...and a free pool type
    EXPECT_EQ(bc.p4, reinterpret_cast<ULONG_PTR>(p));
    bc = ExpectBugCheck([&] { ExFreePoolWithTag(p, tag); });
    EXPECT_EQ(bc.p1, 0x07u);
}

TEST(ExFreePool, DoubleFreeIsCaughtAfterQuarantineEviction) {
    const ULONG tag = PoolTag("Dble");
    void* p = ExAllocatePool2(POOL_FLAG_PAGED, 32, tag);
    ASSERT_NE(p, nullptr);
    ExFreePool(p);
    // Push it out of the quarantine: its memory goes back to the heap.
    std::vector<void*> blocks;
    for (int i = 0; i < 1500; ++i)
        blocks.push_back(ExAllocatePool2(POOL_FLAG_PAGED, 32, tag));
    bool reused = false;
    for (void* b : blocks) {
        reused |= (b == p);
        ExFreePool(b);
    }
    if (reused) GTEST_SKIP() << "address reused by a later allocation";
    for (int i = 0; i < 1500; ++i)
        ExFreePool(ExAllocatePool2(POOL_FLAG_PAGED, 32, tag));
    auto bc = ExpectBugCheck([&] { ExFreePool(p); });
    EXPECT_EQ(bc.code, 0xC2u);
    EXPECT_EQ(bc.p1, 0x07u);
    EXPECT_EQ(bc.p4, reinterpret_cast<ULONG_PTR>(p));
}

TEST(ExFreePool, ForeignPointersBugCheck0x46) {
    int onStack = 0;
    auto bc = ExpectBugCheck([&] { ExFreePool(&onStack); });
    EXPECT_EQ(bc.code, 0xC2u);
    EXPECT_EQ(bc.p1, 0x46u);
    EXPECT_EQ(bc.p2, reinterpret_cast<ULONG_PTR>(&onStack));

    static char global[128];
    bc = ExpectBugCheck([&] { ExFreePool(global + 64); });
    EXPECT_EQ(bc.p1, 0x46u);
    EXPECT_EQ(bc.p2, reinterpret_cast<ULONG_PTR>(global + 64));

    const ULONG tag = PoolTag("Intr");
    auto* p = static_cast<char*>(ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, tag));
    ASSERT_NE(p, nullptr);
    bc = ExpectBugCheck([&] { ExFreePool(p + 16); }); // interior pointer
    EXPECT_EQ(bc.p1, 0x46u);
    EXPECT_EQ(bc.p2, reinterpret_cast<ULONG_PTR>(p + 16));
    ExFreePool(p);

    bc = ExpectBugCheck([] { ExFreePool(nullptr); });
    EXPECT_EQ(bc.code, 0xC2u);
    EXPECT_EQ(bc.p1, 0x46u);
    EXPECT_EQ(bc.p2, 0u);
}

TEST(ExFreePool2, WithoutParametersFreesWithTagCheck) {
    const ULONG tag = PoolTag("Fp2a");
    void* p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, tag);
    ASSERT_NE(p, nullptr);
    auto bc = ExpectBugCheck([&] { ExFreePool2(p, PoolTag("Nope"), nullptr, 0); });
    EXPECT_EQ(bc.p1, 0x0Au);
    POOL_EXTENDED_PARAMETER param{};
    param.Type = PoolExtendedParameterSecurePool;
    bc = ExpectBugCheck([&] { ExFreePool2(p, tag, &param, 1); }); // no secure pool exists
    EXPECT_EQ(bc.code, 0xC2u);
    ASSERT_TRUE(QueryPoolBlock(p, nullptr));
    ExFreePool2(p, tag, nullptr, 0);
    EXPECT_FALSE(QueryPoolBlock(p, nullptr));
}

// ---- IRQL rules
// ------------------------------------------------------------------------------------

TEST(PoolIrql, PagedAllocationAboveApcLevelBugChecks) {
    const ULONG tag = PoolTag("Irqa");
    AtIrql<DISPATCH_LEVEL> dispatch;
    auto bc = ExpectBugCheck([&] { ExAllocatePool2(POOL_FLAG_PAGED, 100, tag); });
    EXPECT_EQ(bc.code, 0xC2u);
    EXPECT_EQ(bc.p1, 0x08u);
    EXPECT_EQ(bc.p2, ULONG_PTR(DISPATCH_LEVEL));
    EXPECT_EQ(bc.p3, ULONG_PTR(PagedPool));
    EXPECT_EQ(bc.p4, 100u);
    bc = ExpectBugCheck([&] { ExAllocatePoolWithTag(PagedPool, 8, tag); });
    EXPECT_EQ(bc.p1, 0x08u);

    void* p = ExAllocatePoolWithTag(NonPagedPoolNx, 8, tag); // non-paged is fine at DISPATCH
    ASSERT_NE(p, nullptr);
    ExFreePool(p);
}

TEST(PoolIrql, AnyAllocationAboveDispatchBugChecks) {
    AtIrql<HIGH_LEVEL> high;
    auto bc = ExpectBugCheck([] { ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, PoolTag("Irqb")); });
    EXPECT_EQ(bc.code, 0xC2u);
    EXPECT_EQ(bc.p1, 0x08u);
    EXPECT_EQ(bc.p2, ULONG_PTR(HIGH_LEVEL));
}

TEST(PoolIrql, PagedFreeAboveApcLevelBugChecks) {
    const ULONG tag = PoolTag("Irqc");
    void* p = ExAllocatePool2(POOL_FLAG_PAGED, 8, tag);
    ASSERT_NE(p, nullptr);
    {
        AtIrql<DISPATCH_LEVEL> dispatch;
        auto bc = ExpectBugCheck([&] { ExFreePool(p); });
        EXPECT_EQ(bc.code, 0xC2u);
        EXPECT_EQ(bc.p1, 0x09u);
        EXPECT_EQ(bc.p2, ULONG_PTR(DISPATCH_LEVEL));
        EXPECT_EQ(bc.p3, ULONG_PTR(PagedPool));
        EXPECT_EQ(bc.p4, reinterpret_cast<ULONG_PTR>(p));
    }
    {
        AtIrql<APC_LEVEL> apc;
        ExFreePool(p); // APC_LEVEL is allowed
    }
}
