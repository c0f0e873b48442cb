// IRP completion: the walk up the stack through completion routines (IofCompleteRequest) and
// the I/O manager's own completion (IopCompleteRequest: copy-back, IOSB, events, cleanup).
#include <cstring>

#include "core/callout.h"
#include "core/export.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "io/iop.h"
#include "ke/ke.h"
#include "ob/ob.h"

namespace ntsim::io {
namespace {

// Clears what a finished layer left in its stack location (ZeroIrpStackLocation): the
// completion routine and context stay for the caller that registered them.
void ClearStackLocation(PIO_STACK_LOCATION stack) {
    stack->MinorFunction = 0;
    stack->Flags = 0;
    stack->Control &= SL_ERROR_RETURNED;
    stack->Parameters.Others.Argument1 = nullptr;
    stack->Parameters.Others.Argument2 = nullptr;
    stack->Parameters.Others.Argument3 = nullptr;
    stack->Parameters.Others.Argument4 = nullptr;
    stack->FileObject = nullptr;
}

bool ShouldInvoke(PIRP irp, UCHAR control) {
    const NTSTATUS status = irp->IoStatus.Status;
    return (NT_SUCCESS(status) && (control & SL_INVOKE_ON_SUCCESS)) ||
           (!NT_SUCCESS(status) && (control & SL_INVOKE_ON_ERROR)) ||
           (irp->Cancel && (control & SL_INVOKE_ON_CANCEL));
}

void UnlockAndFreeMdls(PIRP irp) {
    PMDL mdl = irp->MdlAddress;
    irp->MdlAddress = nullptr;
    while (mdl) {
        PMDL next = mdl->Next;
        if (mdl->MdlFlags & MDL_PAGES_LOCKED) MmUnlockPages(mdl);
        IoFreeMdl(mdl);
        mdl = next;
    }
}

// Writes the requester's IOSB; a user-mode IOSB that became invalid is skipped (Windows
// swallows the fault in the completion APC).
void WriteIosb(PIRP irp) {
    PIO_STATUS_BLOCK iosb = irp->UserIosb;
    if (!iosb) return;
    IO_STATUS_BLOCK value = irp->IoStatus;
    if (irp->RequestorMode == UserMode) {
        SafeCopyToUser(iosb, &value, sizeof value);
    } else {
        *iosb = value;
    }
}

} // namespace

void CompleteIoManagerPart(PIRP irp) {
    IrpInfo info;
    GetIrpInfo(irp, &info);
    const NTSTATUS status = irp->IoStatus.Status;
    PFILE_OBJECT file = irp->Tail.Overlay.OriginalFileObject;
    // Read before any event is set: once the requester wakes it may update file->Flags
    // (FO_HANDLE_CREATED, FO_CLEANUP_COMPLETE on close) while this thread is still here.
    // FO_SYNCHRONOUS_IO itself is fixed when the file is created.
    const bool syncFile = file && (file->Flags & FO_SYNCHRONOUS_IO);

    // Buffered input operations copy exactly Information bytes back, and only without error.
    if (irp->Flags & IRP_BUFFERED_IO) {
        if ((irp->Flags & IRP_INPUT_OPERATION) && !NT_ERROR(status) && irp->UserBuffer &&
            irp->AssociatedIrp.SystemBuffer) {
            ULONG_PTR count = irp->IoStatus.Information;
            if (info.hasCopyBackLimit && count > info.copyBackLimit) count = info.copyBackLimit;
            if (count) {
                if (irp->RequestorMode == UserMode) {
                    SafeCopyToUser(irp->UserBuffer, irp->AssociatedIrp.SystemBuffer, count);
                } else {
                    std::memcpy(irp->UserBuffer, irp->AssociatedIrp.SystemBuffer, count);
                }
            }
        }
        if ((irp->Flags & IRP_DEALLOCATE_BUFFER) && irp->AssociatedIrp.SystemBuffer) {
            FreeIoBlock(irp->AssociatedIrp.SystemBuffer);
            irp->AssociatedIrp.SystemBuffer = nullptr;
        }
        irp->Flags &= ~(IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER);
    }
    UnlockAndFreeMdls(irp);

    // A request that failed without pending reports its error through the service's return
    // value only: no IOSB, no event. Otherwise the requester learns the result here.
    if (!NT_ERROR(status) || irp->PendingReturned) {
        WriteIosb(irp);
        if (irp->UserEvent) {
            KeSetEvent(irp->UserEvent, 0, FALSE);
            if (syncFile) {
                file->FinalStatus = status;
                KeSetEvent(&file->Event, 0, FALSE);
            }
        } else if (file) {
            file->FinalStatus = status;
            KeSetEvent(&file->Event, 0, FALSE);
        }
    } else if (file && irp->PendingReturned) {
        file->FinalStatus = status;
        KeSetEvent(&file->Event, 0, FALSE);
    }
    // A user completion routine runs as a user APC of the requesting thread once the IOSB is
    // written (arguments: its context; the lpc layer's runtime finds the IOSB itself).
    if ((!NT_ERROR(status) || irp->PendingReturned) && irp->RequestorMode == UserMode &&
        irp->Overlay.AsynchronousParameters.UserApcRoutine && irp->Tail.Overlay.Thread) {
        // A client address: the kernel only hands it back, never calls it.
        auto routine = reinterpret_cast<PKNORMAL_ROUTINE>(
            reinterpret_cast<ULONG_PTR>(irp->Overlay.AsynchronousParameters.UserApcRoutine));
        ke::QueueUserApc(reinterpret_cast<PKTHREAD>(irp->Tail.Overlay.Thread), routine,
                         irp->Overlay.AsynchronousParameters.UserApcContext, irp->UserIosb,
                         nullptr);
    }

    if (info.eventReferenced && irp->UserEvent) ob::DereferenceObject(irp->UserEvent);
    DequeueThreadIrp(irp);
    if (info.fileReferenced && file) ob::DereferenceObject(file);
    IoFreeIrp(irp);
}

} // namespace ntsim::io

using namespace ntsim;

extern "C" VOID NTAPI IofCompleteRequest(PIRP Irp, CCHAR PriorityBoost) {
    (void)PriorityBoost; // the requester's boost: thread priorities are Ps's, not modelled here
    // An IRP that is no longer live, or whose stack is already fully unwound, was completed
    // before: MULTIPLE_IRP_COMPLETE_REQUESTS with the IRP's address.
    if (!Irp || !io::IsLiveIrp(Irp) || Irp->Type != IO_TYPE_IRP ||
        Irp->CurrentLocation > CHAR(Irp->StackCount + 1))
        dbg::BugCheck(io::kBugCheckMultipleIrpComplete, reinterpret_cast<ULONG_PTR>(Irp));

    // Walk back up: each location above the completing driver gets its completion routine
    // (per its SL_INVOKE_ON_* bits) or, without one, inherits the pending flag. An IRP with no
    // current location (never sent, or resumed after MORE_PROCESSING_REQUIRED at the top) goes
    // straight to the I/O manager's part.
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    for (Irp->CurrentLocation++, Irp->Tail.Overlay.CurrentStackLocation++;
         Irp->CurrentLocation <= CHAR(Irp->StackCount + 1);
         stack++, Irp->CurrentLocation++, Irp->Tail.Overlay.CurrentStackLocation++) {
        Irp->PendingReturned = (stack->Control & SL_PENDING_RETURNED) != 0;
        if (!NT_SUCCESS(Irp->IoStatus.Status)) stack->Control |= SL_ERROR_RETURNED;
        const bool atTop = Irp->CurrentLocation == CHAR(Irp->StackCount + 1);
        if (stack->CompletionRoutine && io::ShouldInvoke(Irp, stack->Control)) {
            PIO_COMPLETION_ROUTINE routine = stack->CompletionRoutine;
            PVOID context = stack->Context;
            io::ClearStackLocation(stack);
            PDEVICE_OBJECT device =
                atTop ? nullptr : IoGetCurrentIrpStackLocation(Irp)->DeviceObject;
            NTSTATUS status = CallDriverRoutine(routine, device, Irp, context);
            if (status == STATUS_MORE_PROCESSING_REQUIRED) return; // the routine owns it now
        } else {
            if (Irp->PendingReturned && !atTop) IoMarkIrpPending(Irp);
            io::ClearStackLocation(stack);
        }
    }
    io::CompleteIoManagerPart(Irp);
}
NTSIM_EXPORT(IofCompleteRequest);

namespace {

// IoSetCompletionRoutineEx: the device stays referenced until the routine has run, so the
// driver that registered it cannot go away in between.
struct CompletionExContext {
    PIO_COMPLETION_ROUTINE routine;
    PVOID context;
    PDEVICE_OBJECT device;
};

NTSTATUS CompletionExThunk(PDEVICE_OBJECT device, PIRP irp, PVOID context) {
    auto* ex = static_cast<CompletionExContext*>(context);
    CompletionExContext copy = *ex;
    ntsim::ex::FreePool(ex);
    NTSTATUS status = CallDriverRoutine(copy.routine, device, irp, copy.context);
    ob::DereferenceObject(copy.device);
    return status;
}

} // namespace

extern "C" NTSTATUS NTAPI IoSetCompletionRoutineEx(PDEVICE_OBJECT DeviceObject, PIRP Irp,
                                                   PIO_COMPLETION_ROUTINE CompletionRoutine,
                                                   PVOID Context, BOOLEAN InvokeOnSuccess,
                                                   BOOLEAN InvokeOnError, BOOLEAN InvokeOnCancel) {
    if (!DeviceObject || !Irp || !CompletionRoutine) return STATUS_INVALID_PARAMETER;
    auto* ctx = static_cast<CompletionExContext*>(
        ex::AllocatePool(NonPagedPoolNx, sizeof(CompletionExContext), io::kCompletionExTag));
    if (!ctx) return STATUS_INSUFFICIENT_RESOURCES;
    *ctx = {CompletionRoutine, Context, DeviceObject};
    ob::ReferenceObject(DeviceObject);
    IoSetCompletionRoutine(Irp, CompletionExThunk, ctx, InvokeOnSuccess, InvokeOnError,
                           InvokeOnCancel);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(IoSetCompletionRoutineEx);
