#include "pch.h"
#include "Memory.h"

namespace {

POOL_FLAGS FlagsOf(POOL_TYPE type) {
    // ExAllocatePool2 zero-fills, as the older allocation with POOL_ZERO_ALLOCATION would.
    return (type & 1) ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED;
}

} // namespace

void* __cdecl operator new(size_t size, POOL_TYPE type, ULONG tag) {
    return ExAllocatePool2(FlagsOf(type), size, tag);
}

void* __cdecl operator new(size_t size, POOL_TYPE type, EX_POOL_PRIORITY priority, ULONG tag) {
    POOL_EXTENDED_PARAMETER param{};
    param.Type = PoolExtendedParameterPriority;
    param.Priority = priority;
    return ExAllocatePool3(FlagsOf(type), size, tag, &param, 1);
}

void __cdecl operator delete(void* p) {
    ExFreePool(p);
}

void __cdecl operator delete(void* p, size_t) {
    ExFreePool(p);
}

void __cdecl operator delete(void* p, size_t, std::align_val_t) {
    ExFreePool(p);
}
