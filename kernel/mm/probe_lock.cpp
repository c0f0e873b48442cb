// MmProbeAndLockPages / MmUnlockPages: "locking" a buffer described by an MDL.
//
// ntsim cannot pin pages for a device (there is none), so locking means: the whole range was
// checked accessible for the operation at lock time, the MDL is marked locked, and its page
// array is filled with page numbers derived from the virtual addresses (VA >> PAGE_SHIFT; not
// physical frames — drivers treat them as opaque). The memory stays valid as long as its owner
// keeps it mapped (client I/O buffers live in the shared arena for the request's lifetime).
#include "mm/mm.h"

#include <cstdint>

#include "core/export.h"
#include "core/nt_exception.h"
#include "dbg/dbg.h"
#include "km/mm.h"
#include "ps/ps.h"

namespace ntsim::mm {
namespace {

// Flags of MDLs that describe already-resident memory: Windows does not allow locking them.
constexpr CSHORT kNotLockable =
    MDL_PAGES_LOCKED | MDL_SOURCE_IS_NONPAGED_POOL | MDL_PARTIAL | MDL_IO_SPACE;

// The MDL's Size must have room for the page array (when Size can express it at all: Size is
// 16 bits and wraps for MDLs of more than ~8K pages, as on Windows).
bool HasRoomForPages(PMDL mdl, size_t pages) {
    const size_t needed = sizeof(MDL) + pages * sizeof(PFN_NUMBER);
    return needed > 0xFFFF || static_cast<USHORT>(mdl->Size) >= needed;
}

} // namespace

NTSTATUS ProbeAndLockPages(PMDL mdl, KPROCESSOR_MODE accessMode, LOCK_OPERATION operation) {
    if (!mdl) return STATUS_INVALID_PARAMETER;
    if (mdl->MdlFlags & kNotLockable) {
        dbg::LogKernelMessage(dbg::Severity::Error,
                              "MmProbeAndLockPages: MDL %p is already locked or describes "
                              "non-pageable memory (MdlFlags 0x%04x)",
                              static_cast<void*>(mdl),
                              static_cast<unsigned>(mdl->MdlFlags) & 0xFFFF);
        return STATUS_INVALID_PARAMETER;
    }
    PVOID va = MmGetMdlVirtualAddress(mdl);
    const size_t length = mdl->ByteCount;
    const size_t pages = PagesSpanned(va, length);
    if (!HasRoomForPages(mdl, pages)) {
        dbg::LogKernelMessage(dbg::Severity::Error,
                              "MmProbeAndLockPages: MDL %p (Size %u) is too small for %zu pages",
                              static_cast<void*>(mdl), static_cast<unsigned>(mdl->Size) & 0xFFFF,
                              pages);
        return STATUS_INVALID_PARAMETER;
    }
    if (accessMode == UserMode && !IsUserRange(va, length)) return STATUS_ACCESS_VIOLATION;
    const bool write = operation != IoReadAccess;
    if (!IsAccessible(va, length, write)) return STATUS_ACCESS_VIOLATION;

    PPFN_NUMBER pfn = MmGetMdlPfnArray(mdl);
    const PFN_NUMBER firstPage = reinterpret_cast<uintptr_t>(mdl->StartVa) >> PAGE_SHIFT;
    for (size_t i = 0; i < pages; ++i)
        pfn[i] = firstPage + i;
    // A user buffer belongs to the calling process; kernel buffers to none.
    mdl->Process = accessMode == UserMode ? ps::CurrentProcess() : nullptr;
    mdl->MdlFlags |= MDL_PAGES_LOCKED;
    if (write) mdl->MdlFlags |= MDL_WRITE_OPERATION;
    return STATUS_SUCCESS;
}

} // namespace ntsim::mm

extern "C" VOID NTAPI MmProbeAndLockPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode,
                                          LOCK_OPERATION Operation) {
    NTSTATUS status = ntsim::mm::ProbeAndLockPages(MemoryDescriptorList, AccessMode, Operation);
    if (!NT_SUCCESS(status)) ntsim::RaiseStatus(status); // documented to raise
}
NTSIM_EXPORT(MmProbeAndLockPages);

// Unlocks an MDL locked by MmProbeAndLockPages; a kernel mapping made of it goes away too.
extern "C" VOID NTAPI MmUnlockPages(PMDL MemoryDescriptorList) {
    PMDL mdl = MemoryDescriptorList;
    if (!mdl || !(mdl->MdlFlags & MDL_PAGES_LOCKED) ||
        (mdl->MdlFlags & (MDL_SOURCE_IS_NONPAGED_POOL | MDL_PARTIAL))) {
        ntsim::dbg::LogKernelMessage(ntsim::dbg::Severity::Error,
                                     "MmUnlockPages: MDL %p was not locked by MmProbeAndLockPages",
                                     static_cast<void*>(mdl));
        return;
    }
    if (mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA) MmUnmapLockedPages(mdl->MappedSystemVa, mdl);
    mdl->MdlFlags &= ~(MDL_PAGES_LOCKED | MDL_WRITE_OPERATION);
}
NTSIM_EXPORT(MmUnlockPages);
