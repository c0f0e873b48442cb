// Loader test driver: DriverEntry reports what it was given, creates a device and a symbolic
// link; DriverUnload deletes both.
#include <ntddk.h>

namespace {
UNICODE_STRING g_deviceName = RTL_CONSTANT_STRING(L"\\Device\\LdrOk");
UNICODE_STRING g_linkName = RTL_CONSTANT_STRING(L"\\??\\LdrOk");
} // namespace

static void LdrOkUnload(PDRIVER_OBJECT DriverObject) {
    IoDeleteSymbolicLink(&g_linkName);
    IoDeleteDevice(DriverObject->DeviceObject);
    DbgPrint("ldr_ok: unload\n");
}

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
    DbgPrint("ldr_ok: registry=%wZ driver=%wZ\n", RegistryPath, &DriverObject->DriverName);
    DriverObject->DriverUnload = LdrOkUnload;
    PDEVICE_OBJECT device = nullptr;
    NTSTATUS status =
        IoCreateDevice(DriverObject, 0, &g_deviceName, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (!NT_SUCCESS(status)) return status;
    status = IoCreateSymbolicLink(&g_linkName, &g_deviceName);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    return STATUS_SUCCESS;
}
