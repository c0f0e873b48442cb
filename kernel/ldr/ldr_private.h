// Loader internals shared by its files: the table of driver images and the ELF import check.
#pragma once

#include <list>
#include <map>
#include <mutex>
#include <string>

#include "ldr/ldr.h"

namespace ntsim::ldr {

// UnloadPending: stopped while a device was open; DriverUnload runs at the last close.
enum class ImageState { Loading, Loaded, Unloading, UnloadPending };

struct ImageRecord {
    LoadedImage image;      // base/size 0 until the image is mapped
    std::string realPath;   // canonical path: one file is loaded once
    void* handle = nullptr; // dlopen handle
    ImageState state = ImageState::Loading;
};

struct LoaderState {
    std::mutex lock;
    std::list<ImageRecord>
        images; // load order; nodes stay put (ImageContaining hands out pointers)
    std::map<std::string, UnloadReport> reports; // by lower-case service name
};
LoaderState& State();

// Service names are registry key names: case-insensitive.
std::string ServiceKey(const std::string& serviceName);
ImageRecord* FindByService(LoaderState& state, const std::string& serviceName);

// "sample.sys" for messages.
std::string ImageFileName(const std::string& path);

// Checks that the file is an ELF64 x86-64 shared object whose every (non-weak) undefined
// dynamic symbol is a kernel export or allowed runtime glue. STATUS_INVALID_IMAGE_FORMAT or
// STATUS_PROCEDURE_NOT_FOUND (each missing import logged by name).
NTSTATUS CheckDriverImage(const std::string& path);

// After DriverUnload (or a failed DriverEntry): devices left on the driver object and pool
// allocated by the image's code still alive, logged and returned.
UnloadReport CollectLeaks(const ImageRecord& record);

// Shutdown: finishes the unloads still waiting for a last close, waits for those running.
void FinishPendingUnloads();

} // namespace ntsim::ldr
