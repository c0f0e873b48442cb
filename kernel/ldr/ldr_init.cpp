#include "ldr/ldr.h"

namespace ntsim::ldr {

void Initialize() {}
void Shutdown() {}

} // namespace ntsim::ldr
