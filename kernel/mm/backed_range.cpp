// Kernel-backed ranges (see mm.h): a small table the accessibility checks consult before
// making any system call. Lookups are lock-free reads of (base, size) pairs; a slot's size is
// published last on registration and cleared first on removal, so a reader never sees a range
// that is not (still) mapped, as long as callers unregister before they unmap.
#include "mm/mm.h"

#include <atomic>
#include <cstdint>
#include <mutex>

namespace ntsim::mm {
namespace {

struct Slot {
    std::atomic<uintptr_t> base{0};
    std::atomic<size_t> size{0}; // 0: free
};
Slot g_slots[kMaxBackedRanges];
std::atomic<size_t> g_highWater{0}; // slots [0, g_highWater) may be in use
std::mutex g_writerLock;

} // namespace

bool RegisterBackedRange(const void* base, size_t size) {
    if (!base || !size) return false;
    std::lock_guard guard(g_writerLock);
    for (size_t i = 0; i < kMaxBackedRanges; ++i) {
        Slot& s = g_slots[i];
        if (s.size.load(std::memory_order_relaxed) != 0) continue;
        s.base.store(reinterpret_cast<uintptr_t>(base), std::memory_order_relaxed);
        s.size.store(size, std::memory_order_release);
        if (g_highWater.load(std::memory_order_relaxed) < i + 1)
            g_highWater.store(i + 1, std::memory_order_release);
        return true;
    }
    return false;
}

void UnregisterBackedRange(const void* base) {
    std::lock_guard guard(g_writerLock);
    const size_t n = g_highWater.load(std::memory_order_relaxed);
    for (size_t i = 0; i < n; ++i) {
        Slot& s = g_slots[i];
        if (s.size.load(std::memory_order_relaxed) &&
            s.base.load(std::memory_order_relaxed) == reinterpret_cast<uintptr_t>(base)) {
            s.size.store(0, std::memory_order_seq_cst);
            return;
        }
    }
}

bool InBackedRange(const void* address, size_t length) {
    const uintptr_t start = reinterpret_cast<uintptr_t>(address);
    const size_t n = g_highWater.load(std::memory_order_acquire);
    for (size_t i = 0; i < n; ++i) {
        const size_t size = g_slots[i].size.load(std::memory_order_acquire);
        if (!size) continue;
        const uintptr_t base = g_slots[i].base.load(std::memory_order_relaxed);
        if (start >= base && start - base <= size && length <= size - (start - base)) return true;
    }
    return false;
}

} // namespace ntsim::mm
