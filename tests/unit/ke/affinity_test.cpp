// The DISPATCH model: processor numbers, system affinity, pinning at DISPATCH_LEVEL and mutual
// exclusion of DISPATCH-level sections on one processor.
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>
#include <utility>
#include <vector>

#include "ke_test_util.h"

namespace {
int HostCpusAllowed() {
    cpu_set_t set;
    CPU_ZERO(&set);
    sched_getaffinity(0, sizeof(set), &set);
    return CPU_COUNT(&set);
}
} // namespace

TEST(KeAffinity, ProcessorCountsAgree) {
    KAFFINITY active = 0;
    EXPECT_EQ(KeQueryActiveProcessorCount(&active), ULONG(KeNumberProcessors));
    EXPECT_EQ(ntsim::ke::ProcessorCount(), ULONG(KeNumberProcessors));
    EXPECT_EQ(ULONG(__builtin_popcountll(active)), ULONG(KeNumberProcessors));
    EXPECT_LT(KeGetCurrentProcessorNumber(), ULONG(KeNumberProcessors));
}

TEST(KeAffinity, SystemAffinityPinsTheThreadAndSetsItsProcessorNumber) {
    int before = HostCpusAllowed();
    for (ULONG cpu = 0; cpu < ULONG(KeNumberProcessors); ++cpu) {
        KAFFINITY previous = KeSetSystemAffinityThreadEx(KAFFINITY(1) << cpu);
        EXPECT_EQ(previous, 0u);
        EXPECT_EQ(HostCpusAllowed(), 1);
        EXPECT_EQ(KeGetCurrentProcessorNumber(), cpu);
        PROCESSOR_NUMBER n{0xFFFF, 0xFF, 0xFF};
        EXPECT_EQ(KeGetCurrentProcessorNumberEx(&n), cpu);
        EXPECT_EQ(n.Group, 0);
        EXPECT_EQ(n.Number, cpu);
        KIRQL old = KeRaiseIrqlToDpcLevel();
        EXPECT_EQ(KeGetCurrentProcessorNumber(), cpu);
        KeLowerIrql(old);
        KeRevertToUserAffinityThreadEx(previous);
        EXPECT_EQ(HostCpusAllowed(), before);
    }
}

TEST(KeAffinity, NestedSetReturnsThePreviousAffinity) {
    KAFFINITY all = KeQueryActiveProcessors();
    KAFFINITY first = KeSetSystemAffinityThreadEx(all);
    EXPECT_EQ(first, 0u);
    KAFFINITY second = KeSetSystemAffinityThreadEx(1);
    EXPECT_EQ(second, all);
    EXPECT_EQ(KeGetCurrentProcessorNumber(), 0u);
    KeRevertToUserAffinityThreadEx(second);
    EXPECT_EQ(KeSetSystemAffinityThreadEx(1), all);
    KeRevertToUserAffinityThreadEx(0);
    // The legacy pair.
    KeSetSystemAffinityThread(1);
    EXPECT_EQ(KeGetCurrentProcessorNumber(), 0u);
    KeRevertToUserAffinityThread();
    EXPECT_EQ(KeSetSystemAffinityThreadEx(1), 0u);
    KeRevertToUserAffinityThreadEx(0);
}

TEST(KeAffinity, DispatchLevelPinsAndLoweringKeepsThePinUntilItMatters) {
    int before = HostCpusAllowed();
    KIRQL old = KeRaiseIrqlToDpcLevel();
    EXPECT_EQ(HostCpusAllowed(), 1);
    ULONG cpu = KeGetCurrentProcessorNumber();
    for (int i = 0; i < 100; ++i)
        EXPECT_EQ(KeGetCurrentProcessorNumber(), cpu); // stable while at DISPATCH_LEVEL
    KIRQL high = KfRaiseIrql(HIGH_LEVEL);              // above DISPATCH: same processor
    EXPECT_EQ(KeGetCurrentProcessorNumber(), cpu);
    KeLowerIrql(high);
    KeLowerIrql(old);
    // Lazy unpin: still on the same host CPU, so raising again costs no system call.
    EXPECT_EQ(HostCpusAllowed(), 1);
    EXPECT_EQ(KeGetCurrentProcessorNumber(), cpu);
    old = KeRaiseIrqlToDpcLevel();
    EXPECT_EQ(KeGetCurrentProcessorNumber(), cpu);
    // Restoring is a no-op at DISPATCH_LEVEL.
    ntsim::ke::RestoreThreadAffinity();
    EXPECT_EQ(HostCpusAllowed(), 1);
    KeLowerIrql(old);
    // Leaving the kernel gives the thread its own affinity back.
    ntsim::ke::RestoreThreadAffinity();
    EXPECT_EQ(HostCpusAllowed(), before);
    // APC_LEVEL does not pin.
    KeRaiseIrql(APC_LEVEL, &old);
    EXPECT_EQ(HostCpusAllowed(), before);
    KeLowerIrql(old);
}

TEST(KeAffinity, SleepingInAWaitUnpins) {
    int before = HostCpusAllowed();
    KIRQL old = KeRaiseIrqlToDpcLevel();
    KeLowerIrql(old);
    EXPECT_EQ(HostCpusAllowed(), 1);
    // A wait that is satisfied at once keeps the pin...
    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, TRUE);
    EXPECT_EQ(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(HostCpusAllowed(), 1);
    // ...one that sleeps gives the affinity back.
    LARGE_INTEGER interval;
    interval.QuadPart = -1;
    EXPECT_EQ(KeDelayExecutionThread(KernelMode, FALSE, &interval), STATUS_SUCCESS);
    EXPECT_EQ(HostCpusAllowed(), before);
}

TEST(KeAffinity, SystemAffinityReplacesALazyPin) {
    int before = HostCpusAllowed();
    KIRQL old = KeRaiseIrqlToDpcLevel();
    KeLowerIrql(old);
    EXPECT_EQ(HostCpusAllowed(), 1);
    KAFFINITY all = KeQueryActiveProcessors();
    KAFFINITY previous = KeSetSystemAffinityThreadEx(all);
    EXPECT_EQ(HostCpusAllowed(), std::min(before, int(KeNumberProcessors)));
    KeRevertToUserAffinityThreadEx(previous);
    EXPECT_EQ(HostCpusAllowed(), before);
}

TEST(KeAffinity, DispatchSectionsOnOneProcessorNeverInterleave) {
    std::atomic<int> inside{0}, maxInside{0}, sections{0};
    auto body = [&] {
        KeSetSystemAffinityThreadEx(1); // everyone on processor 0
        for (int i = 0; i < 200; ++i) {
            KIRQL old = KeRaiseIrqlToDpcLevel();
            int now = ++inside;
            int seen = maxInside;
            while (now > seen && !maxInside.compare_exchange_weak(seen, now)) {
            }
            if (KeGetCurrentProcessorNumber() != 0) ADD_FAILURE() << "not on processor 0";
            KeStallExecutionProcessor(20);
            --inside;
            ++sections;
            KeLowerIrql(old);
        }
        KeRevertToUserAffinityThreadEx(0);
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t)
        threads.emplace_back(body);
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(sections, 600);
    EXPECT_EQ(maxInside, 1);
}

// Short DISPATCH sections from several threads pinned to one processor, for a bounded time:
// the threads preempt each other in the middle of taking and giving back the dispatch lock
// (CPU-local sequences that the host restarts), and a plain counter bumped only at
// DISPATCH_LEVEL must still come out exact.
namespace {
// Four threads on processor 0 bump the counter in DISPATCH sections that `section(body)` makes.
// Returns {counter, sections run}: equal unless two sections interleaved.
template <class Section> std::pair<long, long> CountInSectionsOnOneProcessor(Section section) {
    long counter = 0; // not atomic: DISPATCH_LEVEL is the only protection
    std::atomic<long> sections{0};
    std::atomic<bool> stop{false};
    auto body = [&] {
        KeSetSystemAffinityThreadEx(1);
        long mine = 0;
        while (!stop.load(std::memory_order_relaxed)) {
            section([&] {
                long value = counter;
                std::atomic_signal_fence(std::memory_order_seq_cst);
                counter = value + 1;
            });
            ++mine;
        }
        sections += mine;
        KeRevertToUserAffinityThreadEx(0);
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back(body);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
    for (auto& t : threads)
        t.join();
    return {counter, sections.load()};
}
} // namespace

TEST(KeAffinity, DispatchLockStressOnOneProcessorKeepsAPlainCounterExact) {
    auto [counter, sections] = CountInSectionsOnOneProcessor([](auto body) {
        KIRQL old = KeRaiseIrqlToDpcLevel();
        body();
        KeLowerIrql(old);
    });
    EXPECT_GT(sections, 1000);
    EXPECT_EQ(counter, sections);
}

// The same with spin locks, one per thread: the inline KeAcquireSpinLock (km/ke.h) raises on
// the processor a thread kept lazily only while it still owns it, so once another thread took
// the processor over the counter (protected by DISPATCH_LEVEL alone) must still come out exact.
TEST(KeAffinity, SpinLockSectionsOnOneProcessorKeepAPlainCounterExact) {
    auto [counter, sections] = CountInSectionsOnOneProcessor([](auto body) {
        thread_local KSPIN_LOCK mine = 0; // nobody else takes it
        KIRQL old;
        KeAcquireSpinLock(&mine, &old);
        body();
        KeReleaseSpinLock(&mine, old);
    });
    EXPECT_GT(sections, 1000);
    EXPECT_EQ(counter, sections);
}

namespace {
// A thread that was at DISPATCH_LEVEL on processor 1 (in sections made by `section`) and is
// now blocked elsewhere still keeps that processor's dispatch lock lazily. Another thread that
// needs DISPATCH_LEVEL while this thread holds processor 0 must get processor 1 anyway (as
// Windows would schedule it there), or this thread, waiting for it at DISPATCH_LEVEL, would
// wait forever. Returns the processor that other thread got.
template <class Section> ULONG ProcessorFoundWhileALazyKeeperIsBlocked(Section section) {
    std::promise<void> raisedOnce, release;
    std::thread keeper([&] {
        KeSetSystemAffinityThreadEx(2); // processor 1
        section();
        section(); // the second time on the lazily kept processor (inline paths)
        raisedOnce.set_value();
        release.get_future().wait(); // blocked, not in a Ke wait: nothing gives the lock back
    });
    raisedOnce.get_future().wait();
    KeSetSystemAffinityThreadEx(1); // processor 0
    KIRQL old = KeRaiseIrqlToDpcLevel();
    ULONG seenOn = 99;
    std::thread([&] {
        KIRQL o = KeRaiseIrqlToDpcLevel();
        seenOn = KeGetCurrentProcessorNumber();
        KeLowerIrql(o);
    }).join();
    KeLowerIrql(old);
    KeRevertToUserAffinityThreadEx(0);
    release.set_value();
    keeper.join();
    return seenOn;
}
} // namespace

TEST(KeAffinity, AProcessorKeptLazilyByABlockedThreadIsTakenOver) {
    if (KeQueryActiveProcessorCount(nullptr) < 2) GTEST_SKIP() << "needs two processors";
    EXPECT_EQ(ProcessorFoundWhileALazyKeeperIsBlocked([] {
                  KIRQL old = KeRaiseIrqlToDpcLevel();
                  KeLowerIrql(old); // keeps processor 1's lock lazily
              }),
              1u);
}

// The same after spin lock sections (inline in the SDK): without restartable sequences the
// processor must be given back at every release, with them it may be taken over.
TEST(KeAffinity, AProcessorLastUsedByASpinLockIsTakenOverOrGivenBack) {
    if (KeQueryActiveProcessorCount(nullptr) < 2) GTEST_SKIP() << "needs two processors";
    EXPECT_EQ(ProcessorFoundWhileALazyKeeperIsBlocked([] {
                  KSPIN_LOCK lock = 0;
                  KIRQL old;
                  KeAcquireSpinLock(&lock, &old);
                  KeReleaseSpinLock(&lock, old);
              }),
              1u);
}

TEST(KeAffinity, AThreadEndingAtDispatchGivesItsProcessorBack) {
    std::thread([] {
        KeSetSystemAffinityThreadEx(1);
        KeRaiseIrqlToDpcLevel(); // never lowered
    }).join();
    KeSetSystemAffinityThreadEx(1);
    KIRQL old = KeRaiseIrqlToDpcLevel(); // would hang if processor 0 were still held
    EXPECT_EQ(KeGetCurrentProcessorNumber(), 0u);
    KeLowerIrql(old);
    KeRevertToUserAffinityThreadEx(0);
}
