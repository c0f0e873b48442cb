// conformance.sys: runs kmt tests inside the kernel on request of the runner.
//
// DriverEntry creates the control device \Device\NtsimConformance; IOCTL_KMT_RUN_TEST runs the
// named test from KmtTests and returns its counters and log; IOCTL_KMT_LIST_TESTS returns the
// names. Devices the tests create (KmtCreateDevice) share the dispatch routine below, which
// counts create/cleanup/close and hands every IRP to the test's handler.
#include "kmt.h"

static_assert(IOCTL_KMT_RUN_TEST ==
                  (ULONG)CTL_CODE(KMT_DEVICE_TYPE, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS),
              "IOCTL_KMT_RUN_TEST");
static_assert(IOCTL_KMT_LIST_TESTS ==
                  (ULONG)CTL_CODE(KMT_DEVICE_TYPE, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS),
              "IOCTL_KMT_LIST_TESTS");

PDRIVER_OBJECT KmtDriverObject;
PDEVICE_OBJECT KmtControlDevice;

namespace {

NTSTATUS CompleteIrp(PIRP irp, NTSTATUS status, ULONG_PTR information = 0) {
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

const KMT_TEST* FindTest(const char* name, ULONG length) {
    for (const KMT_TEST* test = KmtTests; test != nullptr; test = test->Next)
        if (strlen(test->Name) == length && RtlCompareMemory(test->Name, name, length) == length)
            return test;
    return nullptr;
}

NTSTATUS RunTest(PIRP irp, PIO_STACK_LOCATION stack) {
    auto& params = stack->Parameters.DeviceIoControl;
    if (params.OutputBufferLength < sizeof(KMT_RESULT_HEADER))
        return CompleteIrp(irp, STATUS_BUFFER_TOO_SMALL);
    const char* name = (const char*)irp->AssociatedIrp.SystemBuffer;
    ULONG length = params.InputBufferLength;
    while (length > 0 && name[length - 1] == '\0')
        --length;
    // The test name is read before the shared system buffer is overwritten by the results.
    const KMT_TEST* test = length > 0 ? FindTest(name, length) : nullptr;
    if (test == nullptr) return CompleteIrp(irp, STATUS_NOT_FOUND);

    KmtBeginTest();
    test->Function();
    ULONG_PTR written = 0;
    KmtEndTest((PKMT_RESULT_HEADER)irp->AssociatedIrp.SystemBuffer, params.OutputBufferLength,
               &written);
    return CompleteIrp(irp, STATUS_SUCCESS, written);
}

NTSTATUS ListTests(PIRP irp, PIO_STACK_LOCATION stack) {
    ULONG capacity = stack->Parameters.DeviceIoControl.OutputBufferLength;
    ULONG needed = 1;
    for (const KMT_TEST* test = KmtTests; test != nullptr; test = test->Next)
        needed += (ULONG)strlen(test->Name) + 1;
    if (capacity < needed) return CompleteIrp(irp, STATUS_BUFFER_TOO_SMALL);
    CHAR* out = (CHAR*)irp->AssociatedIrp.SystemBuffer;
    for (const KMT_TEST* test = KmtTests; test != nullptr; test = test->Next) {
        ULONG n = (ULONG)strlen(test->Name);
        RtlCopyMemory(out, test->Name, n);
        out[n] = '\n';
        out += n + 1;
    }
    *out = '\0';
    return CompleteIrp(irp, STATUS_SUCCESS, needed);
}

NTSTATUS ControlDeviceDispatch(PIRP irp) {
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    switch (stack->MajorFunction) {
    case IRP_MJ_CREATE:
    case IRP_MJ_CLEANUP:
    case IRP_MJ_CLOSE:
        return CompleteIrp(irp, STATUS_SUCCESS);
    case IRP_MJ_DEVICE_CONTROL:
        switch (stack->Parameters.DeviceIoControl.IoControlCode) {
        case IOCTL_KMT_RUN_TEST:
            return RunTest(irp, stack);
        case IOCTL_KMT_LIST_TESTS:
            return ListTests(irp, stack);
        default:
            return CompleteIrp(irp, STATUS_INVALID_DEVICE_REQUEST);
        }
    default:
        return CompleteIrp(irp, STATUS_INVALID_DEVICE_REQUEST);
    }
}

NTSTATUS KmtDispatch(PDEVICE_OBJECT device, PIRP irp) {
    if (device == KmtControlDevice) return ControlDeviceDispatch(irp);
    PKMT_DEVICE_EXTENSION ext = KmtExtension(device);
    UCHAR major = IoGetCurrentIrpStackLocation(irp)->MajorFunction;
    switch (major) {
    case IRP_MJ_CREATE:
        InterlockedIncrement(&ext->Creates);
        break;
    case IRP_MJ_CLEANUP:
        InterlockedIncrement(&ext->Cleanups);
        break;
    case IRP_MJ_CLOSE:
        InterlockedIncrement(&ext->Closes);
        break;
    default:
        InterlockedIncrement(&ext->Others);
        break;
    }
    if (ext->Handler != nullptr) return ext->Handler(device, irp, ext->Context);
    if (major == IRP_MJ_CREATE || major == IRP_MJ_CLEANUP || major == IRP_MJ_CLOSE)
        return CompleteIrp(irp, STATUS_SUCCESS);
    return CompleteIrp(irp, STATUS_INVALID_DEVICE_REQUEST);
}

void KmtUnload(PDRIVER_OBJECT driver) {
    UNREFERENCED_PARAMETER(driver);
    IoDeleteDevice(KmtControlDevice);
    KmtControlDevice = nullptr;
}

} // namespace

NTSTATUS KmtCreateDevice(PCWSTR name, KMT_IRP_HANDLER* handler, PVOID context,
                         PDEVICE_OBJECT* device, ULONG extraExtension) {
    UNICODE_STRING deviceName;
    if (name != nullptr) RtlInitUnicodeString(&deviceName, name);
    NTSTATUS status = IoCreateDevice(KmtDriverObject, sizeof(KMT_DEVICE_EXTENSION) + extraExtension,
                                     name != nullptr ? &deviceName : nullptr, FILE_DEVICE_UNKNOWN,
                                     0, FALSE, device);
    if (!NT_SUCCESS(status)) return status;
    PKMT_DEVICE_EXTENSION ext = KmtExtension(*device);
    RtlZeroMemory(ext, sizeof(*ext));
    ext->Magic = KMT_DEVICE_MAGIC;
    ext->Handler = handler;
    ext->Context = context;
    (*device)->Flags |= DO_BUFFERED_IO;
    (*device)->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
    UNREFERENCED_PARAMETER(RegistryPath);
    KmtDriverObject = DriverObject;
    DriverObject->DriverUnload = KmtUnload;
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; ++i)
        DriverObject->MajorFunction[i] = KmtDispatch;

    UNICODE_STRING name = RTL_CONSTANT_STRING(KMT_DEVICE_NAME);
    NTSTATUS status =
        IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &KmtControlDevice);
    if (!NT_SUCCESS(status)) {
        DbgPrint(KMT_PREFIX "IoCreateDevice(%wZ) failed: 0x%08X\n", &name, (ULONG)status);
        return status;
    }
    KmtControlDevice->Flags |= DO_BUFFERED_IO;
    DbgPrint(KMT_PREFIX "conformance driver loaded\n");
    return STATUS_SUCCESS;
}
