#include "locks_test_util.h"

namespace {

void InitHead(LIST_ENTRY* head) {
    head->Flink = head->Blink = head;
}

} // namespace

TEST(ExInterlockedList, InsertReturnsThePreviousEndEntry) {
    LIST_ENTRY head, a, b, c;
    InitHead(&head);
    KSPIN_LOCK lock = 0;
    EXPECT_EQ(ExInterlockedInsertHeadList(&head, &a, &lock), nullptr);
    EXPECT_EQ(ExInterlockedInsertHeadList(&head, &b, &lock), &a); // b a
    EXPECT_EQ(ExInterlockedInsertTailList(&head, &c, &lock), &a); // b a c
    EXPECT_EQ(head.Flink, &b);
    EXPECT_EQ(b.Flink, &a);
    EXPECT_EQ(a.Flink, &c);
    EXPECT_EQ(c.Flink, &head);
    EXPECT_EQ(head.Blink, &c);
    EXPECT_EQ(c.Blink, &a);
    EXPECT_EQ(a.Blink, &b);
    EXPECT_EQ(b.Blink, &head);
    EXPECT_EQ(lock, 0u);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);

    EXPECT_EQ(ExInterlockedRemoveHeadList(&head, &lock), &b);
    EXPECT_EQ(ExInterlockedRemoveHeadList(&head, &lock), &a);
    EXPECT_EQ(ExInterlockedRemoveHeadList(&head, &lock), &c);
    EXPECT_EQ(ExInterlockedRemoveHeadList(&head, &lock), nullptr);
    EXPECT_EQ(head.Flink, &head);
    EXPECT_EQ(head.Blink, &head);

    LIST_ENTRY empty;
    InitHead(&empty);
    EXPECT_EQ(ExInterlockedInsertTailList(&empty, &a, &lock), nullptr);
}

TEST(ExInterlockedList, SingleListPushPop) {
    SINGLE_LIST_ENTRY head{nullptr}, a, b;
    KSPIN_LOCK lock = 0;
    EXPECT_EQ(ExInterlockedPopEntryList(&head, &lock), nullptr);
    EXPECT_EQ(ExInterlockedPushEntryList(&head, &a, &lock), nullptr);
    EXPECT_EQ(ExInterlockedPushEntryList(&head, &b, &lock), &a);
    EXPECT_EQ(ExInterlockedPopEntryList(&head, &lock), &b);
    EXPECT_EQ(ExInterlockedPopEntryList(&head, &lock), &a);
    EXPECT_EQ(head.Next, nullptr);
    EXPECT_EQ(lock, 0u);
}

TEST(ExInterlockedList, AddsReturnTheValueBefore) {
    KSPIN_LOCK lock = 0;
    ULONG u = 0xFFFFFFFEu;
    EXPECT_EQ(ExInterlockedAddUlong(&u, 3, &lock), 0xFFFFFFFEu);
    EXPECT_EQ(u, 1u); // wraps like the 32-bit addition it is
    LARGE_INTEGER big, inc;
    big.QuadPart = 0x100000000LL;
    inc.QuadPart = -1;
    EXPECT_EQ(ExInterlockedAddLargeInteger(&big, inc, &lock).QuadPart, 0x100000000LL);
    EXPECT_EQ(big.QuadPart, 0xFFFFFFFFLL);
    EXPECT_EQ(lock, 0u);
}

TEST(ExInterlockedList, CallableAboveDispatchLevel) {
    KSPIN_LOCK lock = 0;
    ULONG u = 0;
    KIRQL old;
    KeRaiseIrql(HIGH_LEVEL, &old);
    EXPECT_EQ(ExInterlockedAddUlong(&u, 5, &lock), 0u);
    EXPECT_EQ(KeGetCurrentIrql(), HIGH_LEVEL);
    KeLowerIrql(old);
    EXPECT_EQ(u, 5u);
}

TEST(ExInterlockedList, SharesTheLockWithKeAcquireSpinLock) {
    KSPIN_LOCK lock = 0;
    ULONG u = 0;
    KIRQL old;
    KeAcquireSpinLock(&lock, &old);
    std::atomic<bool> added{false};
    std::thread adder([&] {
        ExInterlockedAddUlong(&u, 1, &lock);
        added = true;
    });
    // The adder spins on the lock we hold; it cannot finish before we release.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_FALSE(added);
    EXPECT_EQ(u, 0u);
    KeReleaseSpinLock(&lock, old);
    adder.join();
    EXPECT_TRUE(added);
    EXPECT_EQ(u, 1u);
}
