// Named events: Zw*Event services, handle waits, IoCreate*Event, \KernelObjects events.
#include <atomic>
#include <thread>

#include "ex/ex.h"
#include "ke_test_util.h"
#include "ob/ob.h"
#include "ps/ps.h"

using ke_test::Relative;
using ke_test::WaitForWaiters;
using ke_test::Zero;

namespace {

struct Name {
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
    explicit Name(const WCHAR* s, ULONG attributes = OBJ_KERNEL_HANDLE) {
        RtlInitUnicodeString(&us, s);
        InitializeObjectAttributes(&oa, &us, attributes, nullptr, nullptr);
    }
};

} // namespace

TEST(NamedEvent, CreateOpenSetAcrossThreads) {
    Name name(L"\\BaseNamedObjects\\ApcTestEvent1");
    HANDLE created = nullptr;
    ASSERT_EQ(ZwCreateEvent(&created, EVENT_ALL_ACCESS, &name.oa, NotificationEvent, FALSE),
              STATUS_SUCCESS);
    ASSERT_NE(created, nullptr);
    EXPECT_TRUE(ntsim::ob::IsKernelHandle(created));
    NTSTATUS waited = STATUS_PENDING;
    PVOID object = nullptr;
    ASSERT_EQ(ObReferenceObjectByHandle(created, SYNCHRONIZE, *ExEventObjectType, KernelMode,
                                        &object, nullptr),
              STATUS_SUCCESS);
    std::thread waiter([&] {
        Name again(L"\\BaseNamedObjects\\ApcTestEvent1");
        HANDLE opened = nullptr;
        EXPECT_EQ(ZwOpenEvent(&opened, SYNCHRONIZE, &again.oa), STATUS_SUCCESS);
        waited = ZwWaitForSingleObject(opened, FALSE, nullptr);
        ZwClose(opened);
    });
    ASSERT_TRUE(WaitForWaiters(object, 1));
    LONG previous = 99;
    EXPECT_EQ(ZwSetEvent(created, &previous), STATUS_SUCCESS);
    waiter.join();
    EXPECT_EQ(previous, 0);
    EXPECT_EQ(waited, STATUS_SUCCESS);
    // The KEVENT behind the handle is what drivers get.
    EXPECT_EQ(KeReadStateEvent(static_cast<PKEVENT>(object)), 1);
    EXPECT_EQ(ZwResetEvent(created, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 1);
    EXPECT_EQ(KeReadStateEvent(static_cast<PKEVENT>(object)), 0);
    EXPECT_EQ(ZwSetEvent(created, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(ZwClearEvent(created), STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateEvent(static_cast<PKEVENT>(object)), 0);
    ObDereferenceObject(object);
    EXPECT_EQ(ZwClose(created), STATUS_SUCCESS);
    // Last handle closed: a temporary named event is gone.
    HANDLE h = nullptr;
    EXPECT_EQ(ZwOpenEvent(&h, SYNCHRONIZE, &name.oa), STATUS_OBJECT_NAME_NOT_FOUND);
}

TEST(NamedEvent, CollisionOpenIfAndWrongType) {
    Name name(L"\\BaseNamedObjects\\ApcTestEvent2");
    HANDLE first = nullptr, second = nullptr;
    ASSERT_EQ(ZwCreateEvent(&first, EVENT_ALL_ACCESS, &name.oa, SynchronizationEvent, TRUE),
              STATUS_SUCCESS);
    EXPECT_EQ(ZwCreateEvent(&second, EVENT_ALL_ACCESS, &name.oa, NotificationEvent, FALSE),
              STATUS_OBJECT_NAME_COLLISION);
    Name openIf(L"\\BaseNamedObjects\\ApcTestEvent2", OBJ_KERNEL_HANDLE | OBJ_OPENIF);
    ASSERT_EQ(ZwCreateEvent(&second, EVENT_ALL_ACCESS, &openIf.oa, NotificationEvent, FALSE),
              STATUS_OBJECT_NAME_EXISTS);
    // Same object: the existing synchronization event, still signalled.
    EVENT_BASIC_INFORMATION info{};
    ULONG returned = 0;
    EXPECT_EQ(ZwQueryEvent(second, EventBasicInformation, &info, sizeof(info), &returned),
              STATUS_SUCCESS);
    EXPECT_EQ(returned, sizeof(info));
    EXPECT_EQ(info.EventType, SynchronizationEvent);
    EXPECT_EQ(info.EventState, 1);
    EXPECT_EQ(ZwQueryEvent(second, EventBasicInformation, &info, sizeof(info) - 1, nullptr),
              STATUS_INFO_LENGTH_MISMATCH);
    EXPECT_EQ(ZwQueryEvent(second, EVENT_INFORMATION_CLASS(1), &info, sizeof(info), nullptr),
              STATUS_INVALID_INFO_CLASS);
    // Auto-reset through either handle.
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(ZwWaitForSingleObject(first, FALSE, &zero), STATUS_SUCCESS);
    EXPECT_EQ(ZwWaitForSingleObject(second, FALSE, &zero), STATUS_TIMEOUT);
    EXPECT_EQ(ZwSetEvent(nullptr, nullptr), STATUS_INVALID_HANDLE);
    EXPECT_EQ(ZwClose(first), STATUS_SUCCESS);
    EXPECT_EQ(ZwClose(second), STATUS_SUCCESS);
    EXPECT_EQ(ZwSetEvent(first, nullptr), STATUS_INVALID_HANDLE); // closed
}

TEST(NamedEvent, BadParameters) {
    Name name(L"\\BaseNamedObjects\\ApcTestEvent3");
    HANDLE h = nullptr;
    EXPECT_EQ(ZwCreateEvent(&h, EVENT_ALL_ACCESS, &name.oa, EVENT_TYPE(7), FALSE),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(ZwCreateEvent(nullptr, EVENT_ALL_ACCESS, &name.oa, NotificationEvent, FALSE),
              STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(ZwOpenEvent(&h, SYNCHRONIZE, &name.oa), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_EQ(ZwOpenEvent(&h, SYNCHRONIZE, nullptr), STATUS_OBJECT_NAME_INVALID);
    // Unnamed events work through their handle.
    ASSERT_EQ(ZwCreateEvent(&h, EVENT_ALL_ACCESS, nullptr, NotificationEvent, TRUE),
              STATUS_SUCCESS);
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(ZwWaitForSingleObject(h, FALSE, &zero), STATUS_SUCCESS);
    EXPECT_EQ(ZwWaitForSingleObject(h, FALSE, &zero), STATUS_SUCCESS); // manual reset
    LONG previous = 0;
    EXPECT_EQ(ZwPulseEvent(h, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 1);
    EXPECT_EQ(ZwWaitForSingleObject(h, FALSE, &zero), STATUS_TIMEOUT);
    ZwClose(h);
}

TEST(NamedEvent, WrongTypeOpenAndNonWaitableHandle) {
    // \KernelObjects is a directory: opening it as an event fails, waiting on it too.
    Name dir(L"\\KernelObjects");
    HANDLE h = nullptr;
    EXPECT_EQ(ZwOpenEvent(&h, SYNCHRONIZE, &dir.oa), STATUS_OBJECT_TYPE_MISMATCH);
    HANDLE dirHandle = nullptr;
    ASSERT_EQ(ZwOpenDirectoryObject(&dirHandle, DIRECTORY_QUERY, &dir.oa), STATUS_SUCCESS);
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(ZwWaitForSingleObject(dirHandle, FALSE, &zero), STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(ZwSetEvent(dirHandle, nullptr), STATUS_OBJECT_TYPE_MISMATCH);
    ZwClose(dirHandle);
    EXPECT_EQ(ZwWaitForSingleObject(reinterpret_cast<HANDLE>(0x7770), FALSE, &zero),
              STATUS_INVALID_HANDLE);
}

TEST(NamedEvent, WaitForMultipleObjectsAllAndAny) {
    HANDLE h[3];
    for (auto& handle : h)
        ASSERT_EQ(ZwCreateEvent(&handle, EVENT_ALL_ACCESS, nullptr, SynchronizationEvent, FALSE),
                  STATUS_SUCCESS);
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(ZwWaitForMultipleObjects(3, h, WaitAny, FALSE, &zero), STATUS_TIMEOUT);
    ZwSetEvent(h[0], nullptr);
    ZwSetEvent(h[2], nullptr);
    EXPECT_EQ(ZwWaitForMultipleObjects(3, h, WaitAll, FALSE, &zero), STATUS_TIMEOUT);
    // WaitAll consumed nothing.
    EXPECT_EQ(ZwWaitForMultipleObjects(3, h, WaitAny, FALSE, &zero), STATUS_WAIT_0);
    EXPECT_EQ(ZwWaitForMultipleObjects(3, h, WaitAny, FALSE, &zero), STATUS_WAIT_0 + 2);
    NTSTATUS all = STATUS_PENDING;
    std::thread waiter([&] { all = ZwWaitForMultipleObjects(3, h, WaitAll, FALSE, nullptr); });
    PVOID e2 = nullptr;
    ASSERT_EQ(ObReferenceObjectByHandle(h[2], 0, *ExEventObjectType, KernelMode, &e2, nullptr),
              STATUS_SUCCESS);
    ASSERT_TRUE(WaitForWaiters(e2, 1));
    for (auto handle : h)
        ZwSetEvent(handle, nullptr);
    waiter.join();
    EXPECT_EQ(all, STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateEvent(static_cast<PKEVENT>(e2)), 0);
    ObDereferenceObject(e2);
    // Bad counts, wait types, duplicates with WaitAll, bad handles.
    EXPECT_EQ(ZwWaitForMultipleObjects(0, h, WaitAny, FALSE, &zero), STATUS_INVALID_PARAMETER_1);
    EXPECT_EQ(ZwWaitForMultipleObjects(65, h, WaitAny, FALSE, &zero), STATUS_INVALID_PARAMETER_1);
    EXPECT_EQ(ZwWaitForMultipleObjects(3, h, WAIT_TYPE(5), FALSE, &zero),
              STATUS_INVALID_PARAMETER_3);
    HANDLE dup[2] = {h[0], h[0]};
    EXPECT_EQ(ZwWaitForMultipleObjects(2, dup, WaitAll, FALSE, &zero),
              STATUS_INVALID_PARAMETER_MIX);
    EXPECT_EQ(ZwWaitForMultipleObjects(2, dup, WaitAny, FALSE, &zero), STATUS_TIMEOUT);
    HANDLE bad[2] = {h[0], reinterpret_cast<HANDLE>(0x7774)};
    EXPECT_EQ(ZwWaitForMultipleObjects(2, bad, WaitAny, FALSE, &zero), STATUS_INVALID_HANDLE);
    for (auto handle : h)
        ZwClose(handle);
}

TEST(NamedEvent, NtWaitIsPreviousModeAwareAndAlertable) {
    HANDLE kernelHandle = nullptr, processHandle = nullptr;
    Name kernelName(L"\\BaseNamedObjects\\ApcTestEvent4");
    ASSERT_EQ(
        ZwCreateEvent(&kernelHandle, EVENT_ALL_ACCESS, &kernelName.oa, NotificationEvent, FALSE),
        STATUS_SUCCESS);
    ASSERT_EQ(ZwCreateEvent(&processHandle, EVENT_ALL_ACCESS, nullptr, NotificationEvent, FALSE),
              STATUS_SUCCESS);
    EXPECT_FALSE(ntsim::ob::IsKernelHandle(processHandle));
    ASSERT_EQ(ntsim::ke::QueueUserApc(
                  KeGetCurrentThread(), [](PVOID, PVOID, PVOID) {}, nullptr, nullptr, nullptr),
              STATUS_SUCCESS);
    // Zw*: a KernelMode wait, which user APCs do not end even when alertable.
    LARGE_INTEGER zero = Zero();
    EXPECT_EQ(ZwWaitForSingleObject(processHandle, TRUE, &zero), STATUS_TIMEOUT);
    {
        // Nt* from user mode: a UserMode wait, ended by the queued user APC.
        ntsim::ps::PreviousModeScope user(UserMode);
        LARGE_INTEGER timeout = Relative(10000);
        EXPECT_EQ(NtWaitForSingleObject(processHandle, TRUE, &timeout), STATUS_USER_APC);
        // Kernel handles are not valid from user mode.
        EXPECT_EQ(NtWaitForSingleObject(kernelHandle, TRUE, &timeout), STATUS_INVALID_HANDLE);
        EXPECT_EQ(NtSetEvent(kernelHandle, nullptr), STATUS_INVALID_HANDLE);
        // A bad user pointer for the timeout.
        EXPECT_EQ(
            NtWaitForSingleObject(processHandle, TRUE, reinterpret_cast<PLARGE_INTEGER>(0x10)),
            STATUS_ACCESS_VIOLATION);
        EXPECT_EQ(NtSetEvent(processHandle, reinterpret_cast<PLONG>(0x11)),
                  STATUS_DATATYPE_MISALIGNMENT);
    }
    EXPECT_EQ(ntsim::ke::DeliverUserApcs(), 1u);
    {
        ntsim::ps::PreviousModeScope user(UserMode);
        LONG previous = 5;
        EXPECT_EQ(NtSetEvent(processHandle, &previous), STATUS_SUCCESS);
        EXPECT_EQ(previous, 0);
        EXPECT_EQ(NtWaitForSingleObject(processHandle, TRUE, nullptr), STATUS_SUCCESS);
    }
    ZwClose(processHandle);
    ZwClose(kernelHandle);
}

TEST(NamedEvent, IoCreateNotificationAndSynchronizationEvent) {
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, L"ApcTestIoEvent");
    HANDLE h1 = nullptr, h2 = nullptr;
    PKEVENT e1 = IoCreateNotificationEvent(&name, &h1);
    ASSERT_NE(e1, nullptr);
    EXPECT_TRUE(ntsim::ob::IsKernelHandle(h1));
    EXPECT_EQ(KeReadStateEvent(e1), 1); // created signalled
    EXPECT_EQ(e1->Header.Type, EventNotificationObject);
    EXPECT_TRUE(ntsim::ob::FullName(e1) == u"\\BaseNamedObjects\\ApcTestIoEvent");
    KeClearEvent(e1);
    // Opening again gives the same event in its current state.
    PKEVENT again = IoCreateSynchronizationEvent(&name, &h2);
    EXPECT_EQ(again, e1);
    EXPECT_NE(h2, h1);
    EXPECT_EQ(KeReadStateEvent(again), 0);
    EXPECT_EQ(again->Header.Type, EventNotificationObject);
    ZwClose(h2);
    ZwClose(h1);

    UNICODE_STRING absolute;
    RtlInitUnicodeString(&absolute, L"\\KernelObjects\\ApcTestSyncEvent");
    PKEVENT e3 = IoCreateSynchronizationEvent(&absolute, &h1);
    ASSERT_NE(e3, nullptr);
    EXPECT_EQ(e3->Header.Type, EventSynchronizationObject);
    EXPECT_EQ(KeWaitForSingleObject(e3, Executive, KernelMode, FALSE, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateEvent(e3), 0);
    ZwClose(h1);

    EXPECT_EQ(IoCreateNotificationEvent(nullptr, &h1), nullptr);
    EXPECT_EQ(IoCreateNotificationEvent(&name, nullptr), nullptr);
    UNICODE_STRING empty{};
    EXPECT_EQ(IoCreateNotificationEvent(&empty, &h1), nullptr);
    UNICODE_STRING noParent;
    RtlInitUnicodeString(&noParent, L"\\NoSuchDirectory\\Event");
    EXPECT_EQ(IoCreateNotificationEvent(&noParent, &h1), nullptr);
}

TEST(NamedEvent, KernelObjectsMemoryConditionEvents) {
    for (const WCHAR* n :
         {L"LowMemoryCondition", L"HighMemoryCondition", L"LowPagedPoolCondition",
          L"HighPagedPoolCondition", L"LowNonPagedPoolCondition", L"HighNonPagedPoolCondition",
          L"LowCommitCondition", L"HighCommitCondition", L"MaximumCommitCondition"}) {
        std::u16string path = u"\\KernelObjects\\";
        path += reinterpret_cast<const char16_t*>(n);
        UNICODE_STRING us;
        us.Buffer = reinterpret_cast<PWCH>(path.data());
        us.Length = us.MaximumLength = USHORT(path.size() * 2);
        HANDLE h = nullptr;
        PKEVENT e = IoCreateNotificationEvent(&us, &h);
        ASSERT_NE(e, nullptr) << ntsim::test::Narrow(n);
        EXPECT_EQ(e, ntsim::ex::KernelObjectEvent(reinterpret_cast<const char16_t*>(n)));
        EXPECT_EQ(e->Header.Type, EventNotificationObject);
        bool high = n[0] == L'H';
        EXPECT_EQ(KeReadStateEvent(e), high ? 1 : 0) << ntsim::test::Narrow(n);
        ZwClose(h);
        // Permanent: still there after the last handle closed.
        EXPECT_EQ(ntsim::ex::KernelObjectEvent(reinterpret_cast<const char16_t*>(n)), e);
    }
    // A driver thread waiting on LowMemoryCondition is released when the condition is raised.
    PKEVENT low = ntsim::ex::KernelObjectEvent(u"lowmemorycondition");
    ASSERT_NE(low, nullptr);
    NTSTATUS status = STATUS_PENDING;
    std::thread waiter(
        [&] { status = KeWaitForSingleObject(low, Executive, KernelMode, FALSE, nullptr); });
    ASSERT_TRUE(WaitForWaiters(low, 1));
    EXPECT_EQ(ntsim::ex::SetKernelObjectEvent(u"LowMemoryCondition", true), STATUS_SUCCESS);
    waiter.join();
    EXPECT_EQ(status, STATUS_SUCCESS);
    EXPECT_EQ(ntsim::ex::SetKernelObjectEvent(u"LowMemoryCondition", false), STATUS_SUCCESS);
    EXPECT_EQ(KeReadStateEvent(low), 0);
    EXPECT_EQ(ntsim::ex::SetKernelObjectEvent(u"NoSuchCondition", true),
              STATUS_OBJECT_NAME_NOT_FOUND);
}

// The Nt entry points of the event services (previous mode KernelMode for this system thread):
// clear, pulse and query, including a query buffer that is too small.
TEST(NamedEvent, NtClearPulseAndQuery) {
    Name name(L"\\BaseNamedObjects\\ApcTestEventNtQuery");
    HANDLE event = nullptr;
    ASSERT_EQ(NtCreateEvent(&event, EVENT_ALL_ACCESS, &name.oa, NotificationEvent, TRUE),
              STATUS_SUCCESS);
    EVENT_BASIC_INFORMATION info{};
    ULONG returned = 0;
    ASSERT_EQ(NtQueryEvent(event, EventBasicInformation, &info, sizeof info, &returned),
              STATUS_SUCCESS);
    EXPECT_EQ(returned, sizeof info);
    EXPECT_EQ(info.EventType, NotificationEvent);
    EXPECT_EQ(info.EventState, 1);

    EXPECT_EQ(NtClearEvent(event), STATUS_SUCCESS);
    ASSERT_EQ(NtQueryEvent(event, EventBasicInformation, &info, sizeof info, nullptr),
              STATUS_SUCCESS);
    EXPECT_EQ(info.EventState, 0);

    // A pulse with no waiter leaves the event non-signalled and reports the previous state.
    LONG previous = -1;
    EXPECT_EQ(NtSetEvent(event, nullptr), STATUS_SUCCESS);
    EXPECT_EQ(NtPulseEvent(event, &previous), STATUS_SUCCESS);
    EXPECT_EQ(previous, 1);
    ASSERT_EQ(NtQueryEvent(event, EventBasicInformation, &info, sizeof info, nullptr),
              STATUS_SUCCESS);
    EXPECT_EQ(info.EventState, 0);

    EXPECT_EQ(NtQueryEvent(event, EventBasicInformation, &info, sizeof info - 1, &returned),
              STATUS_INFO_LENGTH_MISMATCH);
    EXPECT_EQ(NtClearEvent(nullptr), STATUS_INVALID_HANDLE);
    EXPECT_EQ(NtPulseEvent(nullptr, nullptr), STATUS_INVALID_HANDLE);
    EXPECT_EQ(ZwClose(event), STATUS_SUCCESS);
}
