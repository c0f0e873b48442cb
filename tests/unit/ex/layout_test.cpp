// x64 layouts of the executive structures drivers embed. The SDK header checks every field
// offset with static_asserts; these restate the sizes a driver author sees in the WDK docs and
// check the alignment the pool gives to over-aligned driver types.
#include "ex_test_support.h"

static_assert(sizeof(SLIST_HEADER) == 16 && alignof(SLIST_HEADER) == 16);
static_assert(sizeof(SLIST_ENTRY) == 16 && alignof(SLIST_ENTRY) == 16);
static_assert(sizeof(GENERAL_LOOKASIDE) == 0x80 && alignof(GENERAL_LOOKASIDE) == 64);
static_assert(sizeof(GENERAL_LOOKASIDE_POOL) == 0x60);
static_assert(sizeof(PAGED_LOOKASIDE_LIST) == 0x80 && sizeof(NPAGED_LOOKASIDE_LIST) == 0x80);
static_assert(sizeof(LOOKASIDE_LIST_EX) == 0x60);
static_assert(sizeof(FAST_MUTEX) == 0x38 && __builtin_offsetof(FAST_MUTEX, Event) == 0x18);
static_assert(sizeof(ERESOURCE) == 0x68 && __builtin_offsetof(ERESOURCE, SpinLock) == 0x60);
static_assert(sizeof(OWNER_ENTRY) == 0x10);
static_assert(sizeof(WORK_QUEUE_ITEM) == 0x20);
static_assert(sizeof(EX_PUSH_LOCK) == 8 && sizeof(EX_RUNDOWN_REF) == 8);
static_assert(sizeof(POOL_EXTENDED_PARAMETER) == 16);
static_assert(LOOKASIDE_MINIMUM_BLOCK_SIZE == 8);
static_assert(CriticalWorkQueue == 0 && DelayedWorkQueue == 1 && HyperCriticalWorkQueue == 2 &&
              NormalWorkQueue == 3 && BackgroundWorkQueue == 4 && RealTimeWorkQueue == 5 &&
              SuperCriticalWorkQueue == 6 && MaximumWorkQueue == 7 &&
              CustomPriorityWorkQueue == 32);
static_assert(PoolExtendedParameterNumaNode == 3 && PoolExtendedParameterMax == 4);

// Callback typedefs carry no calling-convention attribute: plain functions convert to them.
static PVOID PlainAllocate(POOL_TYPE, SIZE_T, ULONG) {
    return nullptr;
}
static VOID PlainFree(PVOID) {}
static_assert(std::is_same_v<decltype(&PlainAllocate), PALLOCATE_FUNCTION>);
static_assert(std::is_same_v<decltype(&PlainFree), PFREE_FUNCTION>);

namespace {
struct OverAligned {
    ULONG counter;
    PAGED_LOOKASIDE_LIST lookaside; // as in the book's PlaybackState
};
} // namespace

TEST(ExLayouts, PoolBlocksSatisfyCacheAlignedDriverTypes) {
    EXPECT_EQ(alignof(OverAligned), 64u);
    for (SIZE_T size : {SIZE_T(1), SIZE_T(sizeof(OverAligned)), SIZE_T(3000)}) {
        void* p = ExAllocatePoolWithTag(PagedPool, size, ex_test::PoolTag("Algn"));
        ASSERT_NE(p, nullptr);
        EXPECT_TRUE(ex_test::IsAligned(p, 64)) << size;
        ExFreePool(p);
    }
}
