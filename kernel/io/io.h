// Kernel-internal interface of the io component (used by other components, not by drivers).
#pragma once

#include "ntdef.h"

namespace ntsim::io {

// Called once by BootKernel, in dependency order.
void Initialize();
void Shutdown();

} // namespace ntsim::io
