// The semaphore, mutant and thread-APC system services from kernel mode (Zw*): driver-visible
// bodies, limits and errors as statuses (never exceptions), queries, bad handles and types.
#include <thread>

#include "ex_test_support.h"
#include "ke/ke.h"
#include "ob/ob.h"
#include "ps/ps.h"

namespace {

UNICODE_STRING Name(const wchar_t* s) {
    UNICODE_STRING u;
    RtlInitUnicodeString(&u, s);
    return u;
}

TEST(SyncServices, ZwSemaphoreBodyLimitAndQuery) {
    UNICODE_STRING name = Name(L"\\BaseNamedObjects\\ExSyncSemaphore");
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, nullptr,
                               nullptr);
    HANDLE h = nullptr;
    ASSERT_EQ(ZwCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, &oa, 1, 3), STATUS_SUCCESS);
    PVOID body = nullptr;
    ASSERT_EQ(ObReferenceObjectByHandle(h, SYNCHRONIZE, *ExSemaphoreObjectType, KernelMode, &body,
                                        nullptr),
              STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateSemaphore(static_cast<PKSEMAPHORE>(body)), 1);
    EXPECT_EQ(static_cast<PKSEMAPHORE>(body)->Limit, 3);
    LONG previous = -1;
    EXPECT_EQ(ZwReleaseSemaphore(h, 2, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 1);
    // Past the limit: a status, not an exception, and the count is unchanged.
    EXPECT_EQ(ZwReleaseSemaphore(h, 1, &previous), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    EXPECT_EQ(ZwReleaseSemaphore(h, 0, nullptr), STATUS_INVALID_PARAMETER);
    SEMAPHORE_BASIC_INFORMATION info{};
    ULONG length = 0;
    EXPECT_EQ(ZwQuerySemaphore(h, SemaphoreBasicInformation, &info, sizeof(info), &length),
              STATUS_SUCCESS);
    EXPECT_EQ(info.CurrentCount, 3);
    EXPECT_EQ(info.MaximumCount, 3);
    EXPECT_EQ(length, sizeof(info));
    EXPECT_EQ(ZwQuerySemaphore(h, SemaphoreBasicInformation, &info, 4, nullptr),
              STATUS_INFO_LENGTH_MISMATCH);
    EXPECT_EQ(ZwQuerySemaphore(h, SEMAPHORE_INFORMATION_CLASS(1), &info, sizeof(info), nullptr),
              STATUS_INVALID_INFO_CLASS);
    // A wait takes one.
    LARGE_INTEGER zero{};
    EXPECT_EQ(ZwWaitForSingleObject(h, FALSE, &zero), STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateSemaphore(static_cast<PKSEMAPHORE>(body)), 2);
    // Opening by name; as an event it is the wrong type.
    HANDLE opened = nullptr;
    EXPECT_EQ(ZwOpenSemaphore(&opened, SEMAPHORE_ALL_ACCESS, &oa), STATUS_SUCCESS);
    HANDLE wrong = nullptr;
    EXPECT_EQ(ZwOpenEvent(&wrong, EVENT_ALL_ACCESS, &oa), STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(ZwSetEvent(opened, nullptr), STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(ZwClose(opened), STATUS_SUCCESS);
    // Bad creation parameters.
    HANDLE bad = nullptr;
    OBJECT_ATTRIBUTES unnamed;
    InitializeObjectAttributes(&unnamed, nullptr, OBJ_KERNEL_HANDLE, nullptr, nullptr);
    EXPECT_EQ(ZwCreateSemaphore(&bad, SEMAPHORE_ALL_ACCESS, &unnamed, 0, 0),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(ZwCreateSemaphore(&bad, SEMAPHORE_ALL_ACCESS, &unnamed, 2, 1),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(ZwCreateSemaphore(nullptr, SEMAPHORE_ALL_ACCESS, &unnamed, 0, 1),
              STATUS_ACCESS_VIOLATION);
    ObDereferenceObject(body);
    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);
    EXPECT_EQ(ZwReleaseSemaphore(h, 1, nullptr), STATUS_INVALID_HANDLE);
}

TEST(SyncServices, ZwMutantOwnershipAndAbandonment) {
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, nullptr, OBJ_KERNEL_HANDLE, nullptr, nullptr);
    HANDLE h = nullptr;
    ASSERT_EQ(ZwCreateMutant(&h, MUTANT_ALL_ACCESS, &oa, TRUE), STATUS_SUCCESS);
    MUTANT_BASIC_INFORMATION info{};
    ASSERT_EQ(ZwQueryMutant(h, MutantBasicInformation, &info, sizeof(info), nullptr),
              STATUS_SUCCESS);
    EXPECT_EQ(info.CurrentCount, 0);
    EXPECT_TRUE(info.OwnedByCaller);
    EXPECT_FALSE(info.AbandonedState);
    // Another thread: not the owner (a status, not THREAD_NOT_MUTEX_OWNER).
    std::thread([&] {
        LARGE_INTEGER zero{};
        EXPECT_EQ(ZwWaitForSingleObject(h, FALSE, &zero), STATUS_TIMEOUT);
        EXPECT_EQ(ZwReleaseMutant(h, nullptr), STATUS_MUTANT_NOT_OWNED);
    }).join();
    LONG previous = 5;
    EXPECT_EQ(ZwReleaseMutant(h, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 0);
    EXPECT_EQ(ZwReleaseMutant(h, nullptr), STATUS_MUTANT_NOT_OWNED);
    // Owned by a thread that ends: abandoned.
    std::thread([&] {
        LARGE_INTEGER zero{};
        EXPECT_EQ(ZwWaitForSingleObject(h, FALSE, &zero), STATUS_SUCCESS);
    }).join();
    LARGE_INTEGER zero{};
    EXPECT_EQ(ZwWaitForSingleObject(h, FALSE, &zero), STATUS_ABANDONED_WAIT_0);
    EXPECT_EQ(ZwReleaseMutant(h, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(ZwQueryMutant(h, MutantBasicInformation, &info, 2, nullptr),
              STATUS_INFO_LENGTH_MISMATCH);
    // A mutant deleted while owned leaves its owner's list: the thread ends cleanly after.
    std::thread([&] {
        HANDLE owned = nullptr;
        ASSERT_EQ(ZwCreateMutant(&owned, MUTANT_ALL_ACCESS, &oa, TRUE), STATUS_SUCCESS);
        EXPECT_EQ(ZwClose(owned), STATUS_SUCCESS);
    }).join();
    HANDLE event = nullptr;
    ASSERT_EQ(ZwCreateEvent(&event, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE),
              STATUS_SUCCESS);
    EXPECT_EQ(ZwReleaseMutant(event, nullptr), STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(ZwQueryMutant(event, MutantBasicInformation, &info, sizeof(info), nullptr),
              STATUS_OBJECT_TYPE_MISMATCH);
    ZwClose(event);
    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);
}

TEST(SyncServices, NamedMutantOpenIfDoesNotTakeOwnership) {
    UNICODE_STRING name = Name(L"\\BaseNamedObjects\\ExSyncMutant");
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE | OBJ_OPENIF, nullptr, nullptr);
    HANDLE first = nullptr, second = nullptr;
    ASSERT_EQ(ZwCreateMutant(&first, MUTANT_ALL_ACCESS, &oa, FALSE), STATUS_SUCCESS);
    std::thread([&] {
        // Creating it again with InitialOwner: the existing one is opened, not taken.
        EXPECT_EQ(ZwCreateMutant(&second, MUTANT_ALL_ACCESS, &oa, TRUE), STATUS_OBJECT_NAME_EXISTS);
        MUTANT_BASIC_INFORMATION info{};
        EXPECT_EQ(ZwQueryMutant(second, MutantBasicInformation, &info, sizeof(info), nullptr),
                  STATUS_SUCCESS);
        EXPECT_EQ(info.CurrentCount, 1);
        EXPECT_FALSE(info.OwnedByCaller);
        HANDLE opened = nullptr;
        EXPECT_EQ(ZwOpenMutant(&opened, SYNCHRONIZE, &oa), STATUS_SUCCESS);
        ZwClose(opened);
    }).join();
    ZwClose(second);
    ZwClose(first);
}

void NTAPI IgnoredApc(PVOID, PVOID, PVOID) {}

TEST(SyncServices, QueueApcThreadChecksHandleAndRoutine) {
    EXPECT_EQ(NtQueueApcThread(NtCurrentThread(), nullptr, nullptr, nullptr, nullptr),
              STATUS_INVALID_PARAMETER);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, nullptr, OBJ_KERNEL_HANDLE, nullptr, nullptr);
    HANDLE event = nullptr;
    ASSERT_EQ(ZwCreateEvent(&event, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE),
              STATUS_SUCCESS);
    EXPECT_EQ(NtQueueApcThread(event, IgnoredApc, nullptr, nullptr, nullptr),
              STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(
        NtQueueApcThread(reinterpret_cast<HANDLE>(0x5550), IgnoredApc, nullptr, nullptr, nullptr),
        STATUS_INVALID_HANDLE);
    // The test thread is a System-process thread: it never returns to user mode.
    EXPECT_EQ(NtQueueApcThread(NtCurrentThread(), IgnoredApc, nullptr, nullptr, nullptr),
              STATUS_INVALID_HANDLE);
    EXPECT_EQ(NtTestAlert(), STATUS_SUCCESS);
    LARGE_INTEGER interval;
    interval.QuadPart = -10000;
    EXPECT_EQ(NtDelayExecution(FALSE, &interval), STATUS_SUCCESS);
    EXPECT_EQ(NtDelayExecution(FALSE, nullptr), STATUS_ACCESS_VIOLATION);
    ZwClose(event);
}

} // namespace

namespace {

// The Nt* entry points with previous mode KernelMode work on kernel pointers; with UserMode
// they probe, and a kernel address is refused before anything is created.
TEST(SyncServices, NtEntryPointsFollowPreviousMode) {
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, nullptr, OBJ_KERNEL_HANDLE, nullptr, nullptr);
    HANDLE sem = nullptr, mutant = nullptr;
    {
        ntsim::ps::PreviousModeScope kernel(KernelMode);
        ASSERT_EQ(NtCreateSemaphore(&sem, SEMAPHORE_ALL_ACCESS, &oa, 0, 1), STATUS_SUCCESS);
        LONG previous = -1;
        EXPECT_EQ(NtReleaseSemaphore(sem, 1, &previous), STATUS_SUCCESS);
        EXPECT_EQ(previous, 0);
        SEMAPHORE_BASIC_INFORMATION info{};
        EXPECT_EQ(NtQuerySemaphore(sem, SemaphoreBasicInformation, &info, sizeof(info), nullptr),
                  STATUS_SUCCESS);
        EXPECT_EQ(info.CurrentCount, 1);
        ASSERT_EQ(NtCreateMutant(&mutant, MUTANT_ALL_ACCESS, &oa, TRUE), STATUS_SUCCESS);
        MUTANT_BASIC_INFORMATION mi{};
        EXPECT_EQ(NtQueryMutant(mutant, MutantBasicInformation, &mi, sizeof(mi), nullptr),
                  STATUS_SUCCESS);
        EXPECT_TRUE(mi.OwnedByCaller);
        EXPECT_EQ(NtReleaseMutant(mutant, &previous), STATUS_SUCCESS);
        EXPECT_EQ(previous, 0);
        UNICODE_STRING missing = Name(L"\\BaseNamedObjects\\ExSyncNoSuchObject");
        OBJECT_ATTRIBUTES named;
        InitializeObjectAttributes(&named, &missing, OBJ_KERNEL_HANDLE, nullptr, nullptr);
        HANDLE h = nullptr;
        EXPECT_EQ(NtOpenSemaphore(&h, SYNCHRONIZE, &named), STATUS_OBJECT_NAME_NOT_FOUND);
        EXPECT_EQ(NtOpenMutant(&h, SYNCHRONIZE, &named), STATUS_OBJECT_NAME_NOT_FOUND);
        EXPECT_EQ(NtOpenMutant(&h, SYNCHRONIZE, &oa), STATUS_OBJECT_NAME_INVALID);
        // Alerting a System thread from kernel mode: its next alertable kernel wait ends.
        EXPECT_EQ(NtAlertThread(NtCurrentThread()), STATUS_SUCCESS);
        LARGE_INTEGER interval;
        interval.QuadPart = -10 * 1000 * 1000;
        EXPECT_EQ(KeDelayExecutionThread(KernelMode, TRUE, &interval), STATUS_ALERTED);
        EXPECT_EQ(NtAlertThread(sem), STATUS_OBJECT_TYPE_MISMATCH);
    }
    {
        ntsim::ps::PreviousModeScope user(UserMode);
        // A kernel-space address where the caller's handle or count should go.
        auto* kernelHandle = reinterpret_cast<PHANDLE>(uintptr_t(0xFFFF800000001000ull));
        auto* kernelLong = reinterpret_cast<PLONG>(uintptr_t(0xFFFF800000001000ull));
        EXPECT_EQ(NtCreateSemaphore(kernelHandle, SEMAPHORE_ALL_ACCESS, nullptr, 0, 1),
                  STATUS_ACCESS_VIOLATION);
        EXPECT_EQ(NtCreateMutant(kernelHandle, MUTANT_ALL_ACCESS, nullptr, FALSE),
                  STATUS_ACCESS_VIOLATION);
        EXPECT_EQ(NtReleaseSemaphore(sem, 1, kernelLong), STATUS_ACCESS_VIOLATION);
        // A kernel handle is not reachable from user mode.
        EXPECT_EQ(NtReleaseMutant(mutant, nullptr), STATUS_INVALID_HANDLE);
        EXPECT_EQ(NtReleaseSemaphore(sem, 1, nullptr), STATUS_INVALID_HANDLE);
    }
    ZwClose(sem);
    ZwClose(mutant);
}

} // namespace
