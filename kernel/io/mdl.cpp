// The I/O manager's MDL routines: IoAllocateMdl, IoFreeMdl, IoBuildPartialMdl.
// MDLs come from non-paged pool with tag "Mdl " so pool accounting and leak reports see them.
#include <cstdint>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "mm/mm.h"
#include "wdm.h"

namespace {

// Largest buffer one MDL may describe (Windows 7 and later: 4 GB - PAGE_SIZE).
constexpr ULONG kMaxMdlBuffer = 0xFFFFFFFFu - PAGE_SIZE + 1;

constexpr ULONG kTargetMdlTooSmall = 0x40; // TARGET_MDL_TOO_SMALL (no parameters)
constexpr ULONG kInvalidMdlRange = 0x12E;  // INVALID_MDL_RANGE (source, target, va, length)

} // namespace

// Allocates an MDL big enough for (VirtualAddress, Length) and initialises its header. With an
// IRP, the MDL becomes Irp->MdlAddress (primary buffer) or is appended to the end of the IRP's
// MDL chain (SecondaryBuffer). NULL when the length is too large or pool is exhausted.
extern "C" PMDL NTAPI IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer,
                                    BOOLEAN ChargeQuota, PIRP Irp) {
    (void)ChargeQuota; // reserved; drivers pass FALSE
    if (Length > kMaxMdlBuffer) return nullptr;
    const SIZE_T size = MmSizeOfMdl(VirtualAddress, Length);
    auto mdl =
        static_cast<PMDL>(ntsim::ex::AllocatePool(NonPagedPoolNx, size, ntsim::mm::kMdlPoolTag));
    if (!mdl) return nullptr;
    MmInitializeMdl(mdl, VirtualAddress, Length);
    mdl->Process = nullptr;
    mdl->MappedSystemVa = nullptr;
    if (Irp) {
        if (!SecondaryBuffer) {
            Irp->MdlAddress = mdl;
        } else {
            PMDL* link = &Irp->MdlAddress;
            while (*link)
                link = &(*link)->Next;
            *link = mdl;
        }
    }
    return mdl;
}
NTSIM_EXPORT(IoAllocateMdl);

// Frees an MDL from IoAllocateMdl, releasing the system mapping a partial MDL may hold. The
// caller unlocks MmProbeAndLockPages'd pages first (MmUnlockPages) and unlinks it from any IRP.
extern "C" VOID NTAPI IoFreeMdl(PMDL Mdl) {
    if (!Mdl) return;
    if (Mdl->MdlFlags & MDL_PAGES_LOCKED)
        ntsim::dbg::LogKernelMessage(ntsim::dbg::Severity::Warning,
                                     "IoFreeMdl: MDL %p is freed with its pages still locked "
                                     "(missing MmUnlockPages)",
                                     static_cast<void*>(Mdl));
    MmPrepareMdlForReuse(Mdl);
    ntsim::ex::FreePool(Mdl);
}
NTSIM_EXPORT(IoFreeMdl);

// Makes TargetMdl describe [VirtualAddress, VirtualAddress + Length) of the buffer SourceMdl
// describes (Length 0: up to the end of the source buffer). The target shares the source's page
// array entries and, when the source is mapped in system space, its mapping.
extern "C" VOID NTAPI IoBuildPartialMdl(PMDL SourceMdl, PMDL TargetMdl, PVOID VirtualAddress,
                                        ULONG Length) {
    const uintptr_t srcStart = reinterpret_cast<uintptr_t>(MmGetMdlVirtualAddress(SourceMdl));
    const uintptr_t srcEnd = srcStart + SourceMdl->ByteCount;
    const uintptr_t va = reinterpret_cast<uintptr_t>(VirtualAddress);
    if (Length == 0 && va >= srcStart && va <= srcEnd) Length = static_cast<ULONG>(srcEnd - va);
    if (va < srcStart || va > srcEnd || Length > srcEnd - va)
        ntsim::dbg::BugCheck(kInvalidMdlRange, reinterpret_cast<ULONG_PTR>(SourceMdl),
                             reinterpret_cast<ULONG_PTR>(TargetMdl), va, Length);

    const size_t pages = ntsim::mm::PagesSpanned(VirtualAddress, Length);
    const size_t needed = sizeof(MDL) + pages * sizeof(PFN_NUMBER);
    if (needed <= 0xFFFF && static_cast<USHORT>(TargetMdl->Size) < needed)
        ntsim::dbg::BugCheck(kTargetMdlTooSmall);

    // Allocation-origin bits stay with the target; memory-kind bits come from the source.
    const CSHORT keep =
        TargetMdl->MdlFlags & (MDL_ALLOCATED_FIXED_SIZE | MDL_ALLOCATED_MUST_SUCCEED);
    const CSHORT inherit = SourceMdl->MdlFlags & (MDL_SOURCE_IS_NONPAGED_POOL | MDL_IO_SPACE);
    TargetMdl->MdlFlags = static_cast<CSHORT>(keep | inherit | MDL_PARTIAL);
    TargetMdl->StartVa = PAGE_ALIGN(VirtualAddress);
    TargetMdl->ByteOffset = BYTE_OFFSET(VirtualAddress);
    TargetMdl->ByteCount = Length;
    TargetMdl->Process = SourceMdl->Process;
    TargetMdl->MappedSystemVa = nullptr;
    if (SourceMdl->MdlFlags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL)) {
        TargetMdl->MappedSystemVa = static_cast<PCHAR>(SourceMdl->MappedSystemVa) + (va - srcStart);
        if (SourceMdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA)
            TargetMdl->MdlFlags |= MDL_PARENT_MAPPED_SYSTEM_VA;
    }

    const size_t firstIndex = (reinterpret_cast<uintptr_t>(TargetMdl->StartVa) -
                               reinterpret_cast<uintptr_t>(SourceMdl->StartVa)) >>
                              PAGE_SHIFT;
    const PPFN_NUMBER from = MmGetMdlPfnArray(SourceMdl) + firstIndex;
    PPFN_NUMBER to = MmGetMdlPfnArray(TargetMdl);
    for (size_t i = 0; i < pages; ++i)
        to[i] = from[i];
}
NTSIM_EXPORT(IoBuildPartialMdl);
