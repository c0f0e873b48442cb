// NtCreateFile: opens a device (through the device parse procedure) and returns a file handle;
// IoGetDeviceObjectPointer builds on it.
#include <cstring>

#include "core/export.h"
#include "ex/ex.h"
#include "io/iop.h"
#include "ob/ob.h"
#include "ps/ps.h"

namespace ntsim::io {
namespace {

// Parameter rules IopCreateFile applies before anything is looked up.
NTSTATUS ValidateCreateParameters(ACCESS_MASK desiredAccess, ULONG fileAttributes,
                                  ULONG shareAccess, ULONG disposition, ULONG options) {
    if (disposition > FILE_MAXIMUM_DISPOSITION) return STATUS_INVALID_PARAMETER;
    if (options & ~FILE_VALID_OPTION_FLAGS) return STATUS_INVALID_PARAMETER;
    if (shareAccess & ~FILE_SHARE_VALID_FLAGS) return STATUS_INVALID_PARAMETER;
    if (fileAttributes & ~FILE_ATTRIBUTE_VALID_FLAGS) return STATUS_INVALID_PARAMETER;
    const ULONG sync = FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT;
    if ((options & sync) == sync) return STATUS_INVALID_PARAMETER;
    if ((options & sync) && !(desiredAccess & SYNCHRONIZE)) return STATUS_INVALID_PARAMETER;
    if ((options & FILE_DIRECTORY_FILE) && (options & FILE_NON_DIRECTORY_FILE))
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

void ReportIosb(PIO_STATUS_BLOCK iosb, NTSTATUS status, ULONG_PTR information,
                KPROCESSOR_MODE mode) {
    IO_STATUS_BLOCK value{};
    value.Status = status;
    value.Information = information;
    if (mode == UserMode) {
        SafeCopy(iosb, &value, sizeof value);
    } else {
        *iosb = value;
    }
}

} // namespace

NTSTATUS NtCreateFile(PHANDLE fileHandle, ACCESS_MASK desiredAccess,
                      POBJECT_ATTRIBUTES objectAttributes, PIO_STATUS_BLOCK ioStatusBlock,
                      PLARGE_INTEGER allocationSize, ULONG fileAttributes, ULONG shareAccess,
                      ULONG createDisposition, ULONG createOptions, PVOID eaBuffer, ULONG eaLength,
                      KPROCESSOR_MODE previousMode) {
    ps::PreviousModeScope modeScope(previousMode);
    OpenPacket op;
    op.previousMode = previousMode;
    if (previousMode == UserMode) {
        NTSTATUS probe = ProbeUserBuffer(fileHandle, sizeof(HANDLE), alignof(HANDLE), true);
        if (NT_SUCCESS(probe))
            probe = ProbeUserBuffer(ioStatusBlock, sizeof(IO_STATUS_BLOCK), alignof(ULONG), true);
        if (NT_SUCCESS(probe))
            probe =
                ProbeUserBuffer(objectAttributes, sizeof(OBJECT_ATTRIBUTES), alignof(ULONG), false);
        if (NT_SUCCESS(probe) && allocationSize)
            probe = ProbeUserBuffer(allocationSize, sizeof(LARGE_INTEGER), alignof(ULONG), false);
        if (NT_SUCCESS(probe) && eaBuffer && eaLength)
            probe = ProbeUserBuffer(eaBuffer, eaLength, 1, false);
        if (!NT_SUCCESS(probe)) return probe;
        if (!fileHandle || !ioStatusBlock || !objectAttributes) return STATUS_ACCESS_VIOLATION;
    } else if (!fileHandle || !ioStatusBlock || !objectAttributes) {
        return STATUS_INVALID_PARAMETER;
    }
    NTSTATUS status = ValidateCreateParameters(desiredAccess, fileAttributes, shareAccess,
                                               createDisposition, createOptions);
    if (!NT_SUCCESS(status)) return status;

    op.createDisposition = createDisposition;
    op.createOptions = createOptions;
    op.fileAttributes = fileAttributes;
    op.shareAccess = shareAccess;
    if (allocationSize) op.allocationSize = *allocationSize;
    // The driver sees a kernel copy of the extended attributes.
    PVOID eaCopy = nullptr;
    if (eaBuffer && eaLength) {
        eaCopy = ex::AllocatePool(NonPagedPoolNx, eaLength, kBufferTag);
        if (!eaCopy) return STATUS_INSUFFICIENT_RESOURCES;
        std::memcpy(eaCopy, eaBuffer, eaLength);
        op.eaBuffer = eaCopy;
        op.eaLength = eaLength;
    }

    PVOID body = nullptr;
    status = ob::ReferenceObjectByName(objectAttributes, FileType(), desiredAccess, previousMode,
                                       &op, &body);
    if (eaCopy) ex::FreePool(eaCopy);
    if (!NT_SUCCESS(status)) {
        // When the driver answered the create, the caller also gets its status in the IOSB.
        if (op.driverCalled)
            ReportIosb(ioStatusBlock, op.finalStatus, op.information, previousMode);
        return status;
    }
    auto file = static_cast<PFILE_OBJECT>(body);
    ACCESS_MASK granted = ob::MapGenericAccess(FileType(), desiredAccess);
    if (granted & MAXIMUM_ALLOWED) granted = (granted & ~MAXIMUM_ALLOWED) | FILE_ALL_ACCESS;
    ULONG handleAttributes = objectAttributes->Attributes;
    if (previousMode == UserMode) handleAttributes &= ~OBJ_KERNEL_HANDLE;
    HANDLE handle = nullptr;
    status = ob::CreateHandle(ps::CurrentProcess(), file, granted, handleAttributes, &handle);
    if (NT_SUCCESS(status)) file->Flags |= FO_HANDLE_CREATED;
    ob::DereferenceObject(file); // the handle holds the file now (or it goes: CLEANUP, CLOSE)
    if (!NT_SUCCESS(status)) return status;

    if (previousMode == UserMode) {
        SafeCopy(fileHandle, &handle, sizeof handle);
    } else {
        *fileHandle = handle;
    }
    ReportIosb(ioStatusBlock, op.finalStatus, op.information, previousMode);
    return op.finalStatus;
}

} // namespace ntsim::io

using namespace ntsim;

// Opens the named device for the caller (CREATE), keeps only a reference to the file object
// (its temporary handle is closed: CLEANUP), and returns the top device of its stack.
extern "C" NTSTATUS NTAPI IoGetDeviceObjectPointer(PUNICODE_STRING ObjectName,
                                                   ACCESS_MASK DesiredAccess,
                                                   PFILE_OBJECT* FileObject,
                                                   PDEVICE_OBJECT* DeviceObject) {
    if (!ObjectName || !FileObject || !DeviceObject) return STATUS_INVALID_PARAMETER;
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, ObjectName, OBJ_KERNEL_HANDLE, nullptr, nullptr);
    HANDLE handle = nullptr;
    IO_STATUS_BLOCK iosb{};
    NTSTATUS status = io::NtCreateFile(&handle, DesiredAccess, &attributes, &iosb, nullptr, 0, 0,
                                       FILE_OPEN, FILE_NON_DIRECTORY_FILE, nullptr, 0, KernelMode);
    if (!NT_SUCCESS(status)) return status;
    PVOID body = nullptr;
    status = ob::ReferenceHandle(handle, io::FileType(), 0, KernelMode, &body, nullptr);
    if (NT_SUCCESS(status)) {
        auto file = static_cast<PFILE_OBJECT>(body);
        *FileObject = file;
        *DeviceObject = IoGetRelatedDeviceObject(file);
    }
    ob::CloseHandle(handle, KernelMode);
    return status;
}
NTSIM_EXPORT(IoGetDeviceObjectPointer);
