// Deferred procedure calls. Each logical processor has a DPC queue and a DPC thread pinned to
// its host CPU. The thread drains the queue at DISPATCH_LEVEL, owning the processor's dispatch
// lock, so a DPC queued while its processor is at DISPATCH_LEVEL runs only once that processor
// lowers its IRQL, and DPCs of one processor never run concurrently. Threaded DPCs run on the
// same thread at PASSIVE_LEVEL (what Windows does when threaded DPCs are enabled).
//
// KDPC.DpcData is non-NULL while the DPC is queued (it points to the queue), so inserting a
// queued DPC fails and removing an unqueued one returns FALSE. KDPC.Number holds the target
// processor + MAXIMUM_PROCESSORS once KeSetTargetProcessorDpc was called (0: the processor
// that queues it).
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "core/callout.h"
#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ke/dispatch_lock.h"
#include "ke/ki.h"

namespace ntsim::ke {
namespace {

struct QueuedDpc {
    PRKDPC dpc;
    ULONGLONG sequence; // insertion order, for KeFlushQueuedDpcs
};

struct DpcQueue {
    // Its length is published in the processor's KiDispatchLock (PublishLength): lowering the
    // IRQL (every spin lock release) checks it with one relaxed load, not the DPC lock.
    std::deque<QueuedDpc> entries;
    std::condition_variable work;
    ULONGLONG runningSequence = 0; // the DPC being called (0: none)
    KiThread* thread = nullptr;
};

struct DpcState {
    std::mutex lock;              // every queue's entries and KDPC.DpcData
    std::condition_variable done; // a DPC finished or was removed (KeFlushQueuedDpcs)
    ULONGLONG nextSequence = 1;
    DpcQueue queues[MAXIMUM_PROC_PER_GROUP];
};

DpcState& S() {
    static DpcState* s = new DpcState; // never destroyed: DPC threads outlive static teardown
    return *s;
}

// With the lock held: publishes the queue length where lowering the IRQL reads it.
void PublishLength(DpcQueue& q) {
    KiProcessorDispatchLock(ULONG(&q - S().queues)).SetDpcsQueued(q.entries.size());
}

// With the lock held: the oldest entry of `cpu`'s queue, unlinked (DpcData cleared).
bool Pop(DpcQueue& q, QueuedDpc* out) {
    if (q.entries.empty()) return false;
    *out = q.entries.front();
    q.entries.pop_front();
    PublishLength(q);
    out->dpc->DpcData = nullptr;
    return true;
}

void CallDpc(PRKDPC dpc, PKDEFERRED_ROUTINE routine, PVOID context, PVOID arg1, PVOID arg2) {
    try {
        CallDriverRoutine(routine, dpc, context, arg1, arg2);
    } catch (...) {
        // A bug check in a DPC already stopped the kernel (the test hook throws): keep the
        // DPC thread alive so the rest of the process can report it.
    }
}

void DpcThread(ULONG cpu) {
    KiThread& t = KiCurrentThread();
    t.dpcThread = true;
    t.systemAffinity = KAFFINITY(1) << cpu;
    KiApplyHostAffinity(t.systemAffinity);
    t.pinnedHost = KiHostCpu(cpu); // for life: raising to DISPATCH_LEVEL takes the fast path
    t.dispatchCpu = cpu;
    KiRefreshLazyProcessor(t);
    DpcState& s = S();
    DpcQueue& q = s.queues[cpu];
    std::unique_lock lock(s.lock);
    q.thread = &t;
    for (;;) {
        q.work.wait(lock, [&] { return !q.entries.empty(); });
        lock.unlock();
        KiRaiseIrql(DISPATCH_LEVEL); // waits while another thread holds this processor
        lock.lock();
        QueuedDpc next;
        while (Pop(q, &next)) {
            PRKDPC dpc = next.dpc;
            // Captured before the call: the routine may re-queue or free its DPC.
            PKDEFERRED_ROUTINE routine = dpc->DeferredRoutine;
            PVOID context = dpc->DeferredContext, arg1 = dpc->SystemArgument1,
                  arg2 = dpc->SystemArgument2;
            bool threaded = dpc->Type == ThreadedDpcObject;
            dpc->ProcessorHistory |= KAFFINITY(1) << cpu;
            q.runningSequence = next.sequence;
            lock.unlock();
            if (threaded) {
                KiLowerIrql(PASSIVE_LEVEL);
                CallDpc(dpc, routine, context, arg1, arg2);
                if (t.irql != PASSIVE_LEVEL) KiLowerIrql(PASSIVE_LEVEL);
                KiRaiseIrql(DISPATCH_LEVEL);
            } else {
                CallDpc(dpc, routine, context, arg1, arg2);
                // A DPC must return at DISPATCH_LEVEL; repair rather than run the next at the
                // wrong level.
                if (t.irql > DISPATCH_LEVEL) KiLowerIrql(DISPATCH_LEVEL);
                if (t.irql < DISPATCH_LEVEL) KiRaiseIrql(DISPATCH_LEVEL);
            }
            lock.lock();
            q.runningSequence = 0;
            s.done.notify_all();
        }
        lock.unlock();
        KiLowerIrql(PASSIVE_LEVEL);
        lock.lock();
    }
}

} // namespace

void KiInitializeDpcs() {
    DpcState& s = S();
    for (ULONG cpu = 0; cpu < ProcessorCount(); ++cpu) {
        std::thread(DpcThread, cpu).detach();
    }
    // Wait until every DPC thread is ready (pinned and registered).
    for (;;) {
        {
            std::lock_guard guard(s.lock);
            bool all = true;
            for (ULONG cpu = 0; cpu < ProcessorCount(); ++cpu)
                if (!s.queues[cpu].thread) all = false;
            if (all) return;
        }
        std::this_thread::yield();
    }
}

void KiKickDpcQueue(ULONG cpu) {
    // Called when the published length says DPCs are queued. One queued after that check needs
    // no kick: its insertion wakes the DPC thread itself.
    DpcState& s = S();
    std::lock_guard guard(s.lock);
    if (!s.queues[cpu].entries.empty()) s.queues[cpu].work.notify_one();
}

BOOLEAN KiInsertQueueDpcOn(PRKDPC dpc, LONG cpu, PVOID arg1, PVOID arg2) {
    DpcState& s = S();
    ULONG target = ULONG(cpu) % ProcessorCount();
    std::lock_guard guard(s.lock);
    if (dpc->DpcData) return FALSE;
    DpcQueue& q = s.queues[target];
    dpc->SystemArgument1 = arg1;
    dpc->SystemArgument2 = arg2;
    dpc->DpcData = &q;
    QueuedDpc entry{dpc, s.nextSequence++};
    if (dpc->Importance == HighImportance)
        q.entries.push_front(entry);
    else
        q.entries.push_back(entry);
    PublishLength(q);
    q.work.notify_one();
    return TRUE;
}

} // namespace ntsim::ke

using namespace ntsim::ke;

namespace {
void InitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext,
                   UCHAR type) {
    Dpc->TargetInfoAsUlong = 0;
    Dpc->Type = type;
    Dpc->Importance = MediumImportance;
    Dpc->Number = 0;
    Dpc->DpcListEntry.Next = nullptr;
    Dpc->ProcessorHistory = 0;
    Dpc->DeferredRoutine = DeferredRoutine;
    Dpc->DeferredContext = DeferredContext;
    Dpc->SystemArgument1 = nullptr;
    Dpc->SystemArgument2 = nullptr;
    Dpc->DpcData = nullptr;
}
} // namespace

extern "C" VOID NTAPI KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
                                      PVOID DeferredContext) {
    InitializeDpc(Dpc, DeferredRoutine, DeferredContext, DpcObject);
}
NTSIM_EXPORT(KeInitializeDpc);

extern "C" VOID NTAPI KeInitializeThreadedDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
                                              PVOID DeferredContext) {
    InitializeDpc(Dpc, DeferredRoutine, DeferredContext, ThreadedDpcObject);
}
NTSIM_EXPORT(KeInitializeThreadedDpc);

// FALSE when the DPC is already queued (the arguments of that queuing are kept).
extern "C" BOOLEAN NTAPI KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1,
                                          PVOID SystemArgument2) {
    if (Dpc->Number >= MAXIMUM_PROCESSORS)
        return KiInsertQueueDpcOn(Dpc, LONG(Dpc->Number - MAXIMUM_PROCESSORS), SystemArgument1,
                                  SystemArgument2);
    return KiInsertQueueDpcOn(Dpc, LONG(CurrentProcessorNumber()), SystemArgument1,
                              SystemArgument2);
}
NTSIM_EXPORT(KeInsertQueueDpc);

// TRUE when the DPC was queued (it will not run for that queuing).
extern "C" BOOLEAN NTAPI KeRemoveQueueDpc(PRKDPC Dpc) {
    DpcState& s = S();
    std::lock_guard guard(s.lock);
    auto* q = static_cast<DpcQueue*>(Dpc->DpcData);
    if (!q) return FALSE;
    for (auto it = q->entries.begin(); it != q->entries.end(); ++it) {
        if (it->dpc == Dpc) {
            q->entries.erase(it);
            PublishLength(*q);
            break;
        }
    }
    Dpc->DpcData = nullptr;
    s.done.notify_all();
    return TRUE;
}
NTSIM_EXPORT(KeRemoveQueueDpc);

// Returns once every DPC queued before the call (on any processor) has run or been removed.
// PASSIVE_LEVEL only.
extern "C" VOID NTAPI KeFlushQueuedDpcs(VOID) {
    KiThread& self = KiCurrentThread();
    if (self.irql >= DISPATCH_LEVEL)
        ntsim::dbg::BugCheck(kIrqlNotLessOrEqual, 0, self.irql, 0,
                             reinterpret_cast<ULONG_PTR>(__builtin_return_address(0)));
    DpcState& s = S();
    std::unique_lock lock(s.lock);
    ULONGLONG last = s.nextSequence - 1;
    s.done.wait(lock, [&] {
        for (ULONG cpu = 0; cpu < ProcessorCount(); ++cpu) {
            DpcQueue& q = s.queues[cpu];
            // A threaded DPC flushing from its own DPC thread cannot wait for itself.
            if (q.runningSequence && q.runningSequence <= last && q.thread != &self) return false;
            for (const QueuedDpc& e : q.entries)
                if (e.sequence <= last) return false;
        }
        return true;
    });
}
NTSIM_EXPORT(KeFlushQueuedDpcs);

extern "C" VOID NTAPI KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance) {
    Dpc->Importance = UCHAR(Importance);
}
NTSIM_EXPORT(KeSetImportanceDpc);

extern "C" VOID NTAPI KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number) {
    Dpc->Number = USHORT(UCHAR(Number) + MAXIMUM_PROCESSORS);
}
NTSIM_EXPORT(KeSetTargetProcessorDpc);

extern "C" NTSTATUS NTAPI KeSetTargetProcessorDpcEx(PKDPC Dpc, PPROCESSOR_NUMBER ProcNumber) {
    if (!ProcNumber || ProcNumber->Group != 0 || ProcNumber->Number >= ProcessorCount())
        return STATUS_INVALID_PARAMETER;
    Dpc->Number = USHORT(ProcNumber->Number + MAXIMUM_PROCESSORS);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(KeSetTargetProcessorDpcEx);
