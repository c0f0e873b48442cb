// Asynchronous procedure calls and thread alerts.
//
// Each thread has two APC queues (kernel, user) protected by the dispatcher lock. A Linux
// thread cannot be interrupted, so kernel APCs are delivered at the points where NT's APC
// interrupt could fire: when the target lowers its IRQL to PASSIVE_LEVEL, leaves a critical or
// guarded region, waits (a waiting thread is woken, runs them and waits again), or right away
// when a thread queues one to itself at PASSIVE_LEVEL. User APCs are only "delivered" by an
// alertable UserMode wait, which returns STATUS_USER_APC; they then run at the return to user
// mode (ntsim::ke::DeliverUserApcs / DequeueUserApc).
#include <unordered_map>

#include "core/callout.h"
#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ke/ki.h"

namespace ntsim::ke {
namespace {

// KAPC.Reserved holds the three routines, in NT's order.
PKKERNEL_ROUTINE KernelRoutineOf(PKAPC apc) {
    return reinterpret_cast<PKKERNEL_ROUTINE>(apc->Reserved[0]);
}
PKRUNDOWN_ROUTINE RundownRoutineOf(PKAPC apc) {
    return reinterpret_cast<PKRUNDOWN_ROUTINE>(apc->Reserved[1]);
}
PKNORMAL_ROUTINE NormalRoutineOf(PKAPC apc) {
    return reinterpret_cast<PKNORMAL_ROUTINE>(apc->Reserved[2]);
}

// KTHREAD -> Ke state of the Linux thread bound to it (dispatcher lock).
std::unordered_map<PKTHREAD, KiThread*>& ThreadTable() {
    static auto* table = new std::unordered_map<PKTHREAD, KiThread*>;
    return *table;
}

PKAPC FirstApc(LIST_ENTRY* head) {
    return CONTAINING_RECORD(head->Flink, KAPC, ApcListEntry);
}

} // namespace

bool KiKernelApcDeliverableInWait(KiThread& t) {
    LIST_ENTRY* head = &t.apcQueue[KernelMode];
    if (KiIsListEmpty(head) || t.waitingIrql != PASSIVE_LEVEL || t.specialApcDisable != 0)
        return false;
    if (!NormalRoutineOf(FirstApc(head))) return true; // special kernel APC
    return t.kernelApcDisable == 0 && !t.kernelApcInProgress;
}

namespace {

void RemoveApc(KiThread& t, PKAPC apc) {
    KiRemoveEntryList(&apc->ApcListEntry);
    apc->Inserted = FALSE;
    if (KiIsListEmpty(&t.apcQueue[KernelMode])) t.kernelApcPending = false;
}

} // namespace

KiThread* KiThreadOf(PKTHREAD thread) {
    auto& table = ThreadTable();
    auto it = table.find(thread);
    return it == table.end() ? nullptr : it->second;
}

void KiBindThread(KiThread& t, PKTHREAD thread) {
    KiUnbindThread(t);
    if (!thread) return;
    ThreadTable()[thread] = &t;
    t.apcQueueable = true;
    t.alerted[KernelMode] = t.alerted[UserMode] = false;
}

void KiUnbindThread(KiThread& t) {
    if (!t.kthread) return;
    auto& table = ThreadTable();
    auto it = table.find(t.kthread);
    if (it != table.end() && it->second == &t) table.erase(it);
}

void KiDeliverKernelApcs(KiThread& t) {
    while (t.irql == PASSIVE_LEVEL && t.kernelApcPending) {
        std::unique_lock lock(KiDispatcherLock());
        LIST_ENTRY* head = &t.apcQueue[KernelMode];
        if (t.specialApcDisable != 0 || KiIsListEmpty(head)) return;
        PKAPC apc = FirstApc(head);
        PKKERNEL_ROUTINE kernelRoutine = KernelRoutineOf(apc);
        PKNORMAL_ROUTINE normalRoutine = NormalRoutineOf(apc);
        // A normal kernel APC waits for the end of critical regions and of the normal APC in
        // progress; special ones (queued first) are never held up by them.
        if (normalRoutine && (t.kernelApcDisable != 0 || t.kernelApcInProgress)) return;
        PVOID context = apc->NormalContext;
        PVOID arg1 = apc->SystemArgument1;
        PVOID arg2 = apc->SystemArgument2;
        RemoveApc(t, apc);
        lock.unlock();

        // The kernel routine runs at APC_LEVEL and may change (or cancel) the normal routine;
        // it may also free the APC, which is not touched afterwards.
        t.irql = APC_LEVEL;
        CallDriverRoutine(kernelRoutine, apc, &normalRoutine, &context, &arg1, &arg2);
        t.irql = PASSIVE_LEVEL;
        if (normalRoutine) {
            t.kernelApcInProgress = true;
            CallDriverRoutine(normalRoutine, context, arg1, arg2);
            t.kernelApcInProgress = false;
            t.irql = PASSIVE_LEVEL;
        }
    }
}

void KiRundownApcs(KiThread& t) {
    {
        std::lock_guard guard(KiDispatcherLock());
        t.apcQueueable = false;
    }
    KiDeliverKernelApcs(t);
    // What is still queued (user APCs, kernel APCs held by a region) is flushed: the rundown
    // routine, if any, gets each APC. Without one NT frees the APC to pool; ntsim cannot know
    // the APC came from pool, so it is only dropped.
    for (;;) {
        PKAPC apc = nullptr;
        {
            std::lock_guard guard(KiDispatcherLock());
            for (int mode : {UserMode, KernelMode}) {
                if (KiIsListEmpty(&t.apcQueue[mode])) continue;
                apc = FirstApc(&t.apcQueue[mode]);
                RemoveApc(t, apc);
                break;
            }
            if (!apc) {
                t.userApcPending = false;
                return;
            }
        }
        if (PKRUNDOWN_ROUTINE rundown = RundownRoutineOf(apc)) CallDriverRoutine(rundown, apc);
    }
}

bool KiTestAlertability(KiThread& t, bool alertable, KPROCESSOR_MODE mode, NTSTATUS* status) {
    if (alertable) {
        if (t.alerted[int(mode)]) {
            t.alerted[int(mode)] = false;
            *status = STATUS_ALERTED;
            return true;
        }
        if (mode == UserMode && !KiIsListEmpty(&t.apcQueue[UserMode])) {
            t.userApcPending = true;
            *status = STATUS_USER_APC;
            return true;
        }
        if (t.alerted[KernelMode]) { // a kernel-mode alert also ends a user-mode wait
            t.alerted[KernelMode] = false;
            *status = STATUS_ALERTED;
            return true;
        }
    } else if (mode == UserMode && t.userApcPending) {
        *status = STATUS_USER_APC;
        return true;
    }
    return false;
}

// ---- kernel-internal entry points (ke.h) ----

bool UserApcPending() {
    KiThread& t = KiCurrentThread();
    std::lock_guard guard(KiDispatcherLock());
    return !KiIsListEmpty(&t.apcQueue[UserMode]);
}

bool DequeueUserApc(UserApcCall* call) {
    KiThread& t = KiCurrentThread();
    PKAPC apc;
    {
        std::lock_guard guard(KiDispatcherLock());
        LIST_ENTRY* head = &t.apcQueue[UserMode];
        if (KiIsListEmpty(head)) {
            t.userApcPending = false;
            return false;
        }
        apc = FirstApc(head);
        RemoveApc(t, apc);
        if (KiIsListEmpty(head)) t.userApcPending = false;
    }
    call->normalRoutine = NormalRoutineOf(apc);
    call->normalContext = apc->NormalContext;
    call->systemArgument1 = apc->SystemArgument1;
    call->systemArgument2 = apc->SystemArgument2;
    // The kernel routine runs in kernel mode at APC_LEVEL on the way out to user mode.
    KIRQL old = t.irql;
    t.irql = APC_LEVEL;
    CallDriverRoutine(KernelRoutineOf(apc), apc, &call->normalRoutine, &call->normalContext,
                      &call->systemArgument1, &call->systemArgument2);
    t.irql = old;
    return true;
}

ULONG DeliverUserApcs() {
    ULONG count = 0;
    UserApcCall call;
    while (DequeueUserApc(&call)) {
        ++count;
        if (call.normalRoutine)
            CallDriverRoutine(call.normalRoutine, call.normalContext, call.systemArgument1,
                              call.systemArgument2);
    }
    return count;
}

namespace {
// The APC behind QueueUserApc: freed once delivered or flushed.
VOID FreeQueuedApc(PKAPC apc, PKNORMAL_ROUTINE*, PVOID*, PVOID*, PVOID*) {
    delete apc;
}
VOID RundownQueuedApc(PKAPC apc) {
    delete apc;
}
} // namespace

NTSTATUS QueueUserApc(PKTHREAD thread, PKNORMAL_ROUTINE routine, PVOID context, PVOID argument1,
                      PVOID argument2) {
    if (!thread || !routine) return STATUS_INVALID_PARAMETER;
    auto* apc = new KAPC{};
    KeInitializeApc(apc, thread, OriginalApcEnvironment, FreeQueuedApc, RundownQueuedApc, routine,
                    UserMode, context);
    if (!KeInsertQueueApc(apc, argument1, argument2, 0)) {
        delete apc;
        return STATUS_UNSUCCESSFUL; // the thread is terminating
    }
    return STATUS_SUCCESS;
}

} // namespace ntsim::ke

using namespace ntsim::ke;

extern "C" VOID NTAPI KeInitializeApc(PRKAPC Apc, PRKTHREAD Thread, KAPC_ENVIRONMENT Environment,
                                      PKKERNEL_ROUTINE KernelRoutine,
                                      PKRUNDOWN_ROUTINE RundownRoutine,
                                      PKNORMAL_ROUTINE NormalRoutine, KPROCESSOR_MODE ApcMode,
                                      PVOID NormalContext) {
    Apc->Type = ApcObject;
    Apc->AllFlags = 0;
    Apc->Size = sizeof(KAPC);
    Apc->SpareByte1 = 0;
    Apc->SpareLong0 = 0;
    Apc->Thread = Thread;
    Apc->ApcListEntry.Flink = Apc->ApcListEntry.Blink = nullptr;
    // ntsim threads never attach to another process: the current and insert-time environments
    // are the original one.
    Apc->ApcStateIndex = Environment == AttachedApcEnvironment ? 1 : 0;
    Apc->Reserved[0] = reinterpret_cast<PVOID>(KernelRoutine);
    Apc->Reserved[1] = reinterpret_cast<PVOID>(RundownRoutine);
    Apc->Reserved[2] = reinterpret_cast<PVOID>(NormalRoutine);
    // Without a normal routine the APC is a special kernel APC, whatever mode was given.
    Apc->ApcMode = NormalRoutine ? ApcMode : KPROCESSOR_MODE(KernelMode);
    Apc->NormalContext = NormalRoutine ? NormalContext : nullptr;
    Apc->SystemArgument1 = Apc->SystemArgument2 = nullptr;
    Apc->Inserted = FALSE;
}
NTSIM_EXPORT(KeInitializeApc);

// FALSE if the APC is already queued or the thread no longer accepts APCs (exiting).
extern "C" BOOLEAN NTAPI KeInsertQueueApc(PRKAPC Apc, PVOID SystemArgument1, PVOID SystemArgument2,
                                          KPRIORITY Increment) {
    (void)Increment; // priority boosts come with real scheduling priorities
    KiThread& self = KiCurrentThread();
    bool deliverNow = false;
    {
        std::lock_guard guard(KiDispatcherLock());
        KiThread* target = KiThreadOf(Apc->Thread);
        if (!target || !target->apcQueueable || Apc->Inserted) return FALSE;
        Apc->SystemArgument1 = SystemArgument1;
        Apc->SystemArgument2 = SystemArgument2;
        Apc->Inserted = TRUE;
        int mode = Apc->ApcMode == UserMode ? UserMode : KernelMode;
        LIST_ENTRY* head = &target->apcQueue[mode];
        if (mode == KernelMode && !NormalRoutineOf(Apc)) {
            // Special kernel APCs go after the special ones already queued, before the normal.
            LIST_ENTRY* pos = head->Flink;
            while (pos != head && !NormalRoutineOf(CONTAINING_RECORD(pos, KAPC, ApcListEntry)))
                pos = pos->Flink;
            KiInsertTailList(pos, &Apc->ApcListEntry); // i.e. just before `pos`
        } else {
            KiInsertTailList(head, &Apc->ApcListEntry);
        }
        if (mode == KernelMode) {
            target->kernelApcPending = true;
            if (target == &self) {
                deliverNow = true;
            } else if (target->waiting && KiKernelApcDeliverableInWait(*target)) {
                target->apcWake = true;
                target->wake.notify_one();
            }
        } else if (target->waiting && target->waitAlertable && target->waitMode == UserMode) {
            target->userApcPending = true;
            KiUnwaitThread(*target, STATUS_USER_APC);
        }
    }
    if (deliverNow) KiDeliverKernelApcs(self);
    return TRUE;
}
NTSIM_EXPORT(KeInsertQueueApc);

// Removes a queued APC before it runs; FALSE if it was not queued.
extern "C" BOOLEAN NTAPI KeRemoveQueueApc(PKAPC Apc) {
    std::lock_guard guard(KiDispatcherLock());
    if (!Apc->Inserted) return FALSE;
    KiThread* target = KiThreadOf(Apc->Thread);
    if (target) {
        RemoveApc(*target, Apc);
    } else { // the thread is gone: the entry is only unlinked
        KiRemoveEntryList(&Apc->ApcListEntry);
        Apc->Inserted = FALSE;
    }
    return TRUE;
}
NTSIM_EXPORT(KeRemoveQueueApc);

// Returns and clears the caller's alerted state for AlertMode; with UserMode and user APCs
// queued, marks a user APC pending (they run at the return to user mode).
extern "C" BOOLEAN NTAPI KeTestAlertThread(KPROCESSOR_MODE AlertMode) {
    KiThread& t = KiCurrentThread();
    int mode = AlertMode == UserMode ? UserMode : KernelMode;
    std::lock_guard guard(KiDispatcherLock());
    BOOLEAN previous = t.alerted[int(mode)];
    t.alerted[int(mode)] = false;
    if (mode == UserMode && !KiIsListEmpty(&t.apcQueue[UserMode])) t.userApcPending = true;
    return previous;
}
NTSIM_EXPORT(KeTestAlertThread);

// Alerts a thread: an alertable wait in a mode at least AlertMode ends with STATUS_ALERTED,
// otherwise the thread stays alerted until its next alertable wait. Returns the previous
// alerted state.
extern "C" BOOLEAN NTAPI KeAlertThread(PRKTHREAD Thread, KPROCESSOR_MODE AlertMode) {
    int mode = AlertMode == UserMode ? UserMode : KernelMode;
    std::lock_guard guard(KiDispatcherLock());
    KiThread* target = KiThreadOf(Thread);
    if (!target) return FALSE;
    BOOLEAN previous = target->alerted[mode];
    if (!previous) {
        if (target->waiting && target->waitAlertable && mode <= target->waitMode)
            KiUnwaitThread(*target, STATUS_ALERTED);
        else
            target->alerted[mode] = true;
    }
    return previous;
}
NTSIM_EXPORT(KeAlertThread);
