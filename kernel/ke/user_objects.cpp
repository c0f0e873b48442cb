// Dispatcher-object operations behind the executive's object services (NtCreateMutant,
// NtReleaseMutant, NtReleaseSemaphore): the same objects and wait engine as the Ke* routines,
// but failures come back as a status instead of a bug check or a raised exception, because a
// client releasing a mutant it does not own or a semaphore past its limit is an ordinary error.
// Mutants (CreateMutex) are KMUTANTs with ApcDisable 0.
#include "ke/ke.h"
#include "ke/ki.h"

namespace ntsim::ke {

void InitializeMutant(PKMUTANT mutant, bool initialOwner) {
    InitializeDispatcherHeader(&mutant->Header, MutantObject, 1);
    mutant->Header.Size = sizeof(KMUTANT) / sizeof(LONG);
    KiInitializeListHead(&mutant->MutantListEntry);
    mutant->OwnerThread = nullptr;
    mutant->MutantFlags = 0;
    mutant->ApcDisable = 0;
    if (!initialOwner) return;
    KiThread& self = KiCurrentThread();
    std::lock_guard guard(KiDispatcherLock());
    mutant->Header.SignalState = 0;
    mutant->OwnerThread = KiIdentity(self);
    KiInsertTailList(&self.ownedMutants, &mutant->MutantListEntry);
}

NTSTATUS ReleaseMutant(PKMUTANT mutant, LONG* previous) {
    KiThread& self = KiCurrentThread();
    std::lock_guard guard(KiDispatcherLock());
    if (mutant->OwnerThread != KiIdentity(self)) return STATUS_MUTANT_NOT_OWNED;
    if (previous) *previous = mutant->Header.SignalState;
    if (++mutant->Header.SignalState == 1) { // last release: free it and hand it on
        mutant->OwnerThread = nullptr;
        KiRemoveEntryList(&mutant->MutantListEntry);
        KiWaitTest(&mutant->Header);
    }
    return STATUS_SUCCESS;
}

void QueryMutant(PKMUTANT mutant, LONG* currentCount, bool* ownedByCaller, bool* abandoned) {
    KiThread& self = KiCurrentThread();
    std::lock_guard guard(KiDispatcherLock());
    *currentCount = mutant->Header.SignalState;
    *ownedByCaller = mutant->OwnerThread && mutant->OwnerThread == KiIdentity(self);
    *abandoned = mutant->Abandoned != 0;
}

NTSTATUS ReleaseSemaphore(PKSEMAPHORE semaphore, LONG adjustment, LONG* previous) {
    std::lock_guard guard(KiDispatcherLock());
    LONG before = semaphore->Header.SignalState;
    LONG count;
    if (adjustment <= 0 || __builtin_add_overflow(before, adjustment, &count) ||
        count > semaphore->Limit)
        return STATUS_SEMAPHORE_LIMIT_EXCEEDED;
    semaphore->Header.SignalState = count;
    if (before == 0) KiWaitTest(&semaphore->Header);
    if (previous) *previous = before;
    return STATUS_SUCCESS;
}

void DeleteMutant(PKMUTANT mutant) {
    // The last reference is gone while a thread may still own it: unlink it from that thread's
    // list of owned mutants (its memory is about to be freed).
    std::lock_guard guard(KiDispatcherLock());
    if (mutant->OwnerThread) {
        KiRemoveEntryList(&mutant->MutantListEntry);
        mutant->OwnerThread = nullptr;
        mutant->Abandoned = 1;
        mutant->Header.SignalState = 1;
    }
}

} // namespace ntsim::ke
