// I/O manager start-up: the Device, Driver, File and IoCompletion object types, the type data
// exports, and the lock that guards device stacks.
#include <mutex>

#include "core/export.h"
#include "io/iop.h"
#include "ob/ob.h"

namespace ntsim::io {

// Defined next to the procedures they name (device.cpp, file.cpp).
void DeleteDeviceObject(PVOID body);
NTSTATUS ParseDevice(PVOID body, PVOID parseContext, const std::u16string& remainingName,
                     ACCESS_MASK desiredAccess, ULONG attributes, PVOID* resultObject);
void CloseFileObject(PEPROCESS process, PVOID body, ACCESS_MASK grantedAccess,
                     ULONG handleCountBefore);
void DeleteFileObject(PVOID body);

namespace {
POBJECT_TYPE g_deviceType = nullptr;
POBJECT_TYPE g_driverType = nullptr;
POBJECT_TYPE g_fileType = nullptr;
POBJECT_TYPE g_completionType = nullptr;
std::recursive_mutex g_databaseLock;

// Files and devices share the file rights mapping (IopFileMapping on Windows).
constexpr GENERIC_MAPPING kFileMapping = {FILE_GENERIC_READ, FILE_GENERIC_WRITE,
                                          FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS};
} // namespace

POBJECT_TYPE DeviceType() {
    return g_deviceType;
}
POBJECT_TYPE DriverType() {
    return g_driverType;
}
POBJECT_TYPE FileType() {
    return g_fileType;
}
POBJECT_TYPE EventObjectType() {
    return ob::EventType();
}

void LockDatabase() {
    g_databaseLock.lock();
}
void UnlockDatabase() {
    g_databaseLock.unlock();
}

void Initialize() {
    if (g_fileType) return; // types live as long as the process

    ob::TypeInfo device{};
    device.name = u"Device";
    device.mapping = kFileMapping;
    device.validAccessMask = FILE_ALL_ACCESS | ACCESS_SYSTEM_SECURITY;
    device.callbacks.deleteProcedure = DeleteDeviceObject;
    device.callbacks.parseProcedure = ParseDevice;
    g_deviceType = ob::CreateType(device);

    ob::TypeInfo driver{};
    driver.name = u"Driver";
    driver.mapping = {STANDARD_RIGHTS_READ, STANDARD_RIGHTS_WRITE, STANDARD_RIGHTS_EXECUTE,
                      STANDARD_RIGHTS_REQUIRED | 0x1};
    driver.validAccessMask = STANDARD_RIGHTS_REQUIRED | 0x1;
    g_driverType = ob::CreateType(driver);

    ob::TypeInfo file{};
    file.name = u"File";
    file.mapping = kFileMapping;
    file.validAccessMask = FILE_ALL_ACCESS | ACCESS_SYSTEM_SECURITY;
    file.callbacks.closeProcedure = CloseFileObject;
    file.callbacks.deleteProcedure = DeleteFileObject;
    // Waiting on a file handle waits on FILE_OBJECT.Event (signalled by I/O completion).
    file.waitable = true;
    file.waitObjectOffset = offsetof(FILE_OBJECT, Event);
    g_fileType = ob::CreateType(file);

    // Completion ports exist as a type (\ObjectTypes\IoCompletion); no service creates them yet.
    ob::TypeInfo completion{};
    completion.name = u"IoCompletion";
    completion.mapping = {STANDARD_RIGHTS_READ | IO_COMPLETION_QUERY_STATE,
                          STANDARD_RIGHTS_WRITE | IO_COMPLETION_MODIFY_STATE,
                          STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, IO_COMPLETION_ALL_ACCESS};
    completion.validAccessMask = IO_COMPLETION_ALL_ACCESS;
    g_completionType = ob::CreateType(completion);
}

// Devices and drivers are released by their owners (ldr unloads drivers first); the types stay.
void Shutdown() {}

} // namespace ntsim::io

// Windows exports these as POBJECT_TYPE variables imported by address (`*IoFileObjectType`).
POBJECT_TYPE* IoDeviceObjectType = &ntsim::io::g_deviceType;
NTSIM_EXPORT_DATA(IoDeviceObjectType);
POBJECT_TYPE* IoDriverObjectType = &ntsim::io::g_driverType;
NTSIM_EXPORT_DATA(IoDriverObjectType);
POBJECT_TYPE* IoFileObjectType = &ntsim::io::g_fileType;
NTSIM_EXPORT_DATA(IoFileObjectType);
