// Kernel mutex objects (KMUTEX = KMUTANT): signalled when free; a satisfied wait makes the
// waiter the owner; the owner may re-acquire and must release as many times. SignalState is
// 1 when free, 0 when owned once, negative when owned recursively.
#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ke/ki.h"

using namespace ntsim::ke;

extern "C" VOID NTAPI KeInitializeMutex(PRKMUTEX Mutex, ULONG Level) {
    (void)Level; // documented as ignored
    InitializeDispatcherHeader(&Mutex->Header, MutantObject, 1);
    Mutex->Header.Size = sizeof(KMUTEX) / sizeof(LONG);
    KiInitializeListHead(&Mutex->MutantListEntry);
    Mutex->OwnerThread = nullptr;
    Mutex->MutantFlags = 0;
    Mutex->ApcDisable = 1; // a kernel mutex (as opposed to a user-mode mutant)
}
NTSIM_EXPORT(KeInitializeMutex);

// Returns the previous state. Releasing a mutex the thread does not own stops the kernel with
// THREAD_NOT_MUTEX_OWNER (0x11): p1 = mutex, p2 = calling thread, p3 = owner.
extern "C" LONG NTAPI KeReleaseMutex(PRKMUTEX Mutex, BOOLEAN Wait) {
    KiThread& self = KiCurrentThread();
    LONG previous;
    {
        std::unique_lock lock(KiDispatcherLock());
        PKTHREAD me = KiIdentity(self);
        if (Mutex->OwnerThread != me) {
            PKTHREAD owner = Mutex->OwnerThread;
            lock.unlock();
            ntsim::dbg::BugCheck(kThreadNotMutexOwner, reinterpret_cast<ULONG_PTR>(Mutex),
                                 reinterpret_cast<ULONG_PTR>(me),
                                 reinterpret_cast<ULONG_PTR>(owner));
        }
        previous = Mutex->Header.SignalState;
        Mutex->Header.SignalState = previous + 1;
        if (Mutex->Header.SignalState == 1) { // last release: free it and hand it on
            Mutex->OwnerThread = nullptr;
            KiRemoveEntryList(&Mutex->MutantListEntry);
            KiWaitTest(&Mutex->Header);
        }
    }
    if (Wait) KiSetWaitNext();
    return previous;
}
NTSIM_EXPORT(KeReleaseMutex);

extern "C" LONG NTAPI KeReadStateMutex(PRKMUTEX Mutex) {
    std::lock_guard guard(KiDispatcherLock());
    return Mutex->Header.SignalState;
}
NTSIM_EXPORT(KeReadStateMutex);
