// Device stacks: attaching filter/function devices on top of others and finding the top.
#include "core/export.h"
#include "io/iop.h"
#include "ob/ob.h"

namespace ntsim::io {

PDEVICE_OBJECT TopOfStack(PDEVICE_OBJECT device) {
    DatabaseGuard guard;
    while (device->AttachedDevice)
        device = device->AttachedDevice;
    return device;
}

} // namespace ntsim::io

using namespace ntsim;

// Attaches SourceDevice to the top of TargetDevice's stack; *AttachedToDeviceObject is set
// while the stack is locked, so a request racing with the attach already sees the lower device.
extern "C" NTSTATUS NTAPI IoAttachDeviceToDeviceStackSafe(PDEVICE_OBJECT SourceDevice,
                                                          PDEVICE_OBJECT TargetDevice,
                                                          PDEVICE_OBJECT* AttachedToDeviceObject) {
    if (!SourceDevice || !TargetDevice || !AttachedToDeviceObject) return STATUS_INVALID_PARAMETER;
    io::DatabaseGuard guard;
    *AttachedToDeviceObject = nullptr;
    PDEVICE_OBJECT top = TargetDevice;
    while (top->AttachedDevice)
        top = top->AttachedDevice;
    if (io::ExtensionOf(top)->deletePending || top == SourceDevice) return STATUS_NO_SUCH_DEVICE;
    *AttachedToDeviceObject = top;
    top->AttachedDevice = SourceDevice;
    io::ExtensionOf(SourceDevice)->attachedTo = top;
    SourceDevice->StackSize = CCHAR(top->StackSize + 1);
    SourceDevice->AlignmentRequirement = top->AlignmentRequirement;
    SourceDevice->SectorSize = top->SectorSize;
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(IoAttachDeviceToDeviceStackSafe);

extern "C" PDEVICE_OBJECT NTAPI IoAttachDeviceToDeviceStack(PDEVICE_OBJECT SourceDevice,
                                                            PDEVICE_OBJECT TargetDevice) {
    PDEVICE_OBJECT attachedTo = nullptr;
    NTSTATUS status = IoAttachDeviceToDeviceStackSafe(SourceDevice, TargetDevice, &attachedTo);
    return NT_SUCCESS(status) ? attachedTo : nullptr;
}
NTSIM_EXPORT(IoAttachDeviceToDeviceStack);

// Detaches whatever device is attached directly on top of TargetDevice.
extern "C" VOID NTAPI IoDetachDevice(PDEVICE_OBJECT TargetDevice) {
    if (!TargetDevice) return;
    io::DatabaseGuard guard;
    PDEVICE_OBJECT above = TargetDevice->AttachedDevice;
    if (!above) return;
    io::ExtensionOf(above)->attachedTo = nullptr;
    TargetDevice->AttachedDevice = nullptr;
}
NTSIM_EXPORT(IoDetachDevice);

extern "C" PDEVICE_OBJECT NTAPI IoGetAttachedDevice(PDEVICE_OBJECT DeviceObject) {
    return DeviceObject ? io::TopOfStack(DeviceObject) : nullptr;
}
NTSIM_EXPORT(IoGetAttachedDevice);

extern "C" PDEVICE_OBJECT NTAPI IoGetAttachedDeviceReference(PDEVICE_OBJECT DeviceObject) {
    if (!DeviceObject) return nullptr;
    io::DatabaseGuard guard;
    PDEVICE_OBJECT top = io::TopOfStack(DeviceObject);
    ob::ReferenceObject(top);
    return top;
}
NTSIM_EXPORT(IoGetAttachedDeviceReference);

// The device directly below, referenced; NULL at the bottom or once this device is deleted.
extern "C" PDEVICE_OBJECT NTAPI IoGetLowerDeviceObject(PDEVICE_OBJECT DeviceObject) {
    if (!DeviceObject) return nullptr;
    io::DatabaseGuard guard;
    io::DeviceExtension* ext = io::ExtensionOf(DeviceObject);
    if (ext->deletePending || !ext->attachedTo) return nullptr;
    ob::ReferenceObject(ext->attachedTo);
    return ext->attachedTo;
}
NTSIM_EXPORT(IoGetLowerDeviceObject);

// Requests on a file go to the top of the stack its device belongs to.
extern "C" PDEVICE_OBJECT NTAPI IoGetRelatedDeviceObject(PFILE_OBJECT FileObject) {
    if (!FileObject || !FileObject->DeviceObject) return nullptr;
    PDEVICE_OBJECT device = FileObject->DeviceObject;
    if (FileObject->Vpb && FileObject->Vpb->DeviceObject) device = FileObject->Vpb->DeviceObject;
    return io::TopOfStack(device);
}
NTSIM_EXPORT(IoGetRelatedDeviceObject);
