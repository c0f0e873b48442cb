// Kernel-internal interface of the Ke component: IRQL, the dispatcher (one wait engine for
// every dispatcher object), processors.
#pragma once

#include "ntdef.h"
#include "km/types.h"
#include "km/ke.h" // NTSIM_KTHREAD_HEAD

typedef struct _DISPATCHER_HEADER DISPATCHER_HEADER;
struct _KMUTANT;    // KMUTANT (km/ke.h)
struct _FAST_MUTEX; // FAST_MUTEX (km/ex.h); KGUARDED_MUTEX shares its first fields
struct _KSEMAPHORE; // KSEMAPHORE (km/ke.h)
typedef VOID KNORMAL_ROUTINE(PVOID NormalContext, PVOID SystemArgument1, PVOID SystemArgument2);
typedef KNORMAL_ROUTINE* PKNORMAL_ROUTINE; // as km/ke.h

// Kernel routines on lock fast paths use the Microsoft calling convention, like the NTAPI
// exports that call them: xmm6-xmm15 are callee-saved under ms_abi and clobbered by a System V
// call, so an NTAPI routine that makes even one System V call saves and restores all ten on
// every call (20 memory accesses, more than the lock itself).
#define NTSIM_KFAST __attribute__((ms_abi))

namespace ntsim::ke {

// dbg::BugCheck for NTSIM_KFAST paths: a System V call, even a noreturn one, makes GCC save
// xmm6-xmm15 in the prologue of the NTAPI routine that contains it.
[[noreturn]] NTSIM_KFAST void BugCheckFast(ULONG code, ULONG_PTR p1 = 0, ULONG_PTR p2 = 0,
                                           ULONG_PTR p3 = 0, ULONG_PTR p4 = 0);

void Initialize(ULONG processorCount); // 0: CPUs available to the process
void Shutdown();

ULONG ProcessorCount();

// Initialises the dispatcher header of an object that is not one of the driver-initialised
// kinds (thread, process): type ThreadObject/ProcessObject, non-signalled.
void InitializeDispatcherHeader(DISPATCHER_HEADER* header, UCHAR type, LONG signalState);
// Sets the signal state of a thread/process object and satisfies waiters (exit).
void SignalObject(DISPATCHER_HEADER* header, LONG signalState);

// Per-thread IRQL (PASSIVE_LEVEL for a new thread).
KIRQL CurrentIrql();

// ---- additions (Ke helper) -------------------------------------------------------------------

// Ke keeps its per-thread state (IRQL, wait state, owned mutexes) in a thread_local, so any
// Linux thread can wait. Ps tells Ke which KTHREAD the calling thread is (when it adopts or
// attaches it): that pointer is then what KMUTANT.OwnerThread shows. Until then Ke uses an
// opaque per-thread identity. Mutexes already owned are re-labelled.
void SetCurrentThread(PKTHREAD thread);
// The calling thread's owner identity (the KTHREAD Ps set, or Ke's opaque identity).
PKTHREAD CurrentThreadIdentity();
// Thread exit: abandons every mutex the calling thread still owns (the next acquirer gets
// STATUS_ABANDONED). Also runs automatically when a Linux thread ends.
void RundownThread();

// Number of wait blocks currently queued on an object (tests, `!object`-style dumps).
ULONG WaiterCount(const DISPATCHER_HEADER* header);

// The processor the calling thread runs on (stable while at DISPATCH_LEVEL or above).
ULONG CurrentProcessorNumber();
// A thread that was at DISPATCH_LEVEL stays pinned to its host CPU after lowering (cheap
// re-raising); a thread about to leave the kernel for a long time (back to a client, idle in
// a server loop) calls this to get its own host affinity back. No-op at DISPATCH_LEVEL.
void RestoreThreadAffinity();
// For a thread the kernel starts (system threads, its own workers): a Linux thread inherits its
// creator's affinity, and the creator may be pinned to one CPU by the DISPATCH model (above).
// Runs the calling thread on every host CPU of the process again, as a new NT thread would.
void StartOnAllProcessors();

// Clocks, for components that stamp records (debug log, process times).
LONGLONG SystemTime();     // 100 ns since 1601-01-01 UTC (CLOCK_REALTIME)
ULONGLONG InterruptTime(); // 100 ns, monotonic (CLOCK_MONOTONIC)

// ---- additions (dpctimer helper) -------------------------------------------------------------

// Sets a KTIMER with a period in 100 ns units (KeSetTimerEx takes milliseconds; Ex timers need
// finer periods). dueTime: negative relative, positive absolute. TRUE if it was queued.
BOOLEAN SetTimer(PKTIMER timer, LONGLONG dueTime, LONGLONG period, PKDPC dpc);
// Whether the timer is queued or its DPC is queued (atomically with expiry).
bool TimerPending(PKTIMER timer, PKDPC dpc);

// ---- APCs (apc helper) ----
// User APCs queued to the calling thread run when it returns to user mode after an alertable
// UserMode wait ended with STATUS_USER_APC (or after NtTestAlert). The system-call exit path
// calls DequeueUserApc for each: it runs the APC's kernel routine (APC_LEVEL) and hands back
// the normal routine and its arguments to call in user mode (NULL routine: nothing to call).
struct UserApcCall {
    PKNORMAL_ROUTINE normalRoutine = nullptr;
    PVOID normalContext = nullptr;
    PVOID systemArgument1 = nullptr;
    PVOID systemArgument2 = nullptr;
};
bool DequeueUserApc(UserApcCall* call); // false: the user APC queue is empty
// In-process "user mode" (tests, kernel-hosted clients): dequeues every user APC and calls
// its normal routine directly; returns how many ran.
ULONG DeliverUserApcs();
bool UserApcPending(); // the calling thread has user APCs queued
// NtQueueApcThread: queues a user APC (allocated and freed by Ke) to `thread`.
// STATUS_UNSUCCESSFUL if the thread no longer accepts APCs.
NTSTATUS QueueUserApc(PKTHREAD thread, PKNORMAL_ROUTINE routine, PVOID context, PVOID argument1,
                      PVOID argument2);
// The calling thread's region depths as NT keeps them (0 or negative), for checkers that
// compare them around driver callbacks (APC_INDEX_MISMATCH).
ULONG CombinedApcDisable(); // (SpecialApcDisable << 16) | (KernelApcDisable & 0xFFFF)

// RAII: raise to `irql` for the scope (kernel code that must run at DISPATCH_LEVEL).
class IrqlScope {
public:
    explicit IrqlScope(KIRQL irql);
    ~IrqlScope();
    IrqlScope(const IrqlScope&) = delete;
    IrqlScope& operator=(const IrqlScope&) = delete;

private:
    KIRQL old_;
};

// ---- additions (locks helper) -----------------------------------------------------------------

// Gate locks: FAST_MUTEX (Ex) and KGUARDED_MUTEX begin alike on x64 Windows (Count, Owner,
// Contention, then a one-waiter dispatcher object: the fast mutex's synchronization KEVENT, the
// guarded mutex's KGATE), so Ke runs both on the FAST_MUTEX prefix. Count bit 0 set = free;
// every thread asleep on the gate adds 4. Each acquire or release is one call doing the checks,
// the IRQL or region change, the lock word and the owner together, so the exports are plain
// tail calls. The checks both locks share stop the kernel with Driver Verifier's codes (0xC4:
// 0x1000 self-deadlock, 0x1007 release of a free lock, 0x1004 release by another thread); only
// acquiring above APC_LEVEL has a code of its own per lock, given by the caller's handler.
enum class GateEntry : UCHAR {
    RaiseToApc,    // ExAcquireFastMutex: raise to APC_LEVEL, previous IRQL in FAST_MUTEX.OldIrql
    GuardedRegion, // KeAcquireGuardedMutex: enter a guarded region
    AsIs,          // the Unsafe forms: the caller already disabled APCs
};
// Stops the kernel for an acquisition at `irql` > APC_LEVEL; `caller`: the export's caller.
typedef NTSIM_KFAST void (*GateIrqlFaultHandler)(struct _FAST_MUTEX* lock, KIRQL irql,
                                                 void* caller);
// TRUE once acquired; FALSE only when !wait and it is owned.
NTSIM_KFAST BOOLEAN AcquireGateLock(struct _FAST_MUTEX* lock, GateEntry entry, bool wait,
                                    GateIrqlFaultHandler onIrqlFault);
NTSIM_KFAST void ReleaseGateLock(struct _FAST_MUTEX* lock, GateEntry entry);
// The owner recorded by lock routines (fast/guarded mutexes, ERESOURCE): the caller's KTHREAD.
// Adopts the calling thread into Ps first, so the identity cannot change while a lock is held.
NTSIM_KFAST PKTHREAD LockOwnerIdentity();
// Inline reads of the calling thread's IRQL and KTHREAD for other components' lock fast paths:
// the head of Ke's per-thread record as the SDK describes it (NTSIM_KTHREAD_HEAD, km/ke.h). A
// thread Ke has not seen yet is at PASSIVE_LEVEL and has no KTHREAD yet.
inline KIRQL FastCurrentIrql() {
    const NTSIM_KTHREAD_HEAD* t = NtsimKiCurrentThread;
    return t ? t->Irql : KIRQL(PASSIVE_LEVEL);
}
// The lock owner identity (LockOwnerIdentity) without a call once Ps has bound the thread.
inline PKTHREAD FastLockOwnerIdentity() {
    const NTSIM_KTHREAD_HEAD* t = NtsimKiCurrentThread;
    PKTHREAD thread = t ? t->Thread : nullptr;
    return thread ? thread : LockOwnerIdentity();
}

// ---- additions (threads helper) ---------------------------------------------------------------
// A kernel mutex (KMUTEX: ApcDisable set) the calling thread still owns, or nullptr. A system
// thread must not exit owning one (bug check THREAD_TERMINATE_HELD_MUTEX), nor a worker routine
// return owning one (SYSTEM_EXIT_OWNED_MUTEX).
PVOID OwnedKernelMutex(); // the KMUTEX

// ---- additions (sync helper): executive object bodies (kernel/ke/user_objects.cpp) ----
// The body of a Mutant object (CreateMutex): a KMUTANT with ApcDisable 0, free or owned once by
// the calling thread.
void InitializeMutant(struct _KMUTANT* mutant, bool initialOwner);
// One release by the owner; STATUS_MUTANT_NOT_OWNED (and no change) for any other thread.
// *previous: the SignalState before (0 = owned once, negative = owned recursively).
NTSTATUS ReleaseMutant(struct _KMUTANT* mutant, LONG* previous);
// NtQueryMutant's view: CurrentCount (SignalState), owned by the caller, abandoned.
void QueryMutant(struct _KMUTANT* mutant, LONG* currentCount, bool* ownedByCaller, bool* abandoned);
// KeReleaseSemaphore without the exception: STATUS_SEMAPHORE_LIMIT_EXCEEDED (no change) when
// the count would pass the limit.
NTSTATUS ReleaseSemaphore(struct _KSEMAPHORE* semaphore, LONG adjustment, LONG* previous);
// Object deletion: unlinks a still-owned mutant from its owner thread.
void DeleteMutant(struct _KMUTANT* mutant);

} // namespace ntsim::ke
