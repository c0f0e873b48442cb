// ex.pool: pool allocation and free as documented: alignment, zeroing by ExAllocatePool2,
// tags, the POOL_TYPE and POOL_FLAGS families, and the documented failure (NULL) for a size
// no pool can satisfy.
#include "kmt.h"

#define KMT_POOL_TAG 'lPtK'

namespace {

BOOLEAN AllZero(const void* p, SIZE_T size) {
    const UCHAR* bytes = (const UCHAR*)p;
    for (SIZE_T i = 0; i < size; ++i)
        if (bytes[i] != 0) return FALSE;
    return TRUE;
}

void TestWithTag() {
    const POOL_TYPE types[] = {NonPagedPool, PagedPool, NonPagedPoolNx};
    const SIZE_T sizes[] = {1, 16, 100, 4096, 100000};
    for (POOL_TYPE type : types) {
        for (SIZE_T size : sizes) {
            PUCHAR p = (PUCHAR)ExAllocatePoolWithTag(type, size, KMT_POOL_TAG);
            if (!ok(p != nullptr, "type %d size %Iu: allocation failed\n", (int)type, size))
                continue;
            // x64 pool blocks are 16-byte aligned.
            ok_eq_uint((ULONG_PTR)p & 15, 0);
            RtlFillMemory(p, size, 0x5A);
            ok_eq_uint(p[size - 1], 0x5A);
            ExFreePoolWithTag(p, KMT_POOL_TAG);
        }
    }

    // Distinct live blocks never overlap.
    PUCHAR a = (PUCHAR)ExAllocatePoolWithTag(NonPagedPoolNx, 64, KMT_POOL_TAG);
    PUCHAR b = (PUCHAR)ExAllocatePoolWithTag(NonPagedPoolNx, 64, KMT_POOL_TAG);
    if (skip(a != nullptr && b != nullptr, "allocation failed\n")) {
        ok(a + 64 <= b || b + 64 <= a, "blocks %p and %p overlap\n", a, b);
    }
    if (a) ExFreePool(a);
    if (b) ExFreePool(b);

        // The untagged legacy routine still works and is freed with ExFreePool.
#pragma warning(suppress : 4996)
    PVOID legacy = ExAllocatePool(NonPagedPoolNx, 32);
    ok(legacy != nullptr, "ExAllocatePool failed\n");
    if (legacy) ExFreePool(legacy);
}

void TestPool2() {
    PUCHAR p = (PUCHAR)ExAllocatePool2(POOL_FLAG_NON_PAGED, 256, KMT_POOL_TAG);
    if (skip(p != nullptr, "ExAllocatePool2 failed\n")) {
        ok(AllZero(p, 256), "ExAllocatePool2 did not zero the block\n");
        ok_eq_uint((ULONG_PTR)p & 15, 0);
        ExFreePoolWithTag(p, KMT_POOL_TAG);
    }
    p = (PUCHAR)ExAllocatePool2(POOL_FLAG_PAGED, 4096 * 3, KMT_POOL_TAG);
    if (skip(p != nullptr, "ExAllocatePool2 (paged) failed\n")) {
        ok(AllZero(p, 4096 * 3), "ExAllocatePool2 did not zero the paged block\n");
        ExFreePool(p);
    }
    p = (PUCHAR)ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, 100, KMT_POOL_TAG);
    if (skip(p != nullptr, "cache-aligned allocation failed\n")) {
        ok_eq_uint((ULONG_PTR)p & 63, 0);
        ExFreePool(p);
    }
    p = (PUCHAR)ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, 64, KMT_POOL_TAG);
    ok(p != nullptr, "uninitialized allocation failed\n");
    if (p) ExFreePool(p);

    // The zeroing WDK wrapper.
    p = (PUCHAR)ExAllocatePoolZero(NonPagedPoolNx, 128, KMT_POOL_TAG);
    if (skip(p != nullptr, "ExAllocatePoolZero failed\n")) {
        ok(AllZero(p, 128), "ExAllocatePoolZero did not zero the block\n");
        ExFreePool(p);
    }
}

void TestExhaustion() {
    // No pool holds this much: the documented result is NULL (no exception without
    // POOL_FLAG_RAISE_ON_FAILURE).
    SIZE_T huge = (SIZE_T)1 << 62;
    ok_eq_ptr(ExAllocatePoolWithTag(NonPagedPoolNx, huge, KMT_POOL_TAG), nullptr);
    ok_eq_ptr(ExAllocatePool2(POOL_FLAG_PAGED, huge, KMT_POOL_TAG), nullptr);
}

} // namespace

KMT_TEST("ex.pool", Test_ExPool);

void Test_ExPool() {
    TestWithTag();
    TestPool2();
    TestExhaustion();
}
