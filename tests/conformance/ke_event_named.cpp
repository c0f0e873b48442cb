// ke.event.named: named events from a driver. IoCreateNotificationEvent/SynchronizationEvent
// create (signalled) or open an event and return a kernel handle; Zw*Event services work on
// named events across threads; OBJ_OPENIF, name collisions and wrong-type opens report the NT
// statuses; ZwWaitForMultipleObjects WaitAll consumes all or nothing; the \KernelObjects
// memory condition events exist.
#include "kmt.h"

namespace {

#define KMT_EVENT_NAME L"\\BaseNamedObjects\\KmtNamedEvent"

struct OpenJob {
    NTSTATUS OpenStatus;
    NTSTATUS WaitStatus;
};

VOID OpenAndWait(PVOID context) {
    OpenJob* job = (OpenJob*)context;
    UNICODE_STRING name = RTL_CONSTANT_STRING(KMT_EVENT_NAME);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, nullptr,
                               nullptr);
    HANDLE h = nullptr;
    job->OpenStatus = ZwOpenEvent(&h, SYNCHRONIZE, &oa);
    if (!NT_SUCCESS(job->OpenStatus)) return;
    LARGE_INTEGER timeout;
    timeout.QuadPart = -20LL * 10000000;
    job->WaitStatus = ZwWaitForSingleObject(h, FALSE, &timeout);
    ZwClose(h);
}

void TestIoCreateEvents() {
    UNICODE_STRING name = RTL_CONSTANT_STRING(KMT_EVENT_NAME);
    HANDLE h1 = nullptr, h2 = nullptr;
    PKEVENT e1 = IoCreateNotificationEvent(&name, &h1);
    ok_ne_ptr(e1, nullptr);
    if (!skip(e1 != nullptr, "no event\n")) return;
    ok((LONG_PTR)h1 < 0, "kernel handle expected, got %p\n", h1);
    ok_eq_int(KeReadStateEvent(e1), 1); // created signalled
    KeClearEvent(e1);

    // The same name again: the same event, state kept, a second handle.
    PKEVENT e2 = IoCreateSynchronizationEvent(&name, &h2);
    ok_eq_ptr(e2, e1);
    ok(h2 != h1, "a new handle expected\n");
    ok_eq_int(KeReadStateEvent(e2), 0);

    // ObReferenceObjectByHandle with *ExEventObjectType gives the KEVENT.
    PVOID object = nullptr;
    ok_eq_status(ObReferenceObjectByHandle(h1, SYNCHRONIZE, *ExEventObjectType, KernelMode, &object,
                                           nullptr),
                 STATUS_SUCCESS);
    ok_eq_ptr(object, e1);
    if (object) ObDereferenceObject(object);
    ok_eq_status(ObReferenceObjectByHandle(h1, 0, *IoFileObjectType, KernelMode, &object, nullptr),
                 STATUS_OBJECT_TYPE_MISMATCH);

    // Another thread opens it by name and waits; ZwSetEvent releases it.
    OpenJob job = {STATUS_PENDING, STATUS_PENDING};
    HANDLE threadHandle = nullptr;
    NTSTATUS status = PsCreateSystemThread(&threadHandle, THREAD_ALL_ACCESS, nullptr, nullptr,
                                           nullptr, OpenAndWait, &job);
    ok_eq_status(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        LARGE_INTEGER pause;
        pause.QuadPart = -200000;
        KeDelayExecutionThread(KernelMode, FALSE, &pause);
        LONG previous = 7;
        ok_eq_status(ZwSetEvent(h1, &previous), STATUS_SUCCESS);
        ok_eq_int(previous, 0);
        LARGE_INTEGER timeout;
        timeout.QuadPart = -20LL * 10000000;
        ok_eq_status(ZwWaitForSingleObject(threadHandle, FALSE, &timeout), STATUS_SUCCESS);
        ZwClose(threadHandle);
        ok_eq_status(job.OpenStatus, STATUS_SUCCESS);
        ok_eq_status(job.WaitStatus, STATUS_SUCCESS);
    }
    ok_eq_status(ZwResetEvent(h2, nullptr), STATUS_SUCCESS);
    ok_eq_int(KeReadStateEvent(e1), 0);

    // Collision and OPENIF through ZwCreateEvent.
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, nullptr,
                               nullptr);
    HANDLE h3 = nullptr;
    ok_eq_status(ZwCreateEvent(&h3, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE),
                 STATUS_OBJECT_NAME_COLLISION);
    oa.Attributes |= OBJ_OPENIF;
    ok_eq_status(ZwCreateEvent(&h3, EVENT_ALL_ACCESS, &oa, NotificationEvent, FALSE),
                 STATUS_OBJECT_NAME_EXISTS);
    EVENT_BASIC_INFORMATION info;
    ok_eq_status(ZwQueryEvent(h3, EventBasicInformation, &info, sizeof(info), nullptr),
                 STATUS_SUCCESS);
    ok_eq_int(info.EventType, NotificationEvent);
    ok_eq_int(info.EventState, 0);
    ZwClose(h3);
    ZwClose(h2);
    ZwClose(h1);

    // Last handle closed: the name is gone.
    oa.Attributes &= ~OBJ_OPENIF;
    ok_eq_status(ZwOpenEvent(&h3, SYNCHRONIZE, &oa), STATUS_OBJECT_NAME_NOT_FOUND);

    // Wrong-type open: a directory is not an event.
    UNICODE_STRING dir = RTL_CONSTANT_STRING(L"\\BaseNamedObjects");
    InitializeObjectAttributes(&oa, &dir, OBJ_KERNEL_HANDLE, nullptr, nullptr);
    ok_eq_status(ZwOpenEvent(&h3, SYNCHRONIZE, &oa), STATUS_OBJECT_TYPE_MISMATCH);
    ok_eq_ptr(IoCreateNotificationEvent(nullptr, &h3), nullptr);
}

void TestWaitMultiple() {
    HANDLE h[3];
    for (int i = 0; i < 3; ++i)
        ok_eq_status(ZwCreateEvent(&h[i], EVENT_ALL_ACCESS, nullptr, SynchronizationEvent, FALSE),
                     STATUS_SUCCESS);
    LARGE_INTEGER zero;
    zero.QuadPart = 0;
    ZwSetEvent(h[0], nullptr);
    ZwSetEvent(h[1], nullptr);
    ok_eq_status(ZwWaitForMultipleObjects(3, h, WaitAll, FALSE, &zero), STATUS_TIMEOUT);
    ZwSetEvent(h[2], nullptr);
    ok_eq_status(ZwWaitForMultipleObjects(3, h, WaitAll, FALSE, &zero), STATUS_SUCCESS);
    ok_eq_status(ZwWaitForMultipleObjects(3, h, WaitAny, FALSE, &zero), STATUS_TIMEOUT);
    ZwSetEvent(h[1], nullptr);
    ok_eq_status(ZwWaitForMultipleObjects(3, h, WaitAny, FALSE, &zero), STATUS_WAIT_1);
    ok_eq_status(ZwWaitForMultipleObjects(0, h, WaitAny, FALSE, &zero), STATUS_INVALID_PARAMETER_1);
    for (int i = 0; i < 3; ++i)
        ZwClose(h[i]);
    ok_eq_status(ZwWaitForSingleObject(h[0], FALSE, &zero), STATUS_INVALID_HANDLE);
}

void TestKernelObjectsEvents() {
    static const PCWSTR names[] = {
        L"\\KernelObjects\\LowMemoryCondition",       L"\\KernelObjects\\HighMemoryCondition",
        L"\\KernelObjects\\LowPagedPoolCondition",    L"\\KernelObjects\\HighPagedPoolCondition",
        L"\\KernelObjects\\LowNonPagedPoolCondition", L"\\KernelObjects\\HighNonPagedPoolCondition",
        L"\\KernelObjects\\LowCommitCondition",       L"\\KernelObjects\\HighCommitCondition",
        L"\\KernelObjects\\MaximumCommitCondition",
    };
    for (PCWSTR n : names) {
        UNICODE_STRING name;
        RtlInitUnicodeString(&name, n);
        OBJECT_ATTRIBUTES oa;
        InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE, nullptr, nullptr);
        HANDLE h = nullptr;
        ok_eq_status(ZwOpenEvent(&h, SYNCHRONIZE | EVENT_QUERY_STATE, &oa), STATUS_SUCCESS);
        if (!h) continue;
        EVENT_BASIC_INFORMATION info;
        ok_eq_status(ZwQueryEvent(h, EventBasicInformation, &info, sizeof(info), nullptr),
                     STATUS_SUCCESS);
        ok_eq_int(info.EventType, NotificationEvent);
        ok_eq_int(info.EventState, n[15] == L'H' ? 1 : 0); // plenty of memory
        ZwClose(h);
    }
    // The book's pattern: open with IoCreateNotificationEvent and wait on the pointer.
    UNICODE_STRING high = RTL_CONSTANT_STRING(L"\\KernelObjects\\HighMemoryCondition");
    HANDLE h = nullptr;
    PKEVENT e = IoCreateNotificationEvent(&high, &h);
    ok_ne_ptr(e, nullptr);
    if (e) {
        LARGE_INTEGER zero;
        zero.QuadPart = 0;
        ok_eq_status(KeWaitForSingleObject(e, Executive, KernelMode, FALSE, &zero), STATUS_SUCCESS);
        ZwClose(h);
    }
}

} // namespace

KMT_TEST("ke.event.named", Test_KeEventNamed);

void Test_KeEventNamed() {
    TestIoCreateEvents();
    TestWaitMultiple();
    TestKernelObjectsEvents();
}
