// Kernel-internal interface of the ke component (used by other components, not by drivers).
#pragma once

#include "ntdef.h"

namespace ntsim::ke {

// Called once by BootKernel, in dependency order.
void Initialize(ULONG processorCount);
void Shutdown();

} // namespace ntsim::ke
