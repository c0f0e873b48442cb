// Ke's per-thread state: every Linux thread that enters the kernel gets one on first use, so a
// thread needs no ETHREAD to raise IRQL, wait or own a mutex.
#include "core/export.h"
#include "ke/ke.h"
#include "ke/ki.h"

namespace ntsim::ke {

KiThread::KiThread() {
    KiInitializeListHead(&ownedMutants);
    KiInitializeListHead(&apcQueue[KernelMode]);
    KiInitializeListHead(&apcQueue[UserMode]);
    for (auto& block : builtinBlocks)
        block = KWAIT_BLOCK{};
}

KiThread::~KiThread() {
    // A thread that ends at DISPATCH_LEVEL gives its processor back.
    if (holdsProcessor) KiReleaseProcessor(*this);
    KiDisownProcessor(*this); // a lazily kept one too: the word must not name a dead thread
    // A thread that ends owning mutexes abandons them, as when an NT thread terminates; its
    // pending APCs run or are flushed.
    KiRundownApcs(*this);
    std::lock_guard guard(KiDispatcherLock());
    KiUnbindThread(*this);
    KiAbandonMutants(*this);
}

} // namespace ntsim::ke

// Declared by the SDK (km/ke.h): its inline spin lock paths read it too.
__thread NTSIM_KTHREAD_HEAD* NtsimKiCurrentThread = nullptr;
NTSIM_EXPORT_DATA(NtsimKiCurrentThread);

namespace ntsim::ke {

KiThread& KiCreateCurrentThread() {
    // The object itself needs construction and destruction at thread exit: a C++ thread_local;
    // the fast pointer to it is a plain __thread.
    thread_local KiThread state;
    NtsimKiCurrentThread = reinterpret_cast<NTSIM_KTHREAD_HEAD*>(&state);
    return state;
}

std::mutex& KiDispatcherLock() {
    // Never destroyed: threads may still run down (and take the lock) during process exit.
    static std::mutex* lock = new std::mutex;
    return *lock;
}

void SetCurrentThread(PKTHREAD thread) {
    KiThread& self = KiCurrentThread();
    std::lock_guard guard(KiDispatcherLock());
    KiBindThread(self, thread); // the KTHREAD now receives APCs for this Linux thread
    self.kthread = thread;
    PKTHREAD identity = KiIdentity(self);
    for (LIST_ENTRY* e = self.ownedMutants.Flink; e != &self.ownedMutants; e = e->Flink)
        CONTAINING_RECORD(e, KMUTANT, MutantListEntry)->OwnerThread = identity;
}

PKTHREAD CurrentThreadIdentity() {
    return KiIdentity(KiCurrentThread());
}

void RundownThread() {
    KiThread& self = KiCurrentThread();
    KiRundownApcs(self); // no APC can be queued to an exiting thread
    std::lock_guard guard(KiDispatcherLock());
    KiUnbindThread(self);
    KiAbandonMutants(self);
}

} // namespace ntsim::ke
