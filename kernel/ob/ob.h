// Kernel-internal interface of the ob component (used by other components, not by drivers).
#pragma once

#include "ntdef.h"

namespace ntsim::ob {

// Called once by BootKernel, in dependency order.
void Initialize();
void Shutdown();

} // namespace ntsim::ob
