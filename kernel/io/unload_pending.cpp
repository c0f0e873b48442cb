// Stopping a driver whose devices are still open. Windows does not call DriverUnload while a
// file object references one of the driver's devices: it marks the devices unload-pending
// (DOE_UNLOAD_PENDING; new opens fail with STATUS_NO_SUCH_DEVICE, open handles keep working)
// and runs the unload when the last reference goes. The loader supplies what "run the unload"
// means (ldr/unload_driver.cpp).
#include <set>

#include "io/io.h"
#include "io/iop.h"

namespace ntsim::io {
namespace {

std::set<PDRIVER_OBJECT>& Deferred() { // under the database lock
    static std::set<PDRIVER_OBJECT> drivers;
    return drivers;
}
void (*g_handler)(PDRIVER_OBJECT) = nullptr;

bool AnyDeviceOpen(PDRIVER_OBJECT driver) { // under the database lock
    for (PDEVICE_OBJECT d = driver->DeviceObject; d; d = d->NextDevice)
        if (d->ReferenceCount != 0) return true;
    return false;
}

} // namespace

bool PrepareDriverUnload(PDRIVER_OBJECT driver) {
    DatabaseGuard guard;
    for (PDEVICE_OBJECT d = driver->DeviceObject; d; d = d->NextDevice)
        ExtensionOf(d)->unloadPending = true;
    if (!AnyDeviceOpen(driver)) return true;
    Deferred().insert(driver);
    return false;
}

void SetDeferredUnloadHandler(void (*handler)(PDRIVER_OBJECT)) {
    DatabaseGuard guard;
    g_handler = handler;
}

bool CancelDeferredUnload(PDRIVER_OBJECT driver) {
    DatabaseGuard guard;
    return Deferred().erase(driver) != 0;
}

void DeviceFileReleased(PDEVICE_OBJECT device) {
    PDRIVER_OBJECT driver = nullptr;
    void (*handler)(PDRIVER_OBJECT) = nullptr;
    {
        DatabaseGuard guard;
        if (!ExtensionOf(device)->unloadPending || device->ReferenceCount != 0) return;
        driver = device->DriverObject;
        if (!driver || !Deferred().count(driver) || AnyDeviceOpen(driver)) return;
        Deferred().erase(driver);
        handler = g_handler;
    }
    if (handler) handler(driver);
}

} // namespace ntsim::io
