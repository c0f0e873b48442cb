// IRPs drivers build for other drivers: IoBuildDeviceIoControlRequest and the FSD request
// builders. The caller sends them with IoCallDriver.
#include <cstring>

#include "core/export.h"
#include "ex/ex.h"
#include "io/iop.h"
#include "mm/mm.h"
#include "ps/ps.h"

namespace ntsim::io {
namespace {

void FreeBuiltIrp(PIRP irp) {
    if ((irp->Flags & IRP_DEALLOCATE_BUFFER) && irp->AssociatedIrp.SystemBuffer)
        ex::FreePool(irp->AssociatedIrp.SystemBuffer);
    for (PMDL mdl = irp->MdlAddress; mdl;) {
        PMDL next = mdl->Next;
        if (mdl->MdlFlags & MDL_PAGES_LOCKED) MmUnlockPages(mdl);
        IoFreeMdl(mdl);
        mdl = next;
    }
    IoFreeIrp(irp);
}

bool AttachBuffer(PIRP irp, ULONG size, const void* source, ULONG copy) {
    PVOID buffer = ex::AllocatePool(NonPagedPoolNx, size, kBufferTag);
    if (!buffer) return false;
    std::memset(buffer, 0, size);
    if (source && copy) std::memcpy(buffer, source, copy);
    irp->AssociatedIrp.SystemBuffer = buffer;
    irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER;
    return true;
}

bool AttachMdl(PIRP irp, PVOID buffer, ULONG length, LOCK_OPERATION op) {
    PMDL mdl = IoAllocateMdl(buffer, length, FALSE, FALSE, irp);
    if (!mdl) return false;
    if (!NT_SUCCESS(mm::ProbeAndLockPages(mdl, KernelMode, op))) {
        irp->MdlAddress = nullptr;
        IoFreeMdl(mdl);
        return false;
    }
    return true;
}

} // namespace
} // namespace ntsim::io

using namespace ntsim;

// A device-control IRP with the first stack location filled and buffers per the code's method;
// completion sets *IoStatusBlock and Event. The IRP is the calling thread's (threaded).
extern "C" PIRP NTAPI IoBuildDeviceIoControlRequest(ULONG IoControlCode,
                                                    PDEVICE_OBJECT DeviceObject, PVOID InputBuffer,
                                                    ULONG InputBufferLength, PVOID OutputBuffer,
                                                    ULONG OutputBufferLength,
                                                    BOOLEAN InternalDeviceIoControl, PKEVENT Event,
                                                    PIO_STATUS_BLOCK IoStatusBlock) {
    if (!DeviceObject) return nullptr;
    PIRP irp = IoAllocateIrp(DeviceObject->StackSize, FALSE);
    if (!irp) return nullptr;
    PIO_STACK_LOCATION stack = IoGetNextIrpStackLocation(irp);
    stack->MajorFunction =
        InternalDeviceIoControl ? IRP_MJ_INTERNAL_DEVICE_CONTROL : IRP_MJ_DEVICE_CONTROL;
    stack->Parameters.DeviceIoControl.OutputBufferLength = OutputBufferLength;
    stack->Parameters.DeviceIoControl.InputBufferLength = InputBufferLength;
    stack->Parameters.DeviceIoControl.IoControlCode = IoControlCode;

    const ULONG method = METHOD_FROM_CTL_CODE(IoControlCode);
    bool ok = true;
    switch (method) {
    case METHOD_BUFFERED: {
        const ULONG size =
            InputBufferLength > OutputBufferLength ? InputBufferLength : OutputBufferLength;
        if (size) {
            ok = io::AttachBuffer(irp, size, InputBuffer, InputBuffer ? InputBufferLength : 0);
            if (OutputBufferLength) irp->Flags |= IRP_INPUT_OPERATION;
        }
        irp->UserBuffer = OutputBuffer;
        break;
    }
    case METHOD_IN_DIRECT:
    case METHOD_OUT_DIRECT:
        if (InputBuffer && InputBufferLength)
            ok = io::AttachBuffer(irp, InputBufferLength, InputBuffer, InputBufferLength);
        if (ok && OutputBuffer && OutputBufferLength)
            ok = io::AttachMdl(irp, OutputBuffer, OutputBufferLength,
                               method == METHOD_IN_DIRECT ? IoReadAccess : IoWriteAccess);
        break;
    default:
        stack->Parameters.DeviceIoControl.Type3InputBuffer = InputBuffer;
        irp->UserBuffer = OutputBuffer;
        break;
    }
    if (!ok) {
        io::FreeBuiltIrp(irp);
        return nullptr;
    }
    irp->RequestorMode = KernelMode;
    irp->UserIosb = IoStatusBlock;
    irp->UserEvent = Event;
    irp->Tail.Overlay.Thread = ps::CurrentThread();
    io::QueueThreadIrp(irp);
    return irp;
}
NTSIM_EXPORT(IoBuildDeviceIoControlRequest);

// Read, write, flush or shutdown request with buffers per the device's DO_* flags. Not queued
// to the thread: the caller's completion routine usually frees it.
extern "C" PIRP NTAPI IoBuildAsynchronousFsdRequest(ULONG MajorFunction,
                                                    PDEVICE_OBJECT DeviceObject, PVOID Buffer,
                                                    ULONG Length, PLARGE_INTEGER StartingOffset,
                                                    PIO_STATUS_BLOCK IoStatusBlock) {
    if (!DeviceObject) return nullptr;
    const bool transfer = MajorFunction == IRP_MJ_READ || MajorFunction == IRP_MJ_WRITE;
    if (!transfer && MajorFunction != IRP_MJ_FLUSH_BUFFERS && MajorFunction != IRP_MJ_SHUTDOWN &&
        MajorFunction != IRP_MJ_PNP && MajorFunction != IRP_MJ_POWER)
        return nullptr;
    PIRP irp = IoAllocateIrp(DeviceObject->StackSize, FALSE);
    if (!irp) return nullptr;
    PIO_STACK_LOCATION stack = IoGetNextIrpStackLocation(irp);
    stack->MajorFunction = UCHAR(MajorFunction);
    irp->RequestorMode = KernelMode;
    irp->UserIosb = IoStatusBlock;
    irp->Tail.Overlay.Thread = ps::CurrentThread();
    if (transfer) {
        const bool read = MajorFunction == IRP_MJ_READ;
        bool ok = true;
        if (DeviceObject->Flags & DO_BUFFERED_IO) {
            if (Length) {
                ok = io::AttachBuffer(irp, Length, read ? nullptr : Buffer, read ? 0 : Length);
                if (read) irp->Flags |= IRP_INPUT_OPERATION;
            }
            irp->UserBuffer = Buffer;
        } else if (DeviceObject->Flags & DO_DIRECT_IO) {
            if (Length)
                ok = io::AttachMdl(irp, Buffer, Length, read ? IoWriteAccess : IoReadAccess);
        } else {
            irp->UserBuffer = Buffer;
        }
        if (!ok) {
            io::FreeBuiltIrp(irp);
            return nullptr;
        }
        stack->Parameters.Read.Length = Length;
        if (StartingOffset) stack->Parameters.Read.ByteOffset = *StartingOffset;
        irp->Flags |= read ? IRP_READ_OPERATION : IRP_WRITE_OPERATION;
    }
    return irp;
}
NTSIM_EXPORT(IoBuildAsynchronousFsdRequest);

// The same request, signalling Event at completion and queued to the calling thread.
extern "C" PIRP NTAPI IoBuildSynchronousFsdRequest(ULONG MajorFunction, PDEVICE_OBJECT DeviceObject,
                                                   PVOID Buffer, ULONG Length,
                                                   PLARGE_INTEGER StartingOffset, PKEVENT Event,
                                                   PIO_STATUS_BLOCK IoStatusBlock) {
    PIRP irp = IoBuildAsynchronousFsdRequest(MajorFunction, DeviceObject, Buffer, Length,
                                             StartingOffset, IoStatusBlock);
    if (!irp) return nullptr;
    irp->UserEvent = Event;
    irp->Flags |= IRP_SYNCHRONOUS_API;
    io::QueueThreadIrp(irp);
    return irp;
}
NTSIM_EXPORT(IoBuildSynchronousFsdRequest);
