// Ke-private declarations shared by the files of kernel/ke (NT's "Ki" layer): the per-thread
// state, the dispatcher lock and the wait engine's internals. Not for other components.
#pragma once

#include <sched.h>

#include <atomic>
#include <cstddef>
#include <condition_variable>
#include <mutex>

#include "wdm.h"

#include "ke/ke.h"

namespace ntsim::ke {

class KiDispatchLock;
extern KiDispatchLock g_kiNoLazyProcessor; // owned by nobody (affinity.cpp)

// Everything Ke knows about one Linux thread. It starts with the fields the SDK's inline spin
// lock paths use (NTSIM_KTHREAD_HEAD, km/ke.h; checked below).
struct KiThread {
    KIRQL irql = PASSIVE_LEVEL;
    // At DISPATCH_LEVEL with dispatchCpu's dispatch lock; a thread taking a lazily kept
    // processor over reads this byte (dispatch_lock.h).
    bool holdsProcessor = false;
    // KeSetEvent/KeReleaseMutex/KeReleaseSemaphore with Wait = TRUE leave the thread at
    // DISPATCH_LEVEL until its next wait, which drops back to waitIrql. Never set below
    // DISPATCH_LEVEL: the SDK's inline paths write these first four bytes as one word.
    bool waitNext = false;
    UCHAR headReserved = 0; // the fourth byte of that word: always 0
    ULONG dispatchCpu = 0;  // processor number captured when raised to DISPATCH_LEVEL
    // Set by Ps: the thread's KTHREAD (owner identity of mutexes).
    PKTHREAD kthread = nullptr;
    // dispatchCpu's lock while the thread is pinned there, its affinity allows it and the locks
    // are lazy (so that raising again needs only a look at the lock: ki_irql.h and the SDK's
    // inline spin lock), else g_kiNoLazyProcessor. KiRefreshLazyProcessor keeps it.
    KiDispatchLock* lazyProcessor = &g_kiNoLazyProcessor;
    std::atomic<bool> kernelApcPending{false}; // apcQueue[KernelMode] is not empty

    // ---- DISPATCH model (affinity.cpp) ----
    KAFFINITY systemAffinity = 0; // KeSetSystemAffinityThreadEx mask (0: none)
    int pinnedHost = -1;          // host CPU the DISPATCH model pinned the thread to (-1: none);
                                  // kept after lowering (lazy unpin, affinity.cpp)
    cpu_set_t savedHostMask{};    // the thread's host affinity before pinning
    bool dpcThread = false;       // a per-CPU DPC thread (never re-targets)

    KIRQL waitIrql = PASSIVE_LEVEL; // see waitNext

    // ---- protected by the dispatcher lock ----
    LIST_ENTRY ownedMutants;              // KMUTANT.MutantListEntry of the mutexes this thread owns
    bool waiting = false;                 // wait blocks are queued on objects
    NTSTATUS waitStatus = STATUS_SUCCESS; // set by whoever satisfied the wait
    PKWAIT_BLOCK waitBlocks = nullptr;
    ULONG waitCount = 0;
    std::condition_variable wake; // signalled when the wait is satisfied

    KWAIT_BLOCK builtinBlocks[THREAD_WAIT_OBJECTS]; // used when the caller gives no array

    // ---- APCs and alerts (apc.cpp, region.cpp); queues under the dispatcher lock ----
    LIST_ENTRY apcQueue[2];                       // [KernelMode], [UserMode]: KAPC.ApcListEntry
    bool userApcPending = false;                  // a UserMode wait returned STATUS_USER_APC
    bool apcQueueable = true;                     // false once the thread runs down
    std::atomic<bool> kernelApcInProgress{false}; // a normal kernel APC's routine is running
    bool alerted[2] = {};                         // KeAlertThread per mode
    // Region depths as NT keeps them: 0 or negative (each Enter decrements).
    std::atomic<int> kernelApcDisable{0};  // critical regions (KeEnterCriticalRegion)
    std::atomic<int> specialApcDisable{0}; // guarded regions (KeEnterGuardedRegion)
    // Wait parameters while `waiting` (read by whoever queues an APC or alerts the thread).
    bool waitAlertable = false;
    KPROCESSOR_MODE waitMode = KernelMode;
    KIRQL waitingIrql = PASSIVE_LEVEL;
    bool apcWake = false; // woken to run kernel APCs: dequeue, deliver, wait again

    KiThread();
    ~KiThread(); // abandons owned mutexes
    KiThread(const KiThread&) = delete;
    KiThread& operator=(const KiThread&) = delete;
};

// The SDK's inline spin lock paths and ke::FastCurrentIrql read the head as NTSIM_KTHREAD_HEAD.
static_assert(offsetof(KiThread, irql) == offsetof(NTSIM_KTHREAD_HEAD, Irql) &&
                  offsetof(KiThread, holdsProcessor) ==
                      offsetof(NTSIM_KTHREAD_HEAD, HoldsProcessor) &&
                  offsetof(KiThread, waitNext) == offsetof(NTSIM_KTHREAD_HEAD, WaitNext) &&
                  offsetof(KiThread, headReserved) == offsetof(NTSIM_KTHREAD_HEAD, Reserved) &&
                  offsetof(KiThread, kernelApcPending) ==
                      offsetof(NTSIM_KTHREAD_HEAD, KernelApcPending) &&
                  offsetof(KiThread, dispatchCpu) == offsetof(NTSIM_KTHREAD_HEAD, DispatchCpu) &&
                  offsetof(KiThread, kthread) == offsetof(NTSIM_KTHREAD_HEAD, Thread) &&
                  offsetof(KiThread, lazyProcessor) == offsetof(NTSIM_KTHREAD_HEAD, LazyProcessor),
              "KiThread must start with NTSIM_KTHREAD_HEAD's layout");
static_assert(sizeof(std::atomic<bool>) == sizeof(BOOLEAN) && sizeof(bool) == sizeof(BOOLEAN));

// The calling thread's state (created on first use). Every lock and IRQL routine starts with
// it, so the common case is one initial-exec TLS load inline (NtsimKiCurrentThread, km/ke.h:
// `__thread`, no init guard); the first call of a thread creates the state out of line.
NTSIM_KFAST KiThread& KiCreateCurrentThread();
inline KiThread* KiCurrentThreadOrNull() {
    return reinterpret_cast<KiThread*>(NtsimKiCurrentThread);
}
inline KiThread& KiCurrentThread() {
    KiThread* t = KiCurrentThreadOrNull();
    if (__builtin_expect(t != nullptr, 1)) return *t;
    return KiCreateCurrentThread();
}

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

// ---- APCs (apc.cpp) ----
// With the dispatcher lock held: the Ke state of a KTHREAD bound to a live Linux thread.
KiThread* KiThreadOf(PKTHREAD thread);
void KiBindThread(KiThread& t, PKTHREAD thread); // dispatcher lock held
void KiUnbindThread(KiThread& t);                // dispatcher lock held
// Called by `t` itself: runs its deliverable kernel APCs if it is at PASSIVE_LEVEL.
NTSIM_KFAST void KiDeliverKernelApcs(KiThread& t);
// Thread rundown: no more APCs; pending kernel APCs run, user APCs are flushed (rundown
// routines). Called by the thread itself, without the dispatcher lock.
void KiRundownApcs(KiThread& t);
// With the dispatcher lock held: could `t`, waiting at waitingIrql, run its first kernel APC?
bool KiKernelApcDeliverableInWait(KiThread& t);
// With the dispatcher lock held: ends `t`'s wait with `status` (alert, user APC).
void KiUnwaitThread(KiThread& t, NTSTATUS status);
// With the dispatcher lock held: the alert/user-APC outcome of starting a wait, if any.
bool KiTestAlertability(KiThread& t, bool alertable, KPROCESSOR_MODE mode, NTSTATUS* status);

// ---- critical and guarded regions (region.cpp) ----
// Depths only their own thread changes (others just read them), so entering and leaving are a
// plain load and store, no locked instruction.
inline void KiEnterRegion(std::atomic<int>& depth) {
    depth.store(depth.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
}
// Leaving a region never entered: APC_INDEX_MISMATCH.
[[noreturn]] NTSIM_KFAST __attribute__((noinline)) void KiRegionMismatch(KiThread& t, bool special,
                                                                         void* caller);
inline void KiLeaveRegion(KiThread& t, std::atomic<int>& depth, bool special, void* caller) {
    int d = depth.load(std::memory_order_relaxed);
    if (d >= 0) KiRegionMismatch(t, special, caller);
    depth.store(d + 1, std::memory_order_relaxed);
    // APCs held back by the region run now.
    if (d + 1 == 0 && t.kernelApcPending.load(std::memory_order_relaxed)) KiDeliverKernelApcs(t);
}

// Wait = TRUE on a signalling call: remember the IRQL and stay at DISPATCH_LEVEL.
void KiSetWaitNext();

// Raises/lowers without the direction checks (internal callers know the direction).
KIRQL KiRaiseIrql(KIRQL newIrql);
void KiLowerIrql(KIRQL newIrql);

// ---- DISPATCH model (affinity.cpp) ----
// Entering DISPATCH_LEVEL (the slow path of KiAcquireProcessorInline, ki_irql.h): picks a
// logical CPU (the one the thread runs on, within its system affinity), pins the thread to the
// host CPU behind it and takes that CPU's dispatch lock.
NTSIM_KFAST __attribute__((noinline)) void KiAcquireProcessor(KiThread& t);
// Leaving DISPATCH_LEVEL: releases the dispatch lock and drains the DPCs; the thread stays
// pinned until KiRestoreHostAffinity (lazy unpin).
NTSIM_KFAST void KiReleaseProcessor(KiThread& t);
// Below DISPATCH_LEVEL, on the thread's host CPU: gives back the dispatch lock it keeps lazily
// (dispatch_lock.h), before the thread leaves the CPU or ends.
NTSIM_KFAST void KiDisownProcessor(KiThread& t);
// Points t.lazyProcessor at the processor the thread may raise on again without a call, after
// a change of its pinning, processor or system affinity.
void KiRefreshLazyProcessor(KiThread& t);
// Below DISPATCH_LEVEL: gives a lazily pinned thread its own host affinity back (before it
// sleeps, when it leaves the kernel).
NTSIM_KFAST void KiRestoreHostAffinity(KiThread& t);
// Logical CPU `cpu`'s dispatch lock (dispatch_lock.h).
class KiDispatchLock;
KiDispatchLock& KiProcessorDispatchLock(ULONG cpu);
// The host (Linux) CPU number behind logical CPU `cpu` (logical n -> allowed host n mod count).
int KiHostCpu(ULONG cpu);
// Restricts the calling thread's host affinity to the host CPUs of `mask` (0: the process's
// original set).
void KiApplyHostAffinity(KAFFINITY mask);

// ---- DPCs (dpc.cpp) ----
void KiInitializeDpcs(); // starts one DPC thread per logical CPU
// Wakes the DPC thread of `cpu` if work is queued (out of line: lowering calls it only when the
// processor's published DPC queue length is not 0).
NTSIM_KFAST __attribute__((noinline)) void KiKickDpcQueue(ULONG cpu);
// Queues `dpc` on `cpu` (the timer expiry path: a timer's DPC goes to the timer's CPU unless
// the DPC names a target).
BOOLEAN KiInsertQueueDpcOn(PRKDPC dpc, LONG cpu, PVOID arg1, PVOID arg2);

// ---- timers (timer.cpp) ----
void KiInitializeTimers(); // starts the timer thread

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
constexpr ULONG kApcIndexMismatch = 0x01;           // APC_INDEX_MISMATCH
constexpr ULONG kDeviceQueueNotBusy = 0x02;         // DEVICE_QUEUE_NOT_BUSY
constexpr ULONG kIrqlNotGreaterOrEqual = 0x09;      // IRQL_NOT_GREATER_OR_EQUAL
constexpr ULONG kIrqlNotLessOrEqual = 0x0A;         // IRQL_NOT_LESS_OR_EQUAL
constexpr ULONG kMaximumWaitObjectsExceeded = 0x0C; // MAXIMUM_WAIT_OBJECTS_EXCEEDED
constexpr ULONG kSpinLockAlreadyOwned = 0x0F;       // SPIN_LOCK_ALREADY_OWNED
constexpr ULONG kSpinLockNotOwned = 0x10;           // SPIN_LOCK_NOT_OWNED
constexpr ULONG kThreadNotMutexOwner = 0x11;        // THREAD_NOT_MUTEX_OWNER

} // namespace ntsim::ke
