// Kernel-internal interface of the executive: pools (with per-tag accounting like poolmon and
// a list of live allocations for leak reports), lookaside lists.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ntdef.h"
#include "km/types.h"

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

} // namespace ntsim::ex
