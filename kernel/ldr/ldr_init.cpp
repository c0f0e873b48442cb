// The loader's table of driver images: start-up, shutdown (unload in reverse load order) and
// the queries other components make (which image holds an address, what is loaded).
#include <algorithm>
#include <cctype>

#include "dbg/dbg.h"
#include "ldr/ldr_private.h"
#include "wdm.h"

namespace ntsim::ldr {

LoaderState& State() {
    static LoaderState state;
    return state;
}

std::string ServiceKey(const std::string& serviceName) {
    std::string key = serviceName;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return key;
}

ImageRecord* FindByService(LoaderState& state, const std::string& serviceName) {
    const std::string key = ServiceKey(serviceName);
    for (auto& record : state.images)
        if (ServiceKey(record.image.serviceName) == key) return &record;
    return nullptr;
}

std::string ImageFileName(const std::string& path) {
    auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

void Initialize() {
    // The loader comes up after Ps: from here on, debug output carries NT process/thread ids.
    dbg::Initialize();
}

void Shutdown() {
    std::vector<std::pair<std::string, PDRIVER_OBJECT>> loaded;
    {
        auto& state = State();
        std::lock_guard guard(state.lock);
        for (auto it = state.images.rbegin(); it != state.images.rend(); ++it)
            if (it->state == ImageState::Loaded)
                loaded.emplace_back(it->image.serviceName, it->image.driverObject);
    }
    for (auto& [name, driver] : loaded) {
        if (driver->DriverUnload) {
            UnloadDriver(name);
        } else {
            // Windows cannot stop such a driver either; it stays mapped until the process ends.
            dbg::LogKernelMessage(dbg::Severity::Info,
                                  "%s has no DriverUnload: left loaded at shutdown", name.c_str());
        }
    }
    FinishPendingUnloads();
}

UnloadReport LastUnloadReport(const std::string& serviceName) {
    auto& state = State();
    std::lock_guard guard(state.lock);
    auto it = state.reports.find(ServiceKey(serviceName));
    return it == state.reports.end() ? UnloadReport{} : it->second;
}

std::vector<LoadedImage> LoadedImages() {
    auto& state = State();
    std::lock_guard guard(state.lock);
    std::vector<LoadedImage> out;
    for (const auto& record : state.images)
        if (record.state != ImageState::Loading || record.image.size != 0)
            out.push_back(record.image);
    return out;
}

const LoadedImage* ImageContaining(const void* address) {
    auto a = uintptr_t(address);
    auto& state = State();
    std::lock_guard guard(state.lock);
    for (const auto& record : state.images)
        if (record.image.size && a >= record.image.base &&
            a - record.image.base < record.image.size)
            return &record.image;
    return nullptr;
}

} // namespace ntsim::ldr
