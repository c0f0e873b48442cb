// File objects: created by the device parse procedure (IRP_MJ_CREATE), cleaned up when their
// last handle closes (IRP_MJ_CLEANUP) and closed at their last reference (IRP_MJ_CLOSE).
#include <new>

#include "dbg/dbg.h"
#include "io/iop.h"
#include "se/se.h"
#include "ob/ob.h"
#include "ps/ps.h"

namespace ntsim::io {
namespace {

void ReleaseDevice(PDEVICE_OBJECT device) {
    {
        DatabaseGuard guard;
        device->ReferenceCount--;
    }
    DeviceFileReleased(device); // the last open of a driver being stopped: its unload runs
    ob::DereferenceObject(device);
}

ULONG FileFlagsFor(ULONG createOptions) {
    ULONG flags = 0;
    if (createOptions & FILE_SYNCHRONOUS_IO_ALERT) flags |= FO_SYNCHRONOUS_IO | FO_ALERTABLE_IO;
    if (createOptions & FILE_SYNCHRONOUS_IO_NONALERT) flags |= FO_SYNCHRONOUS_IO;
    if (createOptions & FILE_NO_INTERMEDIATE_BUFFERING) flags |= FO_NO_INTERMEDIATE_BUFFERING;
    if (createOptions & FILE_WRITE_THROUGH) flags |= FO_WRITE_THROUGH;
    if (createOptions & FILE_SEQUENTIAL_ONLY) flags |= FO_SEQUENTIAL_ONLY;
    if (createOptions & FILE_RANDOM_ACCESS) flags |= FO_RANDOM_ACCESS;
    if (createOptions & FILE_DELETE_ON_CLOSE) flags |= FO_DELETE_ON_CLOSE;
    return flags;
}

} // namespace

FileExtension* ExtensionOf(PFILE_OBJECT file) {
    return reinterpret_cast<FileExtension*>(reinterpret_cast<char*>(file) + sizeof(FILE_OBJECT));
}

void SendFileIrp(PFILE_OBJECT file, UCHAR majorFunction) {
    PDEVICE_OBJECT device = IoGetRelatedDeviceObject(file);
    PIRP irp = IoAllocateIrp(device->StackSize, FALSE);
    if (!irp) {
        dbg::LogKernelMessage(
            dbg::Severity::Error, "I/O: no memory for the %s request of file object %p",
            majorFunction == IRP_MJ_CLEANUP ? "cleanup" : "close", static_cast<void*>(file));
        return;
    }
    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IO_STATUS_BLOCK iosb{};
    irp->Flags = IRP_CLOSE_OPERATION | IRP_SYNCHRONOUS_API;
    irp->RequestorMode = KernelMode;
    irp->UserIosb = &iosb;
    irp->UserEvent = &event;
    irp->Tail.Overlay.Thread = ps::CurrentThread();
    irp->Tail.Overlay.OriginalFileObject = file;
    PIO_STACK_LOCATION stack = IoGetNextIrpStackLocation(irp);
    stack->MajorFunction = majorFunction;
    stack->FileObject = file;
    QueueThreadIrp(irp);
    if (IofCallDriver(device, irp) == STATUS_PENDING) WaitForEvent(&event);
}

// The handle being closed was the last one: the driver gets IRP_MJ_CLEANUP.
void CloseFileObject(PEPROCESS process, PVOID body, ACCESS_MASK grantedAccess,
                     ULONG handleCountBefore) {
    (void)process;
    (void)grantedAccess;
    auto file = static_cast<PFILE_OBJECT>(body);
    FileExtension* ext = ExtensionOf(file);
    if (handleCountBefore != 1 || !ext->created || ext->cleanupSent) return;
    ext->cleanupSent = true;
    SendFileIrp(file, IRP_MJ_CLEANUP);
    file->Flags |= FO_CLEANUP_COMPLETE;
}

// Last reference: IRP_MJ_CLOSE (after a cleanup if no handle ever existed), then the file
// releases its device.
void DeleteFileObject(PVOID body) {
    auto file = static_cast<PFILE_OBJECT>(body);
    FileExtension* ext = ExtensionOf(file);
    if (ext->created) {
        if (!ext->cleanupSent) {
            ext->cleanupSent = true;
            SendFileIrp(file, IRP_MJ_CLEANUP);
            file->Flags |= FO_CLEANUP_COMPLETE;
        }
        SendFileIrp(file, IRP_MJ_CLOSE);
    }
    if (file->DeviceObject) ReleaseDevice(file->DeviceObject);
    file->FileName = UNICODE_STRING{};
    ext->~FileExtension();
}

NTSTATUS ParseDevice(PVOID body, PVOID parseContext, const std::u16string& remainingName,
                     ACCESS_MASK desiredAccess, ULONG attributes, PVOID* resultObject) {
    *resultObject = nullptr;
    auto* op = static_cast<OpenPacket*>(parseContext);
    if (!op || op->type != IO_TYPE_OPEN_PACKET || op->size != sizeof(OpenPacket))
        return STATUS_OBJECT_TYPE_MISMATCH; // devices are opened as files only
    auto device = static_cast<PDEVICE_OBJECT>(body);
    // A user-mode open is checked against the device's descriptor. Without
    // FILE_DEVICE_SECURE_OPEN, only an open of the device itself is (a name below it belongs to
    // the driver), as IopParseDevice does.
    if (op->previousMode == UserMode &&
        (remainingName.empty() || (device->Characteristics & FILE_DEVICE_SECURE_OPEN))) {
        ACCESS_MASK granted = 0;
        NTSTATUS check = se::AccessCheck(device->SecurityDescriptor, *se::CurrentToken(),
                                         desiredAccess, ob::InfoOf(FileType()).mapping, &granted);
        if (!NT_SUCCESS(check)) return STATUS_ACCESS_DENIED;
    }
    {
        DatabaseGuard guard;
        if (ExtensionOf(device)->deletePending || ExtensionOf(device)->unloadPending ||
            (device->Flags & DO_DEVICE_INITIALIZING))
            return STATUS_NO_SUCH_DEVICE;
        if ((device->Flags & DO_EXCLUSIVE) && device->ReferenceCount != 0)
            return STATUS_ACCESS_DENIED;
        device->ReferenceCount++;
    }
    ob::ReferenceObject(device);

    PVOID fileBody = nullptr;
    NTSTATUS status = ob::CreateObject(FileType(), nullptr,
                                       sizeof(FILE_OBJECT) + sizeof(FileExtension), &fileBody);
    if (!NT_SUCCESS(status)) {
        ReleaseDevice(device);
        return status;
    }
    auto file = static_cast<PFILE_OBJECT>(fileBody);
    auto* ext = new (ExtensionOf(file)) FileExtension{false, false, remainingName};
    file->Type = IO_TYPE_FILE;
    file->Size = sizeof(FILE_OBJECT);
    file->DeviceObject = device;
    file->Flags = FileFlagsFor(op->createOptions);
    file->FileName.Buffer = reinterpret_cast<PWCH>(ext->name.data());
    file->FileName.Length = USHORT(ext->name.size() * sizeof(WCHAR));
    file->FileName.MaximumLength = USHORT(file->FileName.Length + sizeof(WCHAR));
    if (!file->FileName.Length) file->FileName = UNICODE_STRING{};
    const ACCESS_MASK access = ob::MapGenericAccess(FileType(), desiredAccess);
    file->ReadAccess = (access & (FILE_READ_DATA | FILE_EXECUTE)) != 0;
    file->WriteAccess = (access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
    file->DeleteAccess = (access & DELETE) != 0;
    file->SharedRead = (op->shareAccess & FILE_SHARE_READ) != 0;
    file->SharedWrite = (op->shareAccess & FILE_SHARE_WRITE) != 0;
    file->SharedDelete = (op->shareAccess & FILE_SHARE_DELETE) != 0;
    KeInitializeEvent(&file->Lock, SynchronizationEvent, FALSE);
    KeInitializeEvent(&file->Event, NotificationEvent, FALSE);
    file->IrpList.Flink = file->IrpList.Blink = &file->IrpList;

    // IRP_MJ_CREATE goes to the top of the device's stack and is waited for here.
    PDEVICE_OBJECT top = TopOfStack(device);
    PIRP irp = IoAllocateIrp(top->StackSize, FALSE);
    if (!irp) {
        ob::DereferenceObject(file);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    IO_STATUS_BLOCK iosb{};
    IO_SECURITY_CONTEXT security{};
    security.DesiredAccess = access;
    security.FullCreateOptions = op->createOptions;
    irp->Flags = IRP_CREATE_OPERATION | IRP_SYNCHRONOUS_API;
    irp->RequestorMode = op->previousMode;
    irp->UserIosb = &iosb;
    irp->UserEvent = &event;
    irp->Overlay.AllocationSize = op->allocationSize;
    irp->AssociatedIrp.SystemBuffer = op->eaBuffer;
    irp->Tail.Overlay.Thread = ps::CurrentThread();
    irp->Tail.Overlay.OriginalFileObject = file;
    PIO_STACK_LOCATION stack = IoGetNextIrpStackLocation(irp);
    stack->MajorFunction = IRP_MJ_CREATE;
    stack->Flags = (attributes & OBJ_CASE_INSENSITIVE) ? 0 : SL_CASE_SENSITIVE;
    stack->FileObject = file;
    stack->Parameters.Create.SecurityContext = &security;
    stack->Parameters.Create.Options =
        (op->createDisposition << 24) | (op->createOptions & FILE_VALID_OPTION_FLAGS);
    stack->Parameters.Create.FileAttributes = USHORT(op->fileAttributes);
    stack->Parameters.Create.ShareAccess = USHORT(op->shareAccess);
    stack->Parameters.Create.EaLength = op->eaLength;
    QueueThreadIrp(irp);

    op->driverCalled = true;
    status = IofCallDriver(top, irp);
    if (status == STATUS_PENDING) {
        WaitForEvent(&event);
        status = iosb.Status;
    }
    op->finalStatus = status;
    op->information = iosb.Information;
    if (!NT_SUCCESS(status)) {
        // A failed create never reached the driver as an open file: no CLEANUP/CLOSE.
        ob::DereferenceObject(file);
        return status;
    }
    ext->created = true;
    op->parsed = true;
    *resultObject = file;
    return STATUS_SUCCESS;
}

} // namespace ntsim::io
