// Executive timers (ExAllocateTimer family, Windows 8.1): a KTIMER plus a DPC whose routine
// calls the driver's ExTimerCallback at DISPATCH_LEVEL. Every ntsim timer runs on the host's
// high-resolution clocks, so EX_TIMER_HIGH_RESOLUTION needs nothing more, and no processor ever
// sleeps, so EX_TIMER_NO_WAKE and NoWakeTolerance change nothing observable.
//
// Deletion must not free a timer whose callback may still run: the DPC carries the timer's id,
// not its address, and looks the timer up; a timer deleted while set (Cancel = FALSE) or while
// its callback runs is freed by the DPC once the callback returns.
#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "core/callout.h"
#include "core/export.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "wdm.h" // before ke/ke.h, which uses wdm.h types
#include "ke/ke.h"

struct _EX_TIMER {
    KTIMER Timer;
    KDPC Dpc;
    PEXT_CALLBACK Callback;
    PVOID Context;
    ULONG Attributes;
    ULONG_PTR Id;
    bool Running; // the callback is being called
    bool Deleted; // ExDeleteTimer was called; freed when idle
    PEXT_DELETE_CALLBACK DeleteCallback;
    PVOID DeleteContext;
};

namespace {

constexpr ULONG kExTimerTag = 'rmTE';
constexpr ULONG kValidAttributes = EX_TIMER_HIGH_RESOLUTION | EX_TIMER_NO_WAKE;
constexpr ULONG kKmodeExceptionNotHandled = 0x1E;

struct ExTimers {
    std::mutex lock;
    std::condition_variable freed;
    ULONG_PTR nextId = 1;
    std::unordered_map<ULONG_PTR, PEX_TIMER> live;
};

ExTimers& T() {
    static ExTimers* t = new ExTimers; // never destroyed: DPCs may run during process exit
    return *t;
}

// With the lock held: forgets the timer; the caller then calls Free.
void Unregister(PEX_TIMER timer) {
    T().live.erase(timer->Id);
    T().freed.notify_all();
}

void Free(PEX_TIMER timer) {
    PEXT_DELETE_CALLBACK callback = timer->DeleteCallback;
    PVOID context = timer->DeleteContext;
    ntsim::ex::FreePool(timer);
    if (callback) ntsim::CallDriverRoutine(callback, context);
}

void ExpiryDpc(PKDPC, PVOID id, PVOID, PVOID) {
    ExTimers& t = T();
    PEX_TIMER timer;
    {
        std::lock_guard guard(t.lock);
        auto it = t.live.find(reinterpret_cast<ULONG_PTR>(id));
        if (it == t.live.end()) return; // deleted after the DPC was queued
        timer = it->second;
        timer->Running = true;
    }
    if (timer->Callback) ntsim::CallDriverRoutine(timer->Callback, timer, timer->Context);
    bool free = false;
    {
        std::lock_guard guard(t.lock);
        timer->Running = false;
        if (timer->Deleted) {
            // Deleted while set or while running: stop it for good and free it now.
            KeCancelTimer(&timer->Timer);
            KeRemoveQueueDpc(&timer->Dpc);
            Unregister(timer);
            free = true;
        }
    }
    if (free) Free(timer);
}

} // namespace

// NULL for unknown attribute bits or when pool is exhausted.
extern "C" PEX_TIMER NTAPI ExAllocateTimer(PEXT_CALLBACK Callback, PVOID CallbackContext,
                                           ULONG Attributes) {
    if (Attributes & ~kValidAttributes) return nullptr;
    auto* timer = static_cast<PEX_TIMER>(
        ntsim::ex::AllocatePool(NonPagedPoolNx, sizeof(_EX_TIMER), kExTimerTag));
    if (!timer) return nullptr;
    *timer = _EX_TIMER{};
    KeInitializeTimerEx(&timer->Timer, NotificationTimer);
    timer->Callback = Callback;
    timer->Context = CallbackContext;
    timer->Attributes = Attributes;
    ExTimers& t = T();
    std::lock_guard guard(t.lock);
    timer->Id = t.nextId++;
    KeInitializeDpc(&timer->Dpc, ExpiryDpc, reinterpret_cast<PVOID>(timer->Id));
    t.live.emplace(timer->Id, timer);
    return timer;
}
NTSIM_EXPORT(ExAllocateTimer);

extern "C" BOOLEAN NTAPI ExSetTimer(PEX_TIMER Timer, LONGLONG DueTime, LONGLONG Period,
                                    PEXT_SET_PARAMETERS Parameters) {
    if (Parameters && Parameters->NoWakeTolerance < 0 &&
        Parameters->NoWakeTolerance != EX_TIMER_UNLIMITED_TOLERANCE)
        ntsim::dbg::BugCheck(kKmodeExceptionNotHandled, ULONG_PTR(STATUS_INVALID_PARAMETER),
                             reinterpret_cast<ULONG_PTR>(Timer));
    if (Period < 0) Period = 0;
    return ntsim::ke::SetTimer(&Timer->Timer, DueTime, Period, &Timer->Dpc);
}
NTSIM_EXPORT(ExSetTimer);

// TRUE when the timer was set (it will not expire for that setting).
extern "C" BOOLEAN NTAPI ExCancelTimer(PEX_TIMER Timer, PEXT_CANCEL_PARAMETERS Parameters) {
    (void)Parameters; // reserved
    return KeCancelTimer(&Timer->Timer);
}
NTSIM_EXPORT(ExCancelTimer);

// Returns TRUE when Cancel is TRUE and a set timer was cancelled. Wait = TRUE (IRQL <=
// APC_LEVEL, requires Cancel) returns only once a running callback has finished.
extern "C" BOOLEAN NTAPI ExDeleteTimer(PEX_TIMER Timer, BOOLEAN Cancel, BOOLEAN Wait,
                                       PEXT_DELETE_PARAMETERS Parameters) {
    if (Wait && !Cancel)
        ntsim::dbg::BugCheck(kKmodeExceptionNotHandled, ULONG_PTR(STATUS_INVALID_PARAMETER),
                             reinterpret_cast<ULONG_PTR>(Timer));
    if (Wait && KeGetCurrentIrql() > APC_LEVEL)
        ntsim::dbg::BugCheck(0xA, reinterpret_cast<ULONG_PTR>(Timer), KeGetCurrentIrql(), 0,
                             reinterpret_cast<ULONG_PTR>(__builtin_return_address(0)));
    ExTimers& t = T();
    std::unique_lock lock(t.lock);
    ULONG_PTR id = Timer->Id;
    Timer->Deleted = true;
    if (Parameters) {
        Timer->DeleteCallback = Parameters->DeleteCallback;
        Timer->DeleteContext = Parameters->DeleteContext;
    }
    BOOLEAN cancelled = FALSE;
    if (Cancel) {
        cancelled = KeCancelTimer(&Timer->Timer);
        KeRemoveQueueDpc(&Timer->Dpc);
    } else if (ntsim::ke::TimerPending(&Timer->Timer, &Timer->Dpc)) {
        return FALSE; // expires as set; the DPC frees it after the callback
    }
    if (Timer->Running) {
        // The callback frees it when it returns.
        if (Wait) t.freed.wait(lock, [&] { return t.live.find(id) == t.live.end(); });
        return cancelled;
    }
    Unregister(Timer);
    lock.unlock();
    Free(Timer);
    return cancelled;
}
NTSIM_EXPORT(ExDeleteTimer);
