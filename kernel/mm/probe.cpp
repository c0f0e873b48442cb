// ProbeForRead / ProbeForWrite: the checks a driver makes on a user-mode buffer before touching
// it inside __try. Both raise (documented) rather than return a status.
#include <cstdint>

#include "core/export.h"
#include "core/nt_exception.h"
#include "mm/mm.h"
#include "wdm.h"

namespace ntsim::mm {
namespace {

// Common part: nothing for Length 0, then alignment, then the user range (no wrap).
// Returns false when Length is 0 (nothing more to check).
bool ProbeRange(const volatile void* address, SIZE_T length, ULONG alignment) {
    if (length == 0) return false;
    const auto start = reinterpret_cast<uintptr_t>(address);
    if (alignment > 1 && (start & (alignment - 1))) RaiseStatus(STATUS_DATATYPE_MISALIGNMENT);
    uintptr_t end;
    if (__builtin_add_overflow(start, length, &end) || end > MmUserProbeAddress)
        RaiseStatus(STATUS_ACCESS_VIOLATION);
    return true;
}

} // namespace
} // namespace ntsim::mm

using namespace ntsim;

extern "C" VOID NTAPI ProbeForRead(const volatile VOID* Address, SIZE_T Length, ULONG Alignment) {
    mm::ProbeRange(Address, Length, Alignment);
}
NTSIM_EXPORT(ProbeForRead);

extern "C" VOID NTAPI ProbeForWrite(volatile VOID* Address, SIZE_T Length, ULONG Alignment) {
    if (!mm::ProbeRange(Address, Length, Alignment)) return;
    // Windows touches each page for write; ntsim checks writability without faulting.
    if (!mm::IsAccessible(const_cast<const void*>(Address), Length, true))
        RaiseStatus(STATUS_ACCESS_VIOLATION);
}
NTSIM_EXPORT(ProbeForWrite);
