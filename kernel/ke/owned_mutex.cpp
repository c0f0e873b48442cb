// Which kernel mutex the calling thread still owns (exit checks of system and worker threads).
#include "ke/ke.h"
#include "ke/ki.h"

namespace ntsim::ke {

PVOID OwnedKernelMutex() {
    KiThread& t = KiCurrentThread();
    std::lock_guard guard(KiDispatcherLock());
    for (LIST_ENTRY* e = t.ownedMutants.Flink; e && e != &t.ownedMutants; e = e->Flink) {
        PKMUTANT mutant = CONTAINING_RECORD(e, KMUTANT, MutantListEntry);
        if (mutant->ApcDisable) return mutant;
    }
    return nullptr;
}

} // namespace ntsim::ke
