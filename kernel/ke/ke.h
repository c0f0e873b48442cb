// Kernel-internal interface of the Ke component: IRQL, the dispatcher (one wait engine for
// every dispatcher object), processors.
#pragma once

#include "ntdef.h"
#include "km/types.h"

typedef struct _DISPATCHER_HEADER DISPATCHER_HEADER;

namespace ntsim::ke {

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

// Clocks, for components that stamp records (debug log, process times).
LONGLONG SystemTime();     // 100 ns since 1601-01-01 UTC (CLOCK_REALTIME)
ULONGLONG InterruptTime(); // 100 ns, monotonic (CLOCK_MONOTONIC)

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

} // namespace ntsim::ke
