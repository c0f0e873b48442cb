// Lookaside lists: PAGED_LOOKASIDE_LIST / NPAGED_LOOKASIDE_LIST and LOOKASIDE_LIST_EX.
//
// Behaviour from Microsoft's DDI reference and the WDK's x64 inline routines:
// - initialisation zeroes the counters, stores Size/Tag/Type and the Allocate/Free routines (the
//   pool when NULL), starts with Depth 4 and MaximumDepth 256 (EX_MAXIMUM_LOOKASIDE_DEPTH_BASE),
//   and registers the list in the system-wide set the balance-set manager rescans;
// - allocate: TotalAllocates += 1; pop a cached entry; if none, AllocateMisses += 1 and call the
//   Allocate routine with (Type, Size, Tag[, list]);
// - free: TotalFrees += 1; if the list already holds Depth entries, FreeMisses += 1 and call the
//   Free routine, otherwise cache the entry;
// - delete frees the cached entries only (outstanding ones stay allocated) and unregisters;
//   deleting a list that is not registered corrupts the system list on Windows, which stops with
//   KERNEL_SECURITY_CHECK_FAILURE (0x139, LIST_ENTRY corruption);
// - ExInitializeLookasideListEx returns STATUS_INVALID_PARAMETER_4 for a bad pool type and
//   STATUS_INVALID_PARAMETER_5 for bad flags; EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL ORs
//   POOL_RAISE_IF_ALLOCATION_FAILURE into Type, ..._FAIL_NO_RAISE ORs
//   POOL_QUOTA_FAIL_INSTEAD_OF_RAISE (only meaningful with a custom allocator).
// Driver routines are called through CallDriverRoutine; the counters are updated atomically.
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

#include "core/callout.h"
#include "core/export.h"
#include "core/nt_exception.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "ex/ex_internal.h"

namespace ntsim::ex {
namespace {

constexpr USHORT kMinimumDepth = 4;
constexpr USHORT kMaximumDepth = EX_MAXIMUM_LOOKASIDE_DEPTH_BASE;

enum class Kind { NPaged, Paged, Ex };

struct Registry {
    std::mutex lock;
    std::map<void*, Kind> lists;
};

Registry& Lists() {
    static Registry* registry = new Registry;
    return *registry;
}

template <typename T> void Increment(T& field) {
    std::atomic_ref<T>(field).fetch_add(1, std::memory_order_relaxed);
}
template <typename T> T Load(T& field) {
    return std::atomic_ref<T>(field).load(std::memory_order_relaxed);
}
template <typename T> void Store(T& field, T value) {
    std::atomic_ref<T>(field).store(value, std::memory_order_relaxed);
}

// The default routines stored in Allocate/Free when the driver passes NULL (Windows stores
// ExAllocatePoolWithTag / ExFreePool there; these have the lookaside routine convention).
PVOID PoolAllocateForList(POOL_TYPE type, SIZE_T size, ULONG tag, const void* caller) {
    PoolRequest request{};
    request.type = type;
    request.size = size;
    request.tag = tag;
    request.zero = false;
    request.caller = caller;
    PVOID p = PoolAllocate(request);
    if (p == nullptr && (type & POOL_RAISE_IF_ALLOCATION_FAILURE))
        RaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    return p;
}
PVOID DefaultAllocate(POOL_TYPE type, SIZE_T size, ULONG tag) {
    return PoolAllocateForList(type, size, tag, __builtin_return_address(0));
}
VOID DefaultFree(PVOID buffer) {
    PoolFree(buffer, 0, false);
}
PVOID DefaultAllocateEx(POOL_TYPE type, SIZE_T size, ULONG tag, PLOOKASIDE_LIST_EX) {
    return PoolAllocateForList(type, size, tag, __builtin_return_address(0));
}
VOID DefaultFreeEx(PVOID buffer, PLOOKASIDE_LIST_EX) {
    PoolFree(buffer, 0, false);
}

template <typename L> void InitializeCommon(L& l, POOL_TYPE type, SIZE_T size, ULONG tag) {
    SListInitialize(&l.ListHead);
    l.Depth = kMinimumDepth;
    l.MaximumDepth = kMaximumDepth;
    l.TotalAllocates = 0;
    l.AllocateMisses = 0;
    l.TotalFrees = 0;
    l.FreeMisses = 0;
    l.Type = type;
    l.Tag = tag;
    // An entry is reused as an SLIST_ENTRY while cached, so it holds at least one.
    l.Size = ULONG(std::max<SIZE_T>(size, LOOKASIDE_MINIMUM_BLOCK_SIZE));
    l.ListEntry.Flink = l.ListEntry.Blink = &l.ListEntry;
    l.LastTotalAllocates = 0;
    l.LastAllocateMisses = 0;
    l.Future[0] = l.Future[1] = 0;
}

void Register(void* list, Kind kind) {
    auto& r = Lists();
    bool again;
    {
        std::lock_guard guard(r.lock);
        again = !r.lists.emplace(list, kind).second;
        r.lists[list] = kind;
    }
    if (again)
        dbg::LogKernelMessage(dbg::Severity::Warning,
                              "lookaside list %p initialised again without being deleted; its "
                              "cached entries are leaked",
                              list);
}

void Unregister(void* list) {
    auto& r = Lists();
    bool known;
    {
        std::lock_guard guard(r.lock);
        known = r.lists.erase(list) != 0;
    }
    if (!known) dbg::BugCheck(kKernelSecurityCheckFailure, kFastFailCorruptListEntry, 0, 0, 0);
}

// The allocate/free paths shared by the three list kinds (GENERAL_LOOKASIDE and
// GENERAL_LOOKASIDE_POOL have the same layout).
template <typename L, typename AllocateFn> PVOID AllocateFrom(L& l, AllocateFn&& allocateOnMiss) {
    Increment(l.TotalAllocates);
    if (PSLIST_ENTRY entry = SListPop(&l.ListHead)) return entry;
    Increment(l.AllocateMisses);
    return allocateOnMiss();
}

template <typename L, typename FreeFn> void FreeTo(L& l, PVOID entry, FreeFn&& freeWhenFull) {
    Increment(l.TotalFrees);
    if (SListPushIfBelow(&l.ListHead, static_cast<PSLIST_ENTRY>(entry), Load(l.Depth))) return;
    Increment(l.FreeMisses);
    freeWhenFull(entry);
}

template <typename L, typename FreeFn> void FlushEntries(L& l, FreeFn&& freeEntry) {
    PSLIST_ENTRY entry = SListFlush(&l.ListHead);
    while (entry != nullptr) {
        PSLIST_ENTRY next = entry->Next;
        freeEntry(entry);
        entry = next;
    }
}

// Classic lists: Allocate/Free take no list argument.
PVOID AllocateClassic(GENERAL_LOOKASIDE& l, const void* caller) {
    return AllocateFrom(l, [&]() -> PVOID {
        if (l.Allocate == &DefaultAllocate)
            return PoolAllocateForList(l.Type, l.Size, l.Tag, caller);
        return CallDriverRoutine(l.Allocate, l.Type, SIZE_T(l.Size), l.Tag);
    });
}
void FreeClassicEntry(GENERAL_LOOKASIDE& l, PVOID entry) {
    if (l.Free == &DefaultFree)
        PoolFree(entry, 0, false);
    else
        CallDriverRoutine(l.Free, entry);
}
void FreeClassic(GENERAL_LOOKASIDE& l, PVOID entry) {
    FreeTo(l, entry, [&](PVOID e) { FreeClassicEntry(l, e); });
}

void InitializeClassic(GENERAL_LOOKASIDE& l, POOL_TYPE base, PALLOCATE_FUNCTION allocate,
                       PFREE_FUNCTION free, ULONG flags, SIZE_T size, ULONG tag) {
    // Flags (Windows 8+): POOL_NX_ALLOCATION / POOL_RAISE_IF_ALLOCATION_FAILURE, OR-ed into Type.
    InitializeCommon(l, POOL_TYPE(base | flags), size, tag);
    l.Allocate = allocate ? allocate : &DefaultAllocate;
    l.Free = free ? free : &DefaultFree;
}

void DeleteClassic(GENERAL_LOOKASIDE& l, void* list) {
    Unregister(list);
    FlushEntries(l, [&](PVOID e) { FreeClassicEntry(l, e); });
}

// Ex lists: the routines receive the list.
void FreeExEntry(LOOKASIDE_LIST_EX* list, PVOID entry) {
    if (list->L.FreeEx == &DefaultFreeEx)
        PoolFree(entry, 0, false);
    else
        CallDriverRoutine(list->L.FreeEx, entry, list);
}

bool ValidExPoolType(POOL_TYPE type) {
    // Paged/non-paged (NX, session, cache-aligned, cold variants); must-succeed types are gone.
    const int allowed = BASE_POOL_TYPE_MASK | POOL_CACHE_ALIGNED_MASK | POOL_SESSION_MASK |
                        POOL_NX_ALLOCATION | POOL_COLD_ALLOCATION;
    return (int(type) & ~allowed) == 0;
}

// One lookaside list's share of the periodic scan. ntsim's policy (Windows documents only that
// the system tunes the depth from demand): grow towards MaximumDepth in proportion to the miss
// rate when more than 5% of allocations missed, shrink by one when under 0.5% missed, shrink
// faster when the list was idle.
template <typename L> void AdjustDepth(L& l) {
    const ULONG total = Load(l.TotalAllocates);
    const ULONG misses = Load(l.AllocateMisses);
    const ULONG allocates = total - l.LastTotalAllocates;
    const ULONG missed = misses - l.LastAllocateMisses;
    l.LastTotalAllocates = total;
    l.LastAllocateMisses = misses;

    int depth = Load(l.Depth);
    const int maximum = l.MaximumDepth;
    if (allocates == 0) {
        depth -= std::max(1, (depth - kMinimumDepth) / 4);
    } else {
        const uint64_t perThousand = uint64_t(missed) * 1000 / allocates;
        if (perThousand > 50)
            depth += std::max<int>(5, int((maximum - depth) * perThousand / 2000));
        else if (perThousand < 5)
            depth -= 1;
    }
    depth = std::clamp(depth, int(kMinimumDepth), std::max(maximum, int(kMinimumDepth)));
    Store(l.Depth, USHORT(depth));
}

} // namespace

void AdjustLookasideDepths() {
    auto& r = Lists();
    std::lock_guard guard(r.lock);
    for (auto& [list, kind] : r.lists) {
        if (kind == Kind::Ex)
            AdjustDepth(static_cast<LOOKASIDE_LIST_EX*>(list)->L);
        else
            AdjustDepth(*static_cast<GENERAL_LOOKASIDE*>(list));
    }
}

size_t ActiveLookasideListCount() {
    auto& r = Lists();
    std::lock_guard guard(r.lock);
    return r.lists.size();
}

} // namespace ntsim::ex

using namespace ntsim::ex;

// ---- NPAGED_LOOKASIDE_LIST ----------------------------------------------------------------------
extern "C" VOID NTAPI ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside,
                                                      PALLOCATE_FUNCTION Allocate,
                                                      PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size,
                                                      ULONG Tag, USHORT Depth) {
    (void)Depth; // reserved: the system chooses the depth
    InitializeClassic(Lookaside->L, NonPagedPool, Allocate, Free, Flags, Size, Tag);
    Register(Lookaside, Kind::NPaged);
}
NTSIM_EXPORT(ExInitializeNPagedLookasideList);

extern "C" VOID NTAPI ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside) {
    DeleteClassic(Lookaside->L, Lookaside);
}
NTSIM_EXPORT(ExDeleteNPagedLookasideList);

extern "C" PVOID NTAPI ExAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside) {
    return AllocateClassic(Lookaside->L, __builtin_return_address(0));
}
NTSIM_EXPORT(ExAllocateFromNPagedLookasideList);

extern "C" VOID NTAPI ExFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry) {
    FreeClassic(Lookaside->L, Entry);
}
NTSIM_EXPORT(ExFreeToNPagedLookasideList);

// ---- PAGED_LOOKASIDE_LIST -----------------------------------------------------------------------
extern "C" VOID NTAPI ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside,
                                                     PALLOCATE_FUNCTION Allocate,
                                                     PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size,
                                                     ULONG Tag, USHORT Depth) {
    (void)Depth;
    InitializeClassic(Lookaside->L, PagedPool, Allocate, Free, Flags, Size, Tag);
    Register(Lookaside, Kind::Paged);
}
NTSIM_EXPORT(ExInitializePagedLookasideList);

extern "C" VOID NTAPI ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside) {
    DeleteClassic(Lookaside->L, Lookaside);
}
NTSIM_EXPORT(ExDeletePagedLookasideList);

extern "C" PVOID NTAPI ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside) {
    return AllocateClassic(Lookaside->L, __builtin_return_address(0));
}
NTSIM_EXPORT(ExAllocateFromPagedLookasideList);

extern "C" VOID NTAPI ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry) {
    FreeClassic(Lookaside->L, Entry);
}
NTSIM_EXPORT(ExFreeToPagedLookasideList);

// ---- LOOKASIDE_LIST_EX --------------------------------------------------------------------------
extern "C" NTSTATUS NTAPI ExInitializeLookasideListEx(PLOOKASIDE_LIST_EX Lookaside,
                                                      PALLOCATE_FUNCTION_EX Allocate,
                                                      PFREE_FUNCTION_EX Free, POOL_TYPE PoolType,
                                                      ULONG Flags, SIZE_T Size, ULONG Tag,
                                                      USHORT Depth) {
    (void)Depth;
    if (!ValidExPoolType(PoolType)) return STATUS_INVALID_PARAMETER_4;
    const ULONG known =
        EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL | EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE;
    if ((Flags & ~known) != 0 || Flags == known) return STATUS_INVALID_PARAMETER_5;
    // FAIL_NO_RAISE is for custom allocators charging quota; the default one cannot honour it.
    if ((Flags & EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE) && Allocate == nullptr)
        return STATUS_INVALID_PARAMETER_5;

    int type = PoolType;
    if (Flags & EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL) type |= POOL_RAISE_IF_ALLOCATION_FAILURE;
    if (Flags & EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE) type |= POOL_QUOTA_FAIL_INSTEAD_OF_RAISE;
    InitializeCommon(Lookaside->L, POOL_TYPE(type), Size, Tag);
    Lookaside->L.AllocateEx = Allocate ? Allocate : &DefaultAllocateEx;
    Lookaside->L.FreeEx = Free ? Free : &DefaultFreeEx;
    Register(Lookaside, Kind::Ex);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(ExInitializeLookasideListEx);

extern "C" VOID NTAPI ExDeleteLookasideListEx(PLOOKASIDE_LIST_EX Lookaside) {
    Unregister(Lookaside);
    FlushEntries(Lookaside->L, [&](PVOID e) { FreeExEntry(Lookaside, e); });
}
NTSIM_EXPORT(ExDeleteLookasideListEx);

extern "C" VOID NTAPI ExFlushLookasideListEx(PLOOKASIDE_LIST_EX Lookaside) {
    FlushEntries(Lookaside->L, [&](PVOID e) { FreeExEntry(Lookaside, e); });
}
NTSIM_EXPORT(ExFlushLookasideListEx);

extern "C" PVOID NTAPI ExAllocateFromLookasideListEx(PLOOKASIDE_LIST_EX Lookaside) {
    const void* caller = __builtin_return_address(0);
    GENERAL_LOOKASIDE_POOL& l = Lookaside->L;
    return AllocateFrom(l, [&]() -> PVOID {
        if (l.AllocateEx == &DefaultAllocateEx)
            return PoolAllocateForList(l.Type, l.Size, l.Tag, caller);
        return ntsim::CallDriverRoutine(l.AllocateEx, l.Type, SIZE_T(l.Size), l.Tag, Lookaside);
    });
}
NTSIM_EXPORT(ExAllocateFromLookasideListEx);

extern "C" VOID NTAPI ExFreeToLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PVOID Entry) {
    FreeTo(Lookaside->L, Entry, [&](PVOID e) { FreeExEntry(Lookaside, e); });
}
NTSIM_EXPORT(ExFreeToLookasideListEx);
