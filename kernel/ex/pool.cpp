// The pool core: paged and non-paged pool on the process heap.
//
// Every block carries a 64-byte header right before the address handed out. Its last 16 bytes
// have the shape of the x64 POOL_HEADER (pool type byte, then the tag at block-12), so tools
// that peek at the tag the Windows way find it; the first part links the block into the list of
// live allocations and records size, caller and a magic. Live blocks are also indexed by address
// so a free never has to trust memory it does not own. Freed blocks are marked (magic, type 0),
// filled with 0xDD and kept in a quarantine for a while, and their addresses are remembered
// even longer, so a double free is reported as such (BAD_POOL_CALLER 0x07) instead of corrupting
// the heap. Per-tag counters (allocs, frees, bytes; paged and non-paged apart) feed poolmon-style
// queries.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "dbg/dbg.h"
#include "ex/ex.h"
#include "ex/ex_internal.h"
#include "ke/ke.h"

// Ke owns the per-thread IRQL. Referenced weakly so the pool works (at PASSIVE_LEVEL) in a
// kernel built before Ke provides it.
namespace ntsim::ke {
KIRQL CurrentIrql() __attribute__((weak));
}

namespace ntsim::ex {
namespace {

constexpr uint32_t kLiveMagic = 0x4C4F4F50;  // "POOL"
constexpr uint32_t kFreedMagic = 0x45455246; // "FREE"
constexpr size_t kHeaderSize = 64;
constexpr size_t kCacheLine = 64;
constexpr SIZE_T kMaxPoolAllocation = SIZE_T(1) << 40; // larger requests fail like Windows'
constexpr size_t kQuarantineBlocks = 1024;
constexpr size_t kQuarantineBytes = 8u << 20;
constexpr size_t kFreedRecords = 65536;

enum BlockFlags : uint16_t { kFlagQuota = 1, kFlagZeroed = 2 };

struct PoolBlockHeader {
    LIST_ENTRY links;   // live list, in allocation order
    void* rawBase;      // what the heap returned
    SIZE_T size;        // bytes requested
    const void* caller; // return address of the exported allocator
    uint32_t magic;
    uint16_t flags;
    uint16_t reserved;
    // x64 POOL_HEADER shape.
    UCHAR previousSize;
    UCHAR poolIndex;
    UCHAR blockSize;
    UCHAR poolType; // (pool type & 0x3F) + 1 while allocated, 0 once freed
    ULONG poolTag;
    ULONG64 processBilled;
};
static_assert(sizeof(PoolBlockHeader) == kHeaderSize, "pool header size");
static_assert(offsetof(PoolBlockHeader, poolTag) == kHeaderSize - 12, "tag at block-12");

PoolBlockHeader* HeaderOf(const void* p) {
    return reinterpret_cast<PoolBlockHeader*>(reinterpret_cast<uintptr_t>(p) - kHeaderSize);
}
PVOID BodyOf(PoolBlockHeader* h) {
    return reinterpret_cast<char*>(h) + kHeaderSize;
}
bool IsPaged(POOL_TYPE type) {
    return (type & BASE_POOL_TYPE_MASK) != 0;
}
ULONG64 HeaderWord(const PoolBlockHeader* h) {
    ULONG64 word;
    std::memcpy(&word, &h->previousSize, sizeof(word));
    return word;
}

struct TagCounters {
    uint64_t allocs = 0;
    uint64_t frees = 0;
    uint64_t bytes = 0;
};

struct FreedRecord {
    ULONG64 headerWord;
    uint64_t generation;
};

struct PoolState {
    std::mutex lock;
    LIST_ENTRY live{&live, &live};
    std::unordered_set<uintptr_t> liveIndex;
    std::map<std::pair<ULONG, bool>, TagCounters> tags;
    std::deque<PoolBlockHeader*> quarantine;
    size_t quarantineBytes = 0;
    std::unordered_map<uintptr_t, FreedRecord> freed;
    std::deque<std::pair<uintptr_t, uint64_t>> freedOrder;
    uint64_t generation = 0;
    PoolFailureInjector injector;
    std::atomic<IrqlSource> irqlSource{nullptr};
};

PoolState& State() {
    static PoolState* state = new PoolState; // never destroyed: allocations outlive statics
    return *state;
}

void InsertLive(PoolState& s, PoolBlockHeader* h) {
    h->links.Flink = &s.live;
    h->links.Blink = s.live.Blink;
    s.live.Blink->Flink = &h->links;
    s.live.Blink = &h->links;
}

void RemoveLive(PoolBlockHeader* h) {
    h->links.Blink->Flink = h->links.Flink;
    h->links.Flink->Blink = h->links.Blink;
    h->links.Flink = h->links.Blink = nullptr;
}

// Keeps recently freed memory out of the heap (called with the lock held). Returns blocks to
// release after the lock is dropped.
void Quarantine(PoolState& s, PoolBlockHeader* h, std::vector<void*>& release) {
    s.quarantine.push_back(h);
    s.quarantineBytes += h->size;
    while (s.quarantine.size() > kQuarantineBlocks || s.quarantineBytes > kQuarantineBytes) {
        PoolBlockHeader* old = s.quarantine.front();
        s.quarantine.pop_front();
        s.quarantineBytes -= old->size;
        release.push_back(old->rawBase);
    }
}

void RememberFreed(PoolState& s, uintptr_t address, ULONG64 headerWord) {
    uint64_t generation = ++s.generation;
    s.freed[address] = FreedRecord{headerWord, generation};
    s.freedOrder.emplace_back(address, generation);
    while (s.freedOrder.size() > kFreedRecords) {
        auto [oldAddress, oldGeneration] = s.freedOrder.front();
        s.freedOrder.pop_front();
        auto it = s.freed.find(oldAddress);
        if (it != s.freed.end() && it->second.generation == oldGeneration) s.freed.erase(it);
    }
}

// ExFreePoolWithTag: the tag must be the allocation's. A PROTECTED_POOL allocation can only be
// freed by passing its tag (protected bit included), never by ExFreePool.
bool TagMismatch(ULONG allocTag, ULONG tag, bool checkTag) {
    const bool isProtected = (allocTag & PROTECTED_POOL) != 0;
    if (!checkTag) return isProtected;
    if ((tag & ~ULONG(PROTECTED_POOL)) != (allocTag & ~ULONG(PROTECTED_POOL))) return true;
    return isProtected && !(tag & PROTECTED_POOL);
}

size_t AlignmentFor(SIZE_T size) {
    // ExAllocatePoolWithTag docs: PAGE_SIZE or more is page aligned; smaller blocks are 16-byte
    // aligned on 64-bit systems (a cache line with the cache-aligned types). ntsim aligns every
    // smaller block to a cache line: it costs nothing with a 64-byte header, and driver types
    // with 64-byte alignment placed in pool (PAGED_LOOKASIDE_LIST members, the book's
    // PlaybackState) are then really aligned, which sanitizers check.
    return size >= PAGE_SIZE ? PAGE_SIZE : kCacheLine;
}

} // namespace

KIRQL PoolIrql() {
    IrqlSource source = State().irqlSource.load(std::memory_order_acquire);
    if (source) return source();
    if (&ntsim::ke::CurrentIrql != nullptr) return ntsim::ke::CurrentIrql();
    return PASSIVE_LEVEL;
}

PVOID PoolAllocate(const PoolRequest& request) {
    auto& s = State();
    const bool paged = IsPaged(request.type);

    // ExAllocatePoolWithTag remarks: paged pool only at IRQL <= APC_LEVEL, any pool at
    // IRQL <= DISPATCH_LEVEL. Windows' pool manager stops with BAD_POOL_CALLER 0x08.
    KIRQL irql = PoolIrql();
    if (irql > DISPATCH_LEVEL || (paged && irql > APC_LEVEL))
        dbg::BugCheck(kBadPoolCaller, kBpcAllocateAtBadIrql, irql, ULONG_PTR(request.type),
                      request.size);

    PoolFailureInjector injector;
    {
        std::lock_guard guard(s.lock);
        injector = s.injector;
    }
    if (injector && injector(paged, request.size, request.tag)) return nullptr;
    if (request.size > kMaxPoolAllocation) return nullptr;

    const size_t alignment = AlignmentFor(request.size);
    const size_t offset = std::max(kHeaderSize, alignment);
    void* raw = nullptr;
    if (posix_memalign(&raw, alignment, offset + std::max<SIZE_T>(request.size, 1)) != 0)
        return nullptr;

    auto* body = static_cast<char*>(raw) + offset;
    auto* h = HeaderOf(body);
    std::memset(h, 0, sizeof(*h));
    h->rawBase = raw;
    h->size = request.size;
    h->caller = request.caller;
    h->magic = kLiveMagic;
    h->flags = uint16_t((request.quota ? kFlagQuota : 0) | (request.zero ? kFlagZeroed : 0));
    h->blockSize = UCHAR(std::min<SIZE_T>((request.size + kHeaderSize + 15) / 16, 0xFF));
    h->poolType = UCHAR((request.type & 0x3F) + 1);
    h->poolTag = request.tag;
    std::memset(body, request.zero ? 0 : kUninitializedFill, request.size);

    {
        std::lock_guard guard(s.lock);
        InsertLive(s, h);
        s.liveIndex.insert(reinterpret_cast<uintptr_t>(body));
        s.freed.erase(reinterpret_cast<uintptr_t>(body)); // the address is in use again
        auto& counters = s.tags[{request.tag, paged}];
        ++counters.allocs;
        counters.bytes += request.size;
    }
    return body;
}

void PoolFree(PVOID p, ULONG tag, bool checkTag) {
    auto& s = State();
    const auto address = reinterpret_cast<uintptr_t>(p);
    if (p == nullptr) dbg::BugCheck(kBadPoolCaller, kBpcInvalidAddress, 0);

    // Decide under the lock, bug check outside it (a test hook may throw).
    enum class Verdict { Ok, Unknown, AlreadyFreed, Corrupt, WrongTag, BadIrql } verdict;
    ULONG64 freedHeaderWord = 0;
    ULONG allocTag = 0;
    POOL_TYPE type = NonPagedPool;
    KIRQL irql = PoolIrql();
    std::vector<void*> release;
    {
        std::lock_guard guard(s.lock);
        if (s.liveIndex.count(address)) {
            PoolBlockHeader* h = HeaderOf(p);
            allocTag = h->poolTag;
            type = POOL_TYPE(h->poolType - 1);
            if (h->magic != kLiveMagic || h->poolType == 0) {
                verdict = Verdict::Corrupt;
            } else if (TagMismatch(allocTag, tag, checkTag)) {
                verdict = Verdict::WrongTag;
            } else if (irql > DISPATCH_LEVEL || (IsPaged(type) && irql > APC_LEVEL)) {
                verdict = Verdict::BadIrql;
            } else {
                verdict = Verdict::Ok;
                RemoveLive(h);
                s.liveIndex.erase(address);
                auto& counters = s.tags[{allocTag, IsPaged(type)}];
                ++counters.frees;
                counters.bytes -= h->size;
                h->magic = kFreedMagic;
                h->poolType = 0;
                std::memset(p, kFreedFill, h->size);
                RememberFreed(s, address, HeaderWord(h));
                Quarantine(s, h, release);
            }
        } else if (auto it = s.freed.find(address); it != s.freed.end()) {
            verdict = Verdict::AlreadyFreed;
            freedHeaderWord = it->second.headerWord;
        } else {
            verdict = Verdict::Unknown;
        }
    }
    for (void* raw : release)
        std::free(raw);

    switch (verdict) {
    case Verdict::Ok:
        return;
    case Verdict::AlreadyFreed:
        dbg::BugCheck(kBadPoolCaller, kBpcAlreadyFreed, 0, freedHeaderWord, address);
    case Verdict::WrongTag:
        dbg::BugCheck(kBadPoolCaller, kBpcWrongTag, address, allocTag, tag);
    case Verdict::BadIrql:
        dbg::BugCheck(kBadPoolCaller, kBpcFreeAtBadIrql, irql, ULONG_PTR(type), address);
    case Verdict::Corrupt:
        dbg::BugCheck(kBadPoolCaller, kBpcCorruptHeader, address);
    case Verdict::Unknown:
        dbg::BugCheck(kBadPoolCaller, kBpcInvalidAddress, address);
    }
}

PVOID AllocatePool(POOL_TYPE type, SIZE_T size, ULONG tag) {
    PoolRequest request{};
    request.type = type;
    request.size = size;
    request.tag = tag;
    request.zero = (type & POOL_ZERO_ALLOCATION) != 0;
    request.caller = __builtin_return_address(0);
    return PoolAllocate(request);
}

void FreePool(PVOID p) {
    PoolFree(p, 0, false);
}

std::vector<PoolTagStats> QueryPoolTags() {
    auto& s = State();
    std::lock_guard guard(s.lock);
    std::vector<PoolTagStats> rows;
    rows.reserve(s.tags.size());
    for (const auto& [key, c] : s.tags)
        rows.push_back(PoolTagStats{key.first, key.second, c.allocs, c.frees, c.bytes});
    return rows;
}

std::vector<LiveAllocation> LiveAllocationsFrom(uintptr_t begin, uintptr_t end) {
    auto& s = State();
    std::lock_guard guard(s.lock);
    std::vector<LiveAllocation> out;
    for (LIST_ENTRY* e = s.live.Flink; e != &s.live; e = e->Flink) {
        auto* h = CONTAINING_RECORD(e, PoolBlockHeader, links);
        auto caller = reinterpret_cast<uintptr_t>(h->caller);
        if (caller < begin || caller >= end) continue;
        out.push_back(LiveAllocation{BodyOf(h), h->size, h->poolTag,
                                     IsPaged(POOL_TYPE(h->poolType - 1)), h->caller});
    }
    return out;
}

bool QueryPoolBlock(const void* p, LiveAllocation* info) {
    auto& s = State();
    std::lock_guard guard(s.lock);
    if (!s.liveIndex.count(reinterpret_cast<uintptr_t>(p))) return false;
    PoolBlockHeader* h = HeaderOf(p);
    if (info)
        *info = LiveAllocation{BodyOf(h), h->size, h->poolTag, IsPaged(POOL_TYPE(h->poolType - 1)),
                               h->caller};
    return true;
}

std::string TagToString(ULONG tag) {
    tag &= ~ULONG(PROTECTED_POOL);
    std::string out;
    for (int i = 0; i < 4; ++i) {
        char c = char((tag >> (8 * i)) & 0xFF);
        out.push_back(c >= 0x20 && c <= 0x7E ? c : '?');
    }
    return out;
}

void SetPoolFailureInjector(PoolFailureInjector injector) {
    auto& s = State();
    std::lock_guard guard(s.lock);
    s.injector = std::move(injector);
}

void SetIrqlSourceForTesting(IrqlSource source) {
    State().irqlSource.store(source, std::memory_order_release);
}

} // namespace ntsim::ex
