// The arena heap: first-fit allocation of [kHeapOffset, kArenaSize) for buffers that travel to
// the kernel (staged I/O buffers, IOSBs of requests that may complete later). Bookkeeping lives
// in private memory, so nothing the kernel or a driver writes into the arena can corrupt it.
#include <map>
#include <mutex>

#include "channel.h"
#include "ntdll_internal.h"

namespace ntsim::ntdll {
namespace {

using namespace lpc::wire;

constexpr uint64_t kGranule = 64;

struct Heap {
    std::mutex lock;
    uint8_t* base = nullptr;            // the arena these maps describe (re-initialised after fork)
    std::map<uint64_t, uint64_t> free;  // offset -> size
    std::map<uint64_t, uint64_t> inUse; // offset -> size
};
Heap& TheHeap() {
    static Heap* heap = new Heap;
    return *heap;
}

void Reset(Heap& h, uint8_t* base) {
    h.base = base;
    h.free.clear();
    h.inUse.clear();
    h.free[kHeapOffset] = kHeapSize;
}

// Each thread keeps the last few blocks it freed (still in use for the heap): a thread making
// I/O calls one after another stages its buffers and IOSB in the same blocks again, without the
// heap's lock and map updates. Blocks of a previous arena (before a fork) are forgotten.
constexpr size_t kCachedBlocks = 6;
constexpr uint64_t kMaxCachedBlock = 256 * 1024;
struct CachedBlock {
    uint8_t* base = nullptr; // the arena it belongs to
    uint64_t offset = 0;
    uint64_t size = 0; // rounded size, 0: empty entry
};
struct ThreadCache {
    CachedBlock blocks[kCachedBlocks];
    ~ThreadCache();
};
thread_local ThreadCache t_cache;

uint64_t Rounded(size_t size) {
    return (uint64_t(size ? size : 1) + kGranule - 1) & ~(kGranule - 1);
}

void ReleaseLocked(Heap& h, uint64_t offset);

ThreadCache::~ThreadCache() {
    Heap& h = TheHeap();
    std::lock_guard guard(h.lock);
    for (CachedBlock& b : blocks)
        if (b.size && b.base == h.base) ReleaseLocked(h, b.offset);
}

} // namespace

void* HeapAllocate(size_t size) {
    uint8_t* base = ArenaBase();
    if (!base) return nullptr;
    const uint64_t rounded = Rounded(size);
    for (CachedBlock& b : t_cache.blocks) {
        if (b.size == rounded && b.base == base) {
            b.size = 0;
            return base + b.offset;
        }
    }
    Heap& h = TheHeap();
    std::lock_guard guard(h.lock);
    if (h.base != base) Reset(h, base);
    uint64_t want = rounded;
    for (auto it = h.free.begin(); it != h.free.end(); ++it) {
        if (it->second < want) continue;
        uint64_t offset = it->first, left = it->second - want;
        h.free.erase(it);
        if (left) h.free[offset + want] = left;
        h.inUse[offset] = want;
        return base + offset;
    }
    return nullptr;
}

void HeapFree(void* p) {
    if (!p) return;
    Heap& h = TheHeap();
    std::lock_guard guard(h.lock);
    if (!h.base) return;
    uint64_t offset = uint64_t(static_cast<uint8_t*>(p) - h.base);
    auto used = h.inUse.find(offset);
    if (used == h.inUse.end()) return; // not ours (or a double free): ignored
    if (used->second <= kMaxCachedBlock) {
        for (CachedBlock& b : t_cache.blocks) {
            if (b.size && b.base == h.base && b.offset == offset) return; // double free
        }
        for (CachedBlock& b : t_cache.blocks) {
            if (!b.size || b.base != h.base) {
                b = CachedBlock{h.base, offset, used->second};
                return;
            }
        }
        // Full: the first entry goes back to the heap, this block takes its place.
        CachedBlock old = t_cache.blocks[0];
        t_cache.blocks[0] = CachedBlock{h.base, offset, used->second};
        ReleaseLocked(h, old.offset);
        return;
    }
    ReleaseLocked(h, offset);
}

namespace {
// Returns the in-use block at `offset` to the free map, merging with its neighbours.
void ReleaseLocked(Heap& h, uint64_t offset) {
    auto used = h.inUse.find(offset);
    if (used == h.inUse.end()) return;
    uint64_t size = used->second;
    h.inUse.erase(used);
    auto next = h.free.lower_bound(offset);
    if (next != h.free.end() && offset + size == next->first) {
        size += next->second;
        next = h.free.erase(next);
    }
    if (next != h.free.begin()) {
        auto prev = std::prev(next);
        if (prev->first + prev->second == offset) {
            prev->second += size;
            return;
        }
    }
    h.free[offset] = size;
}
} // namespace

} // namespace ntsim::ntdll

void* NtsimArenaAllocate(size_t size) {
    NtsimProcessId(); // connects the process if it is not yet
    return ntsim::ntdll::HeapAllocate(size);
}

void NtsimArenaFree(void* p) {
    ntsim::ntdll::HeapFree(p);
}
