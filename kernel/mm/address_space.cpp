// The x64 address-space limits drivers read (MmHighestUserAddress, MmUserProbeAddress,
// MmSystemRangeStart) and MmIsAddressValid.
//
// ntsim's kernel and client buffers both live in the Linux user range (below 2^47), which lies
// under the x64 user probe address: a UserMode check rejects what Windows rejects (addresses at
// or above 0x7FFFFFFF0000, e.g. kernel-space pointers 0xFFFF8...), while the kernel's own
// allocations are told apart from client buffers by the I/O layer, not by address.
#include "mm/mm.h"

#include <cstdint>

#include "core/export.h"
#include "km/mm.h"

extern "C" {
PVOID MmHighestUserAddress = reinterpret_cast<PVOID>(0x00007FFFFFFEFFFFULL);
PVOID MmSystemRangeStart = reinterpret_cast<PVOID>(0xFFFF800000000000ULL);
ULONG_PTR MmUserProbeAddress = 0x00007FFFFFFF0000ULL;
}
NTSIM_EXPORT_DATA(MmHighestUserAddress);
NTSIM_EXPORT_DATA(MmSystemRangeStart);
NTSIM_EXPORT_DATA(MmUserProbeAddress);

namespace ntsim::mm {

bool IsUserRange(const void* address, size_t length) {
    const uintptr_t start = reinterpret_cast<uintptr_t>(address);
    uintptr_t end;
    if (__builtin_add_overflow(start, length, &end)) return false;
    return end <= MmUserProbeAddress;
}

} // namespace ntsim::mm

// TRUE when reading the byte at VirtualAddress would not fault right now. As on Windows this
// says nothing about the next byte's page, nor about writability.
extern "C" BOOLEAN NTAPI MmIsAddressValid(PVOID VirtualAddress) {
    return ntsim::mm::IsAccessible(VirtualAddress, 1, false) ? TRUE : FALSE;
}
NTSIM_EXPORT(MmIsAddressValid);
