// Per-thread lookaside lists of the I/O manager's own blocks (IRPs, system buffers), as NT
// keeps IRP lookaside lists: a thread issuing requests one after another gets back the blocks
// its previous request freed instead of a pool allocation, fill and free each time. The blocks
// still come from (and finally return to) the pool under their own tags; only a few recently
// freed ones are held per thread, and none larger than kMaxCachedBlock.
#include <cstring>

#include "ex/ex.h"
#include "io/iop.h"

namespace ntsim::io {
namespace {

constexpr size_t kCachedBlocks = 4;
constexpr size_t kMaxCachedBlock = 256 * 1024;

struct Entry {
    PVOID block = nullptr;
    SIZE_T size = 0;
    ULONG tag = 0;
};

struct Lookaside {
    Entry entries[kCachedBlocks];
    ~Lookaside() {
        for (Entry& e : entries)
            if (e.block) ex::FreePool(e.block);
    }
};
thread_local Lookaside t_lookaside;

} // namespace

PVOID AllocateIoBlock(SIZE_T size, ULONG tag) {
    for (Entry& e : t_lookaside.entries) {
        if (e.block && e.size == size && e.tag == tag) {
            PVOID block = e.block;
            e = Entry{};
            return block;
        }
    }
    return ex::AllocatePool(NonPagedPoolNx, size, tag);
}

void FreeIoBlock(PVOID block) {
    ex::LiveAllocation info{};
    if (!ex::QueryPoolBlock(block, &info) || info.size > kMaxCachedBlock) {
        ex::FreePool(block);
        return;
    }
    Entry* slot = nullptr;
    for (Entry& e : t_lookaside.entries)
        if (!e.block) {
            slot = &e;
            break;
        }
    if (!slot) { // full: the oldest goes back to the pool
        ex::FreePool(t_lookaside.entries[0].block);
        std::memmove(&t_lookaside.entries[0], &t_lookaside.entries[1],
                     sizeof(Entry) * (kCachedBlocks - 1));
        slot = &t_lookaside.entries[kCachedBlocks - 1];
    }
    *slot = Entry{block, info.size, info.tag};
}

} // namespace ntsim::io
