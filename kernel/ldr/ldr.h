// Kernel-internal interface of the ldr component (used by other components, not by drivers).
#pragma once

#include "ntdef.h"

namespace ntsim::ldr {

// Called once by BootKernel, in dependency order.
void Initialize();
void Shutdown();

} // namespace ntsim::ldr
