// KeSetPriorityThread, KeQueryPriorityThread, KeSetBasePriorityThread: the priority of a
// KTHREAD (an ETHREAD begins with its KTHREAD, so PKTHREAD and PETHREAD are the same pointer).
// A change is applied to the thread's Linux threads too (host_priority.cpp).
#include <wdm.h>

#include "core/export.h"
#include "ps/ps_private.h"

using namespace ntsim;

namespace {

PETHREAD AsEthread(PKTHREAD thread) {
    return reinterpret_cast<PETHREAD>(thread);
}

// Windows does not check the priority in a free build (a bad value corrupts the dispatcher's
// ready queues); its checked build asserts. ntsim always asserts: 0 is the zero-page thread's
// (LOW_PRIORITY is reserved for the system), above HIGH_PRIORITY does not exist.
void CheckPriority(KPRIORITY priority) {
    if (priority <= LOW_PRIORITY || priority > HIGH_PRIORITY)
        NtsimAssertionFailure("(Priority > LOW_PRIORITY) && (Priority <= HIGH_PRIORITY)", __FILE__,
                              __LINE__, "KeSetPriorityThread: priority outside 1..31");
}

} // namespace

extern "C" KPRIORITY NTAPI KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority) {
    CheckPriority(Priority);
    PETHREAD thread = AsEthread(Thread);
    KPRIORITY old = ps::ThreadPriority(thread);
    ps::SetThreadPriority(thread, Priority);
    return old;
}
NTSIM_EXPORT(KeSetPriorityThread);

extern "C" KPRIORITY NTAPI KeQueryPriorityThread(PKTHREAD Thread) {
    return ps::ThreadPriority(AsEthread(Thread));
}
NTSIM_EXPORT(KeQueryPriorityThread);

// The base priority becomes the process's base plus Increment, kept inside the process's
// class (1..15 for a normal process, 16..31 for a real-time one); the current priority follows
// the base (ntsim applies no dynamic boosts). Returns the previous increment.
extern "C" LONG NTAPI KeSetBasePriorityThread(PKTHREAD Thread, LONG Increment) {
    PETHREAD thread = AsEthread(Thread);
    KPRIORITY processBase = thread->Process ? ps::BasePriority(thread->Process) : 8;
    LONG previous = thread->Tcb.BasePriority - processBase;
    bool realtime = processBase >= LOW_REALTIME_PRIORITY;
    LONG low = realtime ? LOW_REALTIME_PRIORITY : 1;
    LONG high = realtime ? HIGH_PRIORITY : LOW_REALTIME_PRIORITY - 1;
    LONG base = processBase + Increment;
    base = base < low ? low : base > high ? high : base;
    thread->Tcb.BasePriority = base;
    ps::SetThreadPriority(thread, base);
    return previous;
}
NTSIM_EXPORT(KeSetBasePriorityThread);
