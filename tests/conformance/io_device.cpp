// io.device: IoCreateDevice/IoDeleteDevice and symbolic links from a driver: the fields the
// I/O manager fills, the driver's device list, name collisions and reuse of a deleted name.
#include "kmt.h"

#define KMT_IO_DEVICE L"\\Device\\KmtIoDevice"
#define KMT_IO_LINK L"\\??\\KmtIoDevice"

namespace {

void TestCreate() {
    UNICODE_STRING name = RTL_CONSTANT_STRING(KMT_IO_DEVICE);
    PDEVICE_OBJECT device = nullptr;
    NTSTATUS status =
        IoCreateDevice(KmtDriverObject, 64, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    ok_eq_status(status, STATUS_SUCCESS);
    if (!skip(device != nullptr, "no device\n")) return;

    ok_eq_int(device->Type, IO_TYPE_DEVICE);
    ok_eq_ptr(device->DriverObject, KmtDriverObject);
    ok_eq_hex(device->DeviceType, FILE_DEVICE_UNKNOWN);
    ok_eq_int(device->StackSize, 1);
    ok(device->DeviceExtension != nullptr, "no device extension\n");
    // Created outside DriverEntry: still initializing until the driver clears the flag.
    ok(device->Flags & DO_DEVICE_INITIALIZING, "DO_DEVICE_INITIALIZING not set: 0x%lx\n",
       device->Flags);
    // New devices go to the head of the driver's list.
    ok_eq_ptr(KmtDriverObject->DeviceObject, device);
    ok_eq_ptr(device->NextDevice, KmtControlDevice);

    // The same name again collides.
    PDEVICE_OBJECT second = nullptr;
    ok_eq_status(IoCreateDevice(KmtDriverObject, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &second),
                 STATUS_OBJECT_NAME_COLLISION);

    // Unnamed devices never collide.
    PDEVICE_OBJECT unnamed1 = nullptr, unnamed2 = nullptr;
    ok_eq_status(
        IoCreateDevice(KmtDriverObject, 0, nullptr, FILE_DEVICE_UNKNOWN, 0, FALSE, &unnamed1),
        STATUS_SUCCESS);
    ok_eq_status(
        IoCreateDevice(KmtDriverObject, 0, nullptr, FILE_DEVICE_UNKNOWN, 0, FALSE, &unnamed2),
        STATUS_SUCCESS);
    ok(unnamed1 != unnamed2, "two unnamed devices are the same object\n");
    if (unnamed2) {
        ok_eq_ptr(KmtDriverObject->DeviceObject, unnamed2);
        IoDeleteDevice(unnamed2);
    }
    if (unnamed1) {
        ok_eq_ptr(KmtDriverObject->DeviceObject, unnamed1);
        IoDeleteDevice(unnamed1);
    }

    // Deleting removes it from the list and frees the name for reuse.
    IoDeleteDevice(device);
    ok_eq_ptr(KmtDriverObject->DeviceObject, KmtControlDevice);
    device = nullptr;
    ok_eq_status(IoCreateDevice(KmtDriverObject, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &device),
                 STATUS_SUCCESS);
    if (device) IoDeleteDevice(device);
    ok_eq_ptr(KmtDriverObject->DeviceObject, KmtControlDevice);
}

void TestSymbolicLinks() {
    PDEVICE_OBJECT device = nullptr;
    NTSTATUS status = KmtCreateDevice(KMT_IO_DEVICE, nullptr, nullptr, &device);
    if (!skip(NT_SUCCESS(status), "no device: 0x%08lx\n", (ULONG)status)) return;

    UNICODE_STRING link = RTL_CONSTANT_STRING(KMT_IO_LINK);
    UNICODE_STRING target = RTL_CONSTANT_STRING(KMT_IO_DEVICE);
    ok_eq_status(IoCreateSymbolicLink(&link, &target), STATUS_SUCCESS);
    ok_eq_status(IoCreateSymbolicLink(&link, &target), STATUS_OBJECT_NAME_COLLISION);

    // The device can be reached through the link.
    PFILE_OBJECT file = nullptr;
    PDEVICE_OBJECT found = nullptr;
    status = IoGetDeviceObjectPointer(&link, FILE_READ_DATA, &file, &found);
    ok_eq_status(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        ok_eq_ptr(found, device);
        ObDereferenceObject(file);
    }

    ok_eq_status(IoDeleteSymbolicLink(&link), STATUS_SUCCESS);
    ok_eq_status(IoDeleteSymbolicLink(&link), STATUS_OBJECT_NAME_NOT_FOUND);
    status = IoGetDeviceObjectPointer(&link, FILE_READ_DATA, &file, &found);
    ok_eq_status(status, STATUS_OBJECT_NAME_NOT_FOUND);
    IoDeleteDevice(device);
}

} // namespace

KMT_TEST("io.device", Test_IoDevice);

void Test_IoDevice() {
    TestCreate();
    TestSymbolicLinks();
}
