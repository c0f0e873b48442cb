// Kernel ("system space") mappings of locked MDLs.
//
// A locked buffer is already addressable by the whole kernel process, so the system address of
// an MDL is the buffer's own address: mapping records it in MappedSystemVa and sets
// MDL_MAPPED_TO_SYSTEM_VA, exactly the state MmGetSystemAddressForMdlSafe then reads. Cache
// types and MdlMappingNoWrite/NoExecute have nothing to act on here. Mapping into a user process
// (AccessMode UserMode) needs the client channel and is not supported yet.
#include <cstdint>

#include "core/export.h"
#include "core/nt_exception.h"
#include "dbg/dbg.h"
#include "km/mm.h"

namespace {

constexpr ULONG kNoMoreSystemPtes = 0x3F; // NO_MORE_SYSTEM_PTES: a mapping that must not fail

PVOID MappingFailed(PMDL mdl, ULONG bugCheckOnFailure, const char* why) {
    ntsim::dbg::LogKernelMessage(ntsim::dbg::Severity::Error, "MmMapLockedPages: MDL %p: %s",
                                 static_cast<void*>(mdl), why);
    if (bugCheckOnFailure) ntsim::dbg::BugCheck(kNoMoreSystemPtes, 0, 0, 0, 0);
    return nullptr;
}

} // namespace

extern "C" PVOID NTAPI MmMapLockedPagesSpecifyCache(PMDL MemoryDescriptorList,
                                                    KPROCESSOR_MODE AccessMode,
                                                    MEMORY_CACHING_TYPE CacheType,
                                                    PVOID RequestedAddress, ULONG BugCheckOnFailure,
                                                    ULONG Priority) {
    (void)CacheType;
    (void)Priority;
    PMDL mdl = MemoryDescriptorList;
    if (AccessMode != KernelMode) {
        // Documented: a failing UserMode mapping raises an exception.
        ntsim::dbg::LogKernelMessage(ntsim::dbg::Severity::Error,
                                     "MmMapLockedPagesSpecifyCache: mapping MDL %p into a user "
                                     "process is not supported by ntsim",
                                     static_cast<void*>(mdl));
        ntsim::RaiseStatus(STATUS_NOT_SUPPORTED);
    }
    if (!mdl) return MappingFailed(mdl, BugCheckOnFailure, "NULL MDL");
    if (RequestedAddress)
        return MappingFailed(mdl, BugCheckOnFailure,
                             "RequestedAddress must be NULL for KernelMode");
    // Already-mapped memory: the existing system address (own mapping, non-paged pool, or a
    // partial MDL sharing its parent's mapping).
    if (mdl->MdlFlags &
        (MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL | MDL_PARENT_MAPPED_SYSTEM_VA))
        return mdl->MappedSystemVa;
    if (!(mdl->MdlFlags & (MDL_PAGES_LOCKED | MDL_PARTIAL)))
        return MappingFailed(mdl, BugCheckOnFailure, "the pages are not locked");

    PVOID va = MmGetMdlVirtualAddress(mdl);
    mdl->MappedSystemVa = va;
    mdl->MdlFlags |= MDL_MAPPED_TO_SYSTEM_VA;
    if (mdl->MdlFlags & MDL_PARTIAL) mdl->MdlFlags |= MDL_PARTIAL_HAS_BEEN_MAPPED;
    return va;
}
NTSIM_EXPORT(MmMapLockedPagesSpecifyCache);

// Obsolete form: cached, and a failure is a bug check (NO_MORE_SYSTEM_PTES).
extern "C" PVOID NTAPI MmMapLockedPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode) {
    return MmMapLockedPagesSpecifyCache(MemoryDescriptorList, AccessMode, MmCached, nullptr, TRUE,
                                        HighPagePriority);
}
NTSIM_EXPORT(MmMapLockedPages);

extern "C" VOID NTAPI MmUnmapLockedPages(PVOID BaseAddress, PMDL MemoryDescriptorList) {
    PMDL mdl = MemoryDescriptorList;
    if (!mdl || !(mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA) || BaseAddress != mdl->MappedSystemVa) {
        ntsim::dbg::LogKernelMessage(ntsim::dbg::Severity::Error,
                                     "MmUnmapLockedPages: %p is not the system mapping of MDL %p",
                                     BaseAddress, static_cast<void*>(mdl));
        return;
    }
    mdl->MdlFlags &= ~(MDL_MAPPED_TO_SYSTEM_VA | MDL_PARTIAL_HAS_BEEN_MAPPED);
}
NTSIM_EXPORT(MmUnmapLockedPages);
