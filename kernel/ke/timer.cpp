// Timers: dispatcher objects that a timer thread signals at their due time. Relative due times
// run on CLOCK_MONOTONIC (interrupt time), absolute ones on CLOCK_REALTIME (system time), as
// on Windows, where an absolute timer follows changes of the system clock. On expiry the timer
// is signalled (a notification timer releases every waiter, a synchronization timer one), its
// DPC is queued with the expiry system time as arguments, and a periodic timer is re-armed
// relative to its previous due time.
//
// The queue and every timer's state are protected by the dispatcher lock. KTIMER.DueTime
// holds the due time in its clock's units; Header.Inserted/Absolute tell the queue and clock.
#include <condition_variable>
#include <map>
#include <thread>

#include "core/export.h"
#include "ke/ke.h"
#include "ke/ki.h"

namespace ntsim::ke {
namespace {

struct QueuedTimer {
    PKTIMER timer;
    LONGLONG period; // 100 ns units (0: one-shot)
};

struct TimerQueue {
    std::multimap<LONGLONG, QueuedTimer> relative; // by interrupt time
    std::multimap<LONGLONG, QueuedTimer> absolute; // by system time
    std::condition_variable wake;                  // the earliest due time changed
};

TimerQueue& Q() {
    static TimerQueue* q = new TimerQueue; // never destroyed: the timer thread outlives statics
    return *q;
}

std::multimap<LONGLONG, QueuedTimer>& ClockOf(PKTIMER timer) {
    return timer->Header.Absolute ? Q().absolute : Q().relative;
}

// With the dispatcher lock held: unlinks a queued timer; returns whether it was queued.
bool Remove(PKTIMER timer, LONGLONG* period = nullptr) {
    if (!timer->Header.Inserted) return false;
    auto& clock = ClockOf(timer);
    auto range = clock.equal_range(LONGLONG(timer->DueTime.QuadPart));
    for (auto it = range.first; it != range.second; ++it) {
        if (it->second.timer != timer) continue;
        if (period) *period = it->second.period;
        clock.erase(it);
        break;
    }
    timer->Header.Inserted = 0;
    KiInitializeListHead(&timer->TimerListEntry);
    return true;
}

void Insert(PKTIMER timer, bool absolute, LONGLONG due, LONGLONG period) {
    timer->Header.Absolute = absolute ? 1 : 0;
    timer->Header.Inserted = 1;
    timer->DueTime.QuadPart = ULONGLONG(due);
    ClockOf(timer).emplace(due, QueuedTimer{timer, period});
    Q().wake.notify_one();
}

// With the dispatcher lock held: the timer is due. Signals it, queues its DPC and re-arms it
// when periodic (relative to its due time; skipping missed periods rather than bursting).
void Expire(PKTIMER timer, LONGLONG period) {
    timer->Header.Inserted = 0;
    KiInitializeListHead(&timer->TimerListEntry);
    LONGLONG previousDue = LONGLONG(timer->DueTime.QuadPart);
    bool wasAbsolute = timer->Header.Absolute;
    timer->Header.SignalState = 1;
    KiWaitTest(&timer->Header);
    if (timer->Dpc) {
        LARGE_INTEGER now;
        now.QuadPart = SystemTime();
        LONG cpu = timer->Dpc->Number >= MAXIMUM_PROCESSORS
                       ? LONG(timer->Dpc->Number - MAXIMUM_PROCESSORS)
                       : LONG(timer->Processor);
        KiInsertQueueDpcOn(timer->Dpc, cpu, reinterpret_cast<PVOID>(ULONG_PTR(now.LowPart)),
                           reinterpret_cast<PVOID>(ULONG_PTR(ULONG(now.HighPart))));
    }
    if (period > 0) {
        // Periodic timers continue on interrupt time.
        LONGLONG nowInterrupt = LONGLONG(InterruptTime());
        LONGLONG next = wasAbsolute ? nowInterrupt + period : previousDue + period;
        if (next <= nowInterrupt) next = nowInterrupt + period;
        Insert(timer, false, next, period);
    }
}

void TimerThread() {
    StartOnAllProcessors();
    TimerQueue& q = Q();
    std::unique_lock lock(KiDispatcherLock());
    for (;;) {
        LONGLONG wait = 10000000; // 1 s: absolute timers notice clock changes at least this often
        for (;;) {
            LONGLONG now = LONGLONG(InterruptTime());
            if (!q.relative.empty() && q.relative.begin()->first <= now) {
                auto it = q.relative.begin();
                QueuedTimer entry = it->second;
                q.relative.erase(it);
                Expire(entry.timer, entry.period);
                continue;
            }
            LONGLONG system = SystemTime();
            if (!q.absolute.empty() && q.absolute.begin()->first <= system) {
                auto it = q.absolute.begin();
                QueuedTimer entry = it->second;
                q.absolute.erase(it);
                Expire(entry.timer, entry.period);
                continue;
            }
            if (!q.relative.empty()) wait = std::min(wait, q.relative.begin()->first - now);
            if (!q.absolute.empty()) wait = std::min(wait, q.absolute.begin()->first - system);
            break;
        }
        q.wake.wait_for(lock, std::chrono::nanoseconds(wait * 100));
    }
}

} // namespace

void KiInitializeTimers() {
    Q();
    std::thread(TimerThread).detach();
}

BOOLEAN SetTimer(PKTIMER timer, LONGLONG dueTime, LONGLONG period, PKDPC dpc) {
    ULONG cpu = CurrentProcessorNumber();
    std::lock_guard guard(KiDispatcherLock());
    BOOLEAN wasQueued = Remove(timer) ? TRUE : FALSE;
    timer->Header.SignalState = 0;
    timer->Dpc = dpc;
    timer->Processor = cpu;
    timer->Period = ULONG(period / 10000);
    if (period < 0) period = 0;
    bool absolute = dueTime > 0;
    LONGLONG due = absolute ? dueTime : LONGLONG(InterruptTime()) - dueTime;
    LONGLONG now = absolute ? SystemTime() : LONGLONG(InterruptTime());
    timer->Header.Absolute = absolute ? 1 : 0;
    timer->DueTime.QuadPart = ULONGLONG(due);
    if (due <= now)
        Expire(timer, period); // already due: signalled before KeSetTimer returns
    else
        Insert(timer, absolute, due, period);
    return wasQueued;
}

bool TimerPending(PKTIMER timer, PKDPC dpc) {
    std::lock_guard guard(KiDispatcherLock());
    return timer->Header.Inserted || (dpc && dpc->DpcData);
}

} // namespace ntsim::ke

using namespace ntsim::ke;

extern "C" VOID NTAPI KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type) {
    InitializeDispatcherHeader(
        &Timer->Header,
        Type == SynchronizationTimer ? TimerSynchronizationObject : TimerNotificationObject, 0);
    Timer->DueTime.QuadPart = 0;
    KiInitializeListHead(&Timer->TimerListEntry);
    Timer->Dpc = nullptr;
    Timer->Processor = 0;
    Timer->Period = 0;
}
NTSIM_EXPORT(KeInitializeTimerEx);

extern "C" VOID NTAPI KeInitializeTimer(PKTIMER Timer) {
    KeInitializeTimerEx(Timer, NotificationTimer);
}
NTSIM_EXPORT(KeInitializeTimer);

// DueTime: negative = relative, positive = absolute system time (100 ns units); Period in ms.
// Returns TRUE when the timer was already queued (it is re-set).
extern "C" BOOLEAN NTAPI KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period,
                                      PKDPC Dpc) {
    return SetTimer(Timer, DueTime.QuadPart, Period > 0 ? LONGLONG(Period) * 10000 : 0, Dpc);
}
NTSIM_EXPORT(KeSetTimerEx);

extern "C" BOOLEAN NTAPI KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc) {
    return SetTimer(Timer, DueTime.QuadPart, 0, Dpc);
}
NTSIM_EXPORT(KeSetTimer);

// TRUE when the timer was queued. The signal state is left as it is.
extern "C" BOOLEAN NTAPI KeCancelTimer(PKTIMER Timer) {
    std::lock_guard guard(KiDispatcherLock());
    return Remove(Timer) ? TRUE : FALSE;
}
NTSIM_EXPORT(KeCancelTimer);

extern "C" BOOLEAN NTAPI KeReadStateTimer(PKTIMER Timer) {
    std::lock_guard guard(KiDispatcherLock());
    return Timer->Header.SignalState != 0 ? TRUE : FALSE;
}
NTSIM_EXPORT(KeReadStateTimer);
