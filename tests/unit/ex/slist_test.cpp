// Interlocked SLISTs: order, depth, the x64 header encoding, flush, concurrency.
#include <thread>

#include "ex_test_support.h"

using namespace ex_test;

namespace {
struct Item {
    SLIST_ENTRY Entry;
    int value;
};
} // namespace

TEST(SList, PushPopIsLastInFirstOutWithDepth) {
    SLIST_HEADER head;
    std::memset(&head, 0xFF, sizeof(head));
    InitializeSListHead(&head);
    EXPECT_EQ(head.Alignment, 0u);
    EXPECT_EQ(head.Region, 0u);
    EXPECT_EQ(QueryDepthSList(&head), 0);
    EXPECT_EQ(InterlockedPopEntrySList(&head), nullptr);

    Item items[3];
    for (int i = 0; i < 3; ++i)
        items[i].value = i;
    EXPECT_EQ(InterlockedPushEntrySList(&head, &items[0].Entry), nullptr);
    EXPECT_EQ(InterlockedPushEntrySList(&head, &items[1].Entry), &items[0].Entry);
    EXPECT_EQ(ExInterlockedPushEntrySList(&head, &items[2].Entry, nullptr), &items[1].Entry);
    EXPECT_EQ(QueryDepthSList(&head), 3);

    // x64 encoding: depth in bits 0..15, first entry >> 4 in the second quadword.
    EXPECT_EQ(head.HeaderX64.Depth, 3u);
    EXPECT_EQ(uintptr_t(head.HeaderX64.NextEntry) << 4, reinterpret_cast<uintptr_t>(&items[2]));
    EXPECT_EQ(head.Alignment & 0xFFFF, 3u);
    EXPECT_EQ(head.HeaderX64.Sequence, 3u);
    EXPECT_EQ(items[2].Entry.Next, &items[1].Entry);

    auto pop = [&] { return CONTAINING_RECORD(InterlockedPopEntrySList(&head), Item, Entry); };
    EXPECT_EQ(pop()->value, 2);
    EXPECT_EQ(pop()->value, 1);
    EXPECT_EQ(QueryDepthSList(&head), 1);
    EXPECT_EQ(ExInterlockedPopEntrySList(&head, nullptr), &items[0].Entry);
    EXPECT_EQ(QueryDepthSList(&head), 0);
    EXPECT_EQ(InterlockedPopEntrySList(&head), nullptr);
    EXPECT_EQ(head.HeaderX64.Sequence, 6u);
}

TEST(SList, FlushReturnsTheWholeChain) {
    SLIST_HEADER head;
    InitializeSListHead(&head);
    EXPECT_EQ(InterlockedFlushSList(&head), nullptr);
    Item items[4];
    for (auto& item : items)
        InterlockedPushEntrySList(&head, &item.Entry);
    PSLIST_ENTRY chain = ExInterlockedFlushSList(&head);
    EXPECT_EQ(QueryDepthSList(&head), 0);
    EXPECT_EQ(InterlockedPopEntrySList(&head), nullptr);
    int count = 0;
    for (PSLIST_ENTRY e = chain; e; e = e->Next) {
        EXPECT_EQ(e, &items[3 - count].Entry);
        ++count;
    }
    EXPECT_EQ(count, 4);
}

TEST(SList, ConcurrentPushPopKeepsEveryEntry) {
    SLIST_HEADER head;
    InitializeSListHead(&head);
    constexpr int kThreads = 4, kPerThread = 2000;
    std::vector<Item> items(kThreads * kPerThread);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                InterlockedPushEntrySList(&head, &items[t * kPerThread + i].Entry);
                if (i % 2) InterlockedPushEntrySList(&head, InterlockedPopEntrySList(&head));
            }
        });
    for (auto& th : threads)
        th.join();
    EXPECT_EQ(QueryDepthSList(&head), kThreads * kPerThread);
    std::vector<bool> seen(items.size());
    while (PSLIST_ENTRY e = InterlockedPopEntrySList(&head)) {
        auto index = CONTAINING_RECORD(e, Item, Entry) - items.data();
        ASSERT_GE(index, 0);
        ASSERT_LT(size_t(index), items.size());
        EXPECT_FALSE(seen[index]);
        seen[index] = true;
    }
    EXPECT_EQ(std::count(seen.begin(), seen.end(), true), kThreads * kPerThread);
}
