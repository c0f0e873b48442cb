// MDL sizing, IoAllocateMdl/IoFreeMdl (IRP chaining), partial MDLs, non-paged pool MDLs.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "ex/ex.h"
#include "mm/mm.h"
#include "test_support.h"
#include "wdm.h"

namespace {

using ntsim::test::BugCheckException;

// A page-aligned base address for sizing tests (never dereferenced).
PVOID At(uintptr_t offset) {
    return reinterpret_cast<PVOID>(0x10000000ULL + offset);
}

struct PageBuffer {
    explicit PageBuffer(size_t pages) : storage((pages + 1) * PAGE_SIZE) {
        uintptr_t p = reinterpret_cast<uintptr_t>(storage.data());
        base = reinterpret_cast<unsigned char*>((p + PAGE_SIZE - 1) & ~uintptr_t(PAGE_SIZE - 1));
    }
    std::vector<unsigned char> storage;
    unsigned char* base;
};

TEST(MmSizeOfMdl, HeaderPlusOnePfnPerPageSpanned) {
    EXPECT_EQ(MmSizeOfMdl(At(0), 0), 0x30u);
    EXPECT_EQ(MmSizeOfMdl(At(0), 1), 0x38u);
    EXPECT_EQ(MmSizeOfMdl(At(0), PAGE_SIZE), 0x38u);
    EXPECT_EQ(MmSizeOfMdl(At(0), PAGE_SIZE + 1), 0x40u);
    EXPECT_EQ(MmSizeOfMdl(At(0xFFF), 1), 0x38u);
    EXPECT_EQ(MmSizeOfMdl(At(0xFFF), 2), 0x40u);
    EXPECT_EQ(MmSizeOfMdl(At(0x10), 2 * PAGE_SIZE), 0x30u + 3 * 8);
    EXPECT_EQ(MmSizeOfMdl(At(0x10), 0), 0x38u); // an offset alone spans its page
}

TEST(MmInitializeMdl, FillsHeaderLikeTheWdkMacro) {
    alignas(8) unsigned char storage[0x30 + 3 * 8];
    PMDL mdl = reinterpret_cast<PMDL>(storage);
    std::memset(storage, 0xCC, sizeof(storage));
    MmInitializeMdl(mdl, At(0x234), 0x1F00);
    EXPECT_EQ(mdl->Next, nullptr);
    EXPECT_EQ(mdl->Size, 0x30 + 3 * 8); // 0x234 + 0x1F00 reaches a third page
    EXPECT_EQ(mdl->MdlFlags, 0);
    EXPECT_EQ(mdl->StartVa, At(0));
    EXPECT_EQ(mdl->ByteOffset, 0x234u);
    EXPECT_EQ(mdl->ByteCount, 0x1F00u);
    EXPECT_EQ(MmGetMdlVirtualAddress(mdl), At(0x234));
    EXPECT_EQ(MmGetMdlByteCount(mdl), 0x1F00u);
    EXPECT_EQ(MmGetMdlByteOffset(mdl), 0x234u);
    EXPECT_EQ(MmGetMdlBaseVa(mdl), At(0));
    EXPECT_EQ(reinterpret_cast<unsigned char*>(MmGetMdlPfnArray(mdl)), storage + 0x30);
}

TEST(IoAllocateMdl, DescribesTheBuffer) {
    PMDL mdl = IoAllocateMdl(At(0x80), 3 * PAGE_SIZE, FALSE, FALSE, nullptr);
    ASSERT_NE(mdl, nullptr);
    EXPECT_EQ(mdl->Next, nullptr);
    EXPECT_EQ(mdl->Size, 0x30 + 4 * 8);
    EXPECT_EQ(mdl->MdlFlags & (MDL_PAGES_LOCKED | MDL_MAPPED_TO_SYSTEM_VA), 0);
    EXPECT_EQ(mdl->Process, nullptr);
    EXPECT_EQ(mdl->StartVa, At(0));
    EXPECT_EQ(mdl->ByteOffset, 0x80u);
    EXPECT_EQ(mdl->ByteCount, 3u * PAGE_SIZE);
    IoFreeMdl(mdl);
}

TEST(IoAllocateMdl, NullAddressAndZeroLengthAreAllowed) {
    PMDL mdl = IoAllocateMdl(nullptr, 0, FALSE, FALSE, nullptr);
    ASSERT_NE(mdl, nullptr);
    EXPECT_EQ(mdl->ByteCount, 0u);
    EXPECT_EQ(mdl->Size, 0x30);
    IoFreeMdl(mdl);
}

TEST(IoAllocateMdl, LengthLimitIsFourGigabytesMinusAPage) {
    EXPECT_EQ(IoAllocateMdl(At(0), 0xFFFFFFFFu, FALSE, FALSE, nullptr), nullptr);
    EXPECT_EQ(IoAllocateMdl(At(0), 0xFFFFF001u, FALSE, FALSE, nullptr), nullptr);
    PMDL big = IoAllocateMdl(At(0), 0xFFFFF000u, FALSE, FALSE, nullptr);
    ASSERT_NE(big, nullptr); // 1M page entries: Size (16 bits) wraps as on Windows
    EXPECT_EQ(big->ByteCount, 0xFFFFF000u);
    IoFreeMdl(big);
}

TEST(IoAllocateMdl, PrimaryBufferBecomesIrpMdlAddressSecondaryOnesAreChained) {
    IRP irp;
    std::memset(&irp, 0, sizeof(irp));
    PMDL first = IoAllocateMdl(At(0), 16, FALSE, FALSE, &irp);
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(irp.MdlAddress, first);
    PMDL second = IoAllocateMdl(At(0x1000), 16, TRUE, FALSE, &irp);
    PMDL third = IoAllocateMdl(At(0x2000), 16, TRUE, FALSE, &irp);
    ASSERT_NE(second, nullptr);
    ASSERT_NE(third, nullptr);
    EXPECT_EQ(irp.MdlAddress, first);
    EXPECT_EQ(first->Next, second);
    EXPECT_EQ(second->Next, third);
    EXPECT_EQ(third->Next, nullptr);

    // A new primary buffer replaces the IRP's MdlAddress (the old chain is the caller's).
    PMDL replacement = IoAllocateMdl(At(0x3000), 16, FALSE, FALSE, &irp);
    EXPECT_EQ(irp.MdlAddress, replacement);
    for (PMDL m : {first, second, third, replacement})
        IoFreeMdl(m);
}

TEST(IoAllocateMdl, SecondaryBufferOnAnIrpWithoutMdlBecomesTheFirst) {
    IRP irp;
    std::memset(&irp, 0, sizeof(irp));
    PMDL mdl = IoAllocateMdl(At(0), 16, TRUE, FALSE, &irp);
    EXPECT_EQ(irp.MdlAddress, mdl);
    IoFreeMdl(mdl);
}

// MDLs are pool allocations tagged "Mdl " (visible to poolmon / !poolused and leak reports).
TEST(IoAllocateMdl, AllocatesFromNonPagedPoolWithTagMdl) {
    auto stats = [] {
        for (const auto& s : ntsim::ex::QueryPoolTags())
            if (s.tag == ntsim::mm::kMdlPoolTag && !s.paged) return s;
        return ntsim::ex::PoolTagStats{ntsim::mm::kMdlPoolTag, false, 0, 0, 0};
    };
    EXPECT_EQ(ntsim::ex::TagToString(ntsim::mm::kMdlPoolTag), "Mdl ");
    const auto before = stats();
    PMDL mdl = IoAllocateMdl(At(0), 2 * PAGE_SIZE, FALSE, FALSE, nullptr);
    const auto during = stats();
    EXPECT_EQ(during.allocs, before.allocs + 1);
    EXPECT_GE(during.bytes, before.bytes + 0x40);
    IoFreeMdl(mdl);
    const auto after = stats();
    EXPECT_EQ(after.frees, before.frees + 1);
    EXPECT_EQ(after.bytes, before.bytes);
}

TEST(IoFreeMdl, NullIsIgnored) {
    IoFreeMdl(nullptr);
}

TEST(MmCreateMdl, AllocatesOrInitialises) {
    PMDL mdl = MmCreateMdl(nullptr, At(0x10), 0x2000);
    ASSERT_NE(mdl, nullptr);
    EXPECT_EQ(mdl->ByteCount, 0x2000u);
    EXPECT_EQ(mdl->ByteOffset, 0x10u);
    EXPECT_EQ(mdl->Size, 0x30 + 3 * 8);
    IoFreeMdl(mdl);

    alignas(8) unsigned char storage[0x40];
    PMDL own = reinterpret_cast<PMDL>(storage);
    EXPECT_EQ(MmCreateMdl(own, At(0), 0x800), own);
    EXPECT_EQ(own->ByteCount, 0x800u);
    EXPECT_EQ(MmCreateMdl(nullptr, At(0), 0x100000000ULL), nullptr);
}

TEST(MmBuildMdlForNonPagedPool, MarksNonPagedAndRecordsSystemAddress) {
    PageBuffer buf(2);
    unsigned char* va = buf.base + 0x40;
    PMDL mdl = IoAllocateMdl(va, PAGE_SIZE, FALSE, FALSE, nullptr);
    ASSERT_NE(mdl, nullptr);
    MmBuildMdlForNonPagedPool(mdl);
    EXPECT_TRUE(mdl->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL);
    EXPECT_FALSE(mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA);
    EXPECT_EQ(mdl->MappedSystemVa, va);
    PPFN_NUMBER pfn = MmGetMdlPfnArray(mdl);
    EXPECT_EQ(pfn[0], reinterpret_cast<uintptr_t>(buf.base) >> PAGE_SHIFT);
    EXPECT_EQ(pfn[1], pfn[0] + 1);
    // The WDK inline returns MappedSystemVa for non-paged MDLs without mapping.
    EXPECT_EQ(MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority), va);
    EXPECT_FALSE(mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA);
    IoFreeMdl(mdl);
}

// ---- partial MDLs -------------------------------------------------------------------------

struct LockedSource {
    explicit LockedSource(size_t offset = 0x100, ULONG length = 3 * PAGE_SIZE) : buf(5) {
        va = buf.base + offset;
        mdl = IoAllocateMdl(va, length, FALSE, FALSE, nullptr);
        MmProbeAndLockPages(mdl, KernelMode, IoWriteAccess);
    }
    ~LockedSource() {
        MmUnlockPages(mdl);
        IoFreeMdl(mdl);
    }
    PageBuffer buf;
    unsigned char* va;
    PMDL mdl;
};

TEST(IoBuildPartialMdl, DescribesTheSubrangeWithTheSourcePages) {
    LockedSource src;
    unsigned char* sub = src.va + PAGE_SIZE; // second and third pages of the source
    PMDL target = IoAllocateMdl(sub, 0x1000, FALSE, FALSE, nullptr);
    ASSERT_NE(target, nullptr);
    IoBuildPartialMdl(src.mdl, target, sub, 0x1000);
    EXPECT_TRUE(target->MdlFlags & MDL_PARTIAL);
    EXPECT_FALSE(target->MdlFlags & MDL_PAGES_LOCKED);
    EXPECT_EQ(MmGetMdlVirtualAddress(target), sub);
    EXPECT_EQ(target->ByteCount, 0x1000u);
    EXPECT_EQ(target->ByteOffset, 0x100u);
    EXPECT_EQ(target->Process, src.mdl->Process);
    EXPECT_EQ(MmGetMdlPfnArray(target)[0], MmGetMdlPfnArray(src.mdl)[1]);
    EXPECT_EQ(MmGetMdlPfnArray(target)[1], MmGetMdlPfnArray(src.mdl)[2]);
    IoFreeMdl(target);
}

TEST(IoBuildPartialMdl, ZeroLengthMeansTheRestOfTheSource) {
    LockedSource src;
    unsigned char* sub = src.va + 0x1800;
    PMDL target = IoAllocateMdl(sub, 3 * PAGE_SIZE - 0x1800, FALSE, FALSE, nullptr);
    IoBuildPartialMdl(src.mdl, target, sub, 0);
    EXPECT_EQ(target->ByteCount, 3u * PAGE_SIZE - 0x1800);
    IoFreeMdl(target);
}

TEST(IoBuildPartialMdl, SharesAnExistingSystemMapping) {
    LockedSource src;
    PVOID system = MmGetSystemAddressForMdlSafe(src.mdl, NormalPagePriority);
    ASSERT_EQ(system, src.va);
    unsigned char* sub = src.va + 0x10;
    PMDL target = IoAllocateMdl(sub, 0x20, FALSE, FALSE, nullptr);
    IoBuildPartialMdl(src.mdl, target, sub, 0x20);
    EXPECT_TRUE(target->MdlFlags & MDL_PARENT_MAPPED_SYSTEM_VA);
    EXPECT_EQ(target->MappedSystemVa, static_cast<PCHAR>(system) + 0x10);
    EXPECT_EQ(MmGetSystemAddressForMdlSafe(target, NormalPagePriority),
              static_cast<PCHAR>(system) + 0x10);
    EXPECT_FALSE(target->MdlFlags & MDL_PARTIAL_HAS_BEEN_MAPPED);
    IoFreeMdl(target);
}

TEST(IoBuildPartialMdl, UnmappedSourceGivesOwnMappingReleasedByPrepareForReuse) {
    LockedSource src;
    unsigned char* sub = src.va + PAGE_SIZE;
    PMDL target = IoAllocateMdl(sub, 0x40, FALSE, FALSE, nullptr);
    IoBuildPartialMdl(src.mdl, target, sub, 0x40);
    EXPECT_FALSE(target->MdlFlags & MDL_PARENT_MAPPED_SYSTEM_VA);
    EXPECT_EQ(MmGetSystemAddressForMdlSafe(target, NormalPagePriority), sub);
    EXPECT_TRUE(target->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA);
    EXPECT_TRUE(target->MdlFlags & MDL_PARTIAL_HAS_BEEN_MAPPED);
    MmPrepareMdlForReuse(target);
    EXPECT_FALSE(target->MdlFlags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_PARTIAL_HAS_BEEN_MAPPED));
    // Reuse for another piece.
    IoBuildPartialMdl(src.mdl, target, src.va, 0x40);
    EXPECT_EQ(MmGetMdlVirtualAddress(target), src.va);
    IoFreeMdl(target);
}

TEST(IoBuildPartialMdl, NonPagedSourceStaysNonPaged) {
    PageBuffer buf(2);
    PMDL src = IoAllocateMdl(buf.base, 2 * PAGE_SIZE, FALSE, FALSE, nullptr);
    MmBuildMdlForNonPagedPool(src);
    PMDL target = IoAllocateMdl(buf.base + PAGE_SIZE, 8, FALSE, FALSE, nullptr);
    IoBuildPartialMdl(src, target, buf.base + PAGE_SIZE, 8);
    EXPECT_TRUE(target->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL);
    EXPECT_EQ(MmGetSystemAddressForMdlSafe(target, NormalPagePriority), buf.base + PAGE_SIZE);
    IoFreeMdl(target);
    IoFreeMdl(src);
}

TEST(IoBuildPartialMdl, RangeOutsideTheSourceIsBugCheck12E) {
    LockedSource src;
    PMDL target = IoAllocateMdl(src.va, 3 * PAGE_SIZE, FALSE, FALSE, nullptr);
    try {
        IoBuildPartialMdl(src.mdl, target, src.va + 0x10, 3 * PAGE_SIZE);
        ADD_FAILURE() << "no bug check";
    } catch (const BugCheckException& e) {
        EXPECT_EQ(e.code, 0x12Eu); // INVALID_MDL_RANGE
        EXPECT_EQ(e.p1, reinterpret_cast<ULONG_PTR>(src.mdl));
        EXPECT_EQ(e.p2, reinterpret_cast<ULONG_PTR>(target));
        EXPECT_EQ(e.p3, reinterpret_cast<ULONG_PTR>(src.va + 0x10));
        EXPECT_EQ(e.p4, 3u * PAGE_SIZE);
    }
    try {
        IoBuildPartialMdl(src.mdl, target, src.va - 1, 1);
        ADD_FAILURE() << "no bug check";
    } catch (const BugCheckException& e) {
        EXPECT_EQ(e.code, 0x12Eu);
    }
    IoFreeMdl(target);
}

TEST(IoBuildPartialMdl, TargetTooSmallIsBugCheck40) {
    LockedSource src;
    PMDL target = IoAllocateMdl(src.va, 16, FALSE, FALSE, nullptr); // room for one page
    try {
        IoBuildPartialMdl(src.mdl, target, src.va, 2 * PAGE_SIZE);
        ADD_FAILURE() << "no bug check";
    } catch (const BugCheckException& e) {
        EXPECT_EQ(e.code, 0x40u); // TARGET_MDL_TOO_SMALL
    }
    IoFreeMdl(target);
}

} // namespace
