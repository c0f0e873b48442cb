// Kernel core (Ke) part of wdm.h (ntsim SDK): interlocked operations, IRQL, processors, spin
// locks, dispatcher objects (event, semaphore, mutex, timer), DPC/APC layouts, device queues,
// waits and time. Part of wdm.h; do not include directly.
//
// Every structure a driver allocates has the x64 Windows size and field offsets (checked by the
// static_asserts after each one): drivers embed them in their own structures.
#pragma once

#include <km/types.h>

// ==== Interlocked operations ===================================================================
// On Windows these are compiler intrinsics; here they are inline functions over the GCC __atomic
// builtins. The plain names are full barriers (sequentially consistent); the Acquire/Release/
// NoFence variants map to the full-barrier form, which is stronger than they promise.

#ifdef __cplusplus
#define NTSIM_ILK_FN inline __attribute__((always_inline))
#else
#define NTSIM_ILK_FN static inline __attribute__((always_inline))
#endif
#define NTSIM_SC __ATOMIC_SEQ_CST

NTSIM_ILK_FN LONG _InterlockedIncrement(LONG volatile* Addend) {
    return __atomic_add_fetch(Addend, 1, NTSIM_SC);
}
NTSIM_ILK_FN LONG _InterlockedDecrement(LONG volatile* Addend) {
    return __atomic_sub_fetch(Addend, 1, NTSIM_SC);
}
NTSIM_ILK_FN LONG _InterlockedExchange(LONG volatile* Target, LONG Value) {
    return __atomic_exchange_n(Target, Value, NTSIM_SC);
}
NTSIM_ILK_FN LONG _InterlockedExchangeAdd(LONG volatile* Addend, LONG Value) {
    return __atomic_fetch_add(Addend, Value, NTSIM_SC);
}
NTSIM_ILK_FN LONG _InterlockedAdd(LONG volatile* Addend, LONG Value) {
    return __atomic_add_fetch(Addend, Value, NTSIM_SC);
}
// Returns the initial value of *Destination (not a flag).
NTSIM_ILK_FN LONG _InterlockedCompareExchange(LONG volatile* Destination, LONG Exchange,
                                              LONG Comperand) {
    __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, NTSIM_SC, NTSIM_SC);
    return Comperand;
}
NTSIM_ILK_FN LONG _InterlockedAnd(LONG volatile* Destination, LONG Value) {
    return __atomic_fetch_and(Destination, Value, NTSIM_SC);
}
NTSIM_ILK_FN LONG _InterlockedOr(LONG volatile* Destination, LONG Value) {
    return __atomic_fetch_or(Destination, Value, NTSIM_SC);
}
NTSIM_ILK_FN LONG _InterlockedXor(LONG volatile* Destination, LONG Value) {
    return __atomic_fetch_xor(Destination, Value, NTSIM_SC);
}

NTSIM_ILK_FN LONG64 _InterlockedIncrement64(LONG64 volatile* Addend) {
    return __atomic_add_fetch(Addend, 1, NTSIM_SC);
}
NTSIM_ILK_FN LONG64 _InterlockedDecrement64(LONG64 volatile* Addend) {
    return __atomic_sub_fetch(Addend, 1, NTSIM_SC);
}
NTSIM_ILK_FN LONG64 _InterlockedExchange64(LONG64 volatile* Target, LONG64 Value) {
    return __atomic_exchange_n(Target, Value, NTSIM_SC);
}
NTSIM_ILK_FN LONG64 _InterlockedExchangeAdd64(LONG64 volatile* Addend, LONG64 Value) {
    return __atomic_fetch_add(Addend, Value, NTSIM_SC);
}
NTSIM_ILK_FN LONG64 _InterlockedAdd64(LONG64 volatile* Addend, LONG64 Value) {
    return __atomic_add_fetch(Addend, Value, NTSIM_SC);
}
NTSIM_ILK_FN LONG64 _InterlockedCompareExchange64(LONG64 volatile* Destination, LONG64 Exchange,
                                                  LONG64 Comperand) {
    __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, NTSIM_SC, NTSIM_SC);
    return Comperand;
}
NTSIM_ILK_FN LONG64 _InterlockedAnd64(LONG64 volatile* Destination, LONG64 Value) {
    return __atomic_fetch_and(Destination, Value, NTSIM_SC);
}
NTSIM_ILK_FN LONG64 _InterlockedOr64(LONG64 volatile* Destination, LONG64 Value) {
    return __atomic_fetch_or(Destination, Value, NTSIM_SC);
}
NTSIM_ILK_FN LONG64 _InterlockedXor64(LONG64 volatile* Destination, LONG64 Value) {
    return __atomic_fetch_xor(Destination, Value, NTSIM_SC);
}

NTSIM_ILK_FN SHORT _InterlockedIncrement16(SHORT volatile* Addend) {
    return __atomic_add_fetch(Addend, 1, NTSIM_SC);
}
NTSIM_ILK_FN SHORT _InterlockedDecrement16(SHORT volatile* Addend) {
    return __atomic_sub_fetch(Addend, 1, NTSIM_SC);
}
NTSIM_ILK_FN SHORT _InterlockedExchange16(SHORT volatile* Target, SHORT Value) {
    return __atomic_exchange_n(Target, Value, NTSIM_SC);
}
NTSIM_ILK_FN SHORT _InterlockedCompareExchange16(SHORT volatile* Destination, SHORT Exchange,
                                                 SHORT Comperand) {
    __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, NTSIM_SC, NTSIM_SC);
    return Comperand;
}
NTSIM_ILK_FN CHAR _InterlockedExchange8(CHAR volatile* Target, CHAR Value) {
    return __atomic_exchange_n(Target, Value, NTSIM_SC);
}
NTSIM_ILK_FN CHAR _InterlockedAnd8(CHAR volatile* Destination, CHAR Value) {
    return __atomic_fetch_and(Destination, Value, NTSIM_SC);
}
NTSIM_ILK_FN CHAR _InterlockedOr8(CHAR volatile* Destination, CHAR Value) {
    return __atomic_fetch_or(Destination, Value, NTSIM_SC);
}
NTSIM_ILK_FN CHAR _InterlockedXor8(CHAR volatile* Destination, CHAR Value) {
    return __atomic_fetch_xor(Destination, Value, NTSIM_SC);
}

NTSIM_ILK_FN PVOID _InterlockedExchangePointer(PVOID volatile* Target, PVOID Value) {
    return __atomic_exchange_n(Target, Value, NTSIM_SC);
}
NTSIM_ILK_FN PVOID _InterlockedCompareExchangePointer(PVOID volatile* Destination, PVOID Exchange,
                                                      PVOID Comperand) {
    __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, NTSIM_SC, NTSIM_SC);
    return Comperand;
}

// 128-bit compare-exchange: compares *Destination with *ComparandResult; if equal stores
// {ExchangeLow, ExchangeHigh} and returns 1, otherwise returns 0. Either way ComparandResult
// receives the original value. Destination must be 16-byte aligned (cmpxchg16b).
NTSIM_ILK_FN UCHAR _InterlockedCompareExchange128(LONG64 volatile* Destination, LONG64 ExchangeHigh,
                                                  LONG64 ExchangeLow, LONG64* ComparandResult) {
    UCHAR equal;
    __asm__ __volatile__("lock cmpxchg16b %1"
                         : "=@ccz"(equal), "+m"(*(volatile __int128*)Destination),
                           "+a"(ComparandResult[0]), "+d"(ComparandResult[1])
                         : "b"(ExchangeLow), "c"(ExchangeHigh)
                         : "memory");
    return equal;
}

#define InterlockedIncrement _InterlockedIncrement
#define InterlockedDecrement _InterlockedDecrement
#define InterlockedExchange _InterlockedExchange
#define InterlockedExchangeAdd _InterlockedExchangeAdd
#define InterlockedAdd _InterlockedAdd
#define InterlockedCompareExchange _InterlockedCompareExchange
#define InterlockedAnd _InterlockedAnd
#define InterlockedOr _InterlockedOr
#define InterlockedXor _InterlockedXor
#define InterlockedIncrement64 _InterlockedIncrement64
#define InterlockedDecrement64 _InterlockedDecrement64
#define InterlockedExchange64 _InterlockedExchange64
#define InterlockedExchangeAdd64 _InterlockedExchangeAdd64
#define InterlockedAdd64 _InterlockedAdd64
#define InterlockedCompareExchange64 _InterlockedCompareExchange64
#define InterlockedAnd64 _InterlockedAnd64
#define InterlockedOr64 _InterlockedOr64
#define InterlockedXor64 _InterlockedXor64
#define InterlockedIncrement16 _InterlockedIncrement16
#define InterlockedDecrement16 _InterlockedDecrement16
#define InterlockedExchange16 _InterlockedExchange16
#define InterlockedCompareExchange16 _InterlockedCompareExchange16
#define InterlockedExchange8 _InterlockedExchange8
#define InterlockedAnd8 _InterlockedAnd8
#define InterlockedOr8 _InterlockedOr8
#define InterlockedXor8 _InterlockedXor8
#define InterlockedExchangePointer _InterlockedExchangePointer
#define InterlockedCompareExchangePointer _InterlockedCompareExchangePointer
#define InterlockedCompareExchange128 _InterlockedCompareExchange128

// Ordering variants: all full barriers here.
#define InterlockedIncrementAcquire InterlockedIncrement
#define InterlockedIncrementRelease InterlockedIncrement
#define InterlockedIncrementNoFence InterlockedIncrement
#define InterlockedDecrementAcquire InterlockedDecrement
#define InterlockedDecrementRelease InterlockedDecrement
#define InterlockedDecrementNoFence InterlockedDecrement
#define InterlockedExchangeAcquire InterlockedExchange
#define InterlockedExchangeNoFence InterlockedExchange
#define InterlockedExchangeAddAcquire InterlockedExchangeAdd
#define InterlockedExchangeAddRelease InterlockedExchangeAdd
#define InterlockedExchangeAddNoFence InterlockedExchangeAdd
#define InterlockedAddAcquire InterlockedAdd
#define InterlockedAddRelease InterlockedAdd
#define InterlockedAddNoFence InterlockedAdd
#define InterlockedCompareExchangeAcquire InterlockedCompareExchange
#define InterlockedCompareExchangeRelease InterlockedCompareExchange
#define InterlockedCompareExchangeNoFence InterlockedCompareExchange
#define InterlockedAndAcquire InterlockedAnd
#define InterlockedAndRelease InterlockedAnd
#define InterlockedAndNoFence InterlockedAnd
#define InterlockedOrAcquire InterlockedOr
#define InterlockedOrRelease InterlockedOr
#define InterlockedOrNoFence InterlockedOr
#define InterlockedXorAcquire InterlockedXor
#define InterlockedXorRelease InterlockedXor
#define InterlockedXorNoFence InterlockedXor
#define InterlockedIncrementAcquire64 InterlockedIncrement64
#define InterlockedIncrementRelease64 InterlockedIncrement64
#define InterlockedIncrementNoFence64 InterlockedIncrement64
#define InterlockedDecrementAcquire64 InterlockedDecrement64
#define InterlockedDecrementRelease64 InterlockedDecrement64
#define InterlockedDecrementNoFence64 InterlockedDecrement64
#define InterlockedExchangeAcquire64 InterlockedExchange64
#define InterlockedExchangeNoFence64 InterlockedExchange64
#define InterlockedExchangeAddAcquire64 InterlockedExchangeAdd64
#define InterlockedExchangeAddRelease64 InterlockedExchangeAdd64
#define InterlockedExchangeAddNoFence64 InterlockedExchangeAdd64
#define InterlockedAddAcquire64 InterlockedAdd64
#define InterlockedAddRelease64 InterlockedAdd64
#define InterlockedAddNoFence64 InterlockedAdd64
#define InterlockedCompareExchangeAcquire64 InterlockedCompareExchange64
#define InterlockedCompareExchangeRelease64 InterlockedCompareExchange64
#define InterlockedCompareExchangeNoFence64 InterlockedCompareExchange64
#define InterlockedAnd64Acquire InterlockedAnd64
#define InterlockedAnd64Release InterlockedAnd64
#define InterlockedAnd64NoFence InterlockedAnd64
#define InterlockedOr64Acquire InterlockedOr64
#define InterlockedOr64Release InterlockedOr64
#define InterlockedOr64NoFence InterlockedOr64
#define InterlockedXor64Acquire InterlockedXor64
#define InterlockedXor64Release InterlockedXor64
#define InterlockedXor64NoFence InterlockedXor64
#define InterlockedExchangePointerAcquire InterlockedExchangePointer
#define InterlockedExchangePointerNoFence InterlockedExchangePointer
#define InterlockedCompareExchangePointerAcquire InterlockedCompareExchangePointer
#define InterlockedCompareExchangePointerRelease InterlockedCompareExchangePointer
#define InterlockedCompareExchangePointerNoFence InterlockedCompareExchangePointer

// Plain loads and stores with ordering (WDK ReadXxx/WriteXxx helpers).
NTSIM_ILK_FN LONG ReadAcquire(LONG const volatile* Source) {
    return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
NTSIM_ILK_FN LONG ReadNoFence(LONG const volatile* Source) {
    return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
NTSIM_ILK_FN void WriteRelease(LONG volatile* Destination, LONG Value) {
    __atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
NTSIM_ILK_FN void WriteNoFence(LONG volatile* Destination, LONG Value) {
    __atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
NTSIM_ILK_FN LONG64 ReadAcquire64(LONG64 const volatile* Source) {
    return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
NTSIM_ILK_FN LONG64 ReadNoFence64(LONG64 const volatile* Source) {
    return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
NTSIM_ILK_FN void WriteRelease64(LONG64 volatile* Destination, LONG64 Value) {
    __atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
NTSIM_ILK_FN void WriteNoFence64(LONG64 volatile* Destination, LONG64 Value) {
    __atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
NTSIM_ILK_FN PVOID ReadPointerAcquire(PVOID const volatile* Source) {
    return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
NTSIM_ILK_FN PVOID ReadPointerNoFence(PVOID const volatile* Source) {
    return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
NTSIM_ILK_FN void WritePointerRelease(PVOID volatile* Destination, PVOID Value) {
    __atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
NTSIM_ILK_FN void WritePointerNoFence(PVOID volatile* Destination, PVOID Value) {
    __atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}

// Barriers and the spin-wait hint.
#ifndef _ReadWriteBarrier
#define _ReadWriteBarrier() __asm__ __volatile__("" ::: "memory")
#endif
#define KeMemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define KeMemoryBarrierWithoutFence() _ReadWriteBarrier()
#ifndef MemoryBarrier
#define MemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#ifndef YieldProcessor
#define YieldProcessor() __builtin_ia32_pause()
#endif
#ifndef _mm_pause
#define _mm_pause() __builtin_ia32_pause()
#endif

// ==== Constants ================================================================================
// Thread priorities.
#define LOW_PRIORITY 0
#define LOW_REALTIME_PRIORITY 16
#define HIGH_PRIORITY 31
#define MAXIMUM_PRIORITY 32

// Access rights of the dispatcher object types.
#define EVENT_QUERY_STATE 0x0001
#define EVENT_MODIFY_STATE 0x0002
#define EVENT_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3)
#define SEMAPHORE_QUERY_STATE 0x0001
#define SEMAPHORE_MODIFY_STATE 0x0002
#define SEMAPHORE_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3)
#define MUTANT_QUERY_STATE 0x0001
#define MUTANT_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | MUTANT_QUERY_STATE)
#define TIMER_QUERY_STATE 0x0001
#define TIMER_MODIFY_STATE 0x0002
#define TIMER_ALL_ACCESS                                                                           \
    (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | TIMER_QUERY_STATE | TIMER_MODIFY_STATE)

// Kernel object type codes (DISPATCHER_HEADER.Type, KDPC.Type, KAPC.Type, KDEVICE_QUEUE.Type).
typedef enum _KOBJECTS {
    EventNotificationObject = 0,
    EventSynchronizationObject = 1,
    MutantObject = 2,
    ProcessObject = 3,
    QueueObject = 4,
    SemaphoreObject = 5,
    ThreadObject = 6,
    GateObject = 7,
    TimerNotificationObject = 8,
    TimerSynchronizationObject = 9,
    Spare2Object = 10,
    Spare3Object = 11,
    Spare4Object = 12,
    Spare5Object = 13,
    Spare6Object = 14,
    Spare7Object = 15,
    Spare8Object = 16,
    ProfileCallbackObject = 17,
    ApcObject = 18,
    DpcObject = 19,
    DeviceQueueObject = 20,
    PriQueueObject = 21,
    InterruptObject = 22,
    ProfileObject = 23,
    Timer2NotificationObject = 24,
    Timer2SynchronizationObject = 25,
    ThreadedDpcObject = 26,
    MaximumKernelObject = 27
} KOBJECTS;

#define TIMER_TOLERABLE_DELAY_BITS 6
#define TIMER_EXPIRED_INDEX_BITS 6
#define TIMER_PROCESSOR_INDEX_BITS 5

#define DPC_NORMAL 0
#define DPC_THREADED 1
typedef enum _KDPC_IMPORTANCE {
    LowImportance,
    MediumImportance,
    HighImportance,
    MediumHighImportance
} KDPC_IMPORTANCE;

// Processors and groups.
#define MAXIMUM_PROC_PER_GROUP 64
#define MAXIMUM_PROCESSORS MAXIMUM_PROC_PER_GROUP
#define ALL_PROCESSOR_GROUPS 0xffff
#define INVALID_PROCESSOR_INDEX 0xffffffff

typedef struct _PROCESSOR_NUMBER {
    USHORT Group;
    UCHAR Number;
    UCHAR Reserved;
} PROCESSOR_NUMBER, *PPROCESSOR_NUMBER;
static_assert(sizeof(PROCESSOR_NUMBER) == 4, "PROCESSOR_NUMBER");
static_assert(__builtin_offsetof(PROCESSOR_NUMBER, Group) == 0, "PROCESSOR_NUMBER.Group");
static_assert(__builtin_offsetof(PROCESSOR_NUMBER, Number) == 2, "PROCESSOR_NUMBER.Number");
static_assert(__builtin_offsetof(PROCESSOR_NUMBER, Reserved) == 3, "PROCESSOR_NUMBER.Reserved");

// ==== Callback types (implemented by drivers; default calling convention) ======================
typedef VOID KDEFERRED_ROUTINE(struct _KDPC* Dpc, PVOID DeferredContext, PVOID SystemArgument1,
                               PVOID SystemArgument2);
typedef KDEFERRED_ROUTINE* PKDEFERRED_ROUTINE;
typedef VOID KSTART_ROUTINE(PVOID StartContext);
typedef KSTART_ROUTINE* PKSTART_ROUTINE;
typedef BOOLEAN KSYNCHRONIZE_ROUTINE(PVOID SynchronizeContext);
typedef KSYNCHRONIZE_ROUTINE* PKSYNCHRONIZE_ROUTINE;
typedef BOOLEAN KSERVICE_ROUTINE(struct _KINTERRUPT* Interrupt, PVOID ServiceContext);
typedef KSERVICE_ROUTINE* PKSERVICE_ROUTINE;
typedef ULONG_PTR KIPI_BROADCAST_WORKER(ULONG_PTR Argument);
typedef KIPI_BROADCAST_WORKER* PKIPI_BROADCAST_WORKER;
typedef VOID KNORMAL_ROUTINE(PVOID NormalContext, PVOID SystemArgument1, PVOID SystemArgument2);
typedef KNORMAL_ROUTINE* PKNORMAL_ROUTINE;
typedef VOID KKERNEL_ROUTINE(struct _KAPC* Apc, PKNORMAL_ROUTINE* NormalRoutine,
                             PVOID* NormalContext, PVOID* SystemArgument1, PVOID* SystemArgument2);
typedef KKERNEL_ROUTINE* PKKERNEL_ROUTINE;
typedef VOID KRUNDOWN_ROUTINE(struct _KAPC* Apc);
typedef KRUNDOWN_ROUTINE* PKRUNDOWN_ROUTINE;

// ==== Dispatcher objects =======================================================================
// Common header of every waitable kernel object. The first 4 bytes are viewed differently per
// object kind; Type is always the first byte.
typedef struct _DISPATCHER_HEADER {
    union {
        union {
            volatile LONG Lock;
            LONG LockNV;
        };
        struct { // events, semaphores, gates...
            UCHAR Type;
            UCHAR Signalling;
            UCHAR Size; // in 4-byte units
            UCHAR Reserved1;
        };
        struct { // timers
            UCHAR TimerType;
            union {
                UCHAR TimerControlFlags;
                struct {
                    UCHAR Absolute : 1;
                    UCHAR Wake : 1;
                    UCHAR EncodedTolerableDelay : TIMER_TOLERABLE_DELAY_BITS;
                };
            };
            UCHAR Hand;
            union {
                UCHAR TimerMiscFlags;
                struct {
                    UCHAR Index : TIMER_EXPIRED_INDEX_BITS;
                    UCHAR Inserted : 1;
                    volatile UCHAR Expired : 1;
                };
            };
        };
        struct { // high-resolution timers
            UCHAR Timer2Type;
            union {
                UCHAR Timer2Flags;
                struct {
                    UCHAR Timer2Inserted : 1;
                    UCHAR Timer2Expiring : 1;
                    UCHAR Timer2CancelPending : 1;
                    UCHAR Timer2SetPending : 1;
                    UCHAR Timer2Running : 1;
                    UCHAR Timer2Disabled : 1;
                    UCHAR Timer2ReservedFlags : 2;
                };
            };
            UCHAR Timer2ComponentId;
            UCHAR Timer2RelativeId;
        };
        struct { // queues
            UCHAR QueueType;
            union {
                UCHAR QueueControlFlags;
                struct {
                    UCHAR Abandoned : 1;
                    UCHAR DisableIncrement : 1;
                    UCHAR QueueReservedControlFlags : 6;
                };
            };
            UCHAR QueueSize;
            UCHAR QueueReserved;
        };
        struct { // threads
            UCHAR ThreadType;
            UCHAR ThreadReserved;
            union {
                UCHAR ThreadControlFlags;
                struct {
                    UCHAR CycleProfiling : 1;
                    UCHAR CounterProfiling : 1;
                    UCHAR GroupScheduling : 1;
                    UCHAR AffinitySet : 1;
                    UCHAR Tagged : 1;
                    UCHAR EnergyProfiling : 1;
                    UCHAR SchedulerAssist : 1;
                    UCHAR ThreadReservedControlFlags : 1;
                };
            };
            union {
                UCHAR DebugActive;
                struct {
                    BOOLEAN ActiveDR7 : 1;
                    BOOLEAN Instrumented : 1;
                    BOOLEAN Minimal : 1;
                    BOOLEAN Reserved4 : 2;
                    BOOLEAN AltSyscall : 1;
                    BOOLEAN UmsScheduled : 1;
                    BOOLEAN UmsPrimary : 1;
                };
            };
        };
        struct { // mutants
            UCHAR MutantType;
            UCHAR MutantSize;
            BOOLEAN DpcActive;
            UCHAR MutantReserved;
        };
    };
    LONG SignalState;
    LIST_ENTRY WaitListHead; // KWAIT_BLOCK.WaitListEntry of the waiters
} DISPATCHER_HEADER, *PDISPATCHER_HEADER;
static_assert(sizeof(DISPATCHER_HEADER) == 0x18, "DISPATCHER_HEADER size");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, Lock) == 0x00, "DISPATCHER_HEADER.Lock");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, LockNV) == 0x00, "DISPATCHER_HEADER.LockNV");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, Type) == 0x00, "DISPATCHER_HEADER.Type");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, Signalling) == 0x01,
              "DISPATCHER_HEADER.Signalling");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, Size) == 0x02, "DISPATCHER_HEADER.Size");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, Reserved1) == 0x03,
              "DISPATCHER_HEADER.Reserved1");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, TimerType) == 0x00,
              "DISPATCHER_HEADER.TimerType");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, TimerControlFlags) == 0x01,
              "DISPATCHER_HEADER.TimerControlFlags");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, Hand) == 0x02, "DISPATCHER_HEADER.Hand");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, TimerMiscFlags) == 0x03,
              "DISPATCHER_HEADER.TimerMiscFlags");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, Timer2Type) == 0x00,
              "DISPATCHER_HEADER.Timer2Type");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, Timer2Flags) == 0x01,
              "DISPATCHER_HEADER.Timer2Flags");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, Timer2ComponentId) == 0x02,
              "DISPATCHER_HEADER.Timer2ComponentId");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, Timer2RelativeId) == 0x03,
              "DISPATCHER_HEADER.Timer2RelativeId");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, QueueType) == 0x00,
              "DISPATCHER_HEADER.QueueType");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, QueueControlFlags) == 0x01,
              "DISPATCHER_HEADER.QueueControlFlags");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, QueueSize) == 0x02,
              "DISPATCHER_HEADER.QueueSize");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, QueueReserved) == 0x03,
              "DISPATCHER_HEADER.QueueReserved");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, ThreadType) == 0x00,
              "DISPATCHER_HEADER.ThreadType");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, ThreadReserved) == 0x01,
              "DISPATCHER_HEADER.ThreadReserved");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, ThreadControlFlags) == 0x02,
              "DISPATCHER_HEADER.ThreadControlFlags");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, DebugActive) == 0x03,
              "DISPATCHER_HEADER.DebugActive");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, MutantType) == 0x00,
              "DISPATCHER_HEADER.MutantType");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, MutantSize) == 0x01,
              "DISPATCHER_HEADER.MutantSize");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, DpcActive) == 0x02,
              "DISPATCHER_HEADER.DpcActive");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, MutantReserved) == 0x03,
              "DISPATCHER_HEADER.MutantReserved");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, SignalState) == 0x04,
              "DISPATCHER_HEADER.SignalState");
static_assert(__builtin_offsetof(DISPATCHER_HEADER, WaitListHead) == 0x08,
              "DISPATCHER_HEADER.WaitListHead");

typedef struct _KEVENT {
    DISPATCHER_HEADER Header;
} KEVENT, *PKEVENT, *RESTRICTED_POINTER PRKEVENT;
static_assert(sizeof(KEVENT) == 0x18, "KEVENT size");
static_assert(__builtin_offsetof(KEVENT, Header) == 0x00, "KEVENT.Header");

typedef struct _KGATE {
    DISPATCHER_HEADER Header;
} KGATE, *PKGATE;
static_assert(sizeof(KGATE) == 0x18, "KGATE size");
static_assert(__builtin_offsetof(KGATE, Header) == 0x00, "KGATE.Header");

typedef struct _KSEMAPHORE {
    DISPATCHER_HEADER Header;
    LONG Limit;
} KSEMAPHORE, *PKSEMAPHORE, *RESTRICTED_POINTER PRKSEMAPHORE;
static_assert(sizeof(KSEMAPHORE) == 0x20, "KSEMAPHORE size");
static_assert(__builtin_offsetof(KSEMAPHORE, Header) == 0x00, "KSEMAPHORE.Header");
static_assert(__builtin_offsetof(KSEMAPHORE, Limit) == 0x18, "KSEMAPHORE.Limit");

typedef struct _KMUTANT {
    DISPATCHER_HEADER Header;
    LIST_ENTRY MutantListEntry; // in the owner thread's list of owned mutants
    struct _KTHREAD* RESTRICTED_POINTER OwnerThread;
    union {
        UCHAR MutantFlags;
        struct {
            UCHAR Abandoned : 1;
            UCHAR Spare1 : 7;
        };
    };
    UCHAR ApcDisable;
} KMUTANT, *PKMUTANT, *RESTRICTED_POINTER PRKMUTANT, KMUTEX, *PKMUTEX, *RESTRICTED_POINTER PRKMUTEX;
static_assert(sizeof(KMUTANT) == 0x38, "KMUTANT size");
static_assert(__builtin_offsetof(KMUTANT, Header) == 0x00, "KMUTANT.Header");
static_assert(__builtin_offsetof(KMUTANT, MutantListEntry) == 0x18, "KMUTANT.MutantListEntry");
static_assert(__builtin_offsetof(KMUTANT, OwnerThread) == 0x28, "KMUTANT.OwnerThread");
static_assert(__builtin_offsetof(KMUTANT, MutantFlags) == 0x30, "KMUTANT.MutantFlags");
static_assert(__builtin_offsetof(KMUTANT, ApcDisable) == 0x31, "KMUTANT.ApcDisable");

typedef struct _KTIMER {
    DISPATCHER_HEADER Header;
    ULARGE_INTEGER DueTime;
    LIST_ENTRY TimerListEntry;
    struct _KDPC* Dpc;
    ULONG Processor;
    ULONG Period; // milliseconds, 0 = one-shot
} KTIMER, *PKTIMER, *RESTRICTED_POINTER PRKTIMER;
static_assert(sizeof(KTIMER) == 0x40, "KTIMER size");
static_assert(__builtin_offsetof(KTIMER, Header) == 0x00, "KTIMER.Header");
static_assert(__builtin_offsetof(KTIMER, DueTime) == 0x18, "KTIMER.DueTime");
static_assert(__builtin_offsetof(KTIMER, TimerListEntry) == 0x20, "KTIMER.TimerListEntry");
static_assert(__builtin_offsetof(KTIMER, Dpc) == 0x30, "KTIMER.Dpc");
static_assert(__builtin_offsetof(KTIMER, Processor) == 0x38, "KTIMER.Processor");
static_assert(__builtin_offsetof(KTIMER, Period) == 0x3C, "KTIMER.Period");

// One wait of one thread on one object; a thread waiting on N objects uses N of them.
typedef struct _KWAIT_BLOCK {
    LIST_ENTRY WaitListEntry; // in the object's DISPATCHER_HEADER.WaitListHead
    UCHAR WaitType;
    volatile UCHAR BlockState;
    USHORT WaitKey; // index of the object in the wait
    LONG SpareLong;
    union {
        struct _KTHREAD* Thread;
        struct _KQUEUE* NotificationQueue;
        struct _KDPC* Dpc;
    };
    PVOID Object;
    PVOID SparePtr;
} KWAIT_BLOCK, *PKWAIT_BLOCK, *RESTRICTED_POINTER PRKWAIT_BLOCK;
static_assert(sizeof(KWAIT_BLOCK) == 0x30, "KWAIT_BLOCK size");
static_assert(__builtin_offsetof(KWAIT_BLOCK, WaitListEntry) == 0x00, "KWAIT_BLOCK.WaitListEntry");
static_assert(__builtin_offsetof(KWAIT_BLOCK, WaitType) == 0x10, "KWAIT_BLOCK.WaitType");
static_assert(__builtin_offsetof(KWAIT_BLOCK, BlockState) == 0x11, "KWAIT_BLOCK.BlockState");
static_assert(__builtin_offsetof(KWAIT_BLOCK, WaitKey) == 0x12, "KWAIT_BLOCK.WaitKey");
static_assert(__builtin_offsetof(KWAIT_BLOCK, SpareLong) == 0x14, "KWAIT_BLOCK.SpareLong");
static_assert(__builtin_offsetof(KWAIT_BLOCK, Thread) == 0x18, "KWAIT_BLOCK.Thread");
static_assert(__builtin_offsetof(KWAIT_BLOCK, NotificationQueue) == 0x18,
              "KWAIT_BLOCK.NotificationQueue");
static_assert(__builtin_offsetof(KWAIT_BLOCK, Dpc) == 0x18, "KWAIT_BLOCK.Dpc");
static_assert(__builtin_offsetof(KWAIT_BLOCK, Object) == 0x20, "KWAIT_BLOCK.Object");
static_assert(__builtin_offsetof(KWAIT_BLOCK, SparePtr) == 0x28, "KWAIT_BLOCK.SparePtr");

// Guarded mutex (own layout: Count, Owner, Contention, Gate, APC-disable counts).
typedef struct _KGUARDED_MUTEX {
    volatile LONG Count;
    struct _KTHREAD* Owner;
    ULONG Contention;
    KGATE Gate;
    union {
        struct {
            SHORT KernelApcDisable;
            SHORT SpecialApcDisable;
        };
        ULONG CombinedApcDisable;
    };
} KGUARDED_MUTEX, *PKGUARDED_MUTEX;
static_assert(sizeof(KGUARDED_MUTEX) == 0x38, "KGUARDED_MUTEX size");
static_assert(__builtin_offsetof(KGUARDED_MUTEX, Count) == 0x00, "KGUARDED_MUTEX.Count");
static_assert(__builtin_offsetof(KGUARDED_MUTEX, Owner) == 0x08, "KGUARDED_MUTEX.Owner");
static_assert(__builtin_offsetof(KGUARDED_MUTEX, Contention) == 0x10, "KGUARDED_MUTEX.Contention");
static_assert(__builtin_offsetof(KGUARDED_MUTEX, Gate) == 0x18, "KGUARDED_MUTEX.Gate");
static_assert(__builtin_offsetof(KGUARDED_MUTEX, KernelApcDisable) == 0x30,
              "KGUARDED_MUTEX.KernelApcDisable");
static_assert(__builtin_offsetof(KGUARDED_MUTEX, SpecialApcDisable) == 0x32,
              "KGUARDED_MUTEX.SpecialApcDisable");
static_assert(__builtin_offsetof(KGUARDED_MUTEX, CombinedApcDisable) == 0x30,
              "KGUARDED_MUTEX.CombinedApcDisable");

// Guarded mutexes (kernel/ke/guarded_mutex.cpp). Count bit 0 set = free (GM_LOCK_BIT).
#define GM_LOCK_BIT 0x1
#define GM_LOCK_BIT_V 0x0
#define GM_LOCK_WAITER_WOKEN 0x2
#define GM_LOCK_WAITER_INC 0x4
EXTERN_C_START
NTKERNELAPI VOID NTAPI KeInitializeGuardedMutex(PKGUARDED_MUTEX Mutex);
NTKERNELAPI VOID NTAPI KeAcquireGuardedMutex(PKGUARDED_MUTEX Mutex);
NTKERNELAPI VOID NTAPI KeReleaseGuardedMutex(PKGUARDED_MUTEX Mutex);
NTKERNELAPI BOOLEAN NTAPI KeTryToAcquireGuardedMutex(PKGUARDED_MUTEX Mutex);
NTKERNELAPI VOID NTAPI KeAcquireGuardedMutexUnsafe(PKGUARDED_MUTEX FastMutex);
NTKERNELAPI VOID NTAPI KeReleaseGuardedMutexUnsafe(PKGUARDED_MUTEX FastMutex);
EXTERN_C_END

// ==== DPC and APC objects ======================================================================
typedef struct _KDPC {
    union {
        ULONG TargetInfoAsUlong;
        struct {
            UCHAR Type; // DpcObject or ThreadedDpcObject
            UCHAR Importance;
            volatile USHORT Number; // target processor
        };
    };
    SINGLE_LIST_ENTRY DpcListEntry;
    KAFFINITY ProcessorHistory;
    PKDEFERRED_ROUTINE DeferredRoutine;
    PVOID DeferredContext;
    PVOID SystemArgument1;
    PVOID SystemArgument2;
    __volatile PVOID DpcData; // non-NULL while queued
} KDPC, *PKDPC, *RESTRICTED_POINTER PRKDPC;
static_assert(sizeof(KDPC) == 0x40, "KDPC size");
static_assert(__builtin_offsetof(KDPC, TargetInfoAsUlong) == 0x00, "KDPC.TargetInfoAsUlong");
static_assert(__builtin_offsetof(KDPC, Type) == 0x00, "KDPC.Type");
static_assert(__builtin_offsetof(KDPC, Importance) == 0x01, "KDPC.Importance");
static_assert(__builtin_offsetof(KDPC, Number) == 0x02, "KDPC.Number");
static_assert(__builtin_offsetof(KDPC, DpcListEntry) == 0x08, "KDPC.DpcListEntry");
static_assert(__builtin_offsetof(KDPC, ProcessorHistory) == 0x10, "KDPC.ProcessorHistory");
static_assert(__builtin_offsetof(KDPC, DeferredRoutine) == 0x18, "KDPC.DeferredRoutine");
static_assert(__builtin_offsetof(KDPC, DeferredContext) == 0x20, "KDPC.DeferredContext");
static_assert(__builtin_offsetof(KDPC, SystemArgument1) == 0x28, "KDPC.SystemArgument1");
static_assert(__builtin_offsetof(KDPC, SystemArgument2) == 0x30, "KDPC.SystemArgument2");
static_assert(__builtin_offsetof(KDPC, DpcData) == 0x38, "KDPC.DpcData");

typedef struct _KAPC {
    UCHAR Type; // ApcObject
    UCHAR AllFlags;
    UCHAR Size;
    UCHAR SpareByte1;
    ULONG SpareLong0;
    struct _KTHREAD* Thread;
    LIST_ENTRY ApcListEntry;
    PVOID Reserved[3]; // kernel, rundown and normal routines
    PVOID NormalContext;
    PVOID SystemArgument1;
    PVOID SystemArgument2;
    CCHAR ApcStateIndex;
    KPROCESSOR_MODE ApcMode;
    BOOLEAN Inserted;
} KAPC, *PKAPC, *RESTRICTED_POINTER PRKAPC;
static_assert(sizeof(KAPC) == 0x58, "KAPC size");
static_assert(__builtin_offsetof(KAPC, Type) == 0x00, "KAPC.Type");
static_assert(__builtin_offsetof(KAPC, AllFlags) == 0x01, "KAPC.AllFlags");
static_assert(__builtin_offsetof(KAPC, Size) == 0x02, "KAPC.Size");
static_assert(__builtin_offsetof(KAPC, SpareByte1) == 0x03, "KAPC.SpareByte1");
static_assert(__builtin_offsetof(KAPC, SpareLong0) == 0x04, "KAPC.SpareLong0");
static_assert(__builtin_offsetof(KAPC, Thread) == 0x08, "KAPC.Thread");
static_assert(__builtin_offsetof(KAPC, ApcListEntry) == 0x10, "KAPC.ApcListEntry");
static_assert(__builtin_offsetof(KAPC, Reserved) == 0x20, "KAPC.Reserved");
static_assert(__builtin_offsetof(KAPC, NormalContext) == 0x38, "KAPC.NormalContext");
static_assert(__builtin_offsetof(KAPC, SystemArgument1) == 0x40, "KAPC.SystemArgument1");
static_assert(__builtin_offsetof(KAPC, SystemArgument2) == 0x48, "KAPC.SystemArgument2");
static_assert(__builtin_offsetof(KAPC, ApcStateIndex) == 0x50, "KAPC.ApcStateIndex");
static_assert(__builtin_offsetof(KAPC, ApcMode) == 0x51, "KAPC.ApcMode");
static_assert(__builtin_offsetof(KAPC, Inserted) == 0x52, "KAPC.Inserted");

// ==== Spin locks ===============================================================================
// A KSPIN_LOCK (km/types.h) is 0 when free, so a zeroed never-initialised lock works.
typedef struct _KSPIN_LOCK_QUEUE {
    struct _KSPIN_LOCK_QUEUE* volatile Next;
    PKSPIN_LOCK volatile Lock;
} KSPIN_LOCK_QUEUE, *PKSPIN_LOCK_QUEUE;
static_assert(sizeof(KSPIN_LOCK_QUEUE) == 0x10, "KSPIN_LOCK_QUEUE size");
static_assert(__builtin_offsetof(KSPIN_LOCK_QUEUE, Next) == 0x00, "KSPIN_LOCK_QUEUE.Next");
static_assert(__builtin_offsetof(KSPIN_LOCK_QUEUE, Lock) == 0x08, "KSPIN_LOCK_QUEUE.Lock");

typedef struct _KLOCK_QUEUE_HANDLE {
    KSPIN_LOCK_QUEUE LockQueue;
    KIRQL OldIrql;
} KLOCK_QUEUE_HANDLE, *PKLOCK_QUEUE_HANDLE;
static_assert(sizeof(KLOCK_QUEUE_HANDLE) == 0x18, "KLOCK_QUEUE_HANDLE size");
static_assert(__builtin_offsetof(KLOCK_QUEUE_HANDLE, LockQueue) == 0x00,
              "KLOCK_QUEUE_HANDLE.LockQueue");
static_assert(__builtin_offsetof(KLOCK_QUEUE_HANDLE, OldIrql) == 0x10,
              "KLOCK_QUEUE_HANDLE.OldIrql");

// ==== Device queues ============================================================================
typedef struct _KDEVICE_QUEUE {
    CSHORT Type; // DeviceQueueObject
    CSHORT Size;
    LIST_ENTRY DeviceListHead;
    KSPIN_LOCK Lock;
    union {
        BOOLEAN Busy;
        struct {
            LONG64 Reserved : 8;
            LONG64 Hint : 56;
        };
    };
} KDEVICE_QUEUE, *PKDEVICE_QUEUE, *RESTRICTED_POINTER PRKDEVICE_QUEUE;
static_assert(sizeof(KDEVICE_QUEUE) == 0x28, "KDEVICE_QUEUE size");
static_assert(__builtin_offsetof(KDEVICE_QUEUE, Type) == 0x00, "KDEVICE_QUEUE.Type");
static_assert(__builtin_offsetof(KDEVICE_QUEUE, Size) == 0x02, "KDEVICE_QUEUE.Size");
static_assert(__builtin_offsetof(KDEVICE_QUEUE, DeviceListHead) == 0x08,
              "KDEVICE_QUEUE.DeviceListHead");
static_assert(__builtin_offsetof(KDEVICE_QUEUE, Lock) == 0x18, "KDEVICE_QUEUE.Lock");
static_assert(__builtin_offsetof(KDEVICE_QUEUE, Busy) == 0x20, "KDEVICE_QUEUE.Busy");

typedef struct _KDEVICE_QUEUE_ENTRY {
    LIST_ENTRY DeviceListEntry;
    ULONG SortKey;
    BOOLEAN Inserted;
} KDEVICE_QUEUE_ENTRY, *PKDEVICE_QUEUE_ENTRY, *RESTRICTED_POINTER PRKDEVICE_QUEUE_ENTRY;
static_assert(sizeof(KDEVICE_QUEUE_ENTRY) == 0x18, "KDEVICE_QUEUE_ENTRY size");
static_assert(__builtin_offsetof(KDEVICE_QUEUE_ENTRY, DeviceListEntry) == 0x00,
              "KDEVICE_QUEUE_ENTRY.DeviceListEntry");
static_assert(__builtin_offsetof(KDEVICE_QUEUE_ENTRY, SortKey) == 0x10,
              "KDEVICE_QUEUE_ENTRY.SortKey");
static_assert(__builtin_offsetof(KDEVICE_QUEUE_ENTRY, Inserted) == 0x14,
              "KDEVICE_QUEUE_ENTRY.Inserted");

// ==== Floating point state (nothing to save on x64) ============================================
typedef struct _KFLOATING_SAVE {
    ULONG Dummy;
} KFLOATING_SAVE, *PKFLOATING_SAVE;
static_assert(sizeof(KFLOATING_SAVE) == 4, "KFLOATING_SAVE size");
static_assert(__builtin_offsetof(KFLOATING_SAVE, Dummy) == 0, "KFLOATING_SAVE.Dummy");

// ==== Routines =================================================================================
EXTERN_C_START

// IRQL. KeRaiseIrql must raise and KeLowerIrql must lower (bug checks 0x9 / 0xA otherwise).
NTKERNELAPI KIRQL NTAPI KeGetCurrentIrql(VOID);
NTKERNELAPI KIRQL NTAPI KfRaiseIrql(KIRQL NewIrql);
NTKERNELAPI VOID NTAPI KfLowerIrql(KIRQL NewIrql);
NTKERNELAPI VOID NTAPI KeLowerIrql(KIRQL NewIrql);
NTKERNELAPI KIRQL NTAPI KeRaiseIrqlToDpcLevel(VOID);
NTKERNELAPI KIRQL NTAPI KeRaiseIrqlToSynchLevel(VOID);
#define KeRaiseIrql(a, b) *(b) = KfRaiseIrql(a)

// Processors.
extern NTSYSAPI CCHAR KeNumberProcessors;
NTKERNELAPI ULONG NTAPI KeGetCurrentProcessorNumber(VOID);
NTKERNELAPI ULONG NTAPI KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber);
NTKERNELAPI ULONG NTAPI KeGetCurrentProcessorIndex(VOID);
NTKERNELAPI ULONG NTAPI KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors);
NTKERNELAPI ULONG NTAPI KeQueryActiveProcessorCountEx(USHORT GroupNumber);
NTKERNELAPI ULONG NTAPI KeQueryMaximumProcessorCount(VOID);
NTKERNELAPI ULONG NTAPI KeQueryMaximumProcessorCountEx(USHORT GroupNumber);
NTKERNELAPI KAFFINITY NTAPI KeQueryActiveProcessors(VOID);
NTKERNELAPI USHORT NTAPI KeQueryActiveGroupCount(VOID);
NTKERNELAPI USHORT NTAPI KeQueryMaximumGroupCount(VOID);
NTKERNELAPI ULONG NTAPI KeGetProcessorIndexFromNumber(PPROCESSOR_NUMBER ProcNumber);
NTKERNELAPI NTSTATUS NTAPI KeGetProcessorNumberFromIndex(ULONG ProcIndex,
                                                         PPROCESSOR_NUMBER ProcNumber);
NTHALAPI VOID NTAPI KeStallExecutionProcessor(ULONG MicroSeconds);

// Spin locks.
NTKERNELAPI VOID NTAPI KeInitializeSpinLock(PKSPIN_LOCK SpinLock);
NTKERNELAPI KIRQL NTAPI KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock);
NTKERNELAPI VOID NTAPI KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql);
NTKERNELAPI VOID NTAPI KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
NTKERNELAPI VOID NTAPI KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock);
NTKERNELAPI BOOLEAN NTAPI KeTryToAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
NTKERNELAPI BOOLEAN NTAPI KeTestSpinLock(PKSPIN_LOCK SpinLock);
NTKERNELAPI VOID NTAPI KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock,
                                                      PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI VOID NTAPI KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI VOID NTAPI KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock,
                                                                PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI VOID NTAPI KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle);

// ntsim: KeAcquireSpinLock and KeReleaseSpinLock are inline here, as x64 Windows inlines the
// IRQL itself (KeGetCurrentIrql is a CR8 read). A call costs more than the uncontended lock, so
// the common case (raising from below DISPATCH_LEVEL on the processor the thread kept from its
// last DISPATCH section, a free lock) touches only the head of Ke's per-thread record and calls
// the exported routines above for everything else, including every check and bug check.
// Kernel-private layout, checked against Ke's own types in kernel/ke/ki.h.
typedef struct _NTSIM_KDISPATCH_LOCK {
    ULONG_PTR Owner; // the thread record owning the processor | 1 if someone waits
    LONG Host;
    SIZE_T DpcsQueued; // the processor's DPC queue length
} NTSIM_KDISPATCH_LOCK;
typedef struct _NTSIM_KTHREAD_HEAD {
    // The first four bytes are one word for the inline paths below; below DISPATCH_LEVEL
    // WaitNext is always FALSE (lowering ends a hand-off) and Reserved is always 0.
    KIRQL Irql;
    BOOLEAN HoldsProcessor; // at DISPATCH_LEVEL on DispatchCpu
    BOOLEAN WaitNext;       // a Wait = TRUE set/release: stays at DISPATCH_LEVEL until a wait
    UCHAR Reserved;
    ULONG DispatchCpu;
    struct _KTHREAD* Thread;
    // DispatchCpu's lock while the thread may raise on it again without a call, else a lock
    // nobody owns.
    NTSIM_KDISPATCH_LOCK* LazyProcessor;
    BOOLEAN KernelApcPending; // delivered on reaching PASSIVE_LEVEL (set by other threads)
} NTSIM_KTHREAD_HEAD;
// The calling thread's record (NULL until Ke first sees the thread).
extern __thread NTSIM_KTHREAD_HEAD* NtsimKiCurrentThread __attribute__((tls_model("initial-exec")));
// After an inline KeReleaseSpinLock lowered below DISPATCH_LEVEL: gives the processor back if
// another thread waits for it, runs the DPCs queued meanwhile, delivers kernel APCs.
NTKERNELAPI VOID NTAPI KiFinishLowerIrql(VOID);

// Irql and HoldsProcessor change together, in one 32-bit store of the head's first word (and
// are read back the same way: a load of bytes stored separately would stall store forwarding).
FORCEINLINE VOID NtsimSetIrqlHoldsProcessor(NTSIM_KTHREAD_HEAD* Thread, KIRQL Irql, BOOLEAN Holds) {
    ULONG word = (ULONG)Irql | ((ULONG)Holds << 8); // WaitNext FALSE, Reserved 0
    __builtin_memcpy(&Thread->Irql, &word, sizeof(word));
}
FORCEINLINE ULONG NtsimIrqlWord(const NTSIM_KTHREAD_HEAD* Thread) {
    ULONG word;
    __builtin_memcpy(&word, &Thread->Irql, sizeof(word));
    return word;
}
// At DISPATCH_LEVEL holding the processor, no Wait = TRUE hand-off pending.
#define NTSIM_IRQL_WORD_DISPATCH ((ULONG)DISPATCH_LEVEL | ((ULONG)TRUE << 8))

FORCEINLINE KIRQL NtsimAcquireSpinLockInline(PKSPIN_LOCK SpinLock) {
    NTSIM_KTHREAD_HEAD* thread = NtsimKiCurrentThread;
    if (__builtin_expect(!thread || thread->Irql >= DISPATCH_LEVEL, 0))
        return KeAcquireSpinLockRaiseToDpc(SpinLock);
    KIRQL oldIrql = thread->Irql;
    // HoldsProcessor is set before looking: a thread taking the processor over reads it (same
    // CPU, so no fence).
    NtsimSetIrqlHoldsProcessor(thread, DISPATCH_LEVEL, TRUE);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (__builtin_expect((__atomic_load_n(&thread->LazyProcessor->Owner, __ATOMIC_RELAXED) &
                          ~(ULONG_PTR)1) != (ULONG_PTR)thread,
                         0)) {
        NtsimSetIrqlHoldsProcessor(thread, oldIrql, FALSE);
        return KeAcquireSpinLockRaiseToDpc(SpinLock);
    }
    ULONG_PTR expected = 0;
    if (__builtin_expect(!__atomic_compare_exchange_n(SpinLock, &expected, (ULONG_PTR)thread | 1, 0,
                                                      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED),
                         0))
        KeAcquireSpinLockAtDpcLevel(SpinLock); // waits, or bug checks a recursive acquire
    return oldIrql;
}

FORCEINLINE VOID NtsimReleaseSpinLockInline(PKSPIN_LOCK SpinLock, KIRQL NewIrql) {
    NTSIM_KTHREAD_HEAD* thread = NtsimKiCurrentThread;
    if (__builtin_expect(!thread || NtsimIrqlWord(thread) != NTSIM_IRQL_WORD_DISPATCH ||
                             NewIrql >= DISPATCH_LEVEL ||
                             __atomic_load_n(SpinLock, __ATOMIC_RELAXED) != ((ULONG_PTR)thread | 1),
                         0)) {
        KeReleaseSpinLock(SpinLock, NewIrql);
        return;
    }
    __atomic_store_n(SpinLock, (ULONG_PTR)0, __ATOMIC_RELEASE);
    // From here on the processor may be taken over.
    NtsimSetIrqlHoldsProcessor(thread, NewIrql, FALSE);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    NTSIM_KDISPATCH_LOCK* processor = thread->LazyProcessor;
    if (__builtin_expect(__atomic_load_n(&processor->Owner, __ATOMIC_RELAXED) !=
                                 (ULONG_PTR)thread ||
                             __atomic_load_n(&processor->DpcsQueued, __ATOMIC_RELAXED) != 0 ||
                             (NewIrql == PASSIVE_LEVEL &&
                              __atomic_load_n(&thread->KernelApcPending, __ATOMIC_RELAXED)),
                         0))
        KiFinishLowerIrql();
}

#define KeAcquireSpinLock(SpinLock, OldIrql) *(OldIrql) = NtsimAcquireSpinLockInline(SpinLock)
#define KeReleaseSpinLock(SpinLock, NewIrql) NtsimReleaseSpinLockInline(SpinLock, NewIrql)

// Events.
NTKERNELAPI VOID NTAPI KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State);
NTKERNELAPI LONG NTAPI KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
NTKERNELAPI LONG NTAPI KeResetEvent(PRKEVENT Event);
NTKERNELAPI VOID NTAPI KeClearEvent(PRKEVENT Event);
NTKERNELAPI LONG NTAPI KeReadStateEvent(PRKEVENT Event);
NTKERNELAPI LONG NTAPI KePulseEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);

// Semaphores. KeReleaseSemaphore raises STATUS_SEMAPHORE_LIMIT_EXCEEDED past the limit.
NTKERNELAPI VOID NTAPI KeInitializeSemaphore(PRKSEMAPHORE Semaphore, LONG Count, LONG Limit);
NTKERNELAPI LONG NTAPI KeReleaseSemaphore(PRKSEMAPHORE Semaphore, KPRIORITY Increment,
                                          LONG Adjustment, BOOLEAN Wait);
NTKERNELAPI LONG NTAPI KeReadStateSemaphore(PRKSEMAPHORE Semaphore);

// Mutexes. Only the owner may release (THREAD_NOT_MUTEX_OWNER otherwise); recursion counts.
NTKERNELAPI VOID NTAPI KeInitializeMutex(PRKMUTEX Mutex, ULONG Level);
NTKERNELAPI LONG NTAPI KeReleaseMutex(PRKMUTEX Mutex, BOOLEAN Wait);
NTKERNELAPI LONG NTAPI KeReadStateMutex(PRKMUTEX Mutex);

// Waits. Timeout: NULL = infinite, negative = relative, positive = absolute system time,
// zero = poll; 100 ns units.
NTKERNELAPI NTSTATUS NTAPI KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
                                                 KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                                 PLARGE_INTEGER Timeout);
NTKERNELAPI NTSTATUS NTAPI KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
                                                    KWAIT_REASON WaitReason,
                                                    KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                                    PLARGE_INTEGER Timeout,
                                                    PKWAIT_BLOCK WaitBlockArray);
#define KeWaitForMutexObject KeWaitForSingleObject
NTKERNELAPI NTSTATUS NTAPI KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                                                  PLARGE_INTEGER Interval);

// Affinity of the calling thread (system affinity: the thread runs only on those processors).
NTKERNELAPI KAFFINITY NTAPI KeSetSystemAffinityThreadEx(KAFFINITY Affinity);
NTKERNELAPI VOID NTAPI KeRevertToUserAffinityThreadEx(KAFFINITY Affinity);
NTKERNELAPI VOID NTAPI KeSetSystemAffinityThread(KAFFINITY Affinity);
NTKERNELAPI VOID NTAPI KeRevertToUserAffinityThread(VOID);

// DPCs. A DPC runs at DISPATCH_LEVEL on its target processor (a threaded DPC at PASSIVE_LEVEL).
NTKERNELAPI VOID NTAPI KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
                                       PVOID DeferredContext);
NTKERNELAPI VOID NTAPI KeInitializeThreadedDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
                                               PVOID DeferredContext);
NTKERNELAPI BOOLEAN NTAPI KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1,
                                           PVOID SystemArgument2);
NTKERNELAPI BOOLEAN NTAPI KeRemoveQueueDpc(PRKDPC Dpc);
NTKERNELAPI VOID NTAPI KeFlushQueuedDpcs(VOID);
NTKERNELAPI VOID NTAPI KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance);
NTKERNELAPI VOID NTAPI KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number);
NTKERNELAPI NTSTATUS NTAPI KeSetTargetProcessorDpcEx(PKDPC Dpc, PPROCESSOR_NUMBER ProcNumber);

// Timers. DueTime: negative = relative, positive = absolute system time (100 ns units);
// Period in milliseconds (0: one-shot).
NTKERNELAPI VOID NTAPI KeInitializeTimer(PKTIMER Timer);
NTKERNELAPI VOID NTAPI KeInitializeTimerEx(PKTIMER Timer, TIMER_TYPE Type);
NTKERNELAPI BOOLEAN NTAPI KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc);
NTKERNELAPI BOOLEAN NTAPI KeSetTimerEx(PKTIMER Timer, LARGE_INTEGER DueTime, LONG Period,
                                       PKDPC Dpc);
NTKERNELAPI BOOLEAN NTAPI KeCancelTimer(PKTIMER Timer);
NTKERNELAPI BOOLEAN NTAPI KeReadStateTimer(PKTIMER Timer);

// Time. System time: 100 ns units since 1601-01-01 UTC. Interrupt time: 100 ns units since an
// arbitrary start (monotonic). Performance counter: 10 MHz.
NTKERNELAPI VOID NTAPI KeQuerySystemTime(PLARGE_INTEGER CurrentTime);
NTKERNELAPI VOID NTAPI KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime);
NTKERNELAPI ULONGLONG NTAPI KeQueryInterruptTime(VOID);
NTKERNELAPI ULONG64 NTAPI KeQueryInterruptTimePrecise(PULONG64 QpcTimeStamp);
NTKERNELAPI ULONGLONG NTAPI KeQueryUnbiasedInterruptTime(VOID);
NTKERNELAPI VOID NTAPI KeQueryTickCount(PLARGE_INTEGER CurrentCount);
NTKERNELAPI ULONG NTAPI KeQueryTimeIncrement(VOID);
NTKERNELAPI LARGE_INTEGER NTAPI KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency);

// Critical regions disable normal kernel APCs (and user APCs); guarded regions disable all
// APCs. Entries nest; leaving a region that was not entered bug checks APC_INDEX_MISMATCH.
NTKERNELAPI VOID NTAPI KeEnterCriticalRegion(VOID);
NTKERNELAPI VOID NTAPI KeLeaveCriticalRegion(VOID);
NTKERNELAPI VOID NTAPI KeEnterGuardedRegion(VOID);
NTKERNELAPI VOID NTAPI KeLeaveGuardedRegion(VOID);
NTKERNELAPI BOOLEAN NTAPI KeAreApcsDisabled(VOID);
NTKERNELAPI BOOLEAN NTAPI KeAreAllApcsDisabled(VOID);

// APCs. Not in the WDK headers (undocumented but exported by the kernel); declared here with
// the kernel's calling convention so drivers that use them call them correctly.
typedef enum _KAPC_ENVIRONMENT {
    OriginalApcEnvironment,
    AttachedApcEnvironment,
    CurrentApcEnvironment,
    InsertApcEnvironment
} KAPC_ENVIRONMENT;
NTKERNELAPI VOID NTAPI KeInitializeApc(PRKAPC Apc, PRKTHREAD Thread, KAPC_ENVIRONMENT Environment,
                                       PKKERNEL_ROUTINE KernelRoutine,
                                       PKRUNDOWN_ROUTINE RundownRoutine,
                                       PKNORMAL_ROUTINE NormalRoutine, KPROCESSOR_MODE ApcMode,
                                       PVOID NormalContext);
NTKERNELAPI BOOLEAN NTAPI KeInsertQueueApc(PRKAPC Apc, PVOID SystemArgument1, PVOID SystemArgument2,
                                           KPRIORITY Increment);
NTKERNELAPI BOOLEAN NTAPI KeRemoveQueueApc(PKAPC Apc);
NTKERNELAPI BOOLEAN NTAPI KeTestAlertThread(KPROCESSOR_MODE AlertMode);
NTKERNELAPI BOOLEAN NTAPI KeAlertThread(PRKTHREAD Thread, KPROCESSOR_MODE AlertMode);

// Thread priorities (0 lowest .. 31 highest; 16..31 real-time). KeSetPriorityThread returns the
// old priority; KeSetBasePriorityThread sets the base relative to the process's and returns the
// previous increment.
NTKERNELAPI KPRIORITY NTAPI KeSetPriorityThread(PKTHREAD Thread, KPRIORITY Priority);
NTKERNELAPI KPRIORITY NTAPI KeQueryPriorityThread(PKTHREAD Thread);
NTKERNELAPI LONG NTAPI KeSetBasePriorityThread(PKTHREAD Thread, LONG Increment);

// Device queues (StartIo queuing). Insert/remove are called at DISPATCH_LEVEL.
NTKERNELAPI VOID NTAPI KeInitializeDeviceQueue(PKDEVICE_QUEUE DeviceQueue);
NTKERNELAPI BOOLEAN NTAPI KeInsertDeviceQueue(PKDEVICE_QUEUE DeviceQueue,
                                              PKDEVICE_QUEUE_ENTRY DeviceQueueEntry);
NTKERNELAPI BOOLEAN NTAPI KeInsertByKeyDeviceQueue(PKDEVICE_QUEUE DeviceQueue,
                                                   PKDEVICE_QUEUE_ENTRY DeviceQueueEntry,
                                                   ULONG SortKey);
NTKERNELAPI PKDEVICE_QUEUE_ENTRY NTAPI KeRemoveDeviceQueue(PKDEVICE_QUEUE DeviceQueue);
NTKERNELAPI PKDEVICE_QUEUE_ENTRY NTAPI KeRemoveByKeyDeviceQueue(PKDEVICE_QUEUE DeviceQueue,
                                                                ULONG SortKey);
NTKERNELAPI PKDEVICE_QUEUE_ENTRY NTAPI KeRemoveByKeyDeviceQueueIfBusy(PKDEVICE_QUEUE DeviceQueue,
                                                                      ULONG SortKey);
NTKERNELAPI BOOLEAN NTAPI KeRemoveEntryDeviceQueue(PKDEVICE_QUEUE DeviceQueue,
                                                   PKDEVICE_QUEUE_ENTRY DeviceQueueEntry);

EXTERN_C_END
