// MmProbeAndLockPages / MmUnlockPages, system mappings, address checks, ExRaise*.
#include <gtest/gtest.h>

#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/nt_exception.h"
#include "dbg/dbg.h"
#include "mm/mm.h"
#include "ps/ps.h"
#include "test_support.h"
#include "wdm.h"

namespace {

using ntsim::NtStatusException;
using ntsim::test::BugCheckException;

// Pages from mmap whose protection a test can change.
struct Mapping {
    // Placed away from where the kernel hands out mappings (top-down from the stack), so a
    // page this test unmaps is not refilled by an allocator (ASan's mmaps) before it probes.
    explicit Mapping(size_t pages) : size(pages * PAGE_SIZE) {
        void* p = MAP_FAILED;
#if defined(__SANITIZE_THREAD__)
        // Not under TSan: this range is outside its application memory, so its mmap
        // interceptor drops the hint and MAP_FIXED_NOREPLACE then maps page 0 (a fatal error).
        constexpr uintptr_t kFirstHint = 0x500100000000;
#else
        constexpr uintptr_t kFirstHint = 0x500000000000;
#endif
        for (uintptr_t hint = kFirstHint; p == MAP_FAILED && hint < 0x500100000000;
             hint += 0x10000000)
            p = mmap(reinterpret_cast<void*>(hint), size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (p == MAP_FAILED)
            p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        base = p == MAP_FAILED ? nullptr : static_cast<unsigned char*>(p);
    }
    ~Mapping() {
        if (base) munmap(base, size);
    }
    void Protect(size_t page, int prot) {
        ASSERT_EQ(mprotect(base + page * PAGE_SIZE, PAGE_SIZE, prot), 0);
    }
    unsigned char* Page(size_t i) const {
        return base + i * PAGE_SIZE;
    }
    size_t size;
    unsigned char* base;
};

// Kernel debug log text emitted after `sequence`.
std::string LogSince(uint64_t sequence) {
    std::string text;
    for (const auto& r : ntsim::dbg::ReadDebugLog(sequence))
        text += r.text;
    return text;
}

NTSTATUS ProbeStatus(PMDL mdl, KPROCESSOR_MODE mode, LOCK_OPERATION op) {
    try {
        MmProbeAndLockPages(mdl, mode, op);
        return STATUS_SUCCESS;
    } catch (const NtStatusException& e) {
        return e.status;
    }
}

TEST(MmProbeAndLockPages, LocksAReadableBufferAndFillsThePageArray) {
    Mapping m(4);
    ASSERT_NE(m.base, nullptr);
    unsigned char* va = m.base + 0x123;
    PMDL mdl = IoAllocateMdl(va, 2 * PAGE_SIZE, FALSE, FALSE, nullptr);
    ASSERT_NE(mdl, nullptr);
    EXPECT_EQ(ProbeStatus(mdl, KernelMode, IoReadAccess), STATUS_SUCCESS);
    EXPECT_TRUE(mdl->MdlFlags & MDL_PAGES_LOCKED);
    EXPECT_FALSE(mdl->MdlFlags & MDL_WRITE_OPERATION);
    EXPECT_EQ(mdl->Process, nullptr); // KernelMode: a kernel buffer
    PPFN_NUMBER pfn = MmGetMdlPfnArray(mdl);
    const PFN_NUMBER first = reinterpret_cast<uintptr_t>(m.base) >> PAGE_SHIFT;
    EXPECT_EQ(pfn[0], first);
    EXPECT_EQ(pfn[1], first + 1);
    EXPECT_EQ(pfn[2], first + 2);
    MmUnlockPages(mdl);
    EXPECT_FALSE(mdl->MdlFlags & MDL_PAGES_LOCKED);
    IoFreeMdl(mdl);
}

TEST(MmProbeAndLockPages, WriteAndModifyAccessMarkAWriteOperation) {
    Mapping m(1);
    for (LOCK_OPERATION op : {IoWriteAccess, IoModifyAccess}) {
        PMDL mdl = IoAllocateMdl(m.base, 64, FALSE, FALSE, nullptr);
        EXPECT_EQ(ProbeStatus(mdl, KernelMode, op), STATUS_SUCCESS);
        EXPECT_TRUE(mdl->MdlFlags & MDL_WRITE_OPERATION);
        MmUnlockPages(mdl);
        EXPECT_FALSE(mdl->MdlFlags & (MDL_PAGES_LOCKED | MDL_WRITE_OPERATION));
        IoFreeMdl(mdl);
    }
}

TEST(MmProbeAndLockPages, WriteProbeLeavesTheContentsAlone) {
    Mapping m(2);
    for (size_t i = 0; i < m.size; ++i)
        m.base[i] = static_cast<unsigned char>(i * 7);
    PMDL mdl = IoAllocateMdl(m.base + 1, 2 * PAGE_SIZE - 2, FALSE, FALSE, nullptr);
    EXPECT_EQ(ProbeStatus(mdl, KernelMode, IoWriteAccess), STATUS_SUCCESS);
    for (size_t i = 0; i < m.size; ++i)
        ASSERT_EQ(m.base[i], static_cast<unsigned char>(i * 7)) << "byte " << i;
    MmUnlockPages(mdl);
    IoFreeMdl(mdl);
}

TEST(MmProbeAndLockPages, NoAccessPageRaisesAccessViolation) {
    Mapping m(3);
    m.Protect(1, PROT_NONE);
    PMDL mdl = IoAllocateMdl(m.base + 0x800, 2 * PAGE_SIZE, FALSE, FALSE, nullptr);
    EXPECT_EQ(ProbeStatus(mdl, KernelMode, IoReadAccess), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(mdl->MdlFlags & MDL_PAGES_LOCKED, 0); // unchanged on failure
    EXPECT_EQ(ProbeStatus(mdl, KernelMode, IoWriteAccess), STATUS_ACCESS_VIOLATION);
    IoFreeMdl(mdl);
}

TEST(MmProbeAndLockPages, UnmappedLastPageRaisesAccessViolation) {
    Mapping m(3);
    // Allocate before unmapping so nothing new can land in the hole.
    PMDL whole = IoAllocateMdl(m.base, 3 * PAGE_SIZE, FALSE, FALSE, nullptr);
    PMDL head = IoAllocateMdl(m.base, 2 * PAGE_SIZE, FALSE, FALSE, nullptr);
    ASSERT_EQ(munmap(m.Page(2), PAGE_SIZE), 0);
    m.size = 2 * PAGE_SIZE;
    EXPECT_EQ(ProbeStatus(whole, KernelMode, IoReadAccess), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(ProbeStatus(whole, KernelMode, IoWriteAccess), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(ProbeStatus(head, KernelMode, IoReadAccess), STATUS_SUCCESS); // the rest is fine
    MmUnlockPages(head);
    IoFreeMdl(head);
    IoFreeMdl(whole);
}

TEST(MmProbeAndLockPages, ReadOnlyPageCanBeReadNotWritten) {
    Mapping m(2);
    m.base[PAGE_SIZE] = 0x5A;
    m.Protect(1, PROT_READ);
    PMDL mdl = IoAllocateMdl(m.base + 0x10, PAGE_SIZE, FALSE, FALSE, nullptr); // spans both
    EXPECT_EQ(ProbeStatus(mdl, KernelMode, IoWriteAccess), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(ProbeStatus(mdl, KernelMode, IoModifyAccess), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(mdl->MdlFlags & MDL_PAGES_LOCKED, 0);
    EXPECT_EQ(ProbeStatus(mdl, KernelMode, IoReadAccess), STATUS_SUCCESS);
    EXPECT_EQ(m.base[PAGE_SIZE], 0x5A);
    MmUnlockPages(mdl);
    IoFreeMdl(mdl);
}

TEST(MmProbeAndLockPages, UserModeRejectsKernelAddresses) {
    PVOID kernelVa = reinterpret_cast<PVOID>(0xFFFF800000001000ULL);
    PMDL mdl = IoAllocateMdl(kernelVa, 16, FALSE, FALSE, nullptr);
    EXPECT_EQ(ProbeStatus(mdl, UserMode, IoReadAccess), STATUS_ACCESS_VIOLATION);
    IoFreeMdl(mdl);

    // A range that ends above MmUserProbeAddress.
    PVOID nearTop = reinterpret_cast<PVOID>(MmUserProbeAddress - 8);
    mdl = IoAllocateMdl(nearTop, 16, FALSE, FALSE, nullptr);
    EXPECT_EQ(ProbeStatus(mdl, UserMode, IoReadAccess), STATUS_ACCESS_VIOLATION);
    IoFreeMdl(mdl);
}

TEST(MmProbeAndLockPages, UserModeBufferBelongsToTheCallingProcess) {
    Mapping m(1);
    PMDL mdl = IoAllocateMdl(m.base, 32, FALSE, FALSE, nullptr);
    EXPECT_EQ(ProbeStatus(mdl, UserMode, IoWriteAccess), STATUS_SUCCESS);
    EXPECT_EQ(mdl->Process, ntsim::ps::CurrentProcess());
    MmUnlockPages(mdl);
    IoFreeMdl(mdl);
}

TEST(MmProbeAndLockPages, LockingTwiceIsRefused) {
    Mapping m(1);
    PMDL mdl = IoAllocateMdl(m.base, 32, FALSE, FALSE, nullptr);
    EXPECT_EQ(ProbeStatus(mdl, KernelMode, IoReadAccess), STATUS_SUCCESS);
    const uint64_t seq = ntsim::dbg::LastDebugSequence();
    EXPECT_EQ(ProbeStatus(mdl, KernelMode, IoReadAccess), STATUS_INVALID_PARAMETER);
    EXPECT_NE(LogSince(seq).find("MmProbeAndLockPages: MDL"), std::string::npos);
    EXPECT_TRUE(mdl->MdlFlags & MDL_PAGES_LOCKED);
    MmUnlockPages(mdl);
    IoFreeMdl(mdl);
}

TEST(MmProbeAndLockPages, MdlTooSmallForTheRangeIsRefused) {
    Mapping m(3);
    alignas(8) unsigned char storage[0x30 + 8];
    PMDL mdl = reinterpret_cast<PMDL>(storage);
    MmInitializeMdl(mdl, m.base, PAGE_SIZE);
    mdl->ByteCount = 3 * PAGE_SIZE; // header now claims more pages than Size holds
    EXPECT_EQ(ProbeStatus(mdl, KernelMode, IoReadAccess), STATUS_INVALID_PARAMETER);
}

TEST(MmProbeAndLockPages, ZeroLengthLocksNothingButSucceeds) {
    Mapping m(1);
    PMDL mdl = IoAllocateMdl(m.base, 0, FALSE, FALSE, nullptr);
    EXPECT_EQ(ProbeStatus(mdl, KernelMode, IoReadAccess), STATUS_SUCCESS);
    MmUnlockPages(mdl);
    IoFreeMdl(mdl);
}

TEST(MmProbeAndLockPages, InternalFormReturnsTheStatus) {
    Mapping m(2);
    m.Protect(1, PROT_READ);
    PMDL mdl = IoAllocateMdl(m.Page(1), 8, FALSE, FALSE, nullptr);
    EXPECT_EQ(ntsim::mm::ProbeAndLockPages(mdl, UserMode, IoWriteAccess), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(ntsim::mm::ProbeAndLockPages(mdl, UserMode, IoReadAccess), STATUS_SUCCESS);
    MmUnlockPages(mdl);
    IoFreeMdl(mdl);
    EXPECT_EQ(ntsim::mm::ProbeAndLockPages(nullptr, KernelMode, IoReadAccess),
              STATUS_INVALID_PARAMETER);
}

// ---- system mappings ----------------------------------------------------------------------

TEST(MmGetSystemAddressForMdlSafe, MapsALockedMdlOnceAndUnlockUnmaps) {
    Mapping m(2);
    unsigned char* va = m.base + 0x321;
    PMDL mdl = IoAllocateMdl(va, PAGE_SIZE, FALSE, FALSE, nullptr);
    MmProbeAndLockPages(mdl, KernelMode, IoWriteAccess);
    PVOID system = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority);
    EXPECT_EQ(system, va);
    EXPECT_TRUE(mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA);
    EXPECT_EQ(mdl->MappedSystemVa, va);
    EXPECT_EQ(MmGetSystemAddressForMdlSafe(mdl, HighPagePriority | MdlMappingNoExecute), va);
    static_cast<unsigned char*>(system)[0] = 0xAB; // the mapping is the buffer
    EXPECT_EQ(va[0], 0xAB);
    MmUnlockPages(mdl);
    EXPECT_FALSE(mdl->MdlFlags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_PAGES_LOCKED));
    IoFreeMdl(mdl);
}

TEST(MmMapLockedPagesSpecifyCache, ExplicitUnmapClearsTheMapping) {
    Mapping m(1);
    PMDL mdl = IoAllocateMdl(m.base, 64, FALSE, FALSE, nullptr);
    MmProbeAndLockPages(mdl, KernelMode, IoReadAccess);
    PVOID system = MmMapLockedPagesSpecifyCache(mdl, KernelMode, MmNonCached, nullptr, FALSE,
                                                NormalPagePriority);
    ASSERT_EQ(system, m.base);
    MmUnmapLockedPages(system, mdl);
    EXPECT_FALSE(mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA);
    // Unmapping again is a driver bug: reported, state unchanged.
    const uint64_t seq = ntsim::dbg::LastDebugSequence();
    MmUnmapLockedPages(system, mdl);
    EXPECT_NE(LogSince(seq).find("MmUnmapLockedPages"), std::string::npos);
    EXPECT_TRUE(mdl->MdlFlags & MDL_PAGES_LOCKED);
    MmUnlockPages(mdl);
    IoFreeMdl(mdl);
}

TEST(MmMapLockedPagesSpecifyCache, UnlockedMdlFailsWithNull) {
    Mapping m(1);
    PMDL mdl = IoAllocateMdl(m.base, 64, FALSE, FALSE, nullptr);
    EXPECT_EQ(MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority), nullptr);
    EXPECT_FALSE(mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA);
    IoFreeMdl(mdl);
}

TEST(MmMapLockedPagesSpecifyCache, FailureWithBugCheckOnFailureIsBugCheck3F) {
    Mapping m(1);
    PMDL mdl = IoAllocateMdl(m.base, 64, FALSE, FALSE, nullptr);
    try {
        MmMapLockedPages(mdl, KernelMode);
        ADD_FAILURE() << "no bug check";
    } catch (const BugCheckException& e) {
        EXPECT_EQ(e.code, 0x3Fu); // NO_MORE_SYSTEM_PTES
    }
    IoFreeMdl(mdl);
}

TEST(MmMapLockedPagesSpecifyCache, UserModeMappingRaises) {
    Mapping m(1);
    PMDL mdl = IoAllocateMdl(m.base, 64, FALSE, FALSE, nullptr);
    MmProbeAndLockPages(mdl, KernelMode, IoReadAccess);
    try {
        MmMapLockedPagesSpecifyCache(mdl, UserMode, MmCached, nullptr, FALSE, NormalPagePriority);
        ADD_FAILURE() << "no exception";
    } catch (const NtStatusException& e) {
        EXPECT_EQ(e.status, STATUS_NOT_SUPPORTED);
    }
    EXPECT_FALSE(mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA);
    MmUnlockPages(mdl);
    IoFreeMdl(mdl);
}

TEST(IoFreeMdl, FreeingLockedPagesIsReported) {
    Mapping m(1);
    PMDL mdl = IoAllocateMdl(m.base, 64, FALSE, FALSE, nullptr);
    MmProbeAndLockPages(mdl, KernelMode, IoReadAccess);
    const uint64_t seq = ntsim::dbg::LastDebugSequence();
    IoFreeMdl(mdl);
    EXPECT_NE(LogSince(seq).find("missing MmUnlockPages"), std::string::npos);
}

TEST(MmUnlockPages, UnlockingAnUnlockedMdlIsReportedAndHarmless) {
    Mapping m(1);
    PMDL mdl = IoAllocateMdl(m.base, 64, FALSE, FALSE, nullptr);
    const uint64_t seq = ntsim::dbg::LastDebugSequence();
    MmUnlockPages(mdl);
    EXPECT_EQ(mdl->MdlFlags & MDL_PAGES_LOCKED, 0);
    EXPECT_NE(LogSince(seq).find("MmUnlockPages: MDL"), std::string::npos);
    IoFreeMdl(mdl);
}

// ---- address checks -----------------------------------------------------------------------

TEST(MmIsAddressValid, ReflectsWhetherAReadWouldFault) {
    Mapping m(2);
    m.Protect(1, PROT_NONE);
    EXPECT_TRUE(MmIsAddressValid(m.base));
    EXPECT_FALSE(MmIsAddressValid(m.Page(1)));
    EXPECT_FALSE(MmIsAddressValid(nullptr));
    EXPECT_FALSE(MmIsAddressValid(reinterpret_cast<PVOID>(0xFFFF800000000000ULL)));
    int onStack = 0;
    EXPECT_TRUE(MmIsAddressValid(&onStack));
}

TEST(IsAccessible, ChecksEveryPageOfTheRange) {
    Mapping m(4);
    m.Protect(2, PROT_READ);
    EXPECT_TRUE(ntsim::mm::IsAccessible(m.base, 4 * PAGE_SIZE, false));
    EXPECT_TRUE(ntsim::mm::IsAccessible(m.base + 3, 2 * PAGE_SIZE - 3, true));
    EXPECT_FALSE(ntsim::mm::IsAccessible(m.base + 3, 2 * PAGE_SIZE - 2, true)); // one byte in
    EXPECT_TRUE(ntsim::mm::IsAccessible(m.base, 0, true));
    EXPECT_TRUE(ntsim::mm::IsAccessible(nullptr, 0, false));
    EXPECT_FALSE(ntsim::mm::IsAccessible(m.base, SIZE_MAX, false)); // wraps
}

TEST(IsAccessible, LargeRangesAreBatched) {
    const size_t pages = 600; // more than one process_vm_readv batch
    Mapping m(pages);
    EXPECT_TRUE(ntsim::mm::IsAccessible(m.base, pages * PAGE_SIZE, false));
    m.Protect(pages - 1, PROT_NONE);
    EXPECT_FALSE(ntsim::mm::IsAccessible(m.base, pages * PAGE_SIZE, false));
    EXPECT_TRUE(ntsim::mm::IsAccessible(m.base, (pages - 1) * PAGE_SIZE, false));
}

TEST(IsAccessible, FutexFallbackGivesTheSameAnswers) {
    ntsim::mm::ForceFutexReadProbeForTesting(true);
    Mapping m(3);
    m.Protect(1, PROT_NONE);
    m.base[0] = 0; // FUTEX_WAIT's expected value (the probe must not block on a match)
    m.base[2 * PAGE_SIZE] = 7;
    EXPECT_TRUE(ntsim::mm::IsAccessible(m.base, PAGE_SIZE, false));
    EXPECT_TRUE(ntsim::mm::IsAccessible(m.Page(2), 16, false));
    EXPECT_FALSE(ntsim::mm::IsAccessible(m.base, 2 * PAGE_SIZE, false));
    EXPECT_FALSE(ntsim::mm::IsAccessible(m.Page(1) + 5, 1, false));
    ntsim::mm::ForceFutexReadProbeForTesting(false);
}

TEST(IsUserRange, StopsAtTheUserProbeAddress) {
    EXPECT_EQ(MmUserProbeAddress, 0x00007FFFFFFF0000ULL);
    EXPECT_EQ(MmHighestUserAddress, reinterpret_cast<PVOID>(0x00007FFFFFFEFFFFULL));
    EXPECT_EQ(MmSystemRangeStart, reinterpret_cast<PVOID>(0xFFFF800000000000ULL));
    PVOID top = reinterpret_cast<PVOID>(MmUserProbeAddress - 16);
    EXPECT_TRUE(ntsim::mm::IsUserRange(top, 16));
    EXPECT_FALSE(ntsim::mm::IsUserRange(top, 17));
    EXPECT_FALSE(ntsim::mm::IsUserRange(reinterpret_cast<PVOID>(~0ULL - 4), 16)); // wraps
    int local = 0;
    EXPECT_TRUE(ntsim::mm::IsUserRange(&local, sizeof(local)));
}

// ---- ExRaise* -----------------------------------------------------------------------------

template <typename F> NTSTATUS RaisedBy(F f) {
    try {
        f();
    } catch (const NtStatusException& e) {
        return e.status;
    }
    return STATUS_SUCCESS;
}

TEST(ExRaiseStatus, ThrowsTheStatus) {
    EXPECT_EQ(RaisedBy([] { ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES); }),
              STATUS_INSUFFICIENT_RESOURCES);
    EXPECT_EQ(RaisedBy([] { ExRaiseAccessViolation(); }), STATUS_ACCESS_VIOLATION);
    EXPECT_EQ(RaisedBy([] { ExRaiseDatatypeMisalignment(); }), STATUS_DATATYPE_MISALIGNMENT);
}

} // namespace
