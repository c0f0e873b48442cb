// The I/O manager's per-thread lookaside of IRPs and system buffers: a freed block of the same
// size and tag comes back to the same thread, fully re-initialised where the API says so;
// double frees and foreign pointers still bug check; large blocks go straight back to the pool.
#include "io_test_support.h"

#include <cstring>

#include "ex/ex.h"
#include "io/iop.h"

using namespace iotest;
using ntsim::test::BugCheckException;

namespace {
constexpr ULONG kTagA = 0x41747354; // "TstA"
constexpr ULONG kTagB = 0x42747354; // "TstB"
} // namespace

TEST(IoLookaside, AFreedIrpIsReusedAndReinitialised) {
    PIRP irp = IoAllocateIrp(2, FALSE);
    ASSERT_NE(irp, nullptr);
    irp->IoStatus.Information = 77;
    irp->Flags = IRP_BUFFERED_IO;
    IoGetNextIrpStackLocation(irp)->MajorFunction = IRP_MJ_READ;
    IoFreeIrp(irp);
    EXPECT_FALSE(ntsim::io::IsLiveIrp(irp));
    PIRP again = IoAllocateIrp(2, FALSE);
    ASSERT_EQ(again, irp); // this thread's lookaside gave it back
    EXPECT_EQ(again->Type, IO_TYPE_IRP);
    EXPECT_EQ(again->StackCount, 2);
    EXPECT_EQ(again->CurrentLocation, 3);
    EXPECT_EQ(again->IoStatus.Information, 0u);
    EXPECT_EQ(again->Flags, 0u);
    EXPECT_EQ(IoGetNextIrpStackLocation(again)->MajorFunction, 0);
    IoFreeIrp(again);
    try {
        IoFreeIrp(again); // still a double free
        ADD_FAILURE() << "no bug check";
    } catch (const BugCheckException& e) {
        EXPECT_EQ(e.code, 0xC2u);
    }
}

TEST(IoLookaside, BlocksMatchBySizeAndTag) {
    PVOID a = ntsim::io::AllocateIoBlock(100, kTagA);
    ASSERT_NE(a, nullptr);
    ntsim::ex::LiveAllocation info{};
    ASSERT_TRUE(ntsim::ex::QueryPoolBlock(a, &info));
    EXPECT_EQ(info.size, 100u);
    EXPECT_EQ(info.tag, kTagA);
    ntsim::io::FreeIoBlock(a);
    EXPECT_TRUE(ntsim::ex::QueryPoolBlock(a, nullptr)); // held by the lookaside, still pool
    PVOID otherTag = ntsim::io::AllocateIoBlock(100, kTagB);
    PVOID otherSize = ntsim::io::AllocateIoBlock(101, kTagA);
    EXPECT_NE(otherTag, a);
    EXPECT_NE(otherSize, a);
    PVOID same = ntsim::io::AllocateIoBlock(100, kTagA);
    EXPECT_EQ(same, a);
    for (PVOID p : {otherTag, otherSize, same})
        ntsim::ex::FreePool(p); // lookaside blocks are ordinary pool blocks
}

TEST(IoLookaside, LargeBlocksAndOverflowGoBackToThePool) {
    PVOID big = ntsim::io::AllocateIoBlock(1 << 20, kTagA);
    ASSERT_NE(big, nullptr);
    ntsim::io::FreeIoBlock(big);
    EXPECT_FALSE(ntsim::ex::QueryPoolBlock(big, nullptr));
    // More frees than the lookaside holds: the oldest are released.
    PVOID blocks[8];
    for (PVOID& p : blocks)
        p = ntsim::io::AllocateIoBlock(64, kTagB);
    for (PVOID p : blocks)
        ntsim::io::FreeIoBlock(p);
    EXPECT_FALSE(ntsim::ex::QueryPoolBlock(blocks[0], nullptr));
    EXPECT_TRUE(ntsim::ex::QueryPoolBlock(blocks[7], nullptr));
    for (int i = 0; i < 8; ++i) // drain this thread's lookaside
        ntsim::ex::FreePool(ntsim::io::AllocateIoBlock(64, kTagB));
}

TEST(IoLookaside, FreeingWhatIsNotPoolBugChecks) {
    alignas(64) static char notPool[128];
    try {
        ntsim::io::FreeIoBlock(notPool + 64);
        ADD_FAILURE() << "no bug check";
    } catch (const BugCheckException& e) {
        EXPECT_EQ(e.code, 0xC2u);
    }
}
