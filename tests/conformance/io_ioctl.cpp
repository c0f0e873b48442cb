// io.ioctl: IoBuildDeviceIoControlRequest to the driver's own second device: buffered and
// neither-method buffers, internal vs. normal major code, the event and IO_STATUS_BLOCK the
// I/O manager completes, a completion routine on a built IRP, and a request that pends.
#include "kmt.h"

#define KMT_IOCTL_BUFFERED ((ULONG)CTL_CODE(0x8355, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS))
#define KMT_IOCTL_NEITHER ((ULONG)CTL_CODE(0x8355, 0x901, METHOD_NEITHER, FILE_ANY_ACCESS))
#define KMT_IOCTL_FAIL ((ULONG)CTL_CODE(0x8355, 0x902, METHOD_BUFFERED, FILE_ANY_ACCESS))
#define KMT_IOCTL_PEND ((ULONG)CTL_CODE(0x8355, 0x903, METHOD_BUFFERED, FILE_ANY_ACCESS))

namespace {

struct Seen {
    UCHAR Major;
    ULONG InputLength;
    ULONG OutputLength;
    PVOID SystemBuffer;
    PVOID Type3Input;
    PVOID UserBuffer;
    PIRP PendingIrp;
};

// Buffered: the output is the input reversed. Neither: records the raw pointers.
NTSTATUS IoctlHandler(PDEVICE_OBJECT device, PIRP irp, PVOID context) {
    UNREFERENCED_PARAMETER(device);
    auto* seen = (Seen*)context;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    auto& params = stack->Parameters.DeviceIoControl;
    seen->Major = stack->MajorFunction;
    seen->InputLength = params.InputBufferLength;
    seen->OutputLength = params.OutputBufferLength;
    seen->SystemBuffer = irp->AssociatedIrp.SystemBuffer;
    seen->Type3Input = params.Type3InputBuffer;
    seen->UserBuffer = irp->UserBuffer;
    NTSTATUS status = STATUS_SUCCESS;
    ULONG_PTR information = 0;
    switch (params.IoControlCode) {
    case KMT_IOCTL_BUFFERED: {
        UCHAR copy[64];
        ULONG n = min(params.InputBufferLength, (ULONG)sizeof(copy));
        RtlCopyMemory(copy, irp->AssociatedIrp.SystemBuffer, n);
        ULONG out = min(n, params.OutputBufferLength);
        for (ULONG i = 0; i < out; ++i)
            ((PUCHAR)irp->AssociatedIrp.SystemBuffer)[i] = copy[n - 1 - i];
        information = out;
        break;
    }
    case KMT_IOCTL_NEITHER:
        information = 5;
        break;
    case KMT_IOCTL_FAIL:
        status = STATUS_INVALID_PARAMETER;
        break;
    case KMT_IOCTL_PEND:
        IoMarkIrpPending(irp);
        seen->PendingIrp = irp;
        return STATUS_PENDING;
    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

// Sends a built request and waits for it as a driver would.
NTSTATUS Send(PDEVICE_OBJECT target, ULONG code, PVOID in, ULONG inLength, PVOID out,
              ULONG outLength, BOOLEAN internal, PIO_STATUS_BLOCK iosb,
              PIO_COMPLETION_ROUTINE routine = nullptr, PVOID context = nullptr) {
    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    PIRP irp = IoBuildDeviceIoControlRequest(code, target, in, inLength, out, outLength, internal,
                                             &event, iosb);
    if (!ok(irp != nullptr, "IoBuildDeviceIoControlRequest failed\n")) return STATUS_UNSUCCESSFUL;
    PIO_STACK_LOCATION next = IoGetNextIrpStackLocation(irp);
    ok_eq_int(next->MajorFunction,
              internal ? IRP_MJ_INTERNAL_DEVICE_CONTROL : IRP_MJ_DEVICE_CONTROL);
    ok_eq_hex(next->Parameters.DeviceIoControl.IoControlCode, code);
    ok_eq_uint(next->Parameters.DeviceIoControl.InputBufferLength, inLength);
    ok_eq_uint(next->Parameters.DeviceIoControl.OutputBufferLength, outLength);
    if (routine) IoSetCompletionRoutine(irp, routine, context, TRUE, TRUE, TRUE);
    NTSTATUS status = IoCallDriver(target, irp);
    if (status == STATUS_PENDING) {
        ok_eq_status(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, nullptr),
                     STATUS_SUCCESS);
        status = iosb->Status;
    }
    return status;
}

struct RoutineRecord {
    LONG Calls;
    NTSTATUS Status;
};

NTSTATUS ObserveCompletion(PDEVICE_OBJECT device, PIRP irp, PVOID context) {
    UNREFERENCED_PARAMETER(device);
    auto* record = (RoutineRecord*)context;
    InterlockedIncrement(&record->Calls);
    record->Status = irp->IoStatus.Status;
    return STATUS_SUCCESS; // let the I/O manager finish: copy back, set the IOSB and event
}

void TestBuffered(PDEVICE_OBJECT target, Seen* seen) {
    UCHAR in[4] = {1, 2, 3, 4};
    UCHAR out[8];
    RtlFillMemory(out, sizeof(out), 0xEE);
    IO_STATUS_BLOCK iosb = {};
    iosb.Status = STATUS_PENDING;
    NTSTATUS status =
        Send(target, KMT_IOCTL_BUFFERED, in, sizeof(in), out, sizeof(out), FALSE, &iosb);
    ok_eq_status(status, STATUS_SUCCESS);
    ok_eq_status(iosb.Status, STATUS_SUCCESS);
    ok_eq_size(iosb.Information, 4);
    ok_eq_int(seen->Major, IRP_MJ_DEVICE_CONTROL);
    ok_eq_uint(seen->InputLength, 4);
    ok_eq_uint(seen->OutputLength, 8);
    ok(seen->SystemBuffer != nullptr && seen->SystemBuffer != in && seen->SystemBuffer != out,
       "METHOD_BUFFERED: SystemBuffer %p is not a separate buffer\n", seen->SystemBuffer);
    ok(out[0] == 4 && out[1] == 3 && out[2] == 2 && out[3] == 1,
       "output not copied back: %02x %02x %02x %02x\n", out[0], out[1], out[2], out[3]);
    ok_eq_uint(out[4], 0xEE); // only Information bytes are copied back

    // The same request as an internal device control.
    RtlZeroMemory(seen, sizeof(*seen));
    status = Send(target, KMT_IOCTL_BUFFERED, in, sizeof(in), out, sizeof(out), TRUE, &iosb);
    ok_eq_status(status, STATUS_SUCCESS);
    ok_eq_int(seen->Major, IRP_MJ_INTERNAL_DEVICE_CONTROL);
}

void TestNeither(PDEVICE_OBJECT target, Seen* seen) {
    UCHAR in[3] = {9, 8, 7};
    UCHAR out[5];
    IO_STATUS_BLOCK iosb = {};
    NTSTATUS status =
        Send(target, KMT_IOCTL_NEITHER, in, sizeof(in), out, sizeof(out), FALSE, &iosb);
    ok_eq_status(status, STATUS_SUCCESS);
    ok_eq_ptr(seen->Type3Input, in);
    ok_eq_ptr(seen->UserBuffer, out);
    ok_eq_size(iosb.Information, 5);
}

void TestFailure(PDEVICE_OBJECT target) {
    UCHAR in[1] = {0};
    IO_STATUS_BLOCK iosb = {};
    NTSTATUS status = Send(target, KMT_IOCTL_FAIL, in, sizeof(in), nullptr, 0, FALSE, &iosb);
    // A synchronous failure is reported by IoCallDriver's result; whether the I/O manager
    // also fills the IO_STATUS_BLOCK for it is not documented, so only the result is checked.
    ok_eq_status(status, STATUS_INVALID_PARAMETER);
}

void TestCompletionRoutine(PDEVICE_OBJECT target) {
    UCHAR in[2] = {1, 2};
    UCHAR out[2] = {};
    IO_STATUS_BLOCK iosb = {};
    RoutineRecord record = {};
    NTSTATUS status = Send(target, KMT_IOCTL_BUFFERED, in, sizeof(in), out, sizeof(out), FALSE,
                           &iosb, ObserveCompletion, &record);
    ok_eq_status(status, STATUS_SUCCESS);
    ok_eq_int(record.Calls, 1);
    ok_eq_status(record.Status, STATUS_SUCCESS);
    ok(out[0] == 2 && out[1] == 1, "output not copied back after the routine: %02x %02x\n", out[0],
       out[1]);
}

void TestPending(PDEVICE_OBJECT target, Seen* seen) {
    UCHAR in[2] = {5, 6};
    UCHAR out[2] = {};
    IO_STATUS_BLOCK iosb = {};
    iosb.Status = STATUS_PENDING;
    KEVENT event;
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    PIRP irp = IoBuildDeviceIoControlRequest(KMT_IOCTL_PEND, target, in, sizeof(in), out,
                                             sizeof(out), FALSE, &event, &iosb);
    if (!ok(irp != nullptr, "IoBuildDeviceIoControlRequest failed\n")) return;
    RoutineRecord record = {};
    IoSetCompletionRoutine(irp, ObserveCompletion, &record, TRUE, TRUE, TRUE);
    ok_eq_status(IoCallDriver(target, irp), STATUS_PENDING);
    ok_eq_ptr(seen->PendingIrp, irp);
    ok_eq_int(record.Calls, 0);
    LARGE_INTEGER zero = {};
    ok_eq_status(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, &zero),
                 STATUS_TIMEOUT);
    if (seen->PendingIrp == nullptr) return;

    // Complete it later, as a DPC or another thread would.
    PUCHAR buffer = (PUCHAR)irp->AssociatedIrp.SystemBuffer;
    buffer[0] = 0xAB;
    buffer[1] = 0xCD;
    irp->IoStatus.Status = STATUS_SUCCESS;
    irp->IoStatus.Information = 2;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    ok_eq_status(KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, nullptr),
                 STATUS_SUCCESS);
    ok_eq_int(record.Calls, 1);
    ok_eq_status(iosb.Status, STATUS_SUCCESS);
    ok_eq_size(iosb.Information, 2);
    ok(out[0] == 0xAB && out[1] == 0xCD, "pended output not copied back: %02x %02x\n", out[0],
       out[1]);
}

} // namespace

KMT_TEST("io.ioctl", Test_IoIoctl);

void Test_IoIoctl() {
    static Seen seen;
    RtlZeroMemory(&seen, sizeof(seen));
    PDEVICE_OBJECT target = nullptr;
    NTSTATUS status = KmtCreateDevice(L"\\Device\\KmtIoctlTarget", IoctlHandler, &seen, &target);
    ok_eq_status(status, STATUS_SUCCESS);
    if (!skip(target != nullptr, "no target device\n")) return;
    TestBuffered(target, &seen);
    TestNeither(target, &seen);
    TestFailure(target);
    TestCompletionRoutine(target);
    RtlZeroMemory(&seen, sizeof(seen));
    TestPending(target, &seen);
    IoDeleteDevice(target);
}
