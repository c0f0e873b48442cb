// Loader test driver: allocates pool under two tags and creates a device, and its unload
// routine frees none of it (the loader's leak report must name them).
#include <ntddk.h>

namespace {
UNICODE_STRING g_deviceName = RTL_CONSTANT_STRING(L"\\Device\\LdrLeak");
}

static void LdrLeakUnload(PDRIVER_OBJECT) {
    DbgPrint("ldr_leak: unload frees nothing\n");
}

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING) {
    DriverObject->DriverUnload = LdrLeakUnload;
    if (!ExAllocatePoolWithTag(NonPagedPool, 32, '1keL')) return STATUS_INSUFFICIENT_RESOURCES;
    if (!ExAllocatePoolWithTag(PagedPool, 48, '2keL')) return STATUS_INSUFFICIENT_RESOURCES;
    if (!ExAllocatePoolWithTag(PagedPool, 16, '2keL')) return STATUS_INSUFFICIENT_RESOURCES;
    PDEVICE_OBJECT device = nullptr;
    return IoCreateDevice(DriverObject, 0, &g_deviceName, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
}
