#include "ps/ps.h"

namespace ntsim::ps {

void Initialize() {}
void Shutdown() {}

} // namespace ntsim::ps
