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

} // namespace ntsim::ke
