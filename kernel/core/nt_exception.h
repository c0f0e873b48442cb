// Raised NTSTATUS exceptions inside the kernel.
//
// ExRaiseStatus and APIs documented to raise (KeReleaseSemaphore past its limit, pool allocation
// with POOL_FLAG_RAISE_ON_FAILURE, MmProbeAndLockPages on a bad buffer, ProbeForRead/Write)
// throw NtStatusException. The driver-side __try/__except support and the unhandled-exception
// bug check (KMODE_EXCEPTION_NOT_HANDLED) build on this type.
#pragma once

#include "ntdef.h"

namespace ntsim {

struct NtStatusException {
    NTSTATUS status;
};

[[noreturn]] inline void RaiseStatus(NTSTATUS status) {
    throw NtStatusException{status};
}

} // namespace ntsim
