// Exported pool routines: ExAllocatePool2/3, the ExAllocatePoolWith* family, ExFreePool*.
//
// Semantics from Microsoft's DDI reference (wdm.h):
// - ExAllocatePool2/3 zero the block unless POOL_FLAG_UNINITIALIZED; they return NULL (or raise
//   STATUS_INSUFFICIENT_RESOURCES with POOL_FLAG_RAISE_ON_FAILURE) when memory is short, the tag
//   is 0, or the flags are invalid. The low 32 flag bits are required (unknown ones fail the
//   call), the high 32 optional (ignored when unknown). Exactly one of NON_PAGED,
//   NON_PAGED_EXECUTE, PAGED selects the pool. ExAllocatePool3 also fails on invalid required
//   extended parameters; optional ones that cannot be honoured are ignored.
// - ExAllocatePoolWithTag returns uninitialised memory, NULL on failure unless the pool type
//   carries POOL_RAISE_IF_ALLOCATION_FAILURE; POOL_ZERO_ALLOCATION (used by the WDK's
//   ExAllocatePoolZero) zeroes. A zero tag is BAD_POOL_CALLER 0x9B, a must-succeed pool type
//   0x9A (bug check reference). ExAllocatePoolWithQuotaTag raises on failure unless
//   POOL_QUOTA_FAIL_INSTEAD_OF_RAISE.
// - ExFreePoolWithTag with a tag other than the allocation's is BAD_POOL_CALLER 0x0A; a tag of 0
//   (what ExFreePool passes) skips the check. ExFreePool2 without extended parameters is
//   ExFreePoolWithTag; its parameters only describe secure pools, which ntsim does not have, so
//   any parameter is a validation failure (BAD_POOL_CALLER, as the reference says).
#include <atomic>

#include "core/export.h"
#include "core/nt_exception.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "ex/ex_internal.h"

namespace ntsim::ex {
namespace {

constexpr POOL_FLAGS kRequiredMask = 0x00000000FFFFFFFFull;
constexpr POOL_FLAGS kKnownRequired = POOL_FLAG_USE_QUOTA | POOL_FLAG_UNINITIALIZED |
                                      POOL_FLAG_SESSION | POOL_FLAG_CACHE_ALIGNED |
                                      POOL_FLAG_RAISE_ON_FAILURE | POOL_FLAG_NON_PAGED |
                                      POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED;

// Translates POOL_FLAGS to the pool type the block is accounted under; false if invalid.
bool PoolTypeFromFlags(POOL_FLAGS flags, POOL_TYPE* type) {
    if ((flags & kRequiredMask & ~kKnownRequired) != 0) return false;
    const POOL_FLAGS kinds =
        flags & (POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED);
    int t;
    if (kinds == POOL_FLAG_NON_PAGED)
        t = NonPagedPoolNx;
    else if (kinds == POOL_FLAG_NON_PAGED_EXECUTE)
        t = NonPagedPool;
    else if (kinds == POOL_FLAG_PAGED)
        t = PagedPool;
    else
        return false; // none, or more than one pool
    if (flags & POOL_FLAG_CACHE_ALIGNED) t |= POOL_CACHE_ALIGNED_MASK;
    if (flags & POOL_FLAG_SESSION) t |= POOL_SESSION_MASK;
    *type = POOL_TYPE(t);
    return true;
}

bool IsValidPriority(EX_POOL_PRIORITY priority) {
    switch (priority) {
    case LowPoolPriority:
    case LowPoolPrioritySpecialPoolOverrun:
    case LowPoolPrioritySpecialPoolUnderrun:
    case NormalPoolPriority:
    case NormalPoolPrioritySpecialPoolOverrun:
    case NormalPoolPrioritySpecialPoolUnderrun:
    case HighPoolPriority:
    case HighPoolPrioritySpecialPoolOverrun:
    case HighPoolPrioritySpecialPoolUnderrun:
        return true;
    }
    return false;
}

// A required parameter must be recognised and satisfiable; optional ones never fail the call.
bool ExtendedParametersValid(PCPOOL_EXTENDED_PARAMETER params, ULONG count) {
    if (count == 0) return true;
    if (params == nullptr) return false;
    for (ULONG i = 0; i < count; ++i) {
        const POOL_EXTENDED_PARAMETER& p = params[i];
        if (p.Optional) continue;
        if (p.Reserved != 0) return false;
        switch (p.Type) {
        case PoolExtendedParameterPriority:
            if (!IsValidPriority(p.Priority)) return false;
            break;
        case PoolExtendedParameterNumaNode:
            // One NUMA node (0).
            if (p.PreferredNode != 0 && p.PreferredNode != MM_ANY_NODE_OK) return false;
            break;
        case PoolExtendedParameterSecurePool: // needs VBS secure pools: not available
        default:
            return false;
        }
    }
    return true;
}

PVOID AllocateWithFlags(POOL_FLAGS flags, SIZE_T size, ULONG tag, PCPOOL_EXTENDED_PARAMETER params,
                        ULONG count, const void* caller) {
    POOL_TYPE type;
    PVOID p = nullptr;
    if (tag != 0 && PoolTypeFromFlags(flags, &type) && ExtendedParametersValid(params, count)) {
        PoolRequest request{};
        request.type = type;
        request.size = size;
        request.tag = tag;
        request.zero = (flags & POOL_FLAG_UNINITIALIZED) == 0;
        request.quota = (flags & POOL_FLAG_USE_QUOTA) != 0;
        request.caller = caller;
        p = PoolAllocate(request);
    }
    if (p == nullptr && (flags & POOL_FLAG_RAISE_ON_FAILURE))
        RaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    return p;
}

void WarnDefaultTag(ULONG tag) {
    // Code analysis warning C28147: the WDK's default tags defeat per-tag tracking.
    static std::atomic<bool> warned{false};
    if ((tag == PoolTag("Ddk ") || tag == PoolTag("Wdm ")) && !warned.exchange(true))
        dbg::LogKernelMessage(dbg::Severity::Warning,
                              "pool allocation with the default tag '%s' cannot be told apart "
                              "from other drivers' allocations",
                              TagToString(tag).c_str());
}

enum class FailMode { ReturnNull, Raise };

PVOID AllocateWithType(POOL_TYPE type, SIZE_T size, ULONG tag, bool quota, FailMode failMode,
                       const void* caller) {
    if (tag == 0)
        dbg::BugCheck(kBadPoolCaller, kBpcZeroTag, ULONG_PTR(type), size,
                      reinterpret_cast<ULONG_PTR>(caller));
    if (type & POOL_MUST_SUCCEED_MASK)
        dbg::BugCheck(kBadPoolCaller, kBpcMustSucceed, ULONG_PTR(type), size, tag);
    WarnDefaultTag(tag);
    PoolRequest request{};
    request.type = type;
    request.size = size;
    request.tag = tag;
    request.zero = (type & POOL_ZERO_ALLOCATION) != 0;
    request.quota = quota;
    request.caller = caller;
    PVOID p = PoolAllocate(request);
    if (p == nullptr && failMode == FailMode::Raise) RaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    return p;
}

FailMode WithTagFailMode(POOL_TYPE type) {
    return (type & POOL_RAISE_IF_ALLOCATION_FAILURE) ? FailMode::Raise : FailMode::ReturnNull;
}

} // namespace
} // namespace ntsim::ex

using namespace ntsim::ex;

extern "C" PVOID NTAPI ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag) {
    return AllocateWithFlags(Flags, NumberOfBytes, Tag, nullptr, 0, __builtin_return_address(0));
}
NTSIM_EXPORT(ExAllocatePool2);

extern "C" PVOID NTAPI ExAllocatePool3(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag,
                                       PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                                       ULONG ExtendedParametersCount) {
    return AllocateWithFlags(Flags, NumberOfBytes, Tag, ExtendedParameters, ExtendedParametersCount,
                             __builtin_return_address(0));
}
NTSIM_EXPORT(ExAllocatePool3);

extern "C" PVOID NTAPI ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag) {
    return AllocateWithType(PoolType, NumberOfBytes, Tag, false, WithTagFailMode(PoolType),
                            __builtin_return_address(0));
}
NTSIM_EXPORT(ExAllocatePoolWithTag);

extern "C" PVOID NTAPI ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes) {
    return AllocateWithType(PoolType, NumberOfBytes, kUntaggedPoolTag, false,
                            WithTagFailMode(PoolType), __builtin_return_address(0));
}
NTSIM_EXPORT(ExAllocatePool);

extern "C" PVOID NTAPI ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                                  ULONG Tag) {
    // ntsim does not limit process pool quota, so the charge itself cannot fail; the block is
    // marked as quota-charged.
    FailMode mode =
        (PoolType & POOL_QUOTA_FAIL_INSTEAD_OF_RAISE) ? FailMode::ReturnNull : FailMode::Raise;
    return AllocateWithType(POOL_TYPE(PoolType & ~POOL_QUOTA_FAIL_INSTEAD_OF_RAISE), NumberOfBytes,
                            Tag, true, mode, __builtin_return_address(0));
}
NTSIM_EXPORT(ExAllocatePoolWithQuotaTag);

extern "C" PVOID NTAPI ExAllocatePoolWithTagPriority(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                                     ULONG Tag, EX_POOL_PRIORITY Priority) {
    // The priority only matters when memory is low (or for special pool, which is a verifier
    // option): every request is served the same way while the heap has memory.
    (void)Priority;
    return AllocateWithType(PoolType, NumberOfBytes, Tag, false, WithTagFailMode(PoolType),
                            __builtin_return_address(0));
}
NTSIM_EXPORT(ExAllocatePoolWithTagPriority);

extern "C" VOID NTAPI ExFreePool(PVOID P) {
    PoolFree(P, 0, false);
}
NTSIM_EXPORT(ExFreePool);

extern "C" VOID NTAPI ExFreePoolWithTag(PVOID P, ULONG Tag) {
    PoolFree(P, Tag, Tag != 0);
}
NTSIM_EXPORT(ExFreePoolWithTag);

extern "C" VOID NTAPI ExFreePool2(PVOID P, ULONG Tag, PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                                  ULONG ExtendedParametersCount) {
    (void)ExtendedParameters;
    if (ExtendedParametersCount != 0)
        ntsim::dbg::BugCheck(kBadPoolCaller, kBpcInvalidAddress, reinterpret_cast<ULONG_PTR>(P));
    PoolFree(P, Tag, Tag != 0);
}
NTSIM_EXPORT(ExFreePool2);
