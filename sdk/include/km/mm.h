// Part of wdm.h/ntddk.h (ntsim SDK): the memory manager as drivers see it (MDLs, address-space
// limits, system routine lookup), owned by kernel/mm. IoAllocateMdl/IoFreeMdl/IoBuildPartialMdl
// are declared here too because they only make sense with the MDL (kernel/io/mdl.cpp).
//
// ntsim has one address space per kernel process: a "system address" for a locked buffer is the
// buffer's own address, and the MDL's page array holds page numbers derived from virtual
// addresses (VA >> PAGE_SHIFT), not physical frames. Drivers must treat both as opaque, exactly
// as on Windows.
#pragma once

#include <km/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef ULONG PFN_COUNT;
typedef LONG_PTR SPFN_NUMBER, *PSPFN_NUMBER;

// ---- memory descriptor list ----------------------------------------------------------------
// Followed in memory by the page array (one PFN_NUMBER per page spanned), see MmGetMdlPfnArray.
typedef struct _MDL {
    struct _MDL* Next; // next MDL of an IRP's chain (IoAllocateMdl with SecondaryBuffer)
    CSHORT Size;       // bytes: header plus page array
    CSHORT MdlFlags;   // MDL_*
    struct _EPROCESS* Process;
    PVOID MappedSystemVa; // valid with MDL_MAPPED_TO_SYSTEM_VA or MDL_SOURCE_IS_NONPAGED_POOL
    PVOID StartVa;        // page-aligned start of the buffer
    ULONG ByteCount;
    ULONG ByteOffset; // offset of the buffer in its first page
} MDL, *PMDLX;
static_assert(sizeof(MDL) == 0x30, "MDL size (x64)");
static_assert(__builtin_offsetof(MDL, Next) == 0x00, "MDL.Next");
static_assert(__builtin_offsetof(MDL, Size) == 0x08, "MDL.Size");
static_assert(__builtin_offsetof(MDL, MdlFlags) == 0x0A, "MDL.MdlFlags");
static_assert(__builtin_offsetof(MDL, Process) == 0x10, "MDL.Process");
static_assert(__builtin_offsetof(MDL, MappedSystemVa) == 0x18, "MDL.MappedSystemVa");
static_assert(__builtin_offsetof(MDL, StartVa) == 0x20, "MDL.StartVa");
static_assert(__builtin_offsetof(MDL, ByteCount) == 0x28, "MDL.ByteCount");
static_assert(__builtin_offsetof(MDL, ByteOffset) == 0x2C, "MDL.ByteOffset");
static_assert(sizeof(PFN_NUMBER) == 8, "PFN_NUMBER (x64)");

#define MDL_MAPPED_TO_SYSTEM_VA 0x0001
#define MDL_PAGES_LOCKED 0x0002
#define MDL_SOURCE_IS_NONPAGED_POOL 0x0004
#define MDL_ALLOCATED_FIXED_SIZE 0x0008
#define MDL_PARTIAL 0x0010
#define MDL_PARTIAL_HAS_BEEN_MAPPED 0x0020
#define MDL_IO_PAGE_READ 0x0040
#define MDL_WRITE_OPERATION 0x0080
#define MDL_LOCKED_PAGE_TABLES 0x0100
#define MDL_PARENT_MAPPED_SYSTEM_VA MDL_LOCKED_PAGE_TABLES
#define MDL_FREE_EXTRA_PTES 0x0200
#define MDL_DESCRIBES_AWE 0x0400
#define MDL_IO_SPACE 0x0800
#define MDL_NETWORK_HEADER 0x1000
#define MDL_MAPPING_CAN_FAIL 0x2000
#define MDL_PAGE_CONTENTS_INVARIANT 0x4000
#define MDL_ALLOCATED_MUST_SUCCEED MDL_PAGE_CONTENTS_INVARIANT
#define MDL_INTERNAL 0x8000

// ---- address-space limits (x64 values; data exports like ntoskrnl's) -----------------------
extern NTKERNELAPI PVOID MmHighestUserAddress;   // 0x00007FFFFFFEFFFF
extern NTKERNELAPI PVOID MmSystemRangeStart;     // 0xFFFF800000000000
extern NTKERNELAPI ULONG_PTR MmUserProbeAddress; // 0x00007FFFFFFF0000
#define MM_HIGHEST_USER_ADDRESS MmHighestUserAddress
#define MM_SYSTEM_RANGE_START MmSystemRangeStart
#define MM_USER_PROBE_ADDRESS MmUserProbeAddress
#define MM_LOWEST_USER_ADDRESS ((PVOID)(LONG_PTR)0x10000)
#define MM_LOWEST_SYSTEM_ADDRESS ((PVOID)0xFFFF080000000000ULL)

// ---- MDL accessors (macros, as in the WDK) -------------------------------------------------
#define MmGetMdlPfnArray(Mdl) ((PPFN_NUMBER)((Mdl) + 1))
#define MmGetMdlVirtualAddress(Mdl) ((PVOID)((PCHAR)((Mdl)->StartVa) + (Mdl)->ByteOffset))
#define MmGetMdlByteCount(Mdl) ((Mdl)->ByteCount)
#define MmGetMdlByteOffset(Mdl) ((Mdl)->ByteOffset)
#define MmGetMdlBaseVa(Mdl) ((Mdl)->StartVa)

// Initialises a caller-allocated MDL (header only; the page array is filled by
// MmProbeAndLockPages or MmBuildMdlForNonPagedPool).
#define MmInitializeMdl(MemoryDescriptorList, BaseVa, Length)                                      \
    {                                                                                              \
        (MemoryDescriptorList)->Next = (PMDL)NULL;                                                 \
        (MemoryDescriptorList)->Size =                                                             \
            (CSHORT)(sizeof(MDL) +                                                                 \
                     (sizeof(PFN_NUMBER) * ADDRESS_AND_SIZE_TO_SPAN_PAGES((BaseVa), (Length))));   \
        (MemoryDescriptorList)->MdlFlags = 0;                                                      \
        (MemoryDescriptorList)->StartVa = (PVOID)PAGE_ALIGN((BaseVa));                             \
        (MemoryDescriptorList)->ByteOffset = BYTE_OFFSET((BaseVa));                                \
        (MemoryDescriptorList)->ByteCount = (ULONG)(Length);                                       \
    }

// ---- exports -------------------------------------------------------------------------------
// I/O manager MDL routines (kernel/io/mdl.cpp).
NTKERNELAPI PMDL NTAPI IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer,
                                     BOOLEAN ChargeQuota, PIRP Irp);
NTKERNELAPI VOID NTAPI IoFreeMdl(PMDL Mdl);
NTKERNELAPI VOID NTAPI IoBuildPartialMdl(PMDL SourceMdl, PMDL TargetMdl, PVOID VirtualAddress,
                                         ULONG Length);

NTKERNELAPI SIZE_T NTAPI MmSizeOfMdl(PVOID Base, SIZE_T Length);
NTKERNELAPI PMDL NTAPI MmCreateMdl(PMDL MemoryDescriptorList, PVOID Base, SIZE_T Length);
NTKERNELAPI VOID NTAPI MmBuildMdlForNonPagedPool(PMDL MemoryDescriptorList);
// Raises STATUS_ACCESS_VIOLATION (or another failure status) when the range is not accessible
// for the operation; callers wrap it in __try/__except as on Windows.
NTKERNELAPI VOID NTAPI MmProbeAndLockPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode,
                                           LOCK_OPERATION Operation);
NTKERNELAPI VOID NTAPI MmUnlockPages(PMDL MemoryDescriptorList);
NTKERNELAPI PVOID NTAPI MmMapLockedPagesSpecifyCache(PMDL MemoryDescriptorList,
                                                     KPROCESSOR_MODE AccessMode,
                                                     MEMORY_CACHING_TYPE CacheType,
                                                     PVOID RequestedAddress,
                                                     ULONG BugCheckOnFailure, ULONG Priority);
NTKERNELAPI PVOID NTAPI MmMapLockedPages(PMDL MemoryDescriptorList, KPROCESSOR_MODE AccessMode);
NTKERNELAPI VOID NTAPI MmUnmapLockedPages(PVOID BaseAddress, PMDL MemoryDescriptorList);
NTKERNELAPI BOOLEAN NTAPI MmIsAddressValid(PVOID VirtualAddress);
NTKERNELAPI PVOID NTAPI MmGetSystemRoutineAddress(PUNICODE_STRING SystemRoutineName);

// Ex raise routines (kernel/ex/raise.cpp). They belong to wdm.h's Ex section; declared here
// because MmProbeAndLockPages is documented in terms of them.
NTKERNELAPI VOID NTAPI ExRaiseStatus(NTSTATUS Status) __attribute__((noreturn));
NTKERNELAPI VOID NTAPI ExRaiseAccessViolation(VOID) __attribute__((noreturn));
NTKERNELAPI VOID NTAPI ExRaiseDatatypeMisalignment(VOID) __attribute__((noreturn));

// Checks that a user-mode buffer lies below MmUserProbeAddress (kernel/mm/probe.cpp): Length 0
// does nothing; a misaligned Address raises STATUS_DATATYPE_MISALIGNMENT; a range that ends
// above MmUserProbeAddress or wraps raises STATUS_ACCESS_VIOLATION. ProbeForWrite also raises
// STATUS_ACCESS_VIOLATION when a page of the range is not writable. Alignment: 1, 2, 4, 8, 16.
NTKERNELAPI VOID NTAPI ProbeForRead(const volatile VOID* Address, SIZE_T Length, ULONG Alignment);
NTKERNELAPI VOID NTAPI ProbeForWrite(volatile VOID* Address, SIZE_T Length, ULONG Alignment);

// System address of the buffer an MDL describes: the existing mapping when there is one,
// otherwise a new kernel mapping (NULL on failure). Same logic as the WDK's inline.
FORCEINLINE PVOID MmGetSystemAddressForMdlSafe(PMDL Mdl, ULONG Priority) {
    if (Mdl->MdlFlags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL))
        return Mdl->MappedSystemVa;
    return MmMapLockedPagesSpecifyCache(Mdl, KernelMode, MmCached, NULL, FALSE, Priority);
}

// Releases the system mapping a partial MDL may have acquired before it is built again.
#define MmPrepareMdlForReuse(Mdl)                                                                  \
    if (((Mdl)->MdlFlags & MDL_PARTIAL_HAS_BEEN_MAPPED) != 0) {                                    \
        MmUnmapLockedPages((Mdl)->MappedSystemVa, (Mdl));                                          \
    }

#ifdef __cplusplus
} // extern "C"
#endif
