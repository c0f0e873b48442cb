// UnloadDriver: stopping a kernel-driver service. DriverUnload runs, then whatever the driver
// left behind (device objects, pool allocated by its code) is reported, the driver object goes
// and the image is unmapped.
#include <dlfcn.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "core/callout.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "io/io.h"
#include "ke/ke.h"
#include "ldr/ldr_private.h"
#include "ob/ob.h"
#include "wdm.h"

namespace ntsim::ldr {
namespace {

std::string Narrow(const std::u16string& s) {
    std::string out;
    for (char16_t c : s)
        out.push_back(c < 0x80 ? char(c) : '?');
    return out;
}

constexpr unsigned kImageWorkTimeoutMs = 10000;

} // namespace

UnloadReport CollectLeaks(const ImageRecord& record) {
    UnloadReport report;
    const std::string fileName = ImageFileName(record.image.path);

    std::string devices;
    if (record.image.driverObject) {
        for (PDEVICE_OBJECT device : io::DevicesOf(record.image.driverObject)) {
            std::string name = Narrow(ob::FullName(device));
            if (name.empty()) name = "<unnamed>";
            devices += (devices.empty() ? "" : ", ") + name;
            report.undeletedDevices.push_back(name);
        }
    }
    if (!report.undeletedDevices.empty())
        dbg::LogKernelMessage(dbg::Severity::Warning, "%s did not delete %zu device object(s): %s",
                              fileName.c_str(), report.undeletedDevices.size(), devices.c_str());

    // Group by tag, as poolmon shows them.
    std::map<ULONG, std::pair<size_t, size_t>> byTag; // tag -> (count, bytes)
    size_t bytes = 0;
    for (const auto& a :
         ex::LiveAllocationsFrom(record.image.base, record.image.base + record.image.size)) {
        auto& [count, tagBytes] = byTag[a.tag];
        ++count;
        tagBytes += a.size;
        bytes += a.size;
        ++report.leakedAllocations;
    }
    if (report.leakedAllocations) {
        std::string tags;
        for (const auto& [tag, usage] : byTag) {
            report.leakedPoolByTag.emplace_back(tag, usage.second);
            tags += (tags.empty() ? "" : ", ") + std::string("tag '") + ex::TagToString(tag) +
                    "' " + std::to_string(usage.first) + " (" + std::to_string(usage.second) +
                    " bytes)";
        }
        dbg::LogKernelMessage(dbg::Severity::Warning, "%s leaked %zu allocation(s) (%zu bytes): %s",
                              fileName.c_str(), report.leakedAllocations, bytes, tags.c_str());
    }
    return report;
}

namespace {

// Deferred unloads started from the last close and not finished yet (Shutdown waits for them).
std::mutex g_finishLock;
std::condition_variable g_finishDone;
size_t g_finishing = 0;

// DriverUnload, the wait for the image's work, the leak report, the driver object and the
// mapping. The record is in state Unloading and owned by the caller.
void FinishUnload(ImageRecord* record, PDRIVER_OBJECT driver) {
    auto& state = State();
    const std::string serviceName = record->image.serviceName;
    CallDriverRoutine(driver->DriverUnload, driver);

    // Work items and system threads still running the driver's code hold references that keep
    // a Windows driver loaded: wait for them (bounded) before the image goes.
    const uintptr_t base = record->image.base;
    bool keepMapped = false;
    if (size_t outstanding = OutstandingImageWork(base)) {
        dbg::LogKernelMessage(dbg::Severity::Info,
                              "%s: waiting for %zu work item(s)/system thread(s) to finish",
                              ImageFileName(record->image.path).c_str(), outstanding);
        if (!WaitImageWorkDone(base, kImageWorkTimeoutMs)) {
            keepMapped = true;
            dbg::LogKernelMessage(dbg::Severity::Error,
                                  "%s: work items/system threads still running after %u ms; the "
                                  "image stays mapped",
                                  ImageFileName(record->image.path).c_str(), kImageWorkTimeoutMs);
        }
    }

    UnloadReport report = CollectLeaks(*record);
    io::DeleteDriverObject(driver);
    // Device objects the driver leaked stay valid objects (they reference the now unnamed
    // driver object); only calls into the unmapped code would fault, as they would on Windows.
    if (!keepMapped) dlclose(record->handle);
    dbg::LogKernelMessage(dbg::Severity::Info, "unloaded %s (%s)",
                          ImageFileName(record->image.path).c_str(), serviceName.c_str());
    {
        std::lock_guard guard(state.lock);
        state.reports[ServiceKey(serviceName)] = std::move(report);
        state.images.remove_if([&](const ImageRecord& r) { return &r == record; });
    }
}

// Claims a stop-pending record for FinishUnload; nullptr if it is not (or no longer) pending.
ImageRecord* ClaimPending(PDRIVER_OBJECT driver) {
    auto& state = State();
    std::lock_guard guard(state.lock);
    for (auto& r : state.images)
        if (r.image.driverObject == driver && r.state == ImageState::UnloadPending) {
            r.state = ImageState::Unloading;
            r.image.stopPending = false;
            return &r;
        }
    return nullptr;
}

// The last file object of a stop-pending driver went (called by the I/O manager on the
// releasing thread, inside an object's deletion): the unload runs on a thread of its own.
void OnLastClose(PDRIVER_OBJECT driver) {
    ImageRecord* record = ClaimPending(driver);
    if (!record) return;
    {
        std::lock_guard guard(g_finishLock);
        ++g_finishing;
    }
    std::thread([record, driver] {
        ke::StartOnAllProcessors();
        FinishUnload(record, driver);
        std::lock_guard guard(g_finishLock);
        --g_finishing;
        g_finishDone.notify_all();
    }).detach();
}

} // namespace

NTSTATUS UnloadDriver(const std::string& serviceName) {
    auto& state = State();
    ImageRecord* record;
    PDRIVER_OBJECT driver;
    {
        std::lock_guard guard(state.lock);
        record = FindByService(state, serviceName);
        if (!record || record->state != ImageState::Loaded) return STATUS_OBJECT_NAME_NOT_FOUND;
        driver = record->image.driverObject;
        // Without an unload routine Windows refuses to stop the driver.
        if (!driver->DriverUnload) return STATUS_INVALID_DEVICE_REQUEST;
        record->state = ImageState::Unloading;
        static bool handlerSet = (io::SetDeferredUnloadHandler(OnLastClose), true);
        (void)handlerSet;
        // While a device is open, DriverUnload waits for the last close (STOP_PENDING).
        if (!io::PrepareDriverUnload(driver)) {
            record->state = ImageState::UnloadPending;
            record->image.stopPending = true;
            dbg::LogKernelMessage(dbg::Severity::Info,
                                  "%s: a device is still open; DriverUnload runs when the last "
                                  "handle closes",
                                  ImageFileName(record->image.path).c_str());
            return STATUS_PENDING;
        }
    }
    FinishUnload(record, driver);
    return STATUS_SUCCESS;
}

// Shutdown: a driver still waiting for its last close is unloaded now (its clients are gone or
// going); unloads already started by a last close are waited for.
void FinishPendingUnloads() {
    std::vector<PDRIVER_OBJECT> pending;
    {
        auto& state = State();
        std::lock_guard guard(state.lock);
        for (auto& r : state.images)
            if (r.state == ImageState::UnloadPending) pending.push_back(r.image.driverObject);
    }
    for (PDRIVER_OBJECT driver : pending) {
        io::CancelDeferredUnload(driver);
        if (ImageRecord* record = ClaimPending(driver)) FinishUnload(record, driver);
    }
    std::unique_lock lock(g_finishLock);
    g_finishDone.wait_for(lock, std::chrono::milliseconds(kImageWorkTimeoutMs),
                          [] { return g_finishing == 0; });
}

} // namespace ntsim::ldr
