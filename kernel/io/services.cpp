// The read, write, flush and device-control system services: they check the caller's
// buffers, build the IRP with the buffering the device or control code asks for, send it to
// the top of the file's device stack and, for synchronous files, wait for it.
#include <cstring>

#include "dbg/dbg.h"
#include "ex/ex.h"
#include "io/iop.h"
#include "mm/mm.h"
#include "ob/ob.h"
#include "ps/ps.h"

namespace ntsim::io {
namespace {

constexpr ACCESS_MASK kEventModifyState = 0x0002; // EVENT_MODIFY_STATE

// What every service holds while it builds its request.
struct ServiceRequest {
    KPROCESSOR_MODE mode = KernelMode;
    PFILE_OBJECT file = nullptr;
    ACCESS_MASK granted = 0;
    PKEVENT event = nullptr;
    PDEVICE_OBJECT device = nullptr;
    PIRP irp = nullptr;

    ~ServiceRequest() {
        if (irp) Abort();
        if (event) ob::DereferenceObject(event);
        if (file) ob::DereferenceObject(file);
    }

    // Undoes a half-built IRP (buffers, MDLs) before it was sent.
    void Abort() {
        if ((irp->Flags & IRP_DEALLOCATE_BUFFER) && irp->AssociatedIrp.SystemBuffer)
            FreeIoBlock(irp->AssociatedIrp.SystemBuffer);
        for (PMDL mdl = irp->MdlAddress; mdl;) {
            PMDL next = mdl->Next;
            if (mdl->MdlFlags & MDL_PAGES_LOCKED) MmUnlockPages(mdl);
            IoFreeMdl(mdl);
            mdl = next;
        }
        IoFreeIrp(irp);
        irp = nullptr;
    }
};

// Common start: the file (by handle), the optional event, the target device and an IRP.
NTSTATUS BeginRequest(ServiceRequest& r, HANDLE fileHandle, HANDLE eventHandle, PVOID apcRoutine,
                      PVOID apcContext, PIO_STATUS_BLOCK iosb, ACCESS_MASK access) {
    if (r.mode == UserMode) {
        NTSTATUS probe = ProbeUserBuffer(iosb, sizeof(IO_STATUS_BLOCK), alignof(ULONG), true);
        if (!NT_SUCCESS(probe)) return probe;
        if (!iosb) return STATUS_ACCESS_VIOLATION;
    }
    if (apcRoutine && r.mode != UserMode) {
        // A kernel-mode caller's completion APC would be a kernel APC: not supported.
        dbg::LogKernelMessage(dbg::Severity::Warning,
                              "I/O completion APC routines from kernel mode are not implemented");
        return STATUS_NOT_IMPLEMENTED;
    }
    PVOID body = nullptr;
    NTSTATUS status =
        ob::ReferenceHandle(fileHandle, FileType(), access, r.mode, &body, &r.granted);
    if (!NT_SUCCESS(status)) return status;
    r.file = static_cast<PFILE_OBJECT>(body);
    if (eventHandle) {
        status = ob::ReferenceHandle(eventHandle, EventObjectType(), kEventModifyState, r.mode,
                                     &body, nullptr);
        if (!NT_SUCCESS(status)) return status;
        r.event = static_cast<PKEVENT>(body);
        KeClearEvent(r.event);
    }
    r.device = IoGetRelatedDeviceObject(r.file);
    r.irp = IoAllocateIrp(r.device->StackSize, FALSE);
    if (!r.irp) return STATUS_INSUFFICIENT_RESOURCES;
    PIRP irp = r.irp;
    irp->RequestorMode = r.mode;
    irp->UserIosb = iosb;
    irp->UserEvent = r.event;
    // A user completion routine (ReadFileEx style): completion queues it to the requesting
    // thread as a user APC, run when that thread waits alertably.
    irp->Overlay.AsynchronousParameters.UserApcRoutine =
        reinterpret_cast<PIO_APC_ROUTINE>(apcRoutine);
    irp->Overlay.AsynchronousParameters.UserApcContext = apcRoutine ? apcContext : nullptr;
    irp->Tail.Overlay.Thread = ps::CurrentThread();
    irp->Tail.Overlay.OriginalFileObject = r.file;
    IoGetNextIrpStackLocation(irp)->FileObject = r.file;
    return STATUS_SUCCESS;
}

// Sends the built IRP (which takes over the file and event references) and waits for it when
// the file is synchronous: the caller then gets the final status, otherwise the dispatch's.
NTSTATUS SendRequest(ServiceRequest& r, ULONG copyBackLimit, bool limitCopyBack) {
    PIRP irp = r.irp;
    PFILE_OBJECT file = r.file;
    IrpInfo info;
    GetIrpInfo(irp, &info);
    info.fileReferenced = true;
    info.eventReferenced = r.event != nullptr;
    info.hasCopyBackLimit = limitCopyBack;
    info.copyBackLimit = copyBackLimit;
    SetIrpInfo(irp, info);
    r.irp = nullptr;
    r.event = nullptr;
    r.file = nullptr;

    const bool synchronous = (file->Flags & FO_SYNCHRONOUS_IO) != 0;
    ob::ReferenceObject(file); // the IRP's reference may go before we look at the file again
    // The file's event reports this request when the caller gave no event of its own.
    if (synchronous || !irp->UserEvent) KeClearEvent(&file->Event);
    QueueThreadIrp(irp);
    NTSTATUS status = IofCallDriver(r.device, irp);
    if (synchronous && status == STATUS_PENDING) {
        KeWaitForSingleObject(&file->Event, Executive, r.mode,
                              (file->Flags & FO_ALERTABLE_IO) ? TRUE : FALSE, nullptr);
        status = file->FinalStatus;
    }
    ob::DereferenceObject(file);
    return status;
}

// Read/write offset: synchronous files default to their current position; asynchronous ones
// must say where (except pipes and mailslots).
NTSTATUS ResolveOffset(ServiceRequest& r, PLARGE_INTEGER byteOffset, LARGE_INTEGER* offset) {
    if (byteOffset && r.mode == UserMode) {
        NTSTATUS probe = ProbeUserBuffer(byteOffset, sizeof(LARGE_INTEGER), alignof(ULONG), false);
        if (!NT_SUCCESS(probe)) return probe;
    }
    LARGE_INTEGER value{};
    if (byteOffset) value = *byteOffset;
    if (r.file->Flags & FO_SYNCHRONOUS_IO) {
        if (!byteOffset ||
            (value.LowPart == FILE_USE_FILE_POINTER_POSITION && value.HighPart == -1))
            value = r.file->CurrentByteOffset;
    } else if (!byteOffset && !(r.file->Flags & (FO_NAMED_PIPE | FO_MAILSLOT))) {
        return STATUS_INVALID_PARAMETER;
    }
    *offset = value;
    return STATUS_SUCCESS;
}

// Locks a caller's buffer for direct I/O and hangs the MDL on the IRP.
NTSTATUS AttachLockedMdl(ServiceRequest& r, PVOID buffer, ULONG length, LOCK_OPERATION op) {
    PMDL mdl = IoAllocateMdl(buffer, length, FALSE, TRUE, r.irp);
    if (!mdl) return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = mm::ProbeAndLockPages(mdl, r.mode, op);
    if (!NT_SUCCESS(status)) {
        r.irp->MdlAddress = nullptr;
        IoFreeMdl(mdl);
    }
    return status;
}

// A system buffer for buffered I/O; `source` (input data) is copied in when given.
NTSTATUS AttachSystemBuffer(ServiceRequest& r, ULONG size, const void* source, ULONG copy) {
    PVOID buffer = AllocateIoBlock(size, kBufferTag);
    if (!buffer) return STATUS_INSUFFICIENT_RESOURCES;
    std::memset(buffer, 0, size);
    r.irp->AssociatedIrp.SystemBuffer = buffer;
    r.irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER;
    if (source && copy) {
        if (r.mode == UserMode) return SafeCopyFromUser(buffer, source, copy);
        std::memcpy(buffer, source, copy);
    }
    return STATUS_SUCCESS;
}

NTSTATUS ReadWrite(bool write, HANDLE fileHandle, HANDLE event, PVOID apcRoutine, PVOID apcContext,
                   PIO_STATUS_BLOCK ioStatusBlock, PVOID buffer, ULONG length,
                   PLARGE_INTEGER byteOffset, PULONG key, KPROCESSOR_MODE mode) {
    ps::PreviousModeScope modeScope(mode);
    ServiceRequest r;
    r.mode = mode;
    if (mode == UserMode) {
        NTSTATUS probe = ProbeUserBuffer(buffer, length, 1, !write);
        if (NT_SUCCESS(probe) && key)
            probe = ProbeUserBuffer(key, sizeof(ULONG), alignof(ULONG), false);
        if (!NT_SUCCESS(probe)) return probe;
    }
    NTSTATUS status = BeginRequest(r, fileHandle, event, apcRoutine, apcContext, ioStatusBlock,
                                   write ? FILE_WRITE_DATA : FILE_READ_DATA);
    if (!NT_SUCCESS(status)) return status;
    LARGE_INTEGER offset;
    status = ResolveOffset(r, byteOffset, &offset);
    if (!NT_SUCCESS(status)) return status;

    PIRP irp = r.irp;
    PIO_STACK_LOCATION stack = IoGetNextIrpStackLocation(irp);
    stack->MajorFunction = write ? IRP_MJ_WRITE : IRP_MJ_READ;
    stack->Parameters.Read.Length = length;
    stack->Parameters.Read.Key = key ? *key : 0;
    stack->Parameters.Read.ByteOffset = offset;
    if (key) stack->Flags |= SL_KEY_SPECIFIED;
    irp->Flags |= write ? IRP_WRITE_OPERATION : IRP_READ_OPERATION;
    irp->UserBuffer = buffer;

    if (r.device->Flags & DO_BUFFERED_IO) {
        if (length) {
            status = AttachSystemBuffer(r, length, write ? buffer : nullptr, write ? length : 0);
            if (!NT_SUCCESS(status)) return status;
            if (!write) irp->Flags |= IRP_INPUT_OPERATION;
        }
    } else if (r.device->Flags & DO_DIRECT_IO) {
        if (length) {
            status = AttachLockedMdl(r, buffer, length, write ? IoReadAccess : IoWriteAccess);
            if (!NT_SUCCESS(status)) return status;
        }
    }
    // Neither: the driver gets UserBuffer as is.
    return SendRequest(r, length, true);
}

} // namespace

NTSTATUS NtReadFile(HANDLE fileHandle, HANDLE event, PVOID apcRoutine, PVOID apcContext,
                    PIO_STATUS_BLOCK ioStatusBlock, PVOID buffer, ULONG length,
                    PLARGE_INTEGER byteOffset, PULONG key, KPROCESSOR_MODE previousMode) {
    return ReadWrite(false, fileHandle, event, apcRoutine, apcContext, ioStatusBlock, buffer,
                     length, byteOffset, key, previousMode);
}

NTSTATUS NtWriteFile(HANDLE fileHandle, HANDLE event, PVOID apcRoutine, PVOID apcContext,
                     PIO_STATUS_BLOCK ioStatusBlock, PVOID buffer, ULONG length,
                     PLARGE_INTEGER byteOffset, PULONG key, KPROCESSOR_MODE previousMode) {
    return ReadWrite(true, fileHandle, event, apcRoutine, apcContext, ioStatusBlock, buffer, length,
                     byteOffset, key, previousMode);
}

NTSTATUS NtFlushBuffersFile(HANDLE fileHandle, PIO_STATUS_BLOCK ioStatusBlock,
                            KPROCESSOR_MODE previousMode) {
    ps::PreviousModeScope modeScope(previousMode);
    ServiceRequest r;
    r.mode = previousMode;
    NTSTATUS status = BeginRequest(r, fileHandle, nullptr, nullptr, nullptr, ioStatusBlock, 0);
    if (!NT_SUCCESS(status)) return status;
    // Flushing needs write access to the file.
    if (previousMode == UserMode && !(r.granted & (FILE_WRITE_DATA | FILE_APPEND_DATA)))
        return STATUS_ACCESS_DENIED;
    IoGetNextIrpStackLocation(r.irp)->MajorFunction = IRP_MJ_FLUSH_BUFFERS;
    return SendRequest(r, 0, false);
}

NTSTATUS NtDeviceIoControlFile(HANDLE fileHandle, HANDLE event, PVOID apcRoutine, PVOID apcContext,
                               PIO_STATUS_BLOCK ioStatusBlock, ULONG ioControlCode,
                               PVOID inputBuffer, ULONG inputBufferLength, PVOID outputBuffer,
                               ULONG outputBufferLength, KPROCESSOR_MODE previousMode,
                               bool internal) {
    ps::PreviousModeScope modeScope(previousMode);
    ServiceRequest r;
    r.mode = previousMode;
    const ULONG method = METHOD_FROM_CTL_CODE(ioControlCode);
    if (previousMode == UserMode && method != METHOD_NEITHER) {
        NTSTATUS probe = ProbeUserBuffer(inputBuffer, inputBufferLength, 1, false);
        if (NT_SUCCESS(probe) && method == METHOD_BUFFERED)
            probe = ProbeUserBuffer(outputBuffer, outputBufferLength, 1, true);
        if (!NT_SUCCESS(probe)) return probe;
    }
    NTSTATUS status = BeginRequest(r, fileHandle, event, apcRoutine, apcContext, ioStatusBlock, 0);
    if (!NT_SUCCESS(status)) return status;
    // The control code's access bits must have been granted to the caller's handle.
    if (previousMode == UserMode) {
        const ULONG access = (ioControlCode >> 14) & 3;
        if (((access & FILE_READ_ACCESS) && !(r.granted & FILE_READ_DATA)) ||
            ((access & FILE_WRITE_ACCESS) && !(r.granted & FILE_WRITE_DATA)))
            return STATUS_ACCESS_DENIED;
    }

    PIRP irp = r.irp;
    PIO_STACK_LOCATION stack = IoGetNextIrpStackLocation(irp);
    stack->MajorFunction = internal ? IRP_MJ_INTERNAL_DEVICE_CONTROL : IRP_MJ_DEVICE_CONTROL;
    stack->Parameters.DeviceIoControl.OutputBufferLength = outputBufferLength;
    stack->Parameters.DeviceIoControl.InputBufferLength = inputBufferLength;
    stack->Parameters.DeviceIoControl.IoControlCode = ioControlCode;

    switch (method) {
    case METHOD_BUFFERED: {
        // One buffer of max(in, out) for both directions; none when both are empty.
        const ULONG size =
            inputBufferLength > outputBufferLength ? inputBufferLength : outputBufferLength;
        if (size) {
            status = AttachSystemBuffer(r, size, inputBuffer, inputBuffer ? inputBufferLength : 0);
            if (!NT_SUCCESS(status)) return status;
            if (outputBufferLength) irp->Flags |= IRP_INPUT_OPERATION;
        }
        irp->UserBuffer = outputBuffer;
        break;
    }
    case METHOD_IN_DIRECT:
    case METHOD_OUT_DIRECT:
        if (inputBuffer && inputBufferLength) {
            status = AttachSystemBuffer(r, inputBufferLength, inputBuffer, inputBufferLength);
            if (!NT_SUCCESS(status)) return status;
        }
        if (outputBuffer && outputBufferLength) {
            status = AttachLockedMdl(r, outputBuffer, outputBufferLength,
                                     method == METHOD_IN_DIRECT ? IoReadAccess : IoWriteAccess);
            if (!NT_SUCCESS(status)) return status;
        }
        break;
    default: // METHOD_NEITHER: both pointers as the caller gave them
        stack->Parameters.DeviceIoControl.Type3InputBuffer = inputBuffer;
        irp->UserBuffer = outputBuffer;
        break;
    }
    return SendRequest(r, outputBufferLength, true);
}

} // namespace ntsim::io
