// Driver objects: \Driver\<service>, DriverEntry, and the default dispatch routine.
#include <cstring>

#include "core/callout.h"
#include "io/iop.h"
#include "ob/ob.h"

namespace ntsim::io {
namespace {

// The driver object body: DRIVER_OBJECT, its DRIVER_EXTENSION, and the strings both point to.
struct DriverBody {
    DRIVER_OBJECT object;
    DRIVER_EXTENSION extension;
    UNICODE_STRING hardwareDatabase;
    WCHAR driverName[128];
    WCHAR serviceKeyName[64];
    WCHAR hardwareDatabaseName[48];
};

void SetString(UNICODE_STRING* s, WCHAR* buffer, size_t capacity, const std::u16string& text) {
    size_t n = text.size() < capacity - 1 ? text.size() : capacity - 1;
    std::memcpy(buffer, text.data(), n * sizeof(WCHAR));
    buffer[n] = 0;
    s->Buffer = buffer;
    s->Length = USHORT(n * sizeof(WCHAR));
    s->MaximumLength = USHORT((n + 1) * sizeof(WCHAR));
}

UNICODE_STRING MakeString(const std::u16string& text) {
    UNICODE_STRING s;
    s.Buffer = reinterpret_cast<PWCH>(const_cast<char16_t*>(text.c_str()));
    s.Length = USHORT(text.size() * sizeof(WCHAR));
    s.MaximumLength = USHORT(s.Length + sizeof(WCHAR));
    return s;
}

} // namespace

NTSTATUS InvalidDeviceRequest(PDEVICE_OBJECT device, PIRP irp) {
    (void)device;
    irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
    irp->IoStatus.Information = 0;
    IofCompleteRequest(irp, IO_NO_INCREMENT);
    return STATUS_INVALID_DEVICE_REQUEST;
}

NTSTATUS CreateDriverObject(const std::u16string& serviceName, PDRIVER_OBJECT* driver) {
    if (!driver) return STATUS_INVALID_PARAMETER;
    *driver = nullptr;
    if (serviceName.empty() || serviceName.size() >= 64 ||
        serviceName.find(u'\\') != std::u16string::npos)
        return STATUS_OBJECT_NAME_INVALID;

    std::u16string fullName = u"\\Driver\\" + serviceName;
    UNICODE_STRING name = MakeString(fullName);
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, &name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, nullptr,
                               nullptr);
    PVOID body = nullptr;
    NTSTATUS status = ob::CreateObject(DriverType(), &attributes, sizeof(DriverBody), &body);
    if (!NT_SUCCESS(status)) return status;

    auto* d = static_cast<DriverBody*>(body);
    PDRIVER_OBJECT object = &d->object;
    object->Type = IO_TYPE_DRIVER;
    object->Size = sizeof(DRIVER_OBJECT);
    object->Flags = DRVO_LEGACY_DRIVER;
    object->DriverExtension = &d->extension;
    d->extension.DriverObject = object;
    SetString(&object->DriverName, d->driverName, 128, fullName);
    SetString(&d->extension.ServiceKeyName, d->serviceKeyName, 64, serviceName);
    SetString(&d->hardwareDatabase, d->hardwareDatabaseName, 48,
              u"\\REGISTRY\\MACHINE\\HARDWARE\\DESCRIPTION\\SYSTEM");
    object->HardwareDatabase = &d->hardwareDatabase;
    for (auto& dispatch : object->MajorFunction)
        dispatch = InvalidDeviceRequest;

    // The creator keeps its reference (returned to the caller) and the name stays until
    // DeleteDriverObject makes the object temporary.
    status = ob::InsertObject(body, 0, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, KernelMode, nullptr);
    if (!NT_SUCCESS(status)) return status;
    *driver = object;
    return STATUS_SUCCESS;
}

NTSTATUS CallDriverEntry(PDRIVER_OBJECT driver, DRIVER_INITIALIZE_FN* entry,
                         const std::u16string& registryPath) {
    if (!driver || !entry) return STATUS_INVALID_PARAMETER;
    driver->DriverInit = entry;
    // The driver may keep the pointer only for DriverEntry's duration; give it its own copy.
    std::u16string path = registryPath;
    UNICODE_STRING registry = MakeString(path);
    NTSTATUS status = CallDriverRoutine(entry, driver, &registry);
    // Devices created during DriverEntry become openable now (Windows clears the flag for them).
    DatabaseGuard guard;
    for (PDEVICE_OBJECT d = driver->DeviceObject; d; d = d->NextDevice)
        d->Flags &= ~DO_DEVICE_INITIALIZING;
    return status;
}

void DeleteDriverObject(PDRIVER_OBJECT driver) {
    if (!driver) return;
    ob::MakeTemporary(driver);
    ob::DereferenceObject(driver);
}

std::vector<PDEVICE_OBJECT> DevicesOf(PDRIVER_OBJECT driver) {
    std::vector<PDEVICE_OBJECT> devices;
    if (!driver) return devices;
    DatabaseGuard guard;
    for (PDEVICE_OBJECT d = driver->DeviceObject; d; d = d->NextDevice)
        devices.push_back(d);
    return devices;
}

} // namespace ntsim::io
