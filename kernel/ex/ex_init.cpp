#include "ex/ex.h"

namespace ntsim::ex {

void Initialize() {}
void Shutdown() {}

} // namespace ntsim::ex
