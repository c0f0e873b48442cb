#include <atomic>
#include <cstring>
#include <thread>

#include "ke_test_util.h"

using ke_test::ExpectBugCheck;

namespace {

ULONG_PTR Me() {
    return reinterpret_cast<ULONG_PTR>(ntsim::ke::LockOwnerIdentity());
}

// Polls until `ready` holds; gives up after a generous bound.
template <typename F> bool WaitUntil(F&& ready) {
    for (int i = 0; i < 20000; ++i) {
        if (ready()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

} // namespace

TEST(KeGuardedMutex, InitializeMakesItFree) {
    KGUARDED_MUTEX m;
    memset(&m, 0xAB, sizeof(m));
    KeInitializeGuardedMutex(&m);
    EXPECT_EQ(m.Count, GM_LOCK_BIT);
    EXPECT_EQ(m.Owner, nullptr);
    EXPECT_EQ(m.Contention, 0u);
    EXPECT_EQ(m.Gate.Header.Type, GateObject);
    EXPECT_EQ(m.Gate.Header.SignalState, 0);
    EXPECT_EQ(m.CombinedApcDisable, 0u);
}

TEST(KeGuardedMutex, AcquireKeepsTheIrqlAndRecordsTheOwner) {
    KGUARDED_MUTEX m;
    KeInitializeGuardedMutex(&m);
    KeAcquireGuardedMutex(&m);
    EXPECT_EQ(KeGetCurrentIrql(), PASSIVE_LEVEL);
    EXPECT_EQ(m.Count & GM_LOCK_BIT, 0);
    EXPECT_EQ(reinterpret_cast<ULONG_PTR>(m.Owner), Me());
    KeReleaseGuardedMutex(&m);
    EXPECT_EQ(m.Count, GM_LOCK_BIT);
    EXPECT_EQ(m.Owner, nullptr);

    KeAcquireGuardedMutexUnsafe(&m);
    EXPECT_EQ(reinterpret_cast<ULONG_PTR>(m.Owner), Me());
    KeReleaseGuardedMutexUnsafe(&m);
    EXPECT_EQ(m.Count, GM_LOCK_BIT);
}

TEST(KeGuardedMutex, TryFailsWhileAnotherThreadOwnsIt) {
    KGUARDED_MUTEX m;
    KeInitializeGuardedMutex(&m);
    std::atomic<bool> held{false}, done{false};
    std::thread owner([&] {
        KeAcquireGuardedMutex(&m);
        held = true;
        while (!done)
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        KeReleaseGuardedMutex(&m);
    });
    ASSERT_TRUE(WaitUntil([&] { return held.load(); }));
    EXPECT_FALSE(KeTryToAcquireGuardedMutex(&m));
    done = true;
    owner.join();
    EXPECT_TRUE(KeTryToAcquireGuardedMutex(&m));
    EXPECT_EQ(reinterpret_cast<ULONG_PTR>(m.Owner), Me());
    KeReleaseGuardedMutex(&m);
}

TEST(KeGuardedMutex, ContendedAcquireSleepsOnTheGate) {
    KGUARDED_MUTEX m;
    KeInitializeGuardedMutex(&m);
    KeAcquireGuardedMutex(&m);
    std::atomic<bool> acquired{false};
    std::thread waiter([&] {
        KeAcquireGuardedMutex(&m);
        acquired = true;
        KeReleaseGuardedMutex(&m);
    });
    ASSERT_TRUE(WaitUntil([&] { return ntsim::ke::WaiterCount(&m.Gate.Header) == 1; }));
    EXPECT_FALSE(acquired);
    EXPECT_GE(m.Contention, 1u);
    KeReleaseGuardedMutex(&m);
    waiter.join();
    EXPECT_TRUE(acquired);
    EXPECT_EQ(m.Count, GM_LOCK_BIT);
    EXPECT_EQ(m.Gate.Header.SignalState, 0); // the gate released exactly one waiter
}

TEST(KeGuardedMutex, AcquireAtDispatchLevelBugChecks) {
    KGUARDED_MUTEX m;
    KeInitializeGuardedMutex(&m);
    KIRQL old = KeRaiseIrqlToDpcLevel();
    auto e = ExpectBugCheck(0x0A, [&] { KeAcquireGuardedMutex(&m); });
    ExpectBugCheck(0x0A, [&] { KeTryToAcquireGuardedMutex(&m); });
    KeLowerIrql(old);
    EXPECT_EQ(e.p1, reinterpret_cast<ULONG_PTR>(&m));
    EXPECT_EQ(e.p2, ULONG_PTR(DISPATCH_LEVEL));
    EXPECT_EQ(m.Count, GM_LOCK_BIT);
}

TEST(KeGuardedMutex, RecursiveAcquireIsASelfDeadlock) {
    KGUARDED_MUTEX m;
    KeInitializeGuardedMutex(&m);
    KeAcquireGuardedMutex(&m);
    auto e = ExpectBugCheck(0xC4, [&] { KeAcquireGuardedMutex(&m); });
    EXPECT_EQ(e.p1, 0x1000u);
    EXPECT_EQ(e.p2, reinterpret_cast<ULONG_PTR>(&m));
    KeReleaseGuardedMutex(&m);
}

TEST(KeGuardedMutex, BadReleasesBugCheck) {
    KGUARDED_MUTEX m;
    KeInitializeGuardedMutex(&m);
    auto free = ExpectBugCheck(0xC4, [&] { KeReleaseGuardedMutex(&m); });
    EXPECT_EQ(free.p1, 0x1007u);
    std::atomic<ULONG_PTR> owner{0};
    std::atomic<bool> done{false};
    std::thread holder([&] {
        KeAcquireGuardedMutex(&m);
        owner = Me();
        while (!done)
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        KeReleaseGuardedMutex(&m);
    });
    ASSERT_TRUE(WaitUntil([&] { return owner.load() != 0; }));
    auto other = ExpectBugCheck(0xC4, [&] { KeReleaseGuardedMutexUnsafe(&m); });
    EXPECT_EQ(other.p1, 0x1004u);
    EXPECT_EQ(other.p3, owner.load());
    EXPECT_EQ(other.p4, Me());
    done = true;
    holder.join();
    EXPECT_EQ(m.Count, GM_LOCK_BIT);
}
