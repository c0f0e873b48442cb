#include <thread>

#include "core/nt_exception.h"
#include "ke_test_util.h"

using ke_test::WaitForWaiters;
using ke_test::Zero;

TEST(KeSemaphore, InitializeSetsCountAndLimit) {
    KSEMAPHORE s;
    KeInitializeSemaphore(&s, 2, 5);
    EXPECT_EQ(s.Header.Type, SemaphoreObject);
    EXPECT_EQ(s.Header.Size, sizeof(KSEMAPHORE) / 4);
    EXPECT_EQ(s.Limit, 5);
    EXPECT_EQ(KeReadStateSemaphore(&s), 2);
}

TEST(KeSemaphore, WaitsTakeOneEachUntilZero) {
    KSEMAPHORE s;
    KeInitializeSemaphore(&s, 2, 2);
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(KeWaitForSingleObject(&s, Executive, KernelMode, FALSE, &zero), STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateSemaphore(&s), 1);
    EXPECT_EQ(KeWaitForSingleObject(&s, Executive, KernelMode, FALSE, &zero), STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateSemaphore(&s), 0);
    EXPECT_EQ(KeWaitForSingleObject(&s, Executive, KernelMode, FALSE, &zero), STATUS_TIMEOUT);
    EXPECT_EQ(KeReadStateSemaphore(&s), 0);
}

TEST(KeSemaphore, ReleaseReturnsPreviousCount) {
    KSEMAPHORE s;
    KeInitializeSemaphore(&s, 0, 10);
    EXPECT_EQ(KeReleaseSemaphore(&s, 1, 3, FALSE), 0);
    EXPECT_EQ(KeReleaseSemaphore(&s, 1, 7, FALSE), 3);
    EXPECT_EQ(KeReadStateSemaphore(&s), 10);
}

TEST(KeSemaphore, ReleasePastLimitRaisesAndChangesNothing) {
    KSEMAPHORE s;
    KeInitializeSemaphore(&s, 1, 2);
    try {
        KeReleaseSemaphore(&s, 1, 2, FALSE);
        ADD_FAILURE() << "expected STATUS_SEMAPHORE_LIMIT_EXCEEDED";
    } catch (const ntsim::NtStatusException& e) {
        EXPECT_EQ(e.status, STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    }
    EXPECT_EQ(KeReadStateSemaphore(&s), 1);
    EXPECT_EQ(KeReleaseSemaphore(&s, 1, 1, FALSE), 1); // exactly at the limit is fine
    EXPECT_THROW(KeReleaseSemaphore(&s, 1, 1, FALSE), ntsim::NtStatusException);
    EXPECT_EQ(KeReadStateSemaphore(&s), 2);
}

TEST(KeSemaphore, OverflowingOrNegativeAdjustmentRaises) {
    KSEMAPHORE s;
    KeInitializeSemaphore(&s, 5, 0x7fffffff);
    EXPECT_THROW(KeReleaseSemaphore(&s, 1, 0x7fffffff, FALSE), ntsim::NtStatusException);
    EXPECT_THROW(KeReleaseSemaphore(&s, 1, -1, FALSE), ntsim::NtStatusException);
    EXPECT_EQ(KeReadStateSemaphore(&s), 5);
}

TEST(KeSemaphore, ReleaseWakesAsManyWaitersAsTheCount) {
    KSEMAPHORE s;
    KeInitializeSemaphore(&s, 0, 10);
    NTSTATUS a = STATUS_PENDING, b = STATUS_PENDING, c = STATUS_PENDING;
    std::thread ta([&] { a = KeWaitForSingleObject(&s, Executive, KernelMode, FALSE, nullptr); });
    std::thread tb([&] { b = KeWaitForSingleObject(&s, Executive, KernelMode, FALSE, nullptr); });
    std::thread tc([&] { c = KeWaitForSingleObject(&s, Executive, KernelMode, FALSE, nullptr); });
    ASSERT_TRUE(WaitForWaiters(&s, 3));
    EXPECT_EQ(KeReleaseSemaphore(&s, 1, 2, FALSE), 0);
    EXPECT_EQ(ntsim::ke::WaiterCount(&s.Header), 1u); // two satisfied at once
    EXPECT_EQ(KeReadStateSemaphore(&s), 0);
    EXPECT_EQ(KeReleaseSemaphore(&s, 1, 3, FALSE), 0);
    ta.join();
    tb.join();
    tc.join();
    EXPECT_EQ(a, STATUS_SUCCESS);
    EXPECT_EQ(b, STATUS_SUCCESS);
    EXPECT_EQ(c, STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateSemaphore(&s), 2);
}
