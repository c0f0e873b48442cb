// e2e test driver: echoes IOCTL input to output with each transfer method, pends a request
// until it is cancelled or completed by a second IOCTL, fills reads with a pattern and counts
// written bytes. Device \Device\E2eEcho, link \??\E2eEcho. A second device,
// \Device\E2eEchoDirect (link \??\E2eEchoDirect), does direct I/O: its reads fill the
// caller's pages through the MDL (the benchmark's one-copy read path).
#include <ntddk.h>

#include "e2e_echo_ioctl.h"

namespace {
UNICODE_STRING g_deviceName = RTL_CONSTANT_STRING(L"\\Device\\E2eEcho");
UNICODE_STRING g_linkName = RTL_CONSTANT_STRING(L"\\??\\E2eEcho");
KSPIN_LOCK g_lock;
PIRP g_pending; // at most one pending IOCTL_ECHO_PEND, guarded by g_lock
UNICODE_STRING g_directName = RTL_CONSTANT_STRING(L"\\Device\\E2eEchoDirect");
UNICODE_STRING g_directLinkName = RTL_CONSTANT_STRING(L"\\??\\E2eEchoDirect");

// The read pattern ('A' + i % 26), prebuilt so a read is a copy: a whole number of periods.
constexpr ULONG kPatternPeriods = 2520;
constexpr ULONG kPatternSize = 26 * kPatternPeriods; // 65520 bytes
UCHAR g_pattern[kPatternSize];

void FillPattern(UCHAR* buffer, ULONG length) {
    for (ULONG done = 0; done < length;) {
        ULONG n = length - done < kPatternSize ? length - done : kPatternSize;
        RtlCopyMemory(buffer + done, g_pattern, n);
        done += n;
    }
}

NTSTATUS Complete(PIRP Irp, NTSTATUS status, ULONG_PTR information) {
    Irp->IoStatus.Status = status;
    Irp->IoStatus.Information = information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}

void CancelPending(PDEVICE_OBJECT, PIRP Irp) {
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    KIRQL irql;
    KeAcquireSpinLock(&g_lock, &irql);
    if (g_pending == Irp) g_pending = nullptr;
    KeReleaseSpinLock(&g_lock, irql);
    Complete(Irp, STATUS_CANCELLED, 0);
}

// Takes the pending IRP out of the slot unless its cancel routine already owns it.
PIRP TakePending() {
    KIRQL irql;
    KeAcquireSpinLock(&g_lock, &irql);
    PIRP irp = g_pending;
    if (irp && IoSetCancelRoutine(irp, nullptr) == nullptr) irp = nullptr; // being cancelled
    if (irp) g_pending = nullptr;
    KeReleaseSpinLock(&g_lock, irql);
    return irp;
}
} // namespace

static NTSTATUS EchoCreateClose(PDEVICE_OBJECT, PIRP Irp) {
    return Complete(Irp, STATUS_SUCCESS, 0);
}

static NTSTATUS EchoRead(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    auto* stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG length = stack->Parameters.Read.Length;
    UCHAR* buffer;
    if (DeviceObject->Flags & DO_DIRECT_IO)
        buffer = Irp->MdlAddress ? static_cast<UCHAR*>(MmGetSystemAddressForMdlSafe(
                                       Irp->MdlAddress, NormalPagePriority))
                                 : nullptr;
    else
        buffer = static_cast<UCHAR*>(Irp->AssociatedIrp.SystemBuffer);
    if (length && !buffer) return Complete(Irp, STATUS_INVALID_USER_BUFFER, 0);
    FillPattern(buffer, length);
    return Complete(Irp, STATUS_SUCCESS, length);
}

static NTSTATUS EchoWrite(PDEVICE_OBJECT, PIRP Irp) {
    auto* stack = IoGetCurrentIrpStackLocation(Irp);
    return Complete(Irp, STATUS_SUCCESS, stack->Parameters.Write.Length);
}

static NTSTATUS EchoControl(PDEVICE_OBJECT, PIRP Irp) {
    auto* stack = IoGetCurrentIrpStackLocation(Irp);
    auto& p = stack->Parameters.DeviceIoControl;
    ULONG inLen = p.InputBufferLength, outLen = p.OutputBufferLength;
    ULONG n = inLen < outLen ? inLen : outLen;
    switch (p.IoControlCode) {
    case IOCTL_ECHO_BUFFERED:
        // One system buffer: the input is already where the output goes.
        return Complete(Irp, STATUS_SUCCESS, n);
    case IOCTL_ECHO_IN_DIRECT:
    case IOCTL_ECHO_OUT_DIRECT: {
        if (!outLen) return Complete(Irp, STATUS_SUCCESS, 0);
        if (!Irp->MdlAddress) return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        void* out = MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
        if (!out) return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        if (n) RtlCopyMemory(out, Irp->AssociatedIrp.SystemBuffer, n);
        return Complete(Irp, STATUS_SUCCESS, n);
    }
    case IOCTL_ECHO_NEITHER:
        // The caller's own addresses (in its shared arena).
        if (n) RtlCopyMemory(Irp->UserBuffer, p.Type3InputBuffer, n);
        return Complete(Irp, STATUS_SUCCESS, n);
    case IOCTL_ECHO_PEND: {
        KIRQL irql;
        KeAcquireSpinLock(&g_lock, &irql);
        if (g_pending) {
            KeReleaseSpinLock(&g_lock, irql);
            return Complete(Irp, STATUS_DEVICE_BUSY, 0);
        }
        IoMarkIrpPending(Irp);
        g_pending = Irp;
        IoSetCancelRoutine(Irp, CancelPending);
        if (Irp->Cancel && IoSetCancelRoutine(Irp, nullptr) != nullptr) {
            g_pending = nullptr;
            KeReleaseSpinLock(&g_lock, irql);
            Complete(Irp, STATUS_CANCELLED, 0);
            return STATUS_PENDING;
        }
        KeReleaseSpinLock(&g_lock, irql);
        return STATUS_PENDING;
    }
    case IOCTL_ECHO_COMPLETE_PENDING: {
        PIRP pending = TakePending();
        if (!pending) return Complete(Irp, STATUS_NOT_FOUND, 0);
        Complete(pending, STATUS_SUCCESS, 0);
        return Complete(Irp, STATUS_SUCCESS, 0);
    }
    default:
        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static void EchoUnload(PDRIVER_OBJECT DriverObject) {
    if (PIRP irp = TakePending()) Complete(irp, STATUS_CANCELLED, 0);
    IoDeleteSymbolicLink(&g_linkName);
    IoDeleteSymbolicLink(&g_directLinkName);
    for (PDEVICE_OBJECT device = DriverObject->DeviceObject; device;) {
        PDEVICE_OBJECT next = device->NextDevice;
        IoDeleteDevice(device);
        device = next;
    }
}

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING) {
    KeInitializeSpinLock(&g_lock);
    for (ULONG i = 0; i < kPatternSize; ++i)
        g_pattern[i] = UCHAR('A' + i % 26);
    DriverObject->DriverUnload = EchoUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = EchoCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = EchoCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = EchoCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = EchoRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = EchoWrite;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = EchoControl;
    PDEVICE_OBJECT device = nullptr;
    NTSTATUS status =
        IoCreateDevice(DriverObject, 0, &g_deviceName, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (!NT_SUCCESS(status)) return status;
    device->Flags |= DO_BUFFERED_IO;
    status = IoCreateSymbolicLink(&g_linkName, &g_deviceName);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    PDEVICE_OBJECT direct = nullptr;
    status = IoCreateDevice(DriverObject, 0, &g_directName, FILE_DEVICE_UNKNOWN, 0, FALSE, &direct);
    if (NT_SUCCESS(status)) {
        direct->Flags |= DO_DIRECT_IO;
        status = IoCreateSymbolicLink(&g_directLinkName, &g_directName);
        if (!NT_SUCCESS(status)) IoDeleteDevice(direct);
    }
    if (!NT_SUCCESS(status)) {
        IoDeleteSymbolicLink(&g_linkName);
        IoDeleteDevice(device);
        return status;
    }
    return STATUS_SUCCESS;
}
