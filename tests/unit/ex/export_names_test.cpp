// The export entry points behind the WDK macros (InterlockedPushEntrySList and friends expand to
// the ExpInterlocked* exports on x64) and ExAllocatePoolWithTagPriority, called by name.
#include "ex_test_support.h"

using namespace ex_test;

namespace {
struct Node {
    SLIST_ENTRY Entry;
    int value;
};
} // namespace

TEST(ExExports, ExpInterlockedSListEntryPoints) {
    SLIST_HEADER head;
    InitializeSListHead(&head);
    alignas(16) Node a{{}, 1};
    alignas(16) Node b{{}, 2};
    EXPECT_EQ(ExpInterlockedPushEntrySList(&head, &a.Entry), nullptr); // returns the old first
    EXPECT_EQ(ExpInterlockedPushEntrySList(&head, &b.Entry), &a.Entry);
    EXPECT_EQ(QueryDepthSList(&head), 2);
    EXPECT_EQ(ExpInterlockedPopEntrySList(&head), &b.Entry);
    EXPECT_EQ(ExpInterlockedPushEntrySList(&head, &b.Entry), &a.Entry);
    PSLIST_ENTRY chain = ExpInterlockedFlushSList(&head);
    EXPECT_EQ(chain, &b.Entry);
    EXPECT_EQ(chain->Next, &a.Entry);
    EXPECT_EQ(QueryDepthSList(&head), 0);
    EXPECT_EQ(ExpInterlockedPopEntrySList(&head), nullptr);
    EXPECT_EQ(ExpInterlockedFlushSList(&head), nullptr);
}

TEST(ExExports, AllocatePoolWithTagPriorityIsAccountedLikeWithTag) {
    const ULONG tag = PoolTag("XPri");
    auto before = TagRow(tag, false);
    PVOID p = ExAllocatePoolWithTagPriority(NonPagedPoolNx, 48, tag, NormalPoolPriority);
    ASSERT_NE(p, nullptr);
    auto during = TagRow(tag, false);
    EXPECT_EQ(during.allocs, before.allocs + 1);
    EXPECT_GE(during.bytes, before.bytes + 48);
    ExFreePoolWithTag(p, tag);
    auto after = TagRow(tag, false);
    EXPECT_EQ(after.frees, before.frees + 1);
    EXPECT_EQ(after.bytes, before.bytes);

    // A zero tag is a caller bug on every tagged allocator (BAD_POOL_CALLER 0x9B).
    auto bc = ExpectBugCheck(
        [] { ExAllocatePoolWithTagPriority(NonPagedPoolNx, 8, 0, LowPoolPriority); });
    EXPECT_EQ(bc.code, 0xC2u);
    EXPECT_EQ(bc.p1, 0x9Bu);
}
