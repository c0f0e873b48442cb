// KMelody (chapter 8): plays notes asynchronously through the Beep device. IOCTL_MELODY_PLAY
// queues notes on one global FIFO; the first CreateFile starts the playback thread inside the
// opening client's process.
#include "pch.h"
#include "PlaybackState.h"
#include "Memory.h"

PlaybackState* g_State;

void MelodyUnload(PDRIVER_OBJECT DriverObject);
NTSTATUS MelodyCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS MelodyDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp);

NTSTATUS CompleteRequest(PIRP Irp, NTSTATUS status = STATUS_SUCCESS, ULONG_PTR info = 0) {
    Irp->IoStatus.Status = status;
    Irp->IoStatus.Information = info;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
    UNREFERENCED_PARAMETER(RegistryPath);

    g_State = new (PagedPool) PlaybackState;
    if (g_State == nullptr) return STATUS_INSUFFICIENT_RESOURCES;

    auto status = STATUS_SUCCESS;
    PDEVICE_OBJECT DeviceObject = nullptr;
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(MELODY_SYMLINK);
    bool symLinkCreated = false;
    do {
        UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\Device\\KMelody");
        status =
            IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &DeviceObject);
        if (!NT_SUCCESS(status)) break;

        status = IoCreateSymbolicLink(&symLink, &name);
        if (!NT_SUCCESS(status)) break;
        symLinkCreated = true;
    } while (false);

    if (!NT_SUCCESS(status)) {
        KdPrint((DRIVER_PREFIX "Error (0x%08X)\n", status));
        delete g_State;
        if (symLinkCreated) IoDeleteSymbolicLink(&symLink);
        if (DeviceObject) IoDeleteDevice(DeviceObject);
        return status;
    }

    DriverObject->DriverUnload = MelodyUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = DriverObject->MajorFunction[IRP_MJ_CLOSE] =
        MelodyCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = MelodyDeviceControl;
    return status;
}

void MelodyUnload(PDRIVER_OBJECT DriverObject) {
    // Stops the thread (after it has played what is queued), then frees the lookaside list.
    delete g_State;
    UNICODE_STRING symLink = RTL_CONSTANT_STRING(MELODY_SYMLINK);
    IoDeleteSymbolicLink(&symLink);
    IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS MelodyCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    auto status = STATUS_SUCCESS;
    if (IoGetCurrentIrpStackLocation(Irp)->MajorFunction == IRP_MJ_CREATE) {
        // The first open creates the playback thread in the caller's process.
        status = g_State->Start(DeviceObject);
    }
    return CompleteRequest(Irp, status);
}

NTSTATUS MelodyDeviceControl(PDEVICE_OBJECT, PIRP Irp) {
    auto irpSp = IoGetCurrentIrpStackLocation(Irp);
    auto& dic = irpSp->Parameters.DeviceIoControl;
    auto status = STATUS_INVALID_DEVICE_REQUEST;
    ULONG info = 0;

    switch (dic.IoControlCode) {
    case IOCTL_MELODY_PLAY:
        if (dic.InputBufferLength == 0 || dic.InputBufferLength % sizeof(Note) != 0) {
            status = STATUS_INVALID_BUFFER_SIZE;
            break;
        }
        auto data = (Note*)Irp->AssociatedIrp.SystemBuffer;
        if (data == nullptr) {
            status = STATUS_INVALID_PARAMETER;
            break;
        }
        status = g_State->AddNotes(data, dic.InputBufferLength / sizeof(Note));
        if (!NT_SUCCESS(status)) break;
        info = dic.InputBufferLength;
        break;
    }
    return CompleteRequest(Irp, status, info);
}
