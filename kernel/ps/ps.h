// Kernel-internal interface of the ps component (used by other components, not by drivers).
#pragma once

#include "ntdef.h"

namespace ntsim::ps {

// Called once by BootKernel, in dependency order.
void Initialize();
void Shutdown();

} // namespace ntsim::ps
