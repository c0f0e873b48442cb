// Semaphore objects: signalled while the count is above zero; every satisfied wait takes one.
// No ownership: any thread may release.
#include "core/export.h"
#include "core/nt_exception.h"
#include "ke/ke.h"
#include "ke/ki.h"

using namespace ntsim::ke;

extern "C" VOID NTAPI KeInitializeSemaphore(PRKSEMAPHORE Semaphore, LONG Count, LONG Limit) {
    InitializeDispatcherHeader(&Semaphore->Header, SemaphoreObject, Count);
    Semaphore->Header.Size = sizeof(KSEMAPHORE) / sizeof(LONG);
    Semaphore->Limit = Limit;
}
NTSIM_EXPORT(KeInitializeSemaphore);

// Adds Adjustment to the count and returns the previous count. A count past the limit (or an
// adjustment that would lower it) raises STATUS_SEMAPHORE_LIMIT_EXCEEDED and changes nothing.
extern "C" LONG NTAPI KeReleaseSemaphore(PRKSEMAPHORE Semaphore, KPRIORITY Increment,
                                         LONG Adjustment, BOOLEAN Wait) {
    (void)Increment;
    LONG previous;
    bool exceeded = false;
    {
        std::lock_guard guard(KiDispatcherLock());
        previous = Semaphore->Header.SignalState;
        LONG count;
        if (__builtin_add_overflow(previous, Adjustment, &count) || count > Semaphore->Limit ||
            count < previous) {
            exceeded = true;
        } else {
            Semaphore->Header.SignalState = count;
            if (previous == 0 && count > 0) KiWaitTest(&Semaphore->Header);
        }
    }
    if (exceeded) ntsim::RaiseStatus(STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    if (Wait) KiSetWaitNext();
    return previous;
}
NTSIM_EXPORT(KeReleaseSemaphore);

extern "C" LONG NTAPI KeReadStateSemaphore(PRKSEMAPHORE Semaphore) {
    std::lock_guard guard(KiDispatcherLock());
    return Semaphore->Header.SignalState;
}
NTSIM_EXPORT(KeReadStateSemaphore);
