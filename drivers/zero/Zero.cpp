// Zero driver (book chapter 7): a "null" device. Reads return zeros through the request's MDL
// (direct I/O), writes are swallowed, and two IOCTLs report and clear the byte counters.
//
// Reproduced as the book prints it: ZeroDeviceControl never sets STATUS_SUCCESS in its
// IOCTL_ZERO_GET_STATS and IOCTL_ZERO_CLEAR_STATS branches, so both requests complete with
// STATUS_INVALID_DEVICE_REQUEST (Win32 error 1): GET_STATS returns nothing to the caller and
// CLEAR_STATS still clears the counters. Built with ZERO_CORRECTED (zero_fixed.sys), both
// branches set STATUS_SUCCESS, as a corrected driver would.
#include "pch.h"

#include "ZeroCommon.h"

#define DRIVER_PREFIX "Zero: "

long long g_TotalRead;
long long g_TotalWritten;

void ZeroUnload(PDRIVER_OBJECT DriverObject);
NTSTATUS ZeroCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS ZeroRead(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS ZeroWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS ZeroDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp);

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
    UNREFERENCED_PARAMETER(RegistryPath);

    DriverObject->DriverUnload = ZeroUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = DriverObject->MajorFunction[IRP_MJ_CLOSE] =
        ZeroCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = ZeroRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = ZeroWrite;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = ZeroDeviceControl;

    UNICODE_STRING devName = RTL_CONSTANT_STRING(L"\\Device\\Zero");
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\Zero");
    PDEVICE_OBJECT DeviceObject = nullptr;
    auto status = STATUS_SUCCESS;
    bool symLinkCreated = false;

    do {
        status =
            IoCreateDevice(DriverObject, 0, &devName, FILE_DEVICE_UNKNOWN, 0, FALSE, &DeviceObject);
        if (!NT_SUCCESS(status)) {
            KdPrint((DRIVER_PREFIX "failed to create device (0x%08X)\n", status));
            break;
        }
        // Reads and writes come with an MDL describing the caller's buffer.
        DeviceObject->Flags |= DO_DIRECT_IO;

        status = IoCreateSymbolicLink(&symLink, &devName);
        if (!NT_SUCCESS(status)) {
            KdPrint((DRIVER_PREFIX "failed to create symbolic link (0x%08X)\n", status));
            break;
        }
        symLinkCreated = true;
    } while (false);

    if (!NT_SUCCESS(status)) {
        if (symLinkCreated) IoDeleteSymbolicLink(&symLink);
        if (DeviceObject) IoDeleteDevice(DeviceObject);
    }
    return status;
}

void ZeroUnload(PDRIVER_OBJECT DriverObject) {
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(L"\\??\\Zero");
    IoDeleteSymbolicLink(&symLink);
    IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS CompleteIrp(PIRP Irp, NTSTATUS status = STATUS_SUCCESS, ULONG_PTR info = 0) {
    Irp->IoStatus.Status = status;
    Irp->IoStatus.Information = info;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}

NTSTATUS ZeroCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    UNREFERENCED_PARAMETER(DeviceObject);
    return CompleteIrp(Irp);
}

NTSTATUS ZeroRead(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    UNREFERENCED_PARAMETER(DeviceObject);
    auto irpSp = IoGetCurrentIrpStackLocation(Irp);
    auto len = irpSp->Parameters.Read.Length;
    if (len == 0) return CompleteIrp(Irp, STATUS_INVALID_BUFFER_SIZE);

    NT_ASSERT(Irp->MdlAddress);
    auto buffer = MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
    if (!buffer) return CompleteIrp(Irp, STATUS_INSUFFICIENT_RESOURCES);

    memset(buffer, 0, len);
    InterlockedAdd64(&g_TotalRead, len);
    return CompleteIrp(Irp, STATUS_SUCCESS, len);
}

NTSTATUS ZeroWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    UNREFERENCED_PARAMETER(DeviceObject);
    auto irpSp = IoGetCurrentIrpStackLocation(Irp);
    auto len = irpSp->Parameters.Write.Length;
    InterlockedAdd64(&g_TotalWritten, len);
    return CompleteIrp(Irp, STATUS_SUCCESS, len);
}

NTSTATUS ZeroDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    UNREFERENCED_PARAMETER(DeviceObject);
    auto irpSp = IoGetCurrentIrpStackLocation(Irp);
    auto& dic = irpSp->Parameters.DeviceIoControl;
    auto status = STATUS_INVALID_DEVICE_REQUEST;
    ULONG_PTR len = 0;

    switch (dic.IoControlCode) {
    case IOCTL_ZERO_GET_STATS: {
        if (dic.OutputBufferLength < sizeof(ZeroStats)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        auto stats = (ZeroStats*)Irp->AssociatedIrp.SystemBuffer;
        if (stats == nullptr) {
            status = STATUS_INVALID_PARAMETER;
            break;
        }
        stats->TotalRead = g_TotalRead;
        stats->TotalWritten = g_TotalWritten;
        len = sizeof(ZeroStats);
#ifdef ZERO_CORRECTED
        status = STATUS_SUCCESS;
#endif
        break; // as printed: status is still STATUS_INVALID_DEVICE_REQUEST
    }

    case IOCTL_ZERO_CLEAR_STATS:
        g_TotalRead = g_TotalWritten = 0;
#ifdef ZERO_CORRECTED
        status = STATUS_SUCCESS;
#endif
        break; // as printed: the counters are cleared, yet the request "fails"
    }

    return CompleteIrp(Irp, status, len);
}
