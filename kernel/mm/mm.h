// Kernel-internal interface of the memory manager: address checks and MDL locking for the I/O
// manager (drivers use the exported Mm* APIs in sdk/include/km/mm.h).
#pragma once

#include <cstddef>

#include "ntdef.h"
#include "km/types.h"

namespace ntsim::mm {

// True when every byte of [address, address + length) can be read (or written, with
// write = true) right now without faulting. Checked page by page with system calls that report
// EFAULT instead of raising a signal, and without changing the memory. length 0 is accessible.
bool IsAccessible(const void* address, size_t length, bool write);

// Ranges the kernel maps itself for as long as they are registered and that nobody else can
// unmap, shrink or re-protect: the client arenas (sealed memfds, kernel/lpc). IsAccessible
// answers for them without a system call, which keeps probes off the system-call fast path.
// Register before first use, unregister before unmapping. At most kMaxBackedRanges at a time;
// RegisterBackedRange returns false when full (the range is then probed like any other).
constexpr size_t kMaxBackedRanges = 256;
bool RegisterBackedRange(const void* base, size_t size);
void UnregisterBackedRange(const void* base);
// True when [address, address + length) lies inside one registered range.
bool InBackedRange(const void* address, size_t length);

// Tests: check readability with the fallback used where process_vm_readv is not permitted.
void ForceFutexReadProbeForTesting(bool force);

// True when [address, address + length) lies entirely below MmUserProbeAddress (no wrap):
// where a UserMode caller's buffer must be.
bool IsUserRange(const void* address, size_t length);

// MmProbeAndLockPages without the exception: STATUS_SUCCESS with the MDL locked (page array
// filled, MDL_PAGES_LOCKED, MDL_WRITE_OPERATION for write/modify), or STATUS_ACCESS_VIOLATION
// with the MDL unchanged. Used by the I/O manager for direct I/O.
NTSTATUS ProbeAndLockPages(PMDL mdl, KPROCESSOR_MODE accessMode, LOCK_OPERATION operation);

// Pool tag of MDLs (IoAllocateMdl, MmCreateMdl): "Mdl " in memory order, as poolmon shows it.
constexpr ULONG kMdlPoolTag = 0x206C644D;

// Number of PFN_NUMBER entries an MDL for (base, length) needs.
size_t PagesSpanned(const void* base, size_t length);

} // namespace ntsim::mm
