// Event objects: notification (manual reset: releases every waiter and stays set) and
// synchronization (auto reset: releases one waiter and resets).
#include "core/export.h"
#include "ke/ke.h"
#include "ke/ki.h"

using namespace ntsim::ke;

extern "C" VOID NTAPI KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State) {
    InitializeDispatcherHeader(&Event->Header,
                               Type == NotificationEvent ? EventNotificationObject
                                                         : EventSynchronizationObject,
                               State ? 1 : 0);
    Event->Header.Size = sizeof(KEVENT) / sizeof(LONG);
}
NTSIM_EXPORT(KeInitializeEvent);

// Returns the previous state. Wait = TRUE: the caller's next call is a KeWaitXxx, and the
// thread stays at DISPATCH_LEVEL until then (as on Windows).
extern "C" LONG NTAPI KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait) {
    (void)Increment; // priority boosts come with real scheduling priorities
    LONG previous;
    {
        std::lock_guard guard(KiDispatcherLock());
        previous = Event->Header.SignalState;
        if (previous == 0) {
            Event->Header.SignalState = 1;
            KiWaitTest(&Event->Header);
        }
    }
    if (Wait) KiSetWaitNext();
    return previous;
}
NTSIM_EXPORT(KeSetEvent);

extern "C" LONG NTAPI KeResetEvent(PRKEVENT Event) {
    std::lock_guard guard(KiDispatcherLock());
    LONG previous = Event->Header.SignalState;
    Event->Header.SignalState = 0;
    return previous;
}
NTSIM_EXPORT(KeResetEvent);

extern "C" VOID NTAPI KeClearEvent(PRKEVENT Event) {
    std::lock_guard guard(KiDispatcherLock());
    Event->Header.SignalState = 0;
}
NTSIM_EXPORT(KeClearEvent);

extern "C" LONG NTAPI KeReadStateEvent(PRKEVENT Event) {
    std::lock_guard guard(KiDispatcherLock());
    return Event->Header.SignalState;
}
NTSIM_EXPORT(KeReadStateEvent);

// Sets the event, satisfies the waiters that can be satisfied, and resets it: returns the
// previous state.
extern "C" LONG NTAPI KePulseEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait) {
    (void)Increment;
    LONG previous;
    {
        std::lock_guard guard(KiDispatcherLock());
        previous = Event->Header.SignalState;
        if (previous == 0) {
            Event->Header.SignalState = 1;
            KiWaitTest(&Event->Header);
        }
        Event->Header.SignalState = 0;
    }
    if (Wait) KiSetWaitNext();
    return previous;
}
NTSIM_EXPORT(KePulseEvent);
