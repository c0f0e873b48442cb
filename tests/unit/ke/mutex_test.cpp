#include <thread>

#include "ke_test_util.h"

using ke_test::ExpectBugCheck;
using ke_test::WaitForWaiters;
using ke_test::Zero;

TEST(KeMutex, InitializeMakesItFree) {
    KMUTEX m;
    KeInitializeMutex(&m, 0);
    EXPECT_EQ(m.Header.Type, MutantObject);
    EXPECT_EQ(m.Header.Size, sizeof(KMUTEX) / 4);
    EXPECT_EQ(KeReadStateMutex(&m), 1);
    EXPECT_EQ(m.OwnerThread, nullptr);
    EXPECT_EQ(m.Abandoned, 0);
    EXPECT_EQ(m.ApcDisable, 1);
}

TEST(KeMutex, AcquireRecursivelyAndRelease) {
    KMUTEX m;
    KeInitializeMutex(&m, 0);
    EXPECT_EQ(KeWaitForMutexObject(&m, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateMutex(&m), 0);
    EXPECT_EQ(m.OwnerThread, ntsim::ke::CurrentThreadIdentity());
    EXPECT_EQ(KeWaitForSingleObject(&m, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateMutex(&m), -1);
    EXPECT_EQ(KeReleaseMutex(&m, FALSE), -1);
    EXPECT_EQ(m.OwnerThread, ntsim::ke::CurrentThreadIdentity()); // still owned once
    EXPECT_EQ(KeReleaseMutex(&m, FALSE), 0);
    EXPECT_EQ(KeReadStateMutex(&m), 1);
    EXPECT_EQ(m.OwnerThread, nullptr);
}

TEST(KeMutex, OwnedMutexBlocksOtherThreads) {
    KMUTEX m;
    KeInitializeMutex(&m, 0);
    KeWaitForSingleObject(&m, Executive, KernelMode, FALSE, nullptr);
    NTSTATUS polled = STATUS_PENDING, waited = STATUS_PENDING;
    PKTHREAD ownerSeenByWaiter = nullptr, waiterIdentity = nullptr;
    std::thread([&] {
        LARGE_INTEGER zero = Zero();
        polled = KeWaitForSingleObject(&m, Executive, KernelMode, FALSE, &zero);
    }).join();
    EXPECT_EQ(polled, STATUS_TIMEOUT);
    std::thread waiter([&] {
        waiterIdentity = ntsim::ke::CurrentThreadIdentity();
        waited = KeWaitForSingleObject(&m, Executive, KernelMode, FALSE, nullptr);
        ownerSeenByWaiter = m.OwnerThread;
        KeReleaseMutex(&m, FALSE);
    });
    ASSERT_TRUE(WaitForWaiters(&m, 1));
    KeReleaseMutex(&m, FALSE);
    waiter.join();
    EXPECT_EQ(waited, STATUS_SUCCESS);
    EXPECT_EQ(ownerSeenByWaiter, waiterIdentity);
    EXPECT_EQ(KeReadStateMutex(&m), 1);
}

TEST(KeMutex, ReleaseByNonOwnerBugChecks0x11) {
    KMUTEX m;
    KeInitializeMutex(&m, 0);
    KeWaitForSingleObject(&m, Executive, KernelMode, FALSE, nullptr);
    ntsim::test::BugCheckException seen{};
    bool bugChecked = false;
    std::thread([&] {
        try {
            KeReleaseMutex(&m, FALSE);
        } catch (const ntsim::test::BugCheckException& e) {
            seen = e;
            bugChecked = true;
        }
    }).join();
    ASSERT_TRUE(bugChecked);
    EXPECT_EQ(seen.code, 0x11u);
    EXPECT_EQ(seen.p1, reinterpret_cast<ULONG_PTR>(&m));
    EXPECT_EQ(seen.p3, reinterpret_cast<ULONG_PTR>(ntsim::ke::CurrentThreadIdentity()));
    EXPECT_EQ(KeReadStateMutex(&m), 0); // unchanged
    KeReleaseMutex(&m, FALSE);
}

TEST(KeMutex, ReleasingAFreeMutexBugChecks0x11) {
    KMUTEX m;
    KeInitializeMutex(&m, 0);
    ExpectBugCheck(0x11, [&] { KeReleaseMutex(&m, FALSE); });
    EXPECT_EQ(KeReadStateMutex(&m), 1);
}

TEST(KeMutex, ThreadExitAbandonsOwnedMutex) {
    KMUTEX m;
    KeInitializeMutex(&m, 0);
    std::thread([&] { KeWaitForSingleObject(&m, Executive, KernelMode, FALSE, nullptr); }).join();
    EXPECT_EQ(m.OwnerThread, nullptr);
    EXPECT_EQ(m.Abandoned, 1);
    EXPECT_EQ(KeReadStateMutex(&m), 1);
    EXPECT_EQ(KeWaitForSingleObject(&m, Executive, KernelMode, FALSE, nullptr), STATUS_ABANDONED);
    EXPECT_EQ(m.Abandoned, 0);
    EXPECT_EQ(m.OwnerThread, ntsim::ke::CurrentThreadIdentity());
    EXPECT_EQ(KeReleaseMutex(&m, FALSE), 0);
    EXPECT_EQ(KeWaitForSingleObject(&m, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    KeReleaseMutex(&m, FALSE);
}

TEST(KeMutex, RundownHandsAbandonedMutexToAWaiter) {
    KMUTEX m;
    KeInitializeMutex(&m, 0);
    KEVENT done;
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    std::thread owner([&] {
        KeWaitForSingleObject(&m, Executive, KernelMode, FALSE, nullptr);
        KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, nullptr);
        ntsim::ke::RundownThread();
    });
    ASSERT_TRUE(WaitForWaiters(&done, 1));
    NTSTATUS status = STATUS_PENDING;
    std::thread waiter([&] {
        status = KeWaitForSingleObject(&m, Executive, KernelMode, FALSE, nullptr);
        KeReleaseMutex(&m, FALSE);
    });
    ASSERT_TRUE(WaitForWaiters(&m, 1));
    KeSetEvent(&done, 0, FALSE);
    owner.join();
    waiter.join();
    EXPECT_EQ(status, STATUS_ABANDONED);
    EXPECT_EQ(KeReadStateMutex(&m), 1);
}

TEST(KeMutex, SetCurrentThreadRelabelsOwnedMutexes) {
    KMUTEX m;
    KeInitializeMutex(&m, 0);
    std::thread([&] {
        KeWaitForSingleObject(&m, Executive, KernelMode, FALSE, nullptr);
        alignas(16) static char fakeThread[64];
        auto* kthread = reinterpret_cast<PKTHREAD>(fakeThread);
        ntsim::ke::SetCurrentThread(kthread);
        EXPECT_EQ(m.OwnerThread, kthread);
        EXPECT_EQ(ntsim::ke::CurrentThreadIdentity(), kthread);
        EXPECT_EQ(KeReleaseMutex(&m, FALSE), 0); // still recognised as the owner
    }).join();
    EXPECT_EQ(KeReadStateMutex(&m), 1);
    EXPECT_EQ(m.Abandoned, 0);
}
