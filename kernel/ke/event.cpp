// Event objects: notification (manual reset: releases every waiter and stays set) and
// synchronization (auto reset: releases one waiter and resets).
//
// SignalState changes under the dispatcher lock, but with atomic release stores: the wait fast
// path (wait.cpp) reads a notification event's state without the lock.
#include "core/export.h"
#include "ke/ke.h"
#include "ke/ki.h"

using namespace ntsim::ke;

namespace {
// With the dispatcher lock held.
void SetState(PRKEVENT event, LONG state) {
    __atomic_store_n(&event->Header.SignalState, state, __ATOMIC_RELEASE);
}

// Header.Signalling is 1 while a signalling call still touches the event after making it
// signalled (KiWaitTest walks its wait list). The lock-free wait takes the slow path (the
// dispatcher lock) while it is set: otherwise a waiter could return, and free the event on
// its stack, while KeSetEvent is still reading it. On Windows the waiter's object lock gives
// the same guarantee. The final release store is the signalling call's last access.
class Signalling {
public:
    explicit Signalling(PRKEVENT event) : header_(&event->Header) {
        __atomic_store_n(&header_->Signalling, UCHAR(1), __ATOMIC_RELAXED);
    }
    ~Signalling() { __atomic_store_n(&header_->Signalling, UCHAR(0), __ATOMIC_RELEASE); }
    Signalling(const Signalling&) = delete;
    Signalling& operator=(const Signalling&) = delete;

private:
    DISPATCHER_HEADER* header_;
};
} // namespace

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
            Signalling busy(Event);
            SetState(Event, 1);
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
    SetState(Event, 0);
    return previous;
}
NTSIM_EXPORT(KeResetEvent);

extern "C" VOID NTAPI KeClearEvent(PRKEVENT Event) {
    std::lock_guard guard(KiDispatcherLock());
    SetState(Event, 0);
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
        Signalling busy(Event);
        if (previous == 0) {
            SetState(Event, 1);
            KiWaitTest(&Event->Header);
        }
        SetState(Event, 0);
    }
    if (Wait) KiSetWaitNext();
    return previous;
}
NTSIM_EXPORT(KePulseEvent);
