// Kernel-internal interface of the executive: pools (with per-tag accounting like poolmon and
// a list of live allocations for leak reports), lookaside lists.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ntdef.h"
#include "km/types.h"

struct _WORK_QUEUE_ITEM; // km/ex.h

namespace ntsim::ex {

void Initialize();
void Shutdown();

// Kernel-internal allocations (object bodies, IRPs, system buffers) go through the same pool
// as drivers' so that poolmon-style accounting sees them.
PVOID AllocatePool(POOL_TYPE type, SIZE_T size, ULONG tag);
void FreePool(PVOID p);

// One row of `!poolused` / poolmon.
struct PoolTagStats {
    ULONG tag;
    bool paged;
    uint64_t allocs;
    uint64_t frees;
    uint64_t bytes; // currently allocated
};
std::vector<PoolTagStats> QueryPoolTags();

// Allocations still alive whose allocating call came from code in [begin, end): the loader's
// leak check after DriverUnload.
struct LiveAllocation {
    PVOID address;
    SIZE_T size;
    ULONG tag;
    bool paged;
    const void* caller;
};
std::vector<LiveAllocation> LiveAllocationsFrom(uintptr_t begin, uintptr_t end);

// "Abcd" for tag 'dcbA' (tags are stored little-endian, printed in memory order).
std::string TagToString(ULONG tag);

// ---- additions (ex helper) ------------------------------------------------------------------

// The live pool block that starts at `p` (the address an allocator returned), if any:
// `!pool`-style lookups for the debugger and crash dumps. Never touches memory it does not own.
bool QueryPoolBlock(const void* p, LiveAllocation* info);

// Low-resources simulation (verifier fault injection, tests): called before every pool
// allocation; returning true makes that allocation fail as if memory were exhausted. An empty
// function removes the injector.
using PoolFailureInjector = std::function<bool(bool paged, SIZE_T size, ULONG tag)>;
void SetPoolFailureInjector(PoolFailureInjector injector);

// Where the pool reads the current IRQL for its IRQL rules (paged pool above APC_LEVEL, any
// pool above DISPATCH_LEVEL). Default (nullptr): ntsim::ke::CurrentIrql() when the Ke component
// provides it, else PASSIVE_LEVEL. Tests install a fake source.
using IrqlSource = KIRQL (*)();
void SetIrqlSourceForTesting(IrqlSource source);

// The balance-set manager's periodic lookaside scan (Windows runs it once a second): adjusts
// each registered lookaside list's Depth between 4 and MaximumDepth from its miss rate since
// the previous scan. Whoever owns the once-a-second system thread calls it.
void AdjustLookasideDepths();

// Number of lookaside lists currently initialised and not yet deleted.
size_t ActiveLookasideListCount();

// ---- additions (locks helper) -----------------------------------------------------------------

// Number of ERESOURCEs initialised and not yet deleted (the system resource list, `!locks`).
size_t ActiveResourceCount();

// ---- additions (threads helper) ---------------------------------------------------------------
// System worker queues (kernel/ex/work_queue.cpp). Queues `item` (WorkerRoutine/Parameter set)
// to the queue's worker thread; `imageToken` (ldr::BeginImageWork) is released after the routine
// returned. Worker threads are System-process threads started on first use.
void QueueWorkItem(::_WORK_QUEUE_ITEM* item, ULONG queueType, uintptr_t imageToken);
// Priority of a queue's worker threads (Critical 13, Delayed 12, HyperCritical 15...).
KPRIORITY WorkQueuePriority(ULONG queueType);
// Thread ids of the worker threads started so far (tests, `ntsim ps`).
std::vector<HANDLE> WorkerThreadIds();

// ---- additions (apc helper): \KernelObjects memory condition events ----
// Creates the permanent notification events \KernelObjects\{Low,High}MemoryCondition,
// {Low,High}PagedPoolCondition, {Low,High}NonPagedPoolCondition, {Low,High}CommitCondition and
// MaximumCommitCondition (boot, after the object manager). High* start signalled.
void InitializeKernelObjectEvents();
// The event by its name in \KernelObjects (any case), or null.
PKEVENT KernelObjectEvent(const std::u16string& name);
// Sets (signaled) or clears one of them: STATUS_OBJECT_NAME_NOT_FOUND for an unknown name.
NTSTATUS SetKernelObjectEvent(const std::u16string& name, bool signaled);

// ---- additions (sync helper): object system services on captured arguments ----
// The bodies of Nt{Create,Open,Set,...}{Event,Semaphore,Mutant}, NtWaitFor*, NtDelayExecution,
// NtQueueApcThread and NtTestAlert, for callers whose arguments are already in kernel memory
// (the lpc system-call dispatcher; the Nt*/Zw* exports after probing and capturing). `mode` is
// the previous mode: it decides handle access checks, whether a new handle is a user handle,
// and whether a wait is a UserMode wait (alertable ones then end with STATUS_USER_APC).
enum class EventOperation { Set, Reset, Clear, Pulse };
// `type` is the caller's raw EVENT_TYPE value: anything but the two enumerators is
// STATUS_INVALID_PARAMETER (read as an integer: an out-of-range enum value is undefined in C++).
NTSTATUS CreateEventObject(HANDLE* handle, ACCESS_MASK access, const OBJECT_ATTRIBUTES* attributes,
                           ULONG type, BOOLEAN initialState, KPROCESSOR_MODE mode);
NTSTATUS OpenEventObject(HANDLE* handle, ACCESS_MASK access, const OBJECT_ATTRIBUTES* attributes,
                         KPROCESSOR_MODE mode);
NTSTATUS ChangeEventObject(HANDLE handle, EventOperation operation, LONG* previousState,
                           KPROCESSOR_MODE mode);
NTSTATUS CreateSemaphoreObject(HANDLE* handle, ACCESS_MASK access,
                               const OBJECT_ATTRIBUTES* attributes, LONG initialCount,
                               LONG maximumCount, KPROCESSOR_MODE mode);
NTSTATUS OpenSemaphoreObject(HANDLE* handle, ACCESS_MASK access,
                             const OBJECT_ATTRIBUTES* attributes, KPROCESSOR_MODE mode);
NTSTATUS ReleaseSemaphoreObject(HANDLE handle, LONG releaseCount, LONG* previousCount,
                                KPROCESSOR_MODE mode);
NTSTATUS QuerySemaphoreObject(HANDLE handle, LONG* currentCount, LONG* maximumCount,
                              KPROCESSOR_MODE mode);
NTSTATUS CreateMutantObject(HANDLE* handle, ACCESS_MASK access, const OBJECT_ATTRIBUTES* attributes,
                            BOOLEAN initialOwner, KPROCESSOR_MODE mode);
NTSTATUS OpenMutantObject(HANDLE* handle, ACCESS_MASK access, const OBJECT_ATTRIBUTES* attributes,
                          KPROCESSOR_MODE mode);
NTSTATUS ReleaseMutantObject(HANDLE handle, LONG* previousCount, KPROCESSOR_MODE mode);
NTSTATUS QueryMutantObject(HANDLE handle, LONG* currentCount, BOOLEAN* ownedByCaller,
                           BOOLEAN* abandoned, KPROCESSOR_MODE mode);
// timeout: null = infinite; negative relative, positive absolute (100 ns units).
NTSTATUS WaitForSingleHandle(HANDLE handle, BOOLEAN alertable, const LARGE_INTEGER* timeout,
                             KPROCESSOR_MODE mode);
NTSTATUS WaitForMultipleHandles(ULONG count, const HANDLE* handles, WAIT_TYPE type,
                                BOOLEAN alertable, const LARGE_INTEGER* timeout,
                                KPROCESSOR_MODE mode);
// STATUS_SUCCESS when the interval elapsed, STATUS_USER_APC / STATUS_ALERTED when an alertable
// delay was ended early.
NTSTATUS DelayExecution(BOOLEAN alertable, const LARGE_INTEGER* interval, KPROCESSOR_MODE mode);
// Queues a user APC (routine and arguments are the target's user-mode values; they are only
// handed back when the thread runs its APCs) to the thread of a handle with THREAD_SET_CONTEXT.
NTSTATUS QueueApcThreadObject(HANDLE thread, PVOID routine, PVOID argument1, PVOID argument2,
                              PVOID argument3, KPROCESSOR_MODE mode);
// NtTestAlert: STATUS_ALERTED if the caller was alerted in `mode` (clearing it), else
// STATUS_SUCCESS; with user APCs queued they become pending for the return to user mode.
NTSTATUS TestAlert(KPROCESSOR_MODE mode);

} // namespace ntsim::ex
