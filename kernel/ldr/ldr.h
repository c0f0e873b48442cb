// Kernel-internal interface of the loader: driver images (ELF shared objects NAME.sys).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ntdef.h"
#include "km/types.h"

namespace ntsim::ldr {

void Initialize();
void Shutdown(); // unloads every loaded driver, last loaded first

struct LoadedImage {
    std::string serviceName; // "sample"
    std::string path;        // file system path of NAME.sys
    uintptr_t base;          // lowest mapped address of the image
    size_t size;             // span of the mapped segments
    PDRIVER_OBJECT driverObject;
    bool stopPending = false; // stopped while open: DriverUnload runs at the last close
};

// Loads a driver the way the service control manager's start does: checks the image's imports
// against the kernel's export table (STATUS_PROCEDURE_NOT_FOUND naming the first missing
// function, logged), maps it, creates \Driver\<serviceName>, and calls DriverEntry with the
// registry path \Registry\Machine\System\CurrentControlSet\Services\<serviceName>.
// A failing DriverEntry unmaps the image without calling DriverUnload and returns its status.
// Returns STATUS_IMAGE_ALREADY_LOADED if the service is loaded; STATUS_OBJECT_NAME_NOT_FOUND
// (Win32 error 2) if the file does not exist; STATUS_INVALID_IMAGE_FORMAT for a non-ELF file.
NTSTATUS LoadDriver(const std::string& serviceName, const std::string& imagePath);

// Unloads a driver: STATUS_INVALID_DEVICE_REQUEST if it has no DriverUnload (Windows refuses to
// stop it), otherwise calls DriverUnload, then reports devices it did not delete and pool it did
// not free (by tag) to the debug log, then unmaps the image. While one of its devices is open,
// as on Windows, new opens fail and DriverUnload waits for the last close: STATUS_PENDING (the
// service shows STOP_PENDING until then).
NTSTATUS UnloadDriver(const std::string& serviceName);

// Leaks found by the last UnloadDriver of this service (for tests and the shutdown report).
struct UnloadReport {
    std::vector<std::string> undeletedDevices;             // device names (or "<unnamed>")
    std::vector<std::pair<ULONG, size_t>> leakedPoolByTag; // tag, bytes
    size_t leakedAllocations = 0;
};
UnloadReport LastUnloadReport(const std::string& serviceName);

// Whether a driver may import the ELF symbol: a kernel export (by ELF symbol name), compiler
// and runtime glue (mem*, __cxa_atexit...), or the sanitizer runtime (__asan_*, __ubsan_*...).
bool ImportAllowed(const std::string& symbol);

std::vector<LoadedImage> LoadedImages();
// The image containing an address (driver code or data), or nullptr for kernel/other code.
const LoadedImage* ImageContaining(const void* address);

// ---- additions (threads helper) ---------------------------------------------------------------
// Asynchronous work running driver code (queued work items, system threads): while any is
// outstanding, UnloadDriver waits (bounded, logged) before unmapping the image. BeginImageWork
// returns a token for the image containing `code` (0 when it is not in a driver image).
uintptr_t BeginImageWork(const void* code);
void EndImageWork(uintptr_t token);
size_t OutstandingImageWork(uintptr_t imageBase);
// Waits until the image has no outstanding work; false on timeout.
bool WaitImageWorkDone(uintptr_t imageBase, unsigned timeoutMs);

} // namespace ntsim::ldr
