// Contention stress for every lock kind: several threads hammer one lock for a bounded time.
// Counters updated under the lock must be exact, and reader/writer locks must never admit a
// writer together with anyone else. Also run under ThreadSanitizer (build with NTSIM_TSAN=ON).
#include <fltKernel.h>

#include "locks_test_util.h"

namespace {

constexpr int kThreads = 6;
constexpr auto kDuration = std::chrono::milliseconds(400);

// Runs body(thread index, iteration) on kThreads threads until the time is up; returns the
// total number of iterations.
template <typename Body> uint64_t Hammer(Body body) {
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> total{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            uint64_t n = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                body(t, n);
                ++n;
            }
            total += n;
        });
    std::this_thread::sleep_for(kDuration);
    stop = true;
    for (auto& th : threads)
        th.join();
    return total;
}

// Checks the reader/writer invariant from inside the critical sections.
struct RwChecker {
    std::atomic<int> readers{0};
    std::atomic<int> writers{0};
    std::atomic<int> violations{0};
    uint64_t writes = 0; // protected by the lock under test (exclusive)

    void Read() {
        readers++;
        if (writers.load() != 0) violations++;
        readers--;
    }
    void Write() {
        if (writers.fetch_add(1) != 0 || readers.load() != 0) violations++;
        ++writes;
        writers--;
    }
};

} // namespace

TEST(LocksStress, FastMutexCountsExactly) {
    FAST_MUTEX m;
    ExInitializeFastMutex(&m);
    uint64_t counter = 0;
    uint64_t total = Hammer([&](int, uint64_t) {
        ExAcquireFastMutex(&m);
        ++counter;
        ExReleaseFastMutex(&m);
    });
    EXPECT_EQ(counter, total);
    EXPECT_EQ(m.Count, FM_LOCK_BIT);
}

TEST(LocksStress, GuardedMutexCountsExactly) {
    KGUARDED_MUTEX m;
    KeInitializeGuardedMutex(&m);
    uint64_t counter = 0;
    uint64_t total = Hammer([&](int t, uint64_t n) {
        if ((t + n) % 4 == 0 && KeTryToAcquireGuardedMutex(&m)) {
            ++counter;
            KeReleaseGuardedMutex(&m);
            return;
        }
        KeAcquireGuardedMutex(&m);
        ++counter;
        KeReleaseGuardedMutex(&m);
    });
    EXPECT_EQ(counter, total);
    EXPECT_EQ(m.Count, GM_LOCK_BIT);
}

TEST(LocksStress, ResourceReadersAndWritersNeverOverlap) {
    ERESOURCE r;
    ASSERT_EQ(ExInitializeResourceLite(&r), STATUS_SUCCESS);
    RwChecker check;
    std::atomic<uint64_t> writeAttempts{0};
    Hammer([&](int t, uint64_t n) {
        KeEnterCriticalRegion();
        if (t == 0 || n % 8 == 0) {
            ExAcquireResourceExclusiveLite(&r, TRUE);
            if (n % 3 == 0) { // recursion inside the exclusive section
                ExAcquireResourceSharedLite(&r, TRUE);
                ExReleaseResourceLite(&r);
            }
            check.Write();
            writeAttempts++;
        } else if (n % 5 == 0) {
            ExAcquireSharedStarveExclusive(&r, TRUE);
            check.Read();
        } else {
            ExAcquireResourceSharedLite(&r, TRUE);
            check.Read();
        }
        ExReleaseResourceLite(&r);
        KeLeaveCriticalRegion();
    });
    EXPECT_EQ(check.violations, 0);
    EXPECT_EQ(check.writes, writeAttempts.load());
    EXPECT_EQ(r.ActiveEntries, 0u);
    EXPECT_EQ(ExGetExclusiveWaiterCount(&r), 0u);
    EXPECT_EQ(ExGetSharedWaiterCount(&r), 0u);
    EXPECT_EQ(ExDeleteResourceLite(&r), STATUS_SUCCESS);
}

TEST(LocksStress, ExecutiveSpinLockReadersAndWritersNeverOverlap) {
    EX_SPIN_LOCK lock = 0;
    RwChecker check;
    std::atomic<uint64_t> writeAttempts{0};
    Hammer([&](int t, uint64_t n) {
        if (t == 0 || n % 8 == 0) {
            KIRQL old = ExAcquireSpinLockExclusive(&lock);
            check.Write();
            writeAttempts++;
            ExReleaseSpinLockExclusive(&lock, old);
        } else {
            KIRQL old = ExAcquireSpinLockShared(&lock);
            check.Read();
            if (ExTryConvertSharedSpinLockExclusive(&lock)) {
                check.Write();
                writeAttempts++;
                ExReleaseSpinLockExclusive(&lock, old);
            } else {
                ExReleaseSpinLockShared(&lock, old);
            }
        }
    });
    EXPECT_EQ(check.violations, 0);
    EXPECT_EQ(check.writes, writeAttempts.load());
    EXPECT_EQ(lock, 0);
}

TEST(LocksStress, PushLockReadersAndWritersNeverOverlap) {
    EX_PUSH_LOCK lock;
    FltInitializePushLock(&lock);
    RwChecker check;
    std::atomic<uint64_t> writeAttempts{0};
    Hammer([&](int t, uint64_t n) {
        if (t == 0 || n % 8 == 0) {
            FltAcquirePushLockExclusive(&lock);
            check.Write();
            writeAttempts++;
        } else {
            FltAcquirePushLockShared(&lock);
            check.Read();
        }
        FltReleasePushLock(&lock);
    });
    EXPECT_EQ(check.violations, 0);
    EXPECT_EQ(check.writes, writeAttempts.load());
    EXPECT_EQ(lock, 0u);
}

TEST(LocksStress, InterlockedListLosesNoEntry) {
    LIST_ENTRY head;
    head.Flink = head.Blink = &head;
    KSPIN_LOCK lock = 0;
    ULONG added = 0;
    constexpr int kPerThread = 64;
    std::vector<LIST_ENTRY> entries(kThreads * kPerThread);
    std::vector<std::vector<PLIST_ENTRY>> owned(kThreads);
    for (int t = 0; t < kThreads; ++t)
        for (int i = 0; i < kPerThread; ++i)
            owned[t].push_back(&entries[t * kPerThread + i]);
    // Each thread alternately inserts one of its entries and removes whatever is at the head
    // (which it then owns): the number of entries in circulation is conserved.
    Hammer([&](int t, uint64_t n) {
        auto& mine = owned[t];
        if (!mine.empty() && (n % 2 == 0)) {
            PLIST_ENTRY e = mine.back();
            mine.pop_back();
            if (n % 4 == 0)
                ExInterlockedInsertTailList(&head, e, &lock);
            else
                ExInterlockedInsertHeadList(&head, e, &lock);
            ExInterlockedAddUlong(&added, 1, &lock);
        } else if (PLIST_ENTRY e = ExInterlockedRemoveHeadList(&head, &lock)) {
            mine.push_back(e);
        }
    });
    size_t inList = 0;
    for (PLIST_ENTRY e = head.Flink; e != &head; e = e->Flink)
        ++inList;
    size_t held = 0;
    for (auto& v : owned)
        held += v.size();
    EXPECT_EQ(inList + held, entries.size());
    EXPECT_GT(added, 0u);
    EXPECT_EQ(lock, 0u);
}
