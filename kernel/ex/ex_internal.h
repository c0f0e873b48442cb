// Private to kernel/ex: the pool core shared by the exported allocators, the lookaside lists and
// the SLIST primitives. Other components use ex/ex.h.
#pragma once

#include <cstddef>

#include "ntdef.h"
#include "ntstatus.h"
#include "km/types.h"
#include "km/ex.h"

namespace ntsim::ex {

// Bug check codes and BAD_POOL_CALLER first parameters (Microsoft's bug check reference).
inline constexpr ULONG kBadPoolHeader = 0x19;
inline constexpr ULONG kBadPoolCaller = 0xC2;
inline constexpr ULONG kKernelSecurityCheckFailure = 0x139;
inline constexpr ULONG_PTR kBpcAllocateAtBadIrql = 0x08;  // IRQL, pool type, size
inline constexpr ULONG_PTR kBpcFreeAtBadIrql = 0x09;      // IRQL, pool type, address
inline constexpr ULONG_PTR kBpcAlreadyFreed = 0x07;       // 0, header contents, address
inline constexpr ULONG_PTR kBpcWrongTag = 0x0A;           // address, allocator's tag, free's tag
inline constexpr ULONG_PTR kBpcInvalidAddress = 0x46;     // address, 0, 0
inline constexpr ULONG_PTR kBpcCorruptHeader = 0x99;      // address, 0, 0
inline constexpr ULONG_PTR kBpcMustSucceed = 0x9A;        // pool type, size, tag
inline constexpr ULONG_PTR kBpcZeroTag = 0x9B;            // pool type, size, caller
inline constexpr ULONG_PTR kFastFailCorruptListEntry = 3; // 0x139 parameter 1

// A pool tag from its four characters in memory order: PoolTag("None") == 'enoN' (the kernel
// is built without -Wno-multichar, so it spells tags this way).
constexpr ULONG PoolTag(const char (&s)[5]) {
    return ULONG(UCHAR(s[0])) | ULONG(UCHAR(s[1])) << 8 | ULONG(UCHAR(s[2])) << 16 |
           ULONG(UCHAR(s[3])) << 24;
}

// The tag ExAllocatePool puts on its untagged allocations ("None").
inline constexpr ULONG kUntaggedPoolTag = PoolTag("None");

// One allocation as the pool core sees it (the exported routines translate their arguments).
struct PoolRequest {
    POOL_TYPE type; // full pool type with modifiers (zero/raise/cache-aligned...)
    SIZE_T size;
    ULONG tag;
    bool zero;          // zero-fill (otherwise filled with kUninitializedFill)
    bool quota;         // charged to the current process
    const void* caller; // return address of the exported allocator
};

// Byte patterns that make uninitialised and freed pool recognisable in dumps and user buffers.
inline constexpr unsigned char kUninitializedFill = 0xCD;
inline constexpr unsigned char kFreedFill = 0xDD;

// Allocates from the paged or non-paged pool (bug checks on IRQL violations); nullptr when
// memory is exhausted or the failure injector says so. Never raises.
PVOID PoolAllocate(const PoolRequest& request);

// Frees a block returned by PoolAllocate. checkTag: compare `tag` with the allocation's tag
// (ExFreePoolWithTag); mismatch, double free, foreign pointers bug check BAD_POOL_CALLER.
void PoolFree(PVOID p, ULONG tag, bool checkTag);

// Current IRQL as the pool's rules see it.
KIRQL PoolIrql();

// Interlocked SLIST primitives (one lock per header stripe; the header keeps depth, sequence
// and the first entry in its x64 encoding).
void SListInitialize(PSLIST_HEADER head);
PSLIST_ENTRY SListPush(PSLIST_HEADER head, PSLIST_ENTRY entry);
PSLIST_ENTRY SListPop(PSLIST_HEADER head);
PSLIST_ENTRY SListFlush(PSLIST_HEADER head);
USHORT SListDepth(PSLIST_HEADER head);
// Pushes only while the list holds fewer than `limit` entries; false when it is full.
bool SListPushIfBelow(PSLIST_HEADER head, PSLIST_ENTRY entry, USHORT limit);

} // namespace ntsim::ex
