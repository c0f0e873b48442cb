// Kernel-internal interface of the ex component (used by other components, not by drivers).
#pragma once

#include "ntdef.h"

namespace ntsim::ex {

// Called once by BootKernel, in dependency order.
void Initialize();
void Shutdown();

} // namespace ntsim::ex
