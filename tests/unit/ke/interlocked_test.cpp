#include <thread>
#include <vector>

#include "ke_test_util.h"

TEST(KeInterlocked, LongOperationsReturnWhatTheWdkSays) {
    volatile LONG v = 5;
    EXPECT_EQ(InterlockedIncrement(&v), 6);              // new value
    EXPECT_EQ(InterlockedDecrement(&v), 5);              // new value
    EXPECT_EQ(InterlockedExchange(&v, 9), 5);            // old value
    EXPECT_EQ(InterlockedExchangeAdd(&v, 3), 9);         // old value
    EXPECT_EQ(InterlockedAdd(&v, 3), 15);                // new value
    EXPECT_EQ(InterlockedCompareExchange(&v, 1, 0), 15); // no match: unchanged, returns old
    EXPECT_EQ(v, 15);
    EXPECT_EQ(InterlockedCompareExchange(&v, 1, 15), 15); // match: stored
    EXPECT_EQ(v, 1);
    v = 0xF0;
    EXPECT_EQ(InterlockedAnd(&v, 0x3C), 0xF0);
    EXPECT_EQ(v, 0x30);
    EXPECT_EQ(InterlockedOr(&v, 0x03), 0x30);
    EXPECT_EQ(v, 0x33);
    EXPECT_EQ(InterlockedXor(&v, 0x11), 0x33);
    EXPECT_EQ(v, 0x22);
    EXPECT_EQ(InterlockedIncrementAcquire(&v), 0x23);
    EXPECT_EQ(InterlockedCompareExchangeRelease(&v, 7, 0x23), 0x23);
    EXPECT_EQ(ReadAcquire(&v), 7);
    WriteRelease(&v, 8);
    EXPECT_EQ(ReadNoFence(&v), 8);
}

TEST(KeInterlocked, SixtyFourBitAndSmallerOperations) {
    volatile LONG64 v = 0x100000000LL;
    EXPECT_EQ(InterlockedIncrement64(&v), 0x100000001LL);
    EXPECT_EQ(InterlockedDecrement64(&v), 0x100000000LL);
    EXPECT_EQ(InterlockedExchangeAdd64(&v, 5), 0x100000000LL);
    EXPECT_EQ(InterlockedAdd64(&v, 5), 0x10000000ALL);
    EXPECT_EQ(InterlockedExchange64(&v, -1), 0x10000000ALL);
    EXPECT_EQ(InterlockedCompareExchange64(&v, 3, -1), -1);
    EXPECT_EQ(InterlockedAnd64(&v, 1), 3);
    EXPECT_EQ(InterlockedOr64(&v, 6), 1);
    EXPECT_EQ(InterlockedXor64(&v, 7), 7);
    EXPECT_EQ(v, 0);

    volatile SHORT s = 0x7ffe;
    EXPECT_EQ(InterlockedIncrement16(&s), 0x7fff);
    EXPECT_EQ(InterlockedCompareExchange16(&s, 1, 0x7fff), 0x7fff);
    EXPECT_EQ(InterlockedDecrement16(&s), 0);
    volatile CHAR c = 'a';
    EXPECT_EQ(InterlockedExchange8(&c, 'b'), 'a');
    EXPECT_EQ(c, 'b');
}

TEST(KeInterlocked, PointerOperations) {
    int a = 0, b = 0;
    PVOID volatile p = &a;
    EXPECT_EQ(InterlockedExchangePointer(&p, &b), &a);
    EXPECT_EQ(InterlockedCompareExchangePointer(&p, &a, nullptr), &b); // no match
    EXPECT_EQ(p, &b);
    EXPECT_EQ(InterlockedCompareExchangePointer(&p, nullptr, &b), &b);
    EXPECT_EQ(p, nullptr);
}

TEST(KeInterlocked, CompareExchange128) {
    alignas(16) volatile LONG64 dest[2] = {1, 2};
    LONG64 comparand[2] = {1, 2};
    EXPECT_EQ(InterlockedCompareExchange128(dest, 20, 10, comparand), 1);
    EXPECT_EQ(dest[0], 10);
    EXPECT_EQ(dest[1], 20);
    LONG64 wrong[2] = {0, 0};
    EXPECT_EQ(InterlockedCompareExchange128(dest, 0, 0, wrong), 0);
    EXPECT_EQ(wrong[0], 10); // receives the current value
    EXPECT_EQ(wrong[1], 20);
    EXPECT_EQ(dest[0], 10);
}

// The book's lost-update example (two threads doing ++x) fixed with InterlockedIncrement.
TEST(KeInterlocked, ConcurrentIncrementsAreNotLost) {
    volatile LONG counter = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 50000; ++i)
                InterlockedIncrement(&counter);
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(counter, 200000);
}
