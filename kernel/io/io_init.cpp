#include "io/io.h"

namespace ntsim::io {

void Initialize() {}
void Shutdown() {}

} // namespace ntsim::io
