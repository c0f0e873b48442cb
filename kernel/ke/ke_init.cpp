#include "ke/ke.h"

namespace ntsim::ke {

void Initialize(ULONG processorCount) { (void)processorCount; }
void Shutdown() {}

} // namespace ntsim::ke
