// Kernel-backed ranges: IsAccessible answers from the table (no probe) for a registered range,
// and probes as before once it is unregistered or for anything that sticks out of it.
#include <gtest/gtest.h>

#include <sys/mman.h>

#include <cstdint>
#include <vector>

#include "mm/mm.h"
#include "wdm.h"

namespace {

using ntsim::mm::InBackedRange;
using ntsim::mm::IsAccessible;
using ntsim::mm::RegisterBackedRange;
using ntsim::mm::UnregisterBackedRange;

// Reserved pages without access: only the table can call them accessible.
struct Reserved {
    explicit Reserved(size_t pages) : size(pages * PAGE_SIZE) {
        void* p =
            mmap(nullptr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        base = p == MAP_FAILED ? nullptr : static_cast<unsigned char*>(p);
    }
    ~Reserved() {
        if (base) munmap(base, size);
    }
    unsigned char* base;
    size_t size;
};

TEST(MmBackedRange, RegisteredRangeIsAccessibleWithoutProbing) {
    Reserved r(4);
    ASSERT_NE(r.base, nullptr);
    EXPECT_FALSE(IsAccessible(r.base, 16, false));
    ASSERT_TRUE(RegisterBackedRange(r.base + PAGE_SIZE, 2 * PAGE_SIZE));
    EXPECT_TRUE(InBackedRange(r.base + PAGE_SIZE, 2 * PAGE_SIZE));
    EXPECT_TRUE(IsAccessible(r.base + PAGE_SIZE, 16, false));
    EXPECT_TRUE(IsAccessible(r.base + 2 * PAGE_SIZE + 100, PAGE_SIZE - 100, true));
    // Sticking out on either side: probed, and the PROT_NONE pages fail.
    EXPECT_FALSE(InBackedRange(r.base + PAGE_SIZE - 1, 2));
    EXPECT_FALSE(IsAccessible(r.base + PAGE_SIZE - 1, 2, false));
    EXPECT_FALSE(IsAccessible(r.base + 3 * PAGE_SIZE - 1, 2, true));
    EXPECT_FALSE(InBackedRange(r.base + PAGE_SIZE, 2 * PAGE_SIZE + 1));
    // A length that wraps around the address space is never inside.
    EXPECT_FALSE(InBackedRange(r.base + PAGE_SIZE, SIZE_MAX));
    UnregisterBackedRange(r.base + PAGE_SIZE);
    EXPECT_FALSE(InBackedRange(r.base + PAGE_SIZE, 16));
    EXPECT_FALSE(IsAccessible(r.base + PAGE_SIZE, 16, false));
}

TEST(MmBackedRange, BadRegistrationsAndAFullTable) {
    EXPECT_FALSE(RegisterBackedRange(nullptr, PAGE_SIZE));
    Reserved r(1);
    ASSERT_NE(r.base, nullptr);
    EXPECT_FALSE(RegisterBackedRange(r.base, 0));
    UnregisterBackedRange(r.base); // not registered: nothing happens
    // Fill the table (other tests' ranges may hold slots: count what fits).
    std::vector<unsigned char*> added;
    while (added.size() <= ntsim::mm::kMaxBackedRanges &&
           RegisterBackedRange(r.base + added.size() % PAGE_SIZE, 1))
        added.push_back(r.base + added.size() % PAGE_SIZE);
    EXPECT_LE(added.size(), ntsim::mm::kMaxBackedRanges);
    EXPECT_FALSE(RegisterBackedRange(r.base, PAGE_SIZE));
    for (unsigned char* p : added)
        UnregisterBackedRange(p);
    EXPECT_FALSE(InBackedRange(r.base, 1));
    EXPECT_TRUE(RegisterBackedRange(r.base, PAGE_SIZE));
    UnregisterBackedRange(r.base);
}

} // namespace
