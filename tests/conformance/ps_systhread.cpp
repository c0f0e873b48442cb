// ps.systhread: PsCreateSystemThread runs the start routine in the System process at
// PASSIVE_LEVEL on a new thread; the handle is a waitable kernel handle; the ClientId names the
// thread; PsTerminateSystemThread ends it with its status; IoCreateSystemThread holds the
// device while the thread runs.
#include "kmt.h"

namespace {

struct ThreadData {
    PEPROCESS Process;
    KIRQL Irql;
    BOOLEAN System;
    HANDLE ThreadId;
    NTSTATUS TerminateWith;
    volatile BOOLEAN AfterTerminate;
    KEVENT Release;
    BOOLEAN Block;
};

VOID StartRoutine(PVOID context) {
    ThreadData* data = (ThreadData*)context;
    data->Process = PsGetCurrentProcess();
    data->Irql = KeGetCurrentIrql();
    data->System = PsIsSystemThread(PsGetCurrentThread());
    data->ThreadId = PsGetCurrentThreadId();
    if (data->Block) KeWaitForSingleObject(&data->Release, Executive, KernelMode, FALSE, NULL);
    if (data->TerminateWith) {
        PsTerminateSystemThread(data->TerminateWith);
        data->AfterTerminate = TRUE;
    }
}

PETHREAD WaitForThread(HANDLE handle) {
    PVOID thread = NULL;
    NTSTATUS status =
        ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &thread, NULL);
    ok_eq_hex(status, STATUS_SUCCESS);
    if (!NT_SUCCESS(status)) return NULL;
    ok_eq_hex(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL), STATUS_SUCCESS);
    return (PETHREAD)thread;
}

} // namespace

void TestSystemThread() {
    ThreadData data = {};
    KeInitializeEvent(&data.Release, NotificationEvent, FALSE);
    HANDLE handle = NULL;
    CLIENT_ID cid = {};
    NTSTATUS status =
        PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, &cid, StartRoutine, &data);
    ok_eq_hex(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        ok((LONG_PTR)handle < 0, "kernel handle expected, got %p\n", handle);
        PETHREAD thread = WaitForThread(handle);
        ok_eq_ptr(data.Process, PsInitialSystemProcess);
        ok_eq_int(data.Irql, PASSIVE_LEVEL);
        ok_eq_bool(data.System, TRUE);
        ok_eq_ptr(data.ThreadId, cid.UniqueThread);
        ok_eq_ptr(cid.UniqueProcess, PsGetProcessId(PsInitialSystemProcess));
        ok(data.ThreadId != PsGetCurrentThreadId(), "ran on the caller's thread\n");
        if (thread) {
            ok_eq_ptr(PsGetThreadId(thread), cid.UniqueThread);
            ok_eq_bool(PsIsThreadTerminating(thread), TRUE);
            ObDereferenceObject(thread);
        }
        ok_eq_hex(ZwClose(handle), STATUS_SUCCESS);
    }

    // PsTerminateSystemThread does not return.
    ThreadData terminated = {};
    KeInitializeEvent(&terminated.Release, NotificationEvent, FALSE);
    terminated.TerminateWith = STATUS_CANCELLED;
    status = PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, StartRoutine,
                                  &terminated);
    ok_eq_hex(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        PETHREAD thread = WaitForThread(handle);
        ok_eq_bool(terminated.AfterTerminate, FALSE);
        if (thread) ObDereferenceObject(thread);
        ZwClose(handle);
    }
    ok_eq_hex(PsTerminateSystemThread(STATUS_SUCCESS), STATUS_INVALID_PARAMETER);

    // A running thread is not signalled.
    ThreadData blocked = {};
    KeInitializeEvent(&blocked.Release, NotificationEvent, FALSE);
    blocked.Block = TRUE;
    status = IoCreateSystemThread(KmtControlDevice, &handle, THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                  StartRoutine, &blocked);
    ok_eq_hex(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        PVOID thread = NULL;
        ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &thread, NULL);
        LARGE_INTEGER zero = {};
        ok_eq_hex(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, &zero),
                  STATUS_TIMEOUT);
        KeSetEvent(&blocked.Release, IO_NO_INCREMENT, FALSE);
        ok_eq_hex(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL),
                  STATUS_SUCCESS);
        ObDereferenceObject(thread);
        ZwClose(handle);
    }
    ok_eq_hex(PsCreateSystemThread(NULL, THREAD_ALL_ACCESS, NULL, NULL, NULL, StartRoutine, NULL),
              STATUS_INVALID_PARAMETER);
}

KMT_TEST("ps.systhread", TestSystemThread);
