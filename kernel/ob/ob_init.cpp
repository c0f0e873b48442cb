#include "ob/ob.h"

namespace ntsim::ob {

void Initialize() {}
void Shutdown() {}

} // namespace ntsim::ob
