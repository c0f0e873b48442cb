// ob.reference: reference counting seen from a driver, on its own device and file objects:
// ObReferenceObject/ObDereferenceObject keep a deleted device's memory alive, typed references
// check the object type, and a file object's last dereference sends IRP_MJ_CLOSE.
#include "kmt.h"

#define KMT_OB_DEVICE L"\\Device\\KmtObReference"

namespace {

void TestDeviceReferences() {
    PDEVICE_OBJECT device = nullptr;
    NTSTATUS status = KmtCreateDevice(KMT_OB_DEVICE, nullptr, nullptr, &device);
    ok_eq_status(status, STATUS_SUCCESS);
    if (!skip(NT_SUCCESS(status), "no device\n")) return;

    ok_eq_status(ObReferenceObjectByPointer(device, 0, *IoDeviceObjectType, KernelMode),
                 STATUS_SUCCESS);
    ObDereferenceObject(device);
    ok_eq_status(ObReferenceObjectByPointer(device, 0, *IoFileObjectType, KernelMode),
                 STATUS_OBJECT_TYPE_MISMATCH);
    ok_eq_status(ObReferenceObjectByPointer(device, 0, *PsProcessType, KernelMode),
                 STATUS_OBJECT_TYPE_MISMATCH);

    // A reference keeps the device object's memory valid after IoDeleteDevice.
    ObReferenceObject(device);
    IoDeleteDevice(device);
    ok_eq_int(device->Type, IO_TYPE_DEVICE);
    ok_eq_ptr(device->DriverObject, KmtDriverObject);
    ok_eq_hex(KmtExtension(device)->Magic, KMT_DEVICE_MAGIC);

    // ... but the name is gone at once.
    UNICODE_STRING name = RTL_CONSTANT_STRING(KMT_OB_DEVICE);
    PFILE_OBJECT file = nullptr;
    PDEVICE_OBJECT found = nullptr;
    ok_eq_status(IoGetDeviceObjectPointer(&name, FILE_READ_DATA, &file, &found),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    ObDereferenceObject(device);
}

void TestFileObjectReferences() {
    PDEVICE_OBJECT device = nullptr;
    NTSTATUS status = KmtCreateDevice(KMT_OB_DEVICE, nullptr, nullptr, &device);
    if (!skip(NT_SUCCESS(status), "no device: 0x%08lx\n", (ULONG)status)) return;
    PKMT_DEVICE_EXTENSION ext = KmtExtension(device);

    // IoGetDeviceObjectPointer opens the device (create), keeps a reference to the file
    // object and closes its handle (cleanup); the last dereference sends the close.
    UNICODE_STRING name = RTL_CONSTANT_STRING(KMT_OB_DEVICE);
    PFILE_OBJECT file = nullptr;
    PDEVICE_OBJECT found = nullptr;
    status = IoGetDeviceObjectPointer(&name, FILE_READ_DATA, &file, &found);
    ok_eq_status(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        ok_eq_ptr(found, device);
        ok_eq_ptr(file->DeviceObject, device);
        ok_eq_int(file->Type, IO_TYPE_FILE);
        ok_eq_int(ext->Creates, 1);
        ok_eq_int(ext->Cleanups, 1);
        ok_eq_int(ext->Closes, 0);
        ok_eq_status(ObReferenceObjectByPointer(file, 0, *IoFileObjectType, KernelMode),
                     STATUS_SUCCESS);
        ObDereferenceObject(file);
        ok_eq_int(ext->Closes, 0);
        ObDereferenceObject(file);
        ok_eq_int(ext->Closes, 1);
    }

    // A kernel handle from ZwOpenFile: typed references through the handle.
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, &name, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE,
                               nullptr, nullptr);
    HANDLE handle = nullptr;
    IO_STATUS_BLOCK iosb;
    status = ZwOpenFile(&handle, FILE_READ_DATA, &attributes, &iosb, 0, 0);
    ok_eq_status(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        ok_eq_int(ext->Creates, 2);
        PVOID object = nullptr;
        ok_eq_status(
            ObReferenceObjectByHandle(handle, 0, *IoFileObjectType, KernelMode, &object, nullptr),
            STATUS_SUCCESS);
        if (object) {
            ok_eq_ptr(((PFILE_OBJECT)object)->DeviceObject, device);
            ObDereferenceObject(object);
        }
        object = nullptr;
        ok_eq_status(
            ObReferenceObjectByHandle(handle, 0, *PsProcessType, KernelMode, &object, nullptr),
            STATUS_OBJECT_TYPE_MISMATCH);
        ok_eq_status(ZwClose(handle), STATUS_SUCCESS);
        ok_eq_int(ext->Cleanups, 2);
        ok_eq_int(ext->Closes, 2);
    }

    // A handle value that was never issued.
    PVOID object = nullptr;
    ok_eq_status(ObReferenceObjectByHandle((HANDLE)(ULONG_PTR)0x7FFC, 0, *IoFileObjectType,
                                           KernelMode, &object, nullptr),
                 STATUS_INVALID_HANDLE);
    IoDeleteDevice(device);
}

} // namespace

KMT_TEST("ob.reference", Test_ObReference);

void Test_ObReference() {
    TestDeviceReferences();
    TestFileObjectReferences();
}
