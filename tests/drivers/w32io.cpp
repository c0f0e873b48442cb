// w32io: the test driver of the Win32 I/O e2e tests (tests/e2e/win32_io_test.cpp). It counts
// creates, cleanups and closes per file object (a second cleanup or a close without cleanup is
// an error the tests look for), queues requests until they are completed or cancelled, pends
// one request that a timer completes, and answers with the statuses Win32 maps to errors.
// Devices: \Device\W32Io (link \??\W32Io) and an exclusive one, \Device\W32IoExcl
// (link \??\W32IoExcl).
#include <ntddk.h>

#include "w32io_ioctl.h"

namespace {

constexpr ULONG kTag = 'oI3W';
constexpr ULONG kContextMagic = 0x57334943;

UNICODE_STRING g_deviceName = RTL_CONSTANT_STRING(L"\\Device\\W32Io");
UNICODE_STRING g_linkName = RTL_CONSTANT_STRING(L"\\??\\W32Io");
UNICODE_STRING g_exclusiveName = RTL_CONSTANT_STRING(L"\\Device\\W32IoExcl");
UNICODE_STRING g_exclusiveLink = RTL_CONSTANT_STRING(L"\\??\\W32IoExcl");

// Per open file (FileObject->FsContext).
struct FileContext {
    ULONG Magic;
    LONG CleanedUp;
};

W32IO_STATS g_stats;
KSPIN_LOCK g_lock;  // g_queue, g_timedIrp, g_stats.Pending
LIST_ENTRY g_queue; // IOCTL_W32IO_PEND requests (Irp->Tail.Overlay.ListEntry)
PIRP g_timedIrp;    // the IOCTL_W32IO_PEND_TIMED request in flight
KTIMER g_timer;
KDPC g_timerDpc;
KEVENT g_threadStop; // tells the system thread to end
PETHREAD g_thread;   // the running system thread (referenced), under g_threadLock
KEVENT g_threadLock; // a PASSIVE_LEVEL lock (synchronization event, initially set):
                     // PsCreateSystemThread must be called at PASSIVE_LEVEL

NTSTATUS Complete(PIRP Irp, NTSTATUS status, ULONG_PTR information) {
    Irp->IoStatus.Status = status;
    Irp->IoStatus.Information = information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}

void FillOutput(PIRP Irp, UCHAR value) {
    auto* stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG length = stack->Parameters.DeviceIoControl.OutputBufferLength;
    if (length && Irp->AssociatedIrp.SystemBuffer)
        RtlFillMemory(Irp->AssociatedIrp.SystemBuffer, length, value);
    Irp->IoStatus.Information = length;
}

void CancelQueued(PDEVICE_OBJECT, PIRP Irp) {
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    KIRQL irql;
    KeAcquireSpinLock(&g_lock, &irql);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    g_stats.Pending--;
    g_stats.Cancelled++;
    KeReleaseSpinLock(&g_lock, irql);
    Complete(Irp, STATUS_CANCELLED, 0);
}

// Takes every queued request whose cancel routine is not running (those stay queued: their
// cancel routine removes them).
void TakeQueued(LIST_ENTRY* out) {
    InitializeListHead(out);
    KIRQL irql;
    KeAcquireSpinLock(&g_lock, &irql);
    for (LIST_ENTRY* e = g_queue.Flink; e != &g_queue;) {
        LIST_ENTRY* next = e->Flink;
        PIRP irp = CONTAINING_RECORD(e, IRP, Tail.Overlay.ListEntry);
        if (IoSetCancelRoutine(irp, nullptr) != nullptr) {
            RemoveEntryList(e);
            InsertTailList(out, e);
            g_stats.Pending--;
        }
        e = next;
    }
    KeReleaseSpinLock(&g_lock, irql);
}

void TimerExpired(PKDPC, PVOID, PVOID, PVOID) {
    KeAcquireSpinLockAtDpcLevel(&g_lock);
    PIRP irp = g_timedIrp;
    g_timedIrp = nullptr;
    KeReleaseSpinLockFromDpcLevel(&g_lock);
    if (irp) {
        FillOutput(irp, 'T');
        irp->IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}

void SystemThreadMain(PVOID) {
    KeWaitForSingleObject(&g_threadStop, Executive, KernelMode, FALSE, nullptr);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

NTSTATUS StartThread(ULONG* threadId) {
    KeWaitForSingleObject(&g_threadLock, Executive, KernelMode, FALSE, nullptr);
    NTSTATUS status = STATUS_DEVICE_BUSY;
    if (!g_thread) {
        KeClearEvent(&g_threadStop);
        HANDLE handle = nullptr;
        CLIENT_ID cid{};
        status = PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, nullptr, nullptr, &cid,
                                      SystemThreadMain, nullptr);
        if (NT_SUCCESS(status)) {
            PVOID thread = nullptr;
            status = ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode,
                                               &thread, nullptr);
            ZwClose(handle);
            if (NT_SUCCESS(status)) {
                g_thread = static_cast<PETHREAD>(thread);
                *threadId = ULONG(ULONG_PTR(cid.UniqueThread));
            } else {
                KeSetEvent(&g_threadStop, IO_NO_INCREMENT, FALSE);
            }
        }
    }
    KeSetEvent(&g_threadLock, IO_NO_INCREMENT, FALSE);
    return status;
}

NTSTATUS StopThread() {
    KeWaitForSingleObject(&g_threadLock, Executive, KernelMode, FALSE, nullptr);
    PETHREAD thread = g_thread;
    g_thread = nullptr;
    KeSetEvent(&g_threadLock, IO_NO_INCREMENT, FALSE);
    if (!thread) return STATUS_NOT_FOUND;
    KeSetEvent(&g_threadStop, IO_NO_INCREMENT, FALSE);
    KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, nullptr);
    ObDereferenceObject(thread);
    return STATUS_SUCCESS;
}

NTSTATUS Queue(PIRP Irp) {
    KIRQL irql;
    KeAcquireSpinLock(&g_lock, &irql);
    IoMarkIrpPending(Irp);
    IoSetCancelRoutine(Irp, CancelQueued);
    if (Irp->Cancel && IoSetCancelRoutine(Irp, nullptr) != nullptr) {
        // Cancelled before the cancel routine was in place.
        g_stats.Cancelled++;
        KeReleaseSpinLock(&g_lock, irql);
        Complete(Irp, STATUS_CANCELLED, 0);
        return STATUS_PENDING;
    }
    InsertTailList(&g_queue, &Irp->Tail.Overlay.ListEntry);
    g_stats.Pending++;
    KeReleaseSpinLock(&g_lock, irql);
    return STATUS_PENDING;
}

} // namespace

static NTSTATUS W32IoCreate(PDEVICE_OBJECT, PIRP Irp) {
    auto* stack = IoGetCurrentIrpStackLocation(Irp);
    auto* context =
        static_cast<FileContext*>(ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(FileContext), kTag));
    if (!context) return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    context->Magic = kContextMagic;
    context->CleanedUp = 0;
    stack->FileObject->FsContext = context;
    InterlockedIncrement(&g_stats.Creates);
    g_stats.LastCreateDisposition = stack->Parameters.Create.Options >> 24;
    g_stats.LastCreateShare = stack->Parameters.Create.ShareAccess;
    g_stats.LastCreateAccess = stack->Parameters.Create.SecurityContext->DesiredAccess;
    return Complete(Irp, STATUS_SUCCESS, FILE_OPENED);
}

static NTSTATUS W32IoCleanup(PDEVICE_OBJECT, PIRP Irp) {
    auto* stack = IoGetCurrentIrpStackLocation(Irp);
    auto* context = static_cast<FileContext*>(stack->FileObject->FsContext);
    InterlockedIncrement(&g_stats.Cleanups);
    if (!context || context->Magic != kContextMagic ||
        InterlockedExchange(&context->CleanedUp, 1) != 0)
        InterlockedIncrement(&g_stats.Errors);
    return Complete(Irp, STATUS_SUCCESS, 0);
}

static NTSTATUS W32IoClose(PDEVICE_OBJECT, PIRP Irp) {
    auto* stack = IoGetCurrentIrpStackLocation(Irp);
    auto* context = static_cast<FileContext*>(stack->FileObject->FsContext);
    InterlockedIncrement(&g_stats.Closes);
    if (!context || context->Magic != kContextMagic || !context->CleanedUp) {
        InterlockedIncrement(&g_stats.Errors);
    }
    if (context && context->Magic == kContextMagic) {
        context->Magic = 0;
        ExFreePoolWithTag(context, kTag);
        stack->FileObject->FsContext = nullptr;
    }
    return Complete(Irp, STATUS_SUCCESS, 0);
}

static NTSTATUS W32IoRead(PDEVICE_OBJECT, PIRP Irp) {
    auto* stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG length = stack->Parameters.Read.Length;
    auto* buffer = static_cast<UCHAR*>(Irp->AssociatedIrp.SystemBuffer);
    InterlockedIncrement(&g_stats.Reads);
    if (length == 0) return Complete(Irp, STATUS_SUCCESS, 0);
    if (!buffer) return Complete(Irp, STATUS_INVALID_USER_BUFFER, 0);
    for (ULONG i = 0; i < length; ++i)
        buffer[i] = UCHAR('a' + i % 26);
    return Complete(Irp, STATUS_SUCCESS, length);
}

static NTSTATUS W32IoWrite(PDEVICE_OBJECT, PIRP Irp) {
    auto* stack = IoGetCurrentIrpStackLocation(Irp);
    InterlockedIncrement(&g_stats.Writes);
    return Complete(Irp, STATUS_SUCCESS, stack->Parameters.Write.Length);
}

static NTSTATUS W32IoControl(PDEVICE_OBJECT, PIRP Irp) {
    auto* stack = IoGetCurrentIrpStackLocation(Irp);
    auto& p = stack->Parameters.DeviceIoControl;
    ULONG inLen = p.InputBufferLength, outLen = p.OutputBufferLength;
    auto* buffer = static_cast<UCHAR*>(Irp->AssociatedIrp.SystemBuffer);
    switch (p.IoControlCode) {
    case IOCTL_W32IO_ECHO:
        // Buffered: the input already sits where the output goes.
        return Complete(Irp, STATUS_SUCCESS, inLen < outLen ? inLen : outLen);
    case IOCTL_W32IO_NEED16:
        if (outLen < 16) return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        RtlFillMemory(buffer, 16, '6');
        return Complete(Irp, STATUS_SUCCESS, 16);
    case IOCTL_W32IO_OVERFLOW:
        if (outLen < 4) return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        RtlFillMemory(buffer, 4, 'O');
        return Complete(Irp, STATUS_BUFFER_OVERFLOW, 4);
    case IOCTL_W32IO_WRITE_ONLY:
        return Complete(Irp, STATUS_SUCCESS, 0);
    case IOCTL_W32IO_PEND:
        return Queue(Irp);
    case IOCTL_W32IO_COMPLETE_ALL: {
        LIST_ENTRY taken;
        TakeQueued(&taken);
        ULONG count = 0;
        while (!IsListEmpty(&taken)) {
            PIRP irp = CONTAINING_RECORD(RemoveHeadList(&taken), IRP, Tail.Overlay.ListEntry);
            FillOutput(irp, 'P');
            irp->IoStatus.Status = STATUS_SUCCESS;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            ++count;
        }
        if (outLen >= sizeof(ULONG)) {
            *reinterpret_cast<ULONG*>(buffer) = count;
            return Complete(Irp, STATUS_SUCCESS, sizeof(ULONG));
        }
        return Complete(Irp, STATUS_SUCCESS, 0);
    }
    case IOCTL_W32IO_PEND_TIMED: {
        KIRQL irql;
        KeAcquireSpinLock(&g_lock, &irql);
        if (g_timedIrp) {
            KeReleaseSpinLock(&g_lock, irql);
            return Complete(Irp, STATUS_DEVICE_BUSY, 0);
        }
        IoMarkIrpPending(Irp);
        g_timedIrp = Irp;
        LARGE_INTEGER due;
        due.QuadPart = -100 * 10000LL; // 100 ms
        KeSetTimer(&g_timer, due, &g_timerDpc);
        KeReleaseSpinLock(&g_lock, irql);
        return STATUS_PENDING;
    }
    case IOCTL_W32IO_START_THREAD: {
        if (outLen < sizeof(ULONG)) return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        ULONG id = 0;
        NTSTATUS status = StartThread(&id);
        if (!NT_SUCCESS(status)) return Complete(Irp, status, 0);
        *reinterpret_cast<ULONG*>(buffer) = id;
        return Complete(Irp, STATUS_SUCCESS, sizeof(ULONG));
    }
    case IOCTL_W32IO_STOP_THREAD:
        return Complete(Irp, StopThread(), 0);
    case IOCTL_W32IO_STATS: {
        if (outLen < sizeof(W32IO_STATS)) return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        KIRQL irql;
        KeAcquireSpinLock(&g_lock, &irql);
        RtlCopyMemory(buffer, &g_stats, sizeof(W32IO_STATS));
        KeReleaseSpinLock(&g_lock, irql);
        return Complete(Irp, STATUS_SUCCESS, sizeof(W32IO_STATS));
    }
    default:
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static void W32IoUnload(PDRIVER_OBJECT DriverObject) {
    // No file can be open here (the driver is unloaded only without references), but a timed
    // request's timer must not fire into an unloaded image.
    KeCancelTimer(&g_timer);
    KeFlushQueuedDpcs();
    StopThread();
    IoDeleteSymbolicLink(&g_linkName);
    IoDeleteSymbolicLink(&g_exclusiveLink);
    while (DriverObject->DeviceObject)
        IoDeleteDevice(DriverObject->DeviceObject);
}

static NTSTATUS CreateDevice(PDRIVER_OBJECT DriverObject, PUNICODE_STRING name,
                             PUNICODE_STRING link, BOOLEAN exclusive) {
    PDEVICE_OBJECT device = nullptr;
    NTSTATUS status =
        IoCreateDevice(DriverObject, 0, name, FILE_DEVICE_UNKNOWN, 0, exclusive, &device);
    if (!NT_SUCCESS(status)) return status;
    device->Flags |= DO_BUFFERED_IO;
    status = IoCreateSymbolicLink(link, name);
    if (!NT_SUCCESS(status)) IoDeleteDevice(device);
    return status;
}

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING) {
    KeInitializeSpinLock(&g_lock);
    InitializeListHead(&g_queue);
    KeInitializeTimer(&g_timer);
    KeInitializeDpc(&g_timerDpc, TimerExpired, nullptr);
    KeInitializeEvent(&g_threadStop, NotificationEvent, FALSE);
    KeInitializeEvent(&g_threadLock, SynchronizationEvent, TRUE);
    DriverObject->DriverUnload = W32IoUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = W32IoCreate;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = W32IoCleanup;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = W32IoClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = W32IoRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = W32IoWrite;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = W32IoControl;
    NTSTATUS status = CreateDevice(DriverObject, &g_deviceName, &g_linkName, FALSE);
    if (!NT_SUCCESS(status)) return status;
    status = CreateDevice(DriverObject, &g_exclusiveName, &g_exclusiveLink, TRUE);
    if (!NT_SUCCESS(status)) {
        IoDeleteSymbolicLink(&g_linkName);
        IoDeleteDevice(DriverObject->DeviceObject);
    }
    return status;
}
