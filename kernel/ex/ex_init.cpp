// Executive start-up and shutdown. The pool and the lookaside registry are created on first use
// (anything may allocate before BootKernel, static initialisers included) and live until the
// process exits, so there is nothing to set up or tear down yet.
#include "ex/ex.h"

namespace ntsim::ex {

void Initialize() {}
void Shutdown() {}

} // namespace ntsim::ex
