// Checks and copies of requesters' buffers for the I/O system services, and the synchronous
// waits they make.
#include <cstring>

#include "io/iop.h"
#include "mm/mm.h"

namespace ntsim::io {

NTSTATUS ProbeUserBuffer(const void* address, SIZE_T length, ULONG alignment, bool write) {
    if (length == 0) return STATUS_SUCCESS;
    if (alignment > 1 && (reinterpret_cast<ULONG_PTR>(address) & (alignment - 1)))
        return STATUS_DATATYPE_MISALIGNMENT;
    if (!mm::IsUserRange(address, length) || !mm::IsAccessible(address, length, write))
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

NTSTATUS SafeCopy(void* destination, const void* source, SIZE_T length) {
    if (length == 0) return STATUS_SUCCESS;
    if (!mm::IsAccessible(source, length, false) || !mm::IsAccessible(destination, length, true))
        return STATUS_ACCESS_VIOLATION;
    std::memcpy(destination, source, length);
    return STATUS_SUCCESS;
}

NTSTATUS SafeCopyToUser(void* userDestination, const void* kernelSource, SIZE_T length) {
    if (length == 0) return STATUS_SUCCESS;
    if (!mm::IsAccessible(userDestination, length, true)) return STATUS_ACCESS_VIOLATION;
    std::memcpy(userDestination, kernelSource, length);
    return STATUS_SUCCESS;
}

NTSTATUS SafeCopyFromUser(void* kernelDestination, const void* userSource, SIZE_T length) {
    if (length == 0) return STATUS_SUCCESS;
    if (!mm::IsAccessible(userSource, length, false)) return STATUS_ACCESS_VIOLATION;
    std::memcpy(kernelDestination, userSource, length);
    return STATUS_SUCCESS;
}

void WaitForEvent(PKEVENT event) {
    KeWaitForSingleObject(event, Executive, KernelMode, FALSE, nullptr);
}

} // namespace ntsim::io
