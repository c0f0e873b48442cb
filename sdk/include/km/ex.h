// Part of wdm.h/ntddk.h (ntsim SDK): the executive (Ex*), owned by kernel/ex.
//
// Pools (ExAllocatePool2/3, the older ExAllocatePoolWith* family, ExFreePool*), interlocked
// singly linked lists (SLIST), lookaside lists, and the layouts of the executive's
// synchronization structures (FAST_MUTEX, ERESOURCE, work items, push locks, rundown refs).
// Every structure a driver can embed has the x64 Windows size and field offsets, checked below.
#pragma once

#include <km/types.h>
#include <km/ke.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- pool type modifiers (OR-ed into a POOL_TYPE) -------------------------------------------
#define BASE_POOL_TYPE_MASK 1
#define POOL_MUST_SUCCEED_MASK 2
#define POOL_CACHE_ALIGNED_MASK 4
#define POOL_QUOTA_FAIL_INSTEAD_OF_RAISE 8
#define POOL_RAISE_IF_ALLOCATION_FAILURE 16
#define POOL_SESSION_MASK 32
#define POOL_COLD_ALLOCATION 256
#define POOL_NX_ALLOCATION 512
#define POOL_ZERO_ALLOCATION 1024

// Tag bit that marks a protected allocation (freeing must pass the same tag).
#define PROTECTED_POOL 0x80000000

typedef enum _EX_POOL_PRIORITY {
    LowPoolPriority = 0,
    LowPoolPrioritySpecialPoolOverrun = 8,
    LowPoolPrioritySpecialPoolUnderrun = 9,
    NormalPoolPriority = 16,
    NormalPoolPrioritySpecialPoolOverrun = 24,
    NormalPoolPrioritySpecialPoolUnderrun = 25,
    HighPoolPriority = 32,
    HighPoolPrioritySpecialPoolOverrun = 40,
    HighPoolPrioritySpecialPoolUnderrun = 41
} EX_POOL_PRIORITY;

// ---- ExAllocatePool3 extended parameters ----------------------------------------------------
typedef enum POOL_EXTENDED_PARAMETER_TYPE {
    PoolExtendedParameterInvalidType = 0,
    PoolExtendedParameterPriority,
    PoolExtendedParameterSecurePool,
    PoolExtendedParameterNumaNode,
    PoolExtendedParameterMax
} POOL_EXTENDED_PARAMETER_TYPE,
    *PPOOL_EXTENDED_PARAMETER_TYPE;

#define POOL_EXTENDED_PARAMETER_TYPE_BITS 8
#define POOL_EXTENDED_PARAMETER_REQUIRED_FIELD_BITS 1
#define POOL_EXTENDED_PARAMETER_RESERVED_BITS                                                      \
    (64 - POOL_EXTENDED_PARAMETER_TYPE_BITS - POOL_EXTENDED_PARAMETER_REQUIRED_FIELD_BITS)

#define SECURE_POOL_FLAGS_NONE 0x0
#define SECURE_POOL_FLAGS_FREEABLE 0x1
#define SECURE_POOL_FLAGS_MODIFIABLE 0x2

typedef struct _POOL_EXTENDED_PARAMS_SECURE_POOL {
    HANDLE SecurePoolHandle;
    PVOID Buffer;
    ULONG_PTR Cookie;
    ULONG SecurePoolFlags;
} POOL_EXTENDED_PARAMS_SECURE_POOL;
static_assert(sizeof(POOL_EXTENDED_PARAMS_SECURE_POOL) == 0x20, "POOL_EXTENDED_PARAMS_SECURE_POOL");
static_assert(__builtin_offsetof(POOL_EXTENDED_PARAMS_SECURE_POOL, SecurePoolHandle) == 0x00 &&
                  __builtin_offsetof(POOL_EXTENDED_PARAMS_SECURE_POOL, Buffer) == 0x08 &&
                  __builtin_offsetof(POOL_EXTENDED_PARAMS_SECURE_POOL, Cookie) == 0x10 &&
                  __builtin_offsetof(POOL_EXTENDED_PARAMS_SECURE_POOL, SecurePoolFlags) == 0x18,
              "POOL_EXTENDED_PARAMS_SECURE_POOL offsets");

typedef ULONG POOL_NODE_REQUIREMENT;
#define MM_ANY_NODE_OK 0x80000000

typedef struct _POOL_EXTENDED_PARAMETER {
    struct {
        ULONG64 Type : POOL_EXTENDED_PARAMETER_TYPE_BITS;
        ULONG64 Optional : POOL_EXTENDED_PARAMETER_REQUIRED_FIELD_BITS;
        ULONG64 Reserved : POOL_EXTENDED_PARAMETER_RESERVED_BITS;
    };
    union {
        ULONG64 Reserved2;
        PVOID Reserved3;
        EX_POOL_PRIORITY Priority;
        POOL_EXTENDED_PARAMS_SECURE_POOL* SecurePoolParams;
        POOL_NODE_REQUIREMENT PreferredNode;
    };
} POOL_EXTENDED_PARAMETER, *PPOOL_EXTENDED_PARAMETER;
typedef const POOL_EXTENDED_PARAMETER* PCPOOL_EXTENDED_PARAMETER;
static_assert(sizeof(POOL_EXTENDED_PARAMETER) == 16, "POOL_EXTENDED_PARAMETER");
static_assert(__builtin_offsetof(POOL_EXTENDED_PARAMETER, Reserved2) == 8 &&
                  __builtin_offsetof(POOL_EXTENDED_PARAMETER, Priority) == 8 &&
                  __builtin_offsetof(POOL_EXTENDED_PARAMETER, SecurePoolParams) == 8 &&
                  __builtin_offsetof(POOL_EXTENDED_PARAMETER, PreferredNode) == 8,
              "POOL_EXTENDED_PARAMETER offsets");

// ---- pool allocation ------------------------------------------------------------------------
NTKERNELAPI PVOID NTAPI ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag);
NTKERNELAPI PVOID NTAPI ExAllocatePool3(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag,
                                        PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                                        ULONG ExtendedParametersCount);
NTKERNELAPI PVOID NTAPI ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
// Deprecated, untagged: the allocation carries the tag 'enoN' ("None").
NTKERNELAPI PVOID NTAPI ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes);
// Charges the current process's quota; raises on failure unless the pool type carries
// POOL_QUOTA_FAIL_INSTEAD_OF_RAISE.
NTKERNELAPI PVOID NTAPI ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                                   ULONG Tag);
NTKERNELAPI PVOID NTAPI ExAllocatePoolWithTagPriority(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                                      ULONG Tag, EX_POOL_PRIORITY Priority);

NTKERNELAPI VOID NTAPI ExFreePool(PVOID P);
NTKERNELAPI VOID NTAPI ExFreePoolWithTag(PVOID P, ULONG Tag);
NTKERNELAPI VOID NTAPI ExFreePool2(PVOID P, ULONG Tag, PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                                   ULONG ExtendedParametersCount);

// WDK wrappers (Windows 10 2004 WDK): zeroing / non-zeroing variants of the older routines.
FORCEINLINE PVOID ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag) {
    return ExAllocatePoolWithTag((POOL_TYPE)(PoolType | POOL_ZERO_ALLOCATION), NumberOfBytes, Tag);
}
FORCEINLINE PVOID ExAllocatePoolUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag) {
    return ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag);
}
FORCEINLINE PVOID ExAllocatePoolQuotaZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag) {
    return ExAllocatePoolWithQuotaTag((POOL_TYPE)(PoolType | POOL_ZERO_ALLOCATION), NumberOfBytes,
                                      Tag);
}
FORCEINLINE PVOID ExAllocatePoolQuotaUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                                   ULONG Tag) {
    return ExAllocatePoolWithQuotaTag(PoolType, NumberOfBytes, Tag);
}
FORCEINLINE PVOID ExAllocatePoolPriorityZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                             EX_POOL_PRIORITY Priority) {
    return ExAllocatePoolWithTagPriority((POOL_TYPE)(PoolType | POOL_ZERO_ALLOCATION),
                                         NumberOfBytes, Tag, Priority);
}
FORCEINLINE PVOID ExAllocatePoolPriorityUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                                      ULONG Tag, EX_POOL_PRIORITY Priority) {
    return ExAllocatePoolWithTagPriority(PoolType, NumberOfBytes, Tag, Priority);
}

// ---- interlocked singly linked lists (x64 layout) ---------------------------------------------
// On x64 an SLIST entry is 16-byte aligned (the header keeps the entry address shifted by 4).
typedef struct DECLSPEC_ALIGN(16) _SLIST_ENTRY {
    struct _SLIST_ENTRY* Next;
} SLIST_ENTRY, *PSLIST_ENTRY;
static_assert(sizeof(SLIST_ENTRY) == 16 && alignof(SLIST_ENTRY) == 16, "SLIST_ENTRY");
static_assert(__builtin_offsetof(SLIST_ENTRY, Next) == 0, "SLIST_ENTRY offsets");

typedef union DECLSPEC_ALIGN(16) _SLIST_HEADER {
    struct {
        ULONGLONG Alignment;
        ULONGLONG Region;
    };
    struct {
        ULONGLONG Depth : 16;
        ULONGLONG Sequence : 48;
        ULONGLONG Reserved : 4;
        ULONGLONG NextEntry : 60; // entry address >> 4
    } HeaderX64;
} SLIST_HEADER, *PSLIST_HEADER;
static_assert(sizeof(SLIST_HEADER) == 16 && alignof(SLIST_HEADER) == 16, "SLIST_HEADER");
static_assert(__builtin_offsetof(SLIST_HEADER, Alignment) == 0 &&
                  __builtin_offsetof(SLIST_HEADER, Region) == 8 &&
                  __builtin_offsetof(SLIST_HEADER, HeaderX64) == 0,
              "SLIST_HEADER offsets");

NTKERNELAPI VOID NTAPI InitializeSListHead(PSLIST_HEADER SListHead);
NTKERNELAPI PSLIST_ENTRY NTAPI ExpInterlockedPushEntrySList(PSLIST_HEADER ListHead,
                                                            PSLIST_ENTRY ListEntry);
NTKERNELAPI PSLIST_ENTRY NTAPI ExpInterlockedPopEntrySList(PSLIST_HEADER ListHead);
NTKERNELAPI PSLIST_ENTRY NTAPI ExpInterlockedFlushSList(PSLIST_HEADER ListHead);
NTKERNELAPI USHORT NTAPI ExQueryDepthSList(PSLIST_HEADER SListHead);

#define InterlockedPushEntrySList(Head, Entry) ExpInterlockedPushEntrySList(Head, Entry)
#define InterlockedPopEntrySList(Head) ExpInterlockedPopEntrySList(Head)
#define InterlockedFlushSList(Head) ExpInterlockedFlushSList(Head)
#define QueryDepthSList(Head) ExQueryDepthSList(Head)
// On x64 the spin lock argument is ignored: the list is updated atomically.
#define ExInterlockedPushEntrySList(Head, Entry, Lock) ExpInterlockedPushEntrySList(Head, Entry)
#define ExInterlockedPopEntrySList(Head, Lock) ExpInterlockedPopEntrySList(Head)
#define ExInterlockedFlushSList(Head) ExpInterlockedFlushSList(Head)

// ---- lookaside lists --------------------------------------------------------------------------
typedef struct _LOOKASIDE_LIST_EX* PLOOKASIDE_LIST_EX;

// Driver-supplied routines: the compiler's default convention, as on x64 Windows.
typedef PVOID ALLOCATE_FUNCTION(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
typedef ALLOCATE_FUNCTION* PALLOCATE_FUNCTION;
typedef VOID FREE_FUNCTION(PVOID Buffer);
typedef FREE_FUNCTION* PFREE_FUNCTION;
typedef PVOID ALLOCATE_FUNCTION_EX(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
                                   PLOOKASIDE_LIST_EX Lookaside);
typedef ALLOCATE_FUNCTION_EX* PALLOCATE_FUNCTION_EX;
typedef VOID FREE_FUNCTION_EX(PVOID Buffer, PLOOKASIDE_LIST_EX Lookaside);
typedef FREE_FUNCTION_EX* PFREE_FUNCTION_EX;

#define LOOKASIDE_ALIGN DECLSPEC_CACHEALIGN
#define LOOKASIDE_MINIMUM_BLOCK_SIZE (RTL_SIZEOF_THROUGH_FIELD(SLIST_ENTRY, Next))

// The common layout of every lookaside list (GENERAL_LOOKASIDE is the cache-aligned copy).
#define GENERAL_LOOKASIDE_LAYOUT                                                                   \
    union {                                                                                        \
        SLIST_HEADER ListHead;                                                                     \
        SINGLE_LIST_ENTRY SingleListHead;                                                          \
    };                                                                                             \
    USHORT Depth;                                                                                  \
    USHORT MaximumDepth;                                                                           \
    ULONG TotalAllocates;                                                                          \
    union {                                                                                        \
        ULONG AllocateMisses;                                                                      \
        ULONG AllocateHits;                                                                        \
    };                                                                                             \
    ULONG TotalFrees;                                                                              \
    union {                                                                                        \
        ULONG FreeMisses;                                                                          \
        ULONG FreeHits;                                                                            \
    };                                                                                             \
    POOL_TYPE Type;                                                                                \
    ULONG Tag;                                                                                     \
    ULONG Size;                                                                                    \
    union {                                                                                        \
        PALLOCATE_FUNCTION_EX AllocateEx;                                                          \
        PALLOCATE_FUNCTION Allocate;                                                               \
    };                                                                                             \
    union {                                                                                        \
        PFREE_FUNCTION_EX FreeEx;                                                                  \
        PFREE_FUNCTION Free;                                                                       \
    };                                                                                             \
    LIST_ENTRY ListEntry;                                                                          \
    ULONG LastTotalAllocates;                                                                      \
    union {                                                                                        \
        ULONG LastAllocateMisses;                                                                  \
        ULONG LastAllocateHits;                                                                    \
    };                                                                                             \
    ULONG Future[2];

typedef struct LOOKASIDE_ALIGN _GENERAL_LOOKASIDE {
    GENERAL_LOOKASIDE_LAYOUT
} GENERAL_LOOKASIDE, *PGENERAL_LOOKASIDE;

typedef struct _GENERAL_LOOKASIDE_POOL {
    GENERAL_LOOKASIDE_LAYOUT
} GENERAL_LOOKASIDE_POOL, *PGENERAL_LOOKASIDE_POOL;

#define NTSIM_CHECK_LOOKASIDE_LAYOUT(T)                                                            \
    static_assert(                                                                                 \
        __builtin_offsetof(T, ListHead) == 0x00 &&                                                 \
            __builtin_offsetof(T, SingleListHead) == 0x00 &&                                       \
            __builtin_offsetof(T, Depth) == 0x10 && __builtin_offsetof(T, MaximumDepth) == 0x12 && \
            __builtin_offsetof(T, TotalAllocates) == 0x14 &&                                       \
            __builtin_offsetof(T, AllocateMisses) == 0x18 &&                                       \
            __builtin_offsetof(T, AllocateHits) == 0x18 &&                                         \
            __builtin_offsetof(T, TotalFrees) == 0x1C &&                                           \
            __builtin_offsetof(T, FreeMisses) == 0x20 &&                                           \
            __builtin_offsetof(T, FreeHits) == 0x20 && __builtin_offsetof(T, Type) == 0x24 &&      \
            __builtin_offsetof(T, Tag) == 0x28 && __builtin_offsetof(T, Size) == 0x2C &&           \
            __builtin_offsetof(T, AllocateEx) == 0x30 &&                                           \
            __builtin_offsetof(T, Allocate) == 0x30 && __builtin_offsetof(T, FreeEx) == 0x38 &&    \
            __builtin_offsetof(T, Free) == 0x38 && __builtin_offsetof(T, ListEntry) == 0x40 &&     \
            __builtin_offsetof(T, LastTotalAllocates) == 0x50 &&                                   \
            __builtin_offsetof(T, LastAllocateMisses) == 0x54 &&                                   \
            __builtin_offsetof(T, LastAllocateHits) == 0x54 &&                                     \
            __builtin_offsetof(T, Future) == 0x58,                                                 \
        #T " offsets")
NTSIM_CHECK_LOOKASIDE_LAYOUT(GENERAL_LOOKASIDE);
NTSIM_CHECK_LOOKASIDE_LAYOUT(GENERAL_LOOKASIDE_POOL);
static_assert(sizeof(GENERAL_LOOKASIDE) == 0x80 && alignof(GENERAL_LOOKASIDE) == 64,
              "GENERAL_LOOKASIDE");
static_assert(sizeof(GENERAL_LOOKASIDE_POOL) == 0x60 && alignof(GENERAL_LOOKASIDE_POOL) == 16,
              "GENERAL_LOOKASIDE_POOL");

// x64: no lock member (the x86-only Lock__ObsoleteButDoNotDelete is absent).
typedef struct LOOKASIDE_ALIGN _PAGED_LOOKASIDE_LIST {
    GENERAL_LOOKASIDE L;
} PAGED_LOOKASIDE_LIST, *PPAGED_LOOKASIDE_LIST;
typedef struct LOOKASIDE_ALIGN _NPAGED_LOOKASIDE_LIST {
    GENERAL_LOOKASIDE L;
} NPAGED_LOOKASIDE_LIST, *PNPAGED_LOOKASIDE_LIST;
static_assert(sizeof(PAGED_LOOKASIDE_LIST) == 0x80 &&
                  __builtin_offsetof(PAGED_LOOKASIDE_LIST, L) == 0,
              "PAGED_LOOKASIDE_LIST");
static_assert(sizeof(NPAGED_LOOKASIDE_LIST) == 0x80 &&
                  __builtin_offsetof(NPAGED_LOOKASIDE_LIST, L) == 0,
              "NPAGED_LOOKASIDE_LIST");

typedef struct _LOOKASIDE_LIST_EX {
    GENERAL_LOOKASIDE_POOL L;
} LOOKASIDE_LIST_EX;
static_assert(sizeof(LOOKASIDE_LIST_EX) == 0x60 && __builtin_offsetof(LOOKASIDE_LIST_EX, L) == 0,
              "LOOKASIDE_LIST_EX");

#define EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL 0x00000001UL
#define EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE 0x00000002UL
#define EX_MAXIMUM_LOOKASIDE_DEPTH_BASE 256
#define EX_MAXIMUM_LOOKASIDE_DEPTH_LIMIT 1024

NTKERNELAPI VOID NTAPI ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
                                                       PALLOCATE_FUNCTION Allocate,
                                                       PFREE_FUNCTION Free, ULONG Flags,
                                                       SIZE_T Size, ULONG Tag, USHORT Depth);
NTKERNELAPI VOID NTAPI ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside);
NTKERNELAPI PVOID NTAPI ExAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside);
NTKERNELAPI VOID NTAPI ExFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry);

NTKERNELAPI VOID NTAPI ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside,
                                                      PALLOCATE_FUNCTION Allocate,
                                                      PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size,
                                                      ULONG Tag, USHORT Depth);
NTKERNELAPI VOID NTAPI ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside);
NTKERNELAPI PVOID NTAPI ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside);
NTKERNELAPI VOID NTAPI ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry);

NTKERNELAPI NTSTATUS NTAPI ExInitializeLookasideListEx(PLOOKASIDE_LIST_EX Lookaside,
                                                       PALLOCATE_FUNCTION_EX Allocate,
                                                       PFREE_FUNCTION_EX Free, POOL_TYPE PoolType,
                                                       ULONG Flags, SIZE_T Size, ULONG Tag,
                                                       USHORT Depth);
NTKERNELAPI VOID NTAPI ExDeleteLookasideListEx(PLOOKASIDE_LIST_EX Lookaside);
NTKERNELAPI VOID NTAPI ExFlushLookasideListEx(PLOOKASIDE_LIST_EX Lookaside);
NTKERNELAPI PVOID NTAPI ExAllocateFromLookasideListEx(PLOOKASIDE_LIST_EX Lookaside);
NTKERNELAPI VOID NTAPI ExFreeToLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PVOID Entry);

// ---- executive synchronization structures (layouts only; the routines come with Ex locks) ----
typedef struct _FAST_MUTEX {
    volatile LONG Count;
    PVOID Owner;
    ULONG Contention;
    KEVENT Event;
    ULONG OldIrql;
} FAST_MUTEX, *PFAST_MUTEX;
static_assert(sizeof(FAST_MUTEX) == 0x38, "FAST_MUTEX");
static_assert(__builtin_offsetof(FAST_MUTEX, Count) == 0x00 &&
                  __builtin_offsetof(FAST_MUTEX, Owner) == 0x08 &&
                  __builtin_offsetof(FAST_MUTEX, Contention) == 0x10 &&
                  __builtin_offsetof(FAST_MUTEX, Event) == 0x18 &&
                  __builtin_offsetof(FAST_MUTEX, OldIrql) == 0x30,
              "FAST_MUTEX offsets");

typedef struct _OWNER_ENTRY {
    ERESOURCE_THREAD OwnerThread;
    union {
        struct {
            ULONG IoPriorityBoosted : 1;
            ULONG OwnerReferenced : 1;
            ULONG IoQoSPriorityBoosted : 1;
            ULONG OwnerCount : 29;
        };
        ULONG TableSize;
    };
} OWNER_ENTRY, *POWNER_ENTRY;
static_assert(sizeof(OWNER_ENTRY) == 0x10, "OWNER_ENTRY");
static_assert(__builtin_offsetof(OWNER_ENTRY, OwnerThread) == 0 &&
                  __builtin_offsetof(OWNER_ENTRY, TableSize) == 8,
              "OWNER_ENTRY offsets");

typedef struct _ERESOURCE {
    LIST_ENTRY SystemResourcesList;
    POWNER_ENTRY OwnerTable;
    SHORT ActiveCount;
    union {
        USHORT Flag;
        struct {
            UCHAR ReservedLowFlags;
            UCHAR WaiterPriority;
        };
    };
    PVOID SharedWaiters; // the shared-waiters semaphore (or wait chain)
    PKEVENT ExclusiveWaiters;
    OWNER_ENTRY OwnerEntry;
    ULONG ActiveEntries;
    ULONG ContentionCount;
    ULONG NumberOfSharedWaiters;
    ULONG NumberOfExclusiveWaiters;
    PVOID Reserved2;
    union {
        PVOID Address;
        ULONG_PTR CreatorBackTraceIndex;
    };
    KSPIN_LOCK SpinLock;
} ERESOURCE, *PERESOURCE;
static_assert(sizeof(ERESOURCE) == 0x68, "ERESOURCE");
static_assert(__builtin_offsetof(ERESOURCE, SystemResourcesList) == 0x00 &&
                  __builtin_offsetof(ERESOURCE, OwnerTable) == 0x10 &&
                  __builtin_offsetof(ERESOURCE, ActiveCount) == 0x18 &&
                  __builtin_offsetof(ERESOURCE, Flag) == 0x1A &&
                  __builtin_offsetof(ERESOURCE, ReservedLowFlags) == 0x1A &&
                  __builtin_offsetof(ERESOURCE, WaiterPriority) == 0x1B &&
                  __builtin_offsetof(ERESOURCE, SharedWaiters) == 0x20 &&
                  __builtin_offsetof(ERESOURCE, ExclusiveWaiters) == 0x28 &&
                  __builtin_offsetof(ERESOURCE, OwnerEntry) == 0x30 &&
                  __builtin_offsetof(ERESOURCE, ActiveEntries) == 0x40 &&
                  __builtin_offsetof(ERESOURCE, ContentionCount) == 0x44 &&
                  __builtin_offsetof(ERESOURCE, NumberOfSharedWaiters) == 0x48 &&
                  __builtin_offsetof(ERESOURCE, NumberOfExclusiveWaiters) == 0x4C &&
                  __builtin_offsetof(ERESOURCE, Reserved2) == 0x50 &&
                  __builtin_offsetof(ERESOURCE, Address) == 0x58 &&
                  __builtin_offsetof(ERESOURCE, CreatorBackTraceIndex) == 0x58 &&
                  __builtin_offsetof(ERESOURCE, SpinLock) == 0x60,
              "ERESOURCE offsets");

// ERESOURCE.Flag bits.
#define ResourceNeverExclusive 0x0010
#define ResourceReleaseByOtherThread 0x0020
#define ResourceOwnedExclusive 0x0080

typedef enum _WORK_QUEUE_TYPE {
    CriticalWorkQueue,
    DelayedWorkQueue,
    HyperCriticalWorkQueue,
    NormalWorkQueue,
    BackgroundWorkQueue,
    RealTimeWorkQueue,
    SuperCriticalWorkQueue,
    MaximumWorkQueue,
    CustomPriorityWorkQueue = 32
} WORK_QUEUE_TYPE;

typedef VOID WORKER_THREAD_ROUTINE(PVOID Parameter);
typedef WORKER_THREAD_ROUTINE* PWORKER_THREAD_ROUTINE;

typedef struct _WORK_QUEUE_ITEM {
    LIST_ENTRY List;
    PWORKER_THREAD_ROUTINE WorkerRoutine;
    volatile PVOID Parameter;
} WORK_QUEUE_ITEM, *PWORK_QUEUE_ITEM;
static_assert(sizeof(WORK_QUEUE_ITEM) == 0x20, "WORK_QUEUE_ITEM");
static_assert(__builtin_offsetof(WORK_QUEUE_ITEM, List) == 0x00 &&
                  __builtin_offsetof(WORK_QUEUE_ITEM, WorkerRoutine) == 0x10 &&
                  __builtin_offsetof(WORK_QUEUE_ITEM, Parameter) == 0x18,
              "WORK_QUEUE_ITEM offsets");

// A push lock is one pointer-sized word as far as drivers are concerned.
typedef ULONG_PTR EX_PUSH_LOCK, *PEX_PUSH_LOCK;
static_assert(sizeof(EX_PUSH_LOCK) == 8, "EX_PUSH_LOCK");

typedef struct _EX_RUNDOWN_REF {
    union {
        volatile ULONG_PTR Count;
        volatile PVOID Ptr;
    };
} EX_RUNDOWN_REF, *PEX_RUNDOWN_REF;
static_assert(sizeof(EX_RUNDOWN_REF) == 8 && __builtin_offsetof(EX_RUNDOWN_REF, Count) == 0 &&
                  __builtin_offsetof(EX_RUNDOWN_REF, Ptr) == 0,
              "EX_RUNDOWN_REF");
typedef struct _EX_RUNDOWN_REF_CACHE_AWARE* PEX_RUNDOWN_REF_CACHE_AWARE;

// ---- fast mutexes (kernel/ex/fast_mutex.cpp) ------------------------------------------------
// Count bit 0 set = free; each sleeping waiter adds FM_LOCK_WAITER_INC.
#define FM_LOCK_BIT 0x1
#define FM_LOCK_BIT_V 0x0
#define FM_LOCK_WAITER_WOKEN 0x2
#define FM_LOCK_WAITER_INC 0x4

NTKERNELAPI VOID NTAPI ExInitializeFastMutex(PFAST_MUTEX FastMutex);
NTKERNELAPI VOID NTAPI ExAcquireFastMutex(PFAST_MUTEX FastMutex);
NTKERNELAPI VOID NTAPI ExReleaseFastMutex(PFAST_MUTEX FastMutex);
NTKERNELAPI BOOLEAN NTAPI ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex);
NTKERNELAPI VOID NTAPI ExAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex);
NTKERNELAPI VOID NTAPI ExReleaseFastMutexUnsafe(PFAST_MUTEX FastMutex);

// ---- executive resources (kernel/ex/resource.cpp) -------------------------------------------
NTKERNELAPI NTSTATUS NTAPI ExInitializeResourceLite(PERESOURCE Resource);
NTKERNELAPI NTSTATUS NTAPI ExReinitializeResourceLite(PERESOURCE Resource);
NTKERNELAPI NTSTATUS NTAPI ExDeleteResourceLite(PERESOURCE Resource);
NTKERNELAPI BOOLEAN NTAPI ExAcquireResourceExclusiveLite(PERESOURCE Resource, BOOLEAN Wait);
NTKERNELAPI BOOLEAN NTAPI ExAcquireResourceSharedLite(PERESOURCE Resource, BOOLEAN Wait);
NTKERNELAPI BOOLEAN NTAPI ExAcquireSharedStarveExclusive(PERESOURCE Resource, BOOLEAN Wait);
NTKERNELAPI BOOLEAN NTAPI ExAcquireSharedWaitForExclusive(PERESOURCE Resource, BOOLEAN Wait);
NTKERNELAPI VOID NTAPI ExConvertExclusiveToSharedLite(PERESOURCE Resource);
NTKERNELAPI BOOLEAN NTAPI ExIsResourceAcquiredExclusiveLite(PERESOURCE Resource);
NTKERNELAPI ULONG NTAPI ExIsResourceAcquiredSharedLite(PERESOURCE Resource);
#define ExIsResourceAcquiredLite ExIsResourceAcquiredSharedLite
NTKERNELAPI ULONG NTAPI ExGetExclusiveWaiterCount(PERESOURCE Resource);
NTKERNELAPI ULONG NTAPI ExGetSharedWaiterCount(PERESOURCE Resource);
NTKERNELAPI VOID NTAPI ExReleaseResourceLite(PERESOURCE Resource);
NTKERNELAPI VOID NTAPI ExReleaseResourceForThreadLite(PERESOURCE Resource,
                                                      ERESOURCE_THREAD ResourceThreadId);
NTKERNELAPI VOID NTAPI ExSetResourceOwnerPointer(PERESOURCE Resource, PVOID OwnerPointer);
NTKERNELAPI ERESOURCE_THREAD NTAPI ExGetCurrentResourceThread(VOID);
NTKERNELAPI PVOID NTAPI ExEnterCriticalRegionAndAcquireResourceExclusive(PERESOURCE Resource);
NTKERNELAPI PVOID NTAPI ExEnterCriticalRegionAndAcquireResourceShared(PERESOURCE Resource);
NTKERNELAPI PVOID NTAPI ExEnterCriticalRegionAndAcquireSharedWaitForExclusive(PERESOURCE Resource);
NTKERNELAPI VOID NTAPI ExReleaseResourceAndLeaveCriticalRegion(PERESOURCE Resource);
#define ExAcquireResourceExclusive ExAcquireResourceExclusiveLite
#define ExReleaseResource ExReleaseResourceLite

// ---- executive (reader/writer) spin locks (kernel/ex/spinlock_ex.cpp) -------------------------
typedef volatile LONG EX_SPIN_LOCK, *PEX_SPIN_LOCK;
static_assert(sizeof(EX_SPIN_LOCK) == 4, "EX_SPIN_LOCK");

NTKERNELAPI KIRQL NTAPI ExAcquireSpinLockShared(PEX_SPIN_LOCK SpinLock);
NTKERNELAPI VOID NTAPI ExReleaseSpinLockShared(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql);
NTKERNELAPI KIRQL NTAPI ExAcquireSpinLockExclusive(PEX_SPIN_LOCK SpinLock);
NTKERNELAPI VOID NTAPI ExReleaseSpinLockExclusive(PEX_SPIN_LOCK SpinLock, KIRQL OldIrql);
NTKERNELAPI VOID NTAPI ExAcquireSpinLockSharedAtDpcLevel(PEX_SPIN_LOCK SpinLock);
NTKERNELAPI VOID NTAPI ExReleaseSpinLockSharedFromDpcLevel(PEX_SPIN_LOCK SpinLock);
NTKERNELAPI VOID NTAPI ExAcquireSpinLockExclusiveAtDpcLevel(PEX_SPIN_LOCK SpinLock);
NTKERNELAPI VOID NTAPI ExReleaseSpinLockExclusiveFromDpcLevel(PEX_SPIN_LOCK SpinLock);
NTKERNELAPI LOGICAL NTAPI ExTryConvertSharedSpinLockExclusive(PEX_SPIN_LOCK SpinLock);
NTKERNELAPI LOGICAL NTAPI ExTryAcquireSpinLockSharedAtDpcLevel(PEX_SPIN_LOCK SpinLock);
NTKERNELAPI LOGICAL NTAPI ExTryAcquireSpinLockExclusiveAtDpcLevel(PEX_SPIN_LOCK SpinLock);

// ---- push locks (kernel/ex/pushlock.cpp); callers run in a critical region -------------------
#define EX_DEFAULT_PUSH_LOCK_FLAGS 0
NTKERNELAPI VOID NTAPI ExInitializePushLock(PEX_PUSH_LOCK PushLock);
NTKERNELAPI VOID NTAPI ExAcquirePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags);
NTKERNELAPI VOID NTAPI ExAcquirePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags);
NTKERNELAPI VOID NTAPI ExReleasePushLockExclusiveEx(PEX_PUSH_LOCK PushLock, ULONG Flags);
NTKERNELAPI VOID NTAPI ExReleasePushLockSharedEx(PEX_PUSH_LOCK PushLock, ULONG Flags);

// ---- spin-lock protected list and counter updates (kernel/ex/interlocked_list.cpp) ------------
// Callable at any IRQL: the lock is held with "interrupts off" (HIGH_LEVEL here).
NTKERNELAPI PLIST_ENTRY NTAPI ExInterlockedInsertHeadList(PLIST_ENTRY ListHead,
                                                          PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock);
NTKERNELAPI PLIST_ENTRY NTAPI ExInterlockedInsertTailList(PLIST_ENTRY ListHead,
                                                          PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock);
NTKERNELAPI PLIST_ENTRY NTAPI ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock);
NTKERNELAPI PSINGLE_LIST_ENTRY NTAPI ExInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead,
                                                                PSINGLE_LIST_ENTRY ListEntry,
                                                                PKSPIN_LOCK Lock);
NTKERNELAPI PSINGLE_LIST_ENTRY NTAPI ExInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead,
                                                               PKSPIN_LOCK Lock);
NTKERNELAPI ULONG NTAPI ExInterlockedAddUlong(PULONG Addend, ULONG Increment, PKSPIN_LOCK Lock);
NTKERNELAPI LARGE_INTEGER NTAPI ExInterlockedAddLargeInteger(PLARGE_INTEGER Addend,
                                                             LARGE_INTEGER Increment,
                                                             PKSPIN_LOCK Lock);

// ---- High-resolution / no-wake executive timers (ExAllocateTimer, Windows 8.1) ----------------
typedef struct _EX_TIMER* PEX_TIMER;
typedef VOID EXT_CALLBACK(PEX_TIMER Timer, PVOID Context);
typedef EXT_CALLBACK* PEXT_CALLBACK;
typedef VOID EXT_DELETE_CALLBACK(PVOID Context);
typedef EXT_DELETE_CALLBACK* PEXT_DELETE_CALLBACK;

#define EX_TIMER_HIGH_RESOLUTION 0x4
#define EX_TIMER_NO_WAKE 0x8
#define EX_TIMER_UNLIMITED_TOLERANCE ((LONGLONG)-1)

typedef struct _EXT_SET_PARAMETERS_V0 {
    ULONG Version;
    ULONG Reserved;
    LONGLONG NoWakeTolerance; // 100 ns units, or EX_TIMER_UNLIMITED_TOLERANCE
} EXT_SET_PARAMETERS, *PEXT_SET_PARAMETERS;
static_assert(sizeof(EXT_SET_PARAMETERS) == 0x10, "EXT_SET_PARAMETERS size");
static_assert(__builtin_offsetof(EXT_SET_PARAMETERS, Version) == 0x0, "EXT_SET_PARAMETERS.Version");
static_assert(__builtin_offsetof(EXT_SET_PARAMETERS, Reserved) == 0x4,
              "EXT_SET_PARAMETERS.Reserved");
static_assert(__builtin_offsetof(EXT_SET_PARAMETERS, NoWakeTolerance) == 0x8,
              "EXT_SET_PARAMETERS.NoWakeTolerance");

typedef struct _EXT_DELETE_PARAMETERS {
    ULONG Version;
    ULONG Reserved;
    PEXT_DELETE_CALLBACK DeleteCallback;
    PVOID DeleteContext;
} EXT_DELETE_PARAMETERS, *PEXT_DELETE_PARAMETERS;
static_assert(sizeof(EXT_DELETE_PARAMETERS) == 0x18, "EXT_DELETE_PARAMETERS size");
static_assert(__builtin_offsetof(EXT_DELETE_PARAMETERS, Version) == 0x0,
              "EXT_DELETE_PARAMETERS.Version");
static_assert(__builtin_offsetof(EXT_DELETE_PARAMETERS, Reserved) == 0x4,
              "EXT_DELETE_PARAMETERS.Reserved");
static_assert(__builtin_offsetof(EXT_DELETE_PARAMETERS, DeleteCallback) == 0x8,
              "EXT_DELETE_PARAMETERS.DeleteCallback");
static_assert(__builtin_offsetof(EXT_DELETE_PARAMETERS, DeleteContext) == 0x10,
              "EXT_DELETE_PARAMETERS.DeleteContext");

typedef struct _EXT_CANCEL_PARAMETERS* PEXT_CANCEL_PARAMETERS; // reserved: pass NULL

FORCEINLINE VOID ExInitializeSetTimerParameters(PEXT_SET_PARAMETERS Parameters) {
    Parameters->Version = 0;
    Parameters->Reserved = 0;
    Parameters->NoWakeTolerance = 0;
}

FORCEINLINE VOID ExInitializeDeleteTimerParameters(PEXT_DELETE_PARAMETERS Parameters) {
    Parameters->Version = 0;
    Parameters->Reserved = 0;
    Parameters->DeleteCallback = NULL;
    Parameters->DeleteContext = NULL;
}

NTKERNELAPI PEX_TIMER NTAPI ExAllocateTimer(PEXT_CALLBACK Callback, PVOID CallbackContext,
                                            ULONG Attributes);
// DueTime: negative relative, positive absolute (100 ns); Period in 100 ns units (0: one-shot).
// TRUE when the timer was set and is re-set.
NTKERNELAPI BOOLEAN NTAPI ExSetTimer(PEX_TIMER Timer, LONGLONG DueTime, LONGLONG Period,
                                     PEXT_SET_PARAMETERS Parameters);
NTKERNELAPI BOOLEAN NTAPI ExCancelTimer(PEX_TIMER Timer, PEXT_CANCEL_PARAMETERS Parameters);
NTKERNELAPI BOOLEAN NTAPI ExDeleteTimer(PEX_TIMER Timer, BOOLEAN Cancel, BOOLEAN Wait,
                                        PEXT_DELETE_PARAMETERS Parameters);
#ifdef __cplusplus
}
#endif

// ==== System worker threads (kernel/ex/work_queue.cpp) ========================================
#ifdef __cplusplus
extern "C" {
#endif
// Prepares a WORK_QUEUE_ITEM for ExQueueWorkItem (as the WDK macro).
#define ExInitializeWorkItem(Item, Routine, Context)                                               \
    do {                                                                                           \
        (Item)->WorkerRoutine = (Routine);                                                         \
        (Item)->Parameter = (Context);                                                             \
        (Item)->List.Flink = NULL;                                                                 \
    } while (0)
// Obsolete (use IoQueueWorkItem): runs Item->WorkerRoutine(Item->Parameter) on a system worker
// thread of the queue (CriticalWorkQueue, DelayedWorkQueue, HyperCriticalWorkQueue...).
NTKERNELAPI VOID NTAPI ExQueueWorkItem(PWORK_QUEUE_ITEM WorkItem, WORK_QUEUE_TYPE QueueType);
#ifdef __cplusplus
}
#endif
