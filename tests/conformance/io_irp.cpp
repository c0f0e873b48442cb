// io.irp: driver-allocated IRPs: IoAllocateIrp/IoInitializeIrp/IoReuseIrp/IoFreeIrp fields,
// IoCallDriver to another device of the driver, completion routines (arguments, the
// InvokeOnSuccess/InvokeOnError choice, STATUS_MORE_PROCESSING_REQUIRED stopping completion)
// and an IRP that pends and is completed later (PendingReturned).
#include "kmt.h"

#define KMT_IRP_TAG 'pItK'

namespace {

// What the lower device does with the IRP it receives.
struct LowerBehaviour {
    NTSTATUS Status;
    ULONG_PTR Information;
    BOOLEAN Pend;    // mark pending, keep the IRP, return STATUS_PENDING
    PIRP PendingIrp; // the IRP kept
    PDEVICE_OBJECT SeenDevice;
    UCHAR SeenMajor;
    CHAR SeenCurrentLocation;
    PDEVICE_OBJECT SeenStackDevice;
};

NTSTATUS LowerHandler(PDEVICE_OBJECT device, PIRP irp, PVOID context) {
    auto* behaviour = (LowerBehaviour*)context;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    behaviour->SeenDevice = device;
    behaviour->SeenMajor = stack->MajorFunction;
    behaviour->SeenCurrentLocation = irp->CurrentLocation;
    behaviour->SeenStackDevice = stack->DeviceObject;
    if (behaviour->Pend) {
        IoMarkIrpPending(irp);
        behaviour->PendingIrp = irp;
        return STATUS_PENDING;
    }
    irp->IoStatus.Status = behaviour->Status;
    irp->IoStatus.Information = behaviour->Information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return behaviour->Status;
}

struct CompletionRecord {
    LONG Calls;
    PDEVICE_OBJECT Device;
    NTSTATUS Status;
    ULONG_PTR Information;
    BOOLEAN PendingReturned;
    NTSTATUS Return; // what the routine returns
};

NTSTATUS RecordCompletion(PDEVICE_OBJECT device, PIRP irp, PVOID context) {
    auto* record = (CompletionRecord*)context;
    InterlockedIncrement(&record->Calls);
    record->Device = device;
    record->Status = irp->IoStatus.Status;
    record->Information = irp->IoStatus.Information;
    record->PendingReturned = irp->PendingReturned;
    return record->Return;
}

void TestAllocation() {
    PIRP irp = IoAllocateIrp(3, FALSE);
    if (!ok(irp != nullptr, "IoAllocateIrp failed\n")) return;
    ok_eq_int(irp->Type, IO_TYPE_IRP);
    ok_eq_uint(irp->Size, IoSizeOfIrp(3));
    ok_eq_int(irp->StackCount, 3);
    ok_eq_int(irp->CurrentLocation, 4);
    ok_eq_ptr(irp->MdlAddress, nullptr);
    ok_eq_ptr(irp->AssociatedIrp.SystemBuffer, nullptr);
    ok_eq_bool(irp->Cancel, FALSE);
    ok_eq_ptr(irp->CancelRoutine, nullptr);
    // The stack locations follow the IRP; the first one to fill is the last.
    PIO_STACK_LOCATION first = (PIO_STACK_LOCATION)(irp + 1);
    ok_eq_ptr(IoGetNextIrpStackLocation(irp), first + 2);

    // Reuse resets the stack and sets the status.
    IoSetNextIrpStackLocation(irp);
    IoReuseIrp(irp, STATUS_NOT_SUPPORTED);
    ok_eq_status(irp->IoStatus.Status, STATUS_NOT_SUPPORTED);
    ok_eq_int(irp->CurrentLocation, 4);
    ok_eq_ptr(IoGetNextIrpStackLocation(irp), first + 2);
    IoFreeIrp(irp);

    // A caller-allocated IRP initialized in place.
    USHORT size = IoSizeOfIrp(2);
    PIRP own = (PIRP)ExAllocatePool2(POOL_FLAG_NON_PAGED, size, KMT_IRP_TAG);
    if (skip(own != nullptr, "no pool\n")) {
        IoInitializeIrp(own, size, 2);
        ok_eq_int(own->Type, IO_TYPE_IRP);
        ok_eq_uint(own->Size, size);
        ok_eq_int(own->StackCount, 2);
        ok_eq_int(own->CurrentLocation, 3);
        ok_eq_ptr(IoGetNextIrpStackLocation(own), (PIO_STACK_LOCATION)(own + 1) + 1);
        ExFreePoolWithTag(own, KMT_IRP_TAG);
    }
}

// One-level IRP: the originator's completion routine sees the final status; it owns the IRP
// again after returning STATUS_MORE_PROCESSING_REQUIRED.
void TestSynchronousCompletion(PDEVICE_OBJECT lower, LowerBehaviour* behaviour) {
    RtlZeroMemory(behaviour, sizeof(*behaviour));
    behaviour->Status = STATUS_SUCCESS;
    behaviour->Information = 77;
    PIRP irp = IoAllocateIrp(lower->StackSize, FALSE);
    if (!ok(irp != nullptr, "IoAllocateIrp failed\n")) return;
    PIO_STACK_LOCATION next = IoGetNextIrpStackLocation(irp);
    next->MajorFunction = IRP_MJ_INTERNAL_DEVICE_CONTROL;
    next->Parameters.DeviceIoControl.IoControlCode = 0x1234;
    CompletionRecord record = {};
    record.Return = STATUS_MORE_PROCESSING_REQUIRED;
    IoSetCompletionRoutine(irp, RecordCompletion, &record, TRUE, TRUE, TRUE);

    ok_eq_status(IoCallDriver(lower, irp), STATUS_SUCCESS);
    ok_eq_ptr(behaviour->SeenDevice, lower);
    ok_eq_ptr(behaviour->SeenStackDevice, lower);
    ok_eq_int(behaviour->SeenMajor, IRP_MJ_INTERNAL_DEVICE_CONTROL);
    ok_eq_int(behaviour->SeenCurrentLocation, 1);
    ok_eq_int(record.Calls, 1);
    ok_eq_status(record.Status, STATUS_SUCCESS);
    ok_eq_size(record.Information, 77);
    ok_eq_bool(record.PendingReturned, FALSE);
    // The originator has no stack location of its own: its routine gets no device.
    ok_eq_ptr(record.Device, nullptr);
    IoFreeIrp(irp);
}

// Three locations: the test plays an upper driver (location 3) with a final routine in
// location 2 and a selective routine in location 1. The selective one runs only for the
// outcomes it asked for; the final one always runs and stops completion.
void TestInvokeFlags(PDEVICE_OBJECT upper, PDEVICE_OBJECT lower, LowerBehaviour* behaviour,
                     NTSTATUS lowerStatus) {
    RtlZeroMemory(behaviour, sizeof(*behaviour));
    behaviour->Status = lowerStatus;
    PIRP irp = IoAllocateIrp(3, FALSE);
    if (!ok(irp != nullptr, "IoAllocateIrp failed\n")) return;

    IoSetNextIrpStackLocation(irp); // location 3 is ours
    IoGetCurrentIrpStackLocation(irp)->DeviceObject = upper;
    CompletionRecord final = {};
    final.Return = STATUS_MORE_PROCESSING_REQUIRED;
    IoSetCompletionRoutine(irp, RecordCompletion, &final, TRUE, TRUE, TRUE);
    IoSetNextIrpStackLocation(irp); // location 2: a middle layer that passes the IRP on
    IoGetCurrentIrpStackLocation(irp)->DeviceObject = upper;
    CompletionRecord onError = {};
    onError.Return = STATUS_SUCCESS;
    IoSetCompletionRoutine(irp, RecordCompletion, &onError, FALSE, TRUE, FALSE);
    IoGetNextIrpStackLocation(irp)->MajorFunction = IRP_MJ_INTERNAL_DEVICE_CONTROL;

    ok_eq_status(IoCallDriver(lower, irp), lowerStatus);
    ok_eq_int(onError.Calls, NT_SUCCESS(lowerStatus) ? 0 : 1);
    if (onError.Calls) ok_eq_ptr(onError.Device, upper);
    ok_eq_int(final.Calls, 1);
    ok_eq_status(final.Status, lowerStatus);
    ok_eq_ptr(final.Device, upper);
    IoFreeIrp(irp);
}

// The lower device pends; the IRP is completed later, outside its dispatch routine.
void TestPending(PDEVICE_OBJECT lower, LowerBehaviour* behaviour) {
    RtlZeroMemory(behaviour, sizeof(*behaviour));
    behaviour->Pend = TRUE;
    PIRP irp = IoAllocateIrp(lower->StackSize, FALSE);
    if (!ok(irp != nullptr, "IoAllocateIrp failed\n")) return;
    IoGetNextIrpStackLocation(irp)->MajorFunction = IRP_MJ_INTERNAL_DEVICE_CONTROL;
    CompletionRecord record = {};
    record.Return = STATUS_MORE_PROCESSING_REQUIRED;
    IoSetCompletionRoutine(irp, RecordCompletion, &record, TRUE, TRUE, TRUE);

    ok_eq_status(IoCallDriver(lower, irp), STATUS_PENDING);
    ok_eq_ptr(behaviour->PendingIrp, irp);
    ok_eq_int(record.Calls, 0);
    if (behaviour->PendingIrp != nullptr) {
        irp->IoStatus.Status = STATUS_CANCELLED;
        irp->IoStatus.Information = 0;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
    ok_eq_int(record.Calls, 1);
    ok_eq_status(record.Status, STATUS_CANCELLED);
    ok_eq_bool(record.PendingReturned, TRUE);
    IoFreeIrp(irp);
}

} // namespace

KMT_TEST("io.irp", Test_IoIrp);

void Test_IoIrp() {
    TestAllocation();

    static LowerBehaviour behaviour;
    PDEVICE_OBJECT lower = nullptr, upper = nullptr;
    NTSTATUS status = KmtCreateDevice(nullptr, LowerHandler, &behaviour, &lower);
    ok_eq_status(status, STATUS_SUCCESS);
    status = KmtCreateDevice(nullptr, nullptr, nullptr, &upper);
    ok_eq_status(status, STATUS_SUCCESS);
    if (skip(lower != nullptr && upper != nullptr, "no devices\n")) {
        TestSynchronousCompletion(lower, &behaviour);
        TestInvokeFlags(upper, lower, &behaviour, STATUS_SUCCESS);
        TestInvokeFlags(upper, lower, &behaviour, STATUS_INVALID_PARAMETER);
        TestPending(lower, &behaviour);
    }
    if (upper) IoDeleteDevice(upper);
    if (lower) IoDeleteDevice(lower);
}
