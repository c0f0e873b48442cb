// IoCreateDeviceSecure (wdmsec): IoCreateDevice with the security an SDDL string describes
// instead of the default.
#include "core/export.h"
#include "io/iop.h"
#include "ob/ob.h"
#include "se/se.h"

#include <wdmsec.h>

using namespace ntsim;

extern "C" NTSTATUS NTAPI IoCreateDeviceSecure(
    PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize, PUNICODE_STRING DeviceName,
    DEVICE_TYPE DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive,
    PCUNICODE_STRING DefaultSDDLString, LPCGUID DeviceClassGuid, PDEVICE_OBJECT* DeviceObject) {
    // The class GUID selects a registry override on Windows; ntsim has none to apply.
    (void)DeviceClassGuid;
    if (!DeviceObject) return STATUS_INVALID_PARAMETER;
    *DeviceObject = nullptr;
    if (!DefaultSDDLString || !DefaultSDDLString->Buffer || (DefaultSDDLString->Length & 1))
        return STATUS_INVALID_PARAMETER;
    se::DescriptorSpec spec;
    NTSTATUS status = se::ParseSddl(
        std::u16string_view(reinterpret_cast<const char16_t*>(DefaultSDDLString->Buffer),
                            DefaultSDDLString->Length / sizeof(WCHAR)),
        &spec);
    if (!NT_SUCCESS(status)) return STATUS_INVALID_PARAMETER;
    if (spec.owner.empty()) spec.owner = se::LocalSystemSid();
    if (spec.group.empty()) spec.group = se::LocalSystemSid();
    se::MapDescriptorGeneric(&spec, ob::InfoOf(io::FileType()).mapping);
    PSECURITY_DESCRIPTOR descriptor = se::AllocateDescriptor(se::BuildSelfRelative(spec));
    if (!descriptor) return STATUS_INSUFFICIENT_RESOURCES;

    PDEVICE_OBJECT device = nullptr;
    status = IoCreateDevice(DriverObject, DeviceExtensionSize, DeviceName, DeviceType,
                            DeviceCharacteristics, Exclusive, &device);
    if (!NT_SUCCESS(status)) {
        se::FreeDescriptor(descriptor);
        return status;
    }
    // Still DO_DEVICE_INITIALIZING: no open can be checking the old descriptor.
    se::FreeDescriptor(device->SecurityDescriptor);
    device->SecurityDescriptor = descriptor;
    *DeviceObject = device;
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(IoCreateDeviceSecure);
