// Ke-private declarations shared by the files of kernel/ke (NT's "Ki" layer): the per-thread
// state, the dispatcher lock and the wait engine's internals. Not for other components.
#pragma once

#include <condition_variable>
#include <mutex>

#include "wdm.h"

namespace ntsim::ke {

// Everything Ke knows about one Linux thread.
struct KiThread {
    KIRQL irql = PASSIVE_LEVEL;
    ULONG dispatchCpu = 0; // processor number captured when raised to DISPATCH_LEVEL

    // KeSetEvent/KeReleaseMutex/KeReleaseSemaphore with Wait = TRUE leave the thread at
    // DISPATCH_LEVEL until its next wait, which drops back to waitIrql.
    bool waitNext = false;
    KIRQL waitIrql = PASSIVE_LEVEL;

    // Set by Ps: the thread's KTHREAD (owner identity of mutexes).
    PKTHREAD kthread = nullptr;

    // ---- protected by the dispatcher lock ----
    LIST_ENTRY ownedMutants;              // KMUTANT.MutantListEntry of the mutexes this thread owns
    bool waiting = false;                 // wait blocks are queued on objects
    NTSTATUS waitStatus = STATUS_SUCCESS; // set by whoever satisfied the wait
    PKWAIT_BLOCK waitBlocks = nullptr;
    ULONG waitCount = 0;
    std::condition_variable wake; // signalled when the wait is satisfied

    KWAIT_BLOCK builtinBlocks[THREAD_WAIT_OBJECTS]; // used when the caller gives no array

    KiThread();
    ~KiThread(); // abandons owned mutexes
    KiThread(const KiThread&) = delete;
    KiThread& operator=(const KiThread&) = delete;
};

// The calling thread's state (created on first use).
KiThread& KiCurrentThread();

// Owner identity of a thread: its KTHREAD if Ps set one, else an opaque pointer.
inline PKTHREAD KiIdentity(KiThread& t) {
    return t.kthread ? t.kthread : reinterpret_cast<PKTHREAD>(&t);
}

// The one dispatcher lock: protects every dispatcher object's state and wait list, and the
// wait state of every thread, which makes WaitAll atomic.
std::mutex& KiDispatcherLock();

// With the dispatcher lock held: satisfies as many waiters of `header` as its state allows.
void KiWaitTest(DISPATCHER_HEADER* header);

// With the dispatcher lock held: releases every mutex `t` owns as abandoned.
void KiAbandonMutants(KiThread& t);

// Wait = TRUE on a signalling call: remember the IRQL and stay at DISPATCH_LEVEL.
void KiSetWaitNext();

// Raises/lowers without the direction checks (internal callers know the direction).
KIRQL KiRaiseIrql(KIRQL newIrql);
void KiLowerIrql(KIRQL newIrql);

inline void KiInitializeListHead(LIST_ENTRY* head) {
    head->Flink = head->Blink = head;
}
inline bool KiIsListEmpty(const LIST_ENTRY* head) {
    return head->Flink == head;
}
inline void KiRemoveEntryList(LIST_ENTRY* entry) {
    entry->Blink->Flink = entry->Flink;
    entry->Flink->Blink = entry->Blink;
    entry->Flink = entry->Blink = entry;
}
inline void KiInsertTailList(LIST_ENTRY* head, LIST_ENTRY* entry) {
    entry->Flink = head;
    entry->Blink = head->Blink;
    head->Blink->Flink = entry;
    head->Blink = entry;
}

} // namespace ntsim::ke

namespace ntsim::ke {

// Stop codes Ke raises (values from the Windows bug check reference).
constexpr ULONG kDeviceQueueNotBusy = 0x02;         // DEVICE_QUEUE_NOT_BUSY
constexpr ULONG kIrqlNotGreaterOrEqual = 0x09;      // IRQL_NOT_GREATER_OR_EQUAL
constexpr ULONG kIrqlNotLessOrEqual = 0x0A;         // IRQL_NOT_LESS_OR_EQUAL
constexpr ULONG kMaximumWaitObjectsExceeded = 0x0C; // MAXIMUM_WAIT_OBJECTS_EXCEEDED
constexpr ULONG kSpinLockAlreadyOwned = 0x0F;       // SPIN_LOCK_ALREADY_OWNED
constexpr ULONG kSpinLockNotOwned = 0x10;           // SPIN_LOCK_NOT_OWNED
constexpr ULONG kThreadNotMutexOwner = 0x11;        // THREAD_NOT_MUTEX_OWNER

} // namespace ntsim::ke
