// Sizing and building MDLs that need no probing: MmSizeOfMdl, MmCreateMdl,
// MmBuildMdlForNonPagedPool.
#include "mm/mm.h"

#include <cstdint>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "km/mm.h"

extern "C" SIZE_T NTAPI MmSizeOfMdl(PVOID Base, SIZE_T Length) {
    return sizeof(MDL) + ntsim::mm::PagesSpanned(Base, Length) * sizeof(PFN_NUMBER);
}
NTSIM_EXPORT(MmSizeOfMdl);

// Obsolete predecessor of IoAllocateMdl: initialises the caller's MDL, or allocates one from
// non-paged pool when MemoryDescriptorList is NULL (NULL if that fails).
extern "C" PMDL NTAPI MmCreateMdl(PMDL MemoryDescriptorList, PVOID Base, SIZE_T Length) {
    if (Length > 0xFFFFFFFFULL) return nullptr; // ByteCount is a ULONG
    PMDL mdl = MemoryDescriptorList;
    if (!mdl) {
        mdl = static_cast<PMDL>(ntsim::ex::AllocatePool(NonPagedPoolNx, MmSizeOfMdl(Base, Length),
                                                        ntsim::mm::kMdlPoolTag));
        if (!mdl) return nullptr;
    }
    MmInitializeMdl(mdl, Base, Length);
    return mdl;
}
NTSIM_EXPORT(MmCreateMdl);

// Describes a buffer in non-paged memory: fills the page array (VA-derived page numbers) and
// records the buffer's address as its system address. The result must not be locked/unlocked.
extern "C" VOID NTAPI MmBuildMdlForNonPagedPool(PMDL MemoryDescriptorList) {
    PMDL mdl = MemoryDescriptorList;
    PVOID va = MmGetMdlVirtualAddress(mdl);
    if (!ntsim::mm::IsAccessible(va, mdl->ByteCount, false))
        ntsim::dbg::LogKernelMessage(ntsim::dbg::Severity::Error,
                                     "MmBuildMdlForNonPagedPool: MDL %p describes memory that is "
                                     "not mapped (%p, %u bytes)",
                                     static_cast<void*>(mdl), va, mdl->ByteCount);
    const size_t pages = ntsim::mm::PagesSpanned(va, mdl->ByteCount);
    PPFN_NUMBER pfn = MmGetMdlPfnArray(mdl);
    const PFN_NUMBER firstPage = reinterpret_cast<uintptr_t>(mdl->StartVa) >> PAGE_SHIFT;
    for (size_t i = 0; i < pages; ++i)
        pfn[i] = firstPage + i;
    mdl->Process = nullptr;
    mdl->MappedSystemVa = va;
    mdl->MdlFlags |= MDL_SOURCE_IS_NONPAGED_POOL;
}
NTSIM_EXPORT(MmBuildMdlForNonPagedPool);
