// The wait engine: one implementation of "wait for dispatcher objects" for every object kind
// (event, semaphore, mutex, timer, thread, process).
//
// All object state and wait lists are protected by the single dispatcher lock, so testing and
// satisfying a WaitAll is atomic. A waiter queues one KWAIT_BLOCK per object on the objects'
// WaitListHead and sleeps on its own condition variable. Whoever makes an object signalled
// runs KiWaitTest, which satisfies waiters in FIFO order on the waiter's behalf (auto-reset,
// semaphore decrement, mutex ownership) and wakes them with their status, as NT does: a
// synchronization event set while a thread waits never appears signalled to anyone else.
#include <chrono>
#include <climits>
#include <sched.h>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ke/ki.h"

namespace ntsim::ke {
namespace {

KiThread& WaiterOf(PKWAIT_BLOCK block) {
    return *static_cast<KiThread*>(block->SparePtr);
}

DISPATCHER_HEADER* HeaderOf(PVOID object) {
    return static_cast<DISPATCHER_HEADER*>(object);
}

bool IsSignaledFor(DISPATCHER_HEADER* header, KiThread& thread) {
    if (header->SignalState > 0) return true;
    // A mutex is also available to its owner (recursive acquisition).
    return header->Type == MutantObject &&
           reinterpret_cast<PKMUTANT>(header)->OwnerThread == KiIdentity(thread);
}

// Applies the side effect of a satisfied wait; returns true when it acquired an abandoned mutex.
bool Satisfy(DISPATCHER_HEADER* header, KiThread& thread) {
    switch (header->Type) {
    case EventSynchronizationObject:
    case TimerSynchronizationObject:
    case GateObject: // guarded mutex gate: releases one waiter
        header->SignalState = 0;
        return false;
    case SemaphoreObject:
        header->SignalState--;
        return false;
    case MutantObject: {
        auto* mutant = reinterpret_cast<PKMUTANT>(header);
        header->SignalState--;
        if (header->SignalState != 0) return false; // recursive acquisition
        mutant->OwnerThread = KiIdentity(thread);
        KiInsertTailList(&thread.ownedMutants, &mutant->MutantListEntry);
        if (!mutant->Abandoned) return false;
        mutant->Abandoned = 0;
        return true;
    }
    default: // notification events and timers, threads, processes stay signalled
        return false;
    }
}

// Tests a whole wait (WaitAny: lowest signalled index wins; WaitAll: all or nothing) and
// satisfies it if possible.
bool TrySatisfy(KiThread& thread, PKWAIT_BLOCK blocks, ULONG count, WAIT_TYPE type,
                NTSTATUS* status) {
    if (type == WaitAny) {
        for (ULONG i = 0; i < count; ++i) {
            DISPATCHER_HEADER* header = HeaderOf(blocks[i].Object);
            if (!IsSignaledFor(header, thread)) continue;
            bool abandoned = Satisfy(header, thread);
            *status = NTSTATUS((abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0) + i);
            return true;
        }
        return false;
    }
    for (ULONG i = 0; i < count; ++i)
        if (!IsSignaledFor(HeaderOf(blocks[i].Object), thread)) return false;
    NTSTATUS result = STATUS_SUCCESS;
    for (ULONG i = 0; i < count; ++i)
        if (Satisfy(HeaderOf(blocks[i].Object), thread) && result == STATUS_SUCCESS)
            result = NTSTATUS(STATUS_ABANDONED_WAIT_0 + i);
    *status = result;
    return true;
}

void Dequeue(KiThread& thread) {
    for (ULONG i = 0; i < thread.waitCount; ++i)
        KiRemoveEntryList(&thread.waitBlocks[i].WaitListEntry);
    thread.waiting = false;
    thread.waitBlocks = nullptr;
    thread.waitCount = 0;
}

// Timeouts in 100 ns units: negative relative, positive absolute system time, NULL infinite.
// Waits longer than a century count as infinite (and cannot overflow the clocks).
constexpr LONGLONG kCentury = 100LL * 365 * 24 * 3600 * 10000000;
constexpr LONGLONG kEpochDelta = 116444736000000000LL; // 1601 -> 1970 in 100 ns

struct Deadline {
    enum Kind { Infinite, Relative, Absolute } kind = Infinite;
    std::chrono::steady_clock::time_point steady;
    std::chrono::system_clock::time_point system;
};

Deadline MakeDeadline(const LARGE_INTEGER* timeout) {
    Deadline d;
    if (!timeout) return d;
    LONGLONG t = timeout->QuadPart;
    if (t < 0) {
        if (t == LLONG_MIN || -t > kCentury) return d;
        d.kind = Deadline::Relative;
        d.steady = std::chrono::steady_clock::now() + std::chrono::nanoseconds(-t * 100);
    } else {
        LONGLONG sinceUnixEpoch = t - kEpochDelta;
        if (sinceUnixEpoch > kCentury * 5) return d; // beyond year 2470
        if (sinceUnixEpoch < 0) sinceUnixEpoch = 0;  // long past: expires at once
        d.kind = Deadline::Absolute;
        d.system = std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::nanoseconds(sinceUnixEpoch * 100)));
    }
    return d;
}

} // namespace

void KiWaitTest(DISPATCHER_HEADER* header) {
    LIST_ENTRY* head = &header->WaitListHead;
    bool progress = true;
    while (progress && header->SignalState > 0) {
        progress = false;
        for (LIST_ENTRY* e = head->Flink; e != head; e = e->Flink) {
            auto* block = CONTAINING_RECORD(e, KWAIT_BLOCK, WaitListEntry);
            KiThread& waiter = WaiterOf(block);
            NTSTATUS status;
            if (!TrySatisfy(waiter, waiter.waitBlocks, waiter.waitCount, WAIT_TYPE(block->WaitType),
                            &status))
                continue;
            Dequeue(waiter); // also unlinks `block`: rescan from the head
            waiter.waitStatus = status;
            waiter.wake.notify_one();
            progress = true;
            break;
        }
    }
}

void KiAbandonMutants(KiThread& thread) {
    while (!KiIsListEmpty(&thread.ownedMutants)) {
        LIST_ENTRY* entry = thread.ownedMutants.Flink;
        KiRemoveEntryList(entry);
        auto* mutant = CONTAINING_RECORD(entry, KMUTANT, MutantListEntry);
        mutant->OwnerThread = nullptr;
        mutant->Abandoned = 1;
        mutant->Header.SignalState = 1;
        KiWaitTest(&mutant->Header);
    }
}

void KiUnwaitThread(KiThread& thread, NTSTATUS status) {
    if (!thread.waiting) return;
    Dequeue(thread);
    thread.waitStatus = status;
    thread.wake.notify_one();
}

void KiSetWaitNext() {
    KiThread& t = KiCurrentThread();
    KIRQL irql = t.irql;
    if (irql < DISPATCH_LEVEL) KiRaiseIrql(DISPATCH_LEVEL);
    t.waitIrql = irql;
    t.waitNext = true;
}

namespace {

// ms_abi: KeWaitForSingleObject's lock-free path stays free of System V calls (NTSIM_KFAST).
NTSIM_KFAST __attribute__((noinline)) NTSTATUS KiWait(ULONG count, PVOID objects[], WAIT_TYPE type,
                                                      KPROCESSOR_MODE waitMode, bool alertable,
                                                      PLARGE_INTEGER timeout, PKWAIT_BLOCK blocks,
                                                      void* caller) {
    KiThread& t = KiCurrentThread();
    if (t.waitNext) { // the hand-off of a Wait = TRUE signalling call ends here
        t.waitNext = false;
        if (t.waitIrql < t.irql) KiLowerIrql(t.waitIrql);
    }
    bool poll = timeout && timeout->QuadPart == 0;
    if (!poll && t.irql >= DISPATCH_LEVEL)
        dbg::BugCheck(kIrqlNotLessOrEqual,
                      reinterpret_cast<ULONG_PTR>(count ? objects[0] : nullptr), t.irql, 0,
                      reinterpret_cast<ULONG_PTR>(caller));
    if (!blocks) blocks = t.builtinBlocks;
    Deadline deadline = MakeDeadline(timeout);

    // Each round: run the kernel APCs that are deliverable (NT delivers them before waiting
    // and whenever one arrives during the wait), then test and wait. A round ends early when
    // a kernel APC arrives; the wait then resumes with the same deadline.
    for (;;) {
        KiDeliverKernelApcs(t);
        std::unique_lock lock(KiDispatcherLock());
        PKTHREAD identity = KiIdentity(t);
        for (ULONG i = 0; i < count; ++i) {
            PKWAIT_BLOCK b = &blocks[i];
            b->WaitType = UCHAR(type);
            b->BlockState = 0;
            b->WaitKey = USHORT(i);
            b->SpareLong = 0;
            b->Thread = identity;
            b->Object = objects[i];
            b->SparePtr = &t;
        }
        NTSTATUS status;
        if (TrySatisfy(t, blocks, count, type, &status)) return status;
        if (KiTestAlertability(t, alertable, waitMode, &status)) return status;
        if (poll) return STATUS_TIMEOUT;
        t.waitingIrql = t.irql;
        if (KiKernelApcDeliverableInWait(t)) continue; // one arrived since the delivery above

        t.waitBlocks = blocks;
        t.waitCount = count;
        t.waiting = true;
        t.waitAlertable = alertable;
        t.waitMode = waitMode;
        t.waitingIrql = t.irql;
        t.apcWake = false;
        for (ULONG i = 0; i < count; ++i)
            KiInsertTailList(&HeaderOf(objects[i])->WaitListHead, &blocks[i].WaitListEntry);
        // Going to sleep: a thread left pinned by its last DISPATCH section gets its own
        // affinity back, so that it wakes wherever the host scheduler likes (lazy unpin).
        KiRestoreHostAffinity(t);
        while (t.waiting && !t.apcWake) {
            bool expired = false;
            switch (deadline.kind) {
            case Deadline::Infinite:
                t.wake.wait(lock);
                break;
            case Deadline::Relative:
                expired = t.wake.wait_until(lock, deadline.steady) == std::cv_status::timeout;
                break;
            case Deadline::Absolute: // follows changes of the system clock, like NT absolute timers
                expired = t.wake.wait_until(lock, deadline.system) == std::cv_status::timeout;
                break;
            }
            if (expired && t.waiting) {
                Dequeue(t);
                return STATUS_TIMEOUT;
            }
        }
        if (!t.waiting) return t.waitStatus;
        Dequeue(t); // woken for kernel APCs: run them, then wait again
        t.apcWake = false;
    }
}

} // namespace

void InitializeDispatcherHeader(DISPATCHER_HEADER* header, UCHAR type, LONG signalState) {
    header->Lock = 0;
    header->Type = type;
    header->SignalState = signalState;
    KiInitializeListHead(&header->WaitListHead);
}

void SignalObject(DISPATCHER_HEADER* header, LONG signalState) {
    std::lock_guard guard(KiDispatcherLock());
    header->SignalState = signalState;
    if (signalState > 0) KiWaitTest(header);
}

ULONG WaiterCount(const DISPATCHER_HEADER* header) {
    std::lock_guard guard(KiDispatcherLock());
    ULONG n = 0;
    for (const LIST_ENTRY* e = header->WaitListHead.Flink; e != &header->WaitListHead; e = e->Flink)
        ++n;
    return n;
}

} // namespace ntsim::ke

using namespace ntsim::ke;

// Alertable waits end with STATUS_ALERTED (KeAlertThread) or, in UserMode, STATUS_USER_APC
// (a user APC is queued: it runs at the return to user mode). Kernel APCs run during any wait
// at PASSIVE_LEVEL.
extern "C" NTSTATUS NTAPI KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
                                                KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                                PLARGE_INTEGER Timeout) {
    (void)WaitReason;
    // Fast path without the dispatcher lock: a signalled notification event. Its wait has no
    // side effect (the event stays set), so one acquire load of SignalState (stored with
    // release by event.cpp) decides, exactly as the locked test would. Everything with a rule
    // to apply takes the slow path: a Wait = TRUE hand-off, a kernel APC to deliver first, an
    // IRQL at which only polling is allowed. A satisfied wait wins over alerts and user APCs
    // there too, so Alertable needs no check.
    KiThread& t = KiCurrentThread();
    auto* header = static_cast<DISPATCHER_HEADER*>(Object);
    // Signalling (event.cpp): a KeSetEvent that has not finished with the event yet; its
    // release store of 0 is its last access, so after reading 0 the caller may free the event.
    if (header && header->Type == EventNotificationObject && !t.waitNext &&
        !t.kernelApcPending.load(std::memory_order_relaxed) &&
        (t.irql < DISPATCH_LEVEL || (Timeout && Timeout->QuadPart == 0)) &&
        __atomic_load_n(&header->SignalState, __ATOMIC_ACQUIRE) > 0 &&
        __atomic_load_n(&header->Signalling, __ATOMIC_ACQUIRE) == 0)
        return STATUS_WAIT_0;
    PVOID objects[1] = {Object};
    return KiWait(1, objects, WaitAny, WaitMode, Alertable, Timeout, nullptr,
                  __builtin_return_address(0));
}
NTSIM_EXPORT(KeWaitForSingleObject);

extern "C" NTSTATUS NTAPI KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                                                   KWAIT_REASON WaitReason,
                                                   KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                                   PLARGE_INTEGER Timeout,
                                                   PKWAIT_BLOCK WaitBlockArray) {
    (void)WaitReason;
    if (Count > MAXIMUM_WAIT_OBJECTS || (Count > THREAD_WAIT_OBJECTS && !WaitBlockArray))
        ntsim::dbg::BugCheck(kMaximumWaitObjectsExceeded);
    if (WaitType != WaitAny && WaitType != WaitAll) return STATUS_INVALID_PARAMETER;
    return KiWait(Count, Object, WaitType, WaitMode, Alertable, Timeout, WaitBlockArray,
                  __builtin_return_address(0));
}
NTSIM_EXPORT(KeWaitForMultipleObjects);

// A wait on no object that only its interval ends. Callers must be at IRQL <= APC_LEVEL.
extern "C" NTSTATUS NTAPI KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                                 PLARGE_INTEGER Interval) {
    KiThread& t = KiCurrentThread();
    if (t.irql >= DISPATCH_LEVEL && !(t.waitNext && t.waitIrql < DISPATCH_LEVEL))
        ntsim::dbg::BugCheck(kIrqlNotLessOrEqual, reinterpret_cast<ULONG_PTR>(Interval), t.irql, 0,
                             reinterpret_cast<ULONG_PTR>(__builtin_return_address(0)));
    if (Interval->QuadPart == 0) {
        if (t.waitNext) {
            t.waitNext = false;
            if (t.waitIrql < t.irql) KiLowerIrql(t.waitIrql);
        }
        // A zero delay still reports a pending alert or user APC, then gives up the quantum.
        NTSTATUS status = KiWait(0, nullptr, WaitAny, WaitMode, Alertable, Interval, nullptr,
                                 __builtin_return_address(0));
        if (status != STATUS_TIMEOUT) return status;
        sched_yield();
        return STATUS_SUCCESS;
    }
    NTSTATUS status = KiWait(0, nullptr, WaitAny, WaitMode, Alertable, Interval, nullptr,
                             __builtin_return_address(0));
    return status == STATUS_TIMEOUT ? STATUS_SUCCESS : status;
}
NTSIM_EXPORT(KeDelayExecutionThread);
