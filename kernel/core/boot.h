// Bringing the kernel up and down inside the current process.
//
// The `ntsim boot` command, the unit tests and the benchmarks all start the same kernel through
// here; each component contributes an Initialize/Shutdown pair called in dependency order.
#pragma once

#include <string>

#include "ntdef.h"

namespace ntsim {

struct BootOptions {
    ULONG processorCount = 0; // 0: the number of CPUs the process may run on
    std::string root;         // the kernel root directory (`ntsim boot`); empty in-process
};

// Idempotent: a second call returns STATUS_SUCCESS without re-initialising.
NTSTATUS BootKernel(const BootOptions& options = {});
bool KernelIsBooted();

// Unloads drivers in reverse load order and tears components down (leak report included).
void ShutdownKernel();

} // namespace ntsim
