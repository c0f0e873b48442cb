// ex.lookaside: lookaside lists (paged, non-paged, LOOKASIDE_LIST_EX) return usable blocks of
// the configured size, call a driver's allocate/free callbacks with the list's pool type,
// size and tag, and give every block the callbacks allocated back to them by the time the
// list is deleted.
#include "kmt.h"

#define KMT_LOOKASIDE_TAG 'aLtK'

namespace {

constexpr SIZE_T kBlockSize = 48;

struct CallbackCounts {
    volatile LONG Allocations;
    volatile LONG Frees;
    SIZE_T LastSize;
    ULONG LastTag;
};
CallbackCounts g_Counts;

PVOID CountingAllocate(POOL_TYPE type, SIZE_T size, ULONG tag) {
    InterlockedIncrement(&g_Counts.Allocations);
    g_Counts.LastSize = size;
    g_Counts.LastTag = tag;
    return ExAllocatePoolWithTag(type, size, tag);
}

VOID CountingFree(PVOID buffer) {
    InterlockedIncrement(&g_Counts.Frees);
    ExFreePool(buffer);
}

PVOID CountingAllocateEx(POOL_TYPE type, SIZE_T size, ULONG tag, PLOOKASIDE_LIST_EX list) {
    UNREFERENCED_PARAMETER(list);
    return CountingAllocate(type, size, tag);
}

VOID CountingFreeEx(PVOID buffer, PLOOKASIDE_LIST_EX list) {
    UNREFERENCED_PARAMETER(list);
    CountingFree(buffer);
}

void TestNonPaged() {
    static NPAGED_LOOKASIDE_LIST list; // must be non-paged: a global of the driver image
    RtlZeroMemory(&g_Counts, sizeof(g_Counts));
    ExInitializeNPagedLookasideList(&list, CountingAllocate, CountingFree, 0, kBlockSize,
                                    KMT_LOOKASIDE_TAG, 0);
    PVOID blocks[20] = {};
    for (auto& block : blocks) {
        block = ExAllocateFromNPagedLookasideList(&list);
        ok(block != nullptr, "ExAllocateFromNPagedLookasideList failed\n");
        if (block) RtlFillMemory(block, kBlockSize, 0xA5);
    }
    ok(g_Counts.Allocations >= 1, "the allocate callback was never called\n");
    ok_eq_size(g_Counts.LastSize, kBlockSize);
    ok_eq_hex(g_Counts.LastTag, KMT_LOOKASIDE_TAG);
    for (ULONG i = 0; i < RTL_NUMBER_OF(blocks); ++i)
        for (ULONG j = i + 1; j < RTL_NUMBER_OF(blocks); ++j)
            if (blocks[i] && blocks[i] == blocks[j]) ok(FALSE, "block %lu handed out twice\n", j);
    for (auto block : blocks)
        if (block) ExFreeToNPagedLookasideList(&list, block);
    // A freed block can be handed out again.
    PVOID again = ExAllocateFromNPagedLookasideList(&list);
    ok(again != nullptr, "allocation after free failed\n");
    if (again) ExFreeToNPagedLookasideList(&list, again);
    ExDeleteNPagedLookasideList(&list);
    ok_eq_int(g_Counts.Allocations - g_Counts.Frees, 0);
}

void TestPaged() {
    static PAGED_LOOKASIDE_LIST list;
    RtlZeroMemory(&g_Counts, sizeof(g_Counts));
    ExInitializePagedLookasideList(&list, CountingAllocate, CountingFree, 0, kBlockSize,
                                   KMT_LOOKASIDE_TAG, 0);
    PVOID a = ExAllocateFromPagedLookasideList(&list);
    PVOID b = ExAllocateFromPagedLookasideList(&list);
    ok(a != nullptr && b != nullptr, "ExAllocateFromPagedLookasideList failed\n");
    ok(a != b, "same block handed out twice\n");
    ok_eq_size(g_Counts.LastSize, kBlockSize);
    if (a) ExFreeToPagedLookasideList(&list, a);
    if (b) ExFreeToPagedLookasideList(&list, b);
    ExDeletePagedLookasideList(&list);
    ok_eq_int(g_Counts.Allocations - g_Counts.Frees, 0);

    // Default allocator (NULL callbacks): blocks are pool blocks of the list's size.
    ExInitializePagedLookasideList(&list, nullptr, nullptr, 0, kBlockSize, KMT_LOOKASIDE_TAG, 0);
    PUCHAR p = (PUCHAR)ExAllocateFromPagedLookasideList(&list);
    if (ok(p != nullptr, "default-allocator block failed\n")) {
        RtlFillMemory(p, kBlockSize, 1);
        ExFreeToPagedLookasideList(&list, p);
    }
    ExDeletePagedLookasideList(&list);
}

void TestEx() {
    static LOOKASIDE_LIST_EX list;
    RtlZeroMemory(&g_Counts, sizeof(g_Counts));
    ok_eq_status(ExInitializeLookasideListEx(&list, CountingAllocateEx, CountingFreeEx,
                                             NonPagedPoolNx, 0, kBlockSize, KMT_LOOKASIDE_TAG, 0),
                 STATUS_SUCCESS);
    PVOID blocks[8] = {};
    for (auto& block : blocks) {
        block = ExAllocateFromLookasideListEx(&list);
        ok(block != nullptr, "ExAllocateFromLookasideListEx failed\n");
    }
    ok_eq_size(g_Counts.LastSize, kBlockSize);
    ok_eq_hex(g_Counts.LastTag, KMT_LOOKASIDE_TAG);
    for (auto block : blocks)
        if (block) ExFreeToLookasideListEx(&list, block);
    ExFlushLookasideListEx(&list);
    ExDeleteLookasideListEx(&list);
    ok_eq_int(g_Counts.Allocations - g_Counts.Frees, 0);

    // "Raise" and "fail without raising" are mutually exclusive.
    NTSTATUS status = ExInitializeLookasideListEx(
        &list, CountingAllocateEx, CountingFreeEx, NonPagedPoolNx,
        EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL | EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE,
        kBlockSize, KMT_LOOKASIDE_TAG, 0);
    ok(!NT_SUCCESS(status), "both RAISE_ON_FAIL and FAIL_NO_RAISE accepted: 0x%08lx\n",
       (ULONG)status);
    if (NT_SUCCESS(status)) ExDeleteLookasideListEx(&list);
}

} // namespace

KMT_TEST("ex.lookaside", Test_ExLookaside);

void Test_ExLookaside() {
    TestNonPaged();
    TestPaged();
    TestEx();
}
