// Raised NTSTATUS exceptions inside the kernel.
//
// ExRaiseStatus and APIs documented to raise (KeReleaseSemaphore past its limit, pool allocation
// with POOL_FLAG_RAISE_ON_FAILURE, MmProbeAndLockPages on a bad buffer, ProbeForRead/Write)
// call RaiseStatus. When the calling thread is inside a driver __try (sdk/include/ntsim/seh.h)
// the exception goes to that frame (kernel/ke/seh.cpp); otherwise it is thrown as a C++
// NtStatusException, which kernel code may catch and which the driver call boundary
// (CallDriverRoutine) turns into bug check KMODE_EXCEPTION_NOT_HANDLED.
#pragma once

#include "ntdef.h"

namespace ntsim {

struct NtStatusException {
    NTSTATUS status;
};

// Delivers `status` to the innermost registered __try frame of the calling thread (does not
// return then); false when the thread has none.
bool DispatchToSehFrame(NTSTATUS status, void* address);
bool SehFrameActive();
// Forgets every registered frame of the calling thread (thread base, after unwinding).
void ResetSehFrames();
// An exception left driver code unhandled: bug check 0x1E, or 0x7E on a system thread.
[[noreturn]] void UnhandledDriverException(NTSTATUS status);

[[noreturn]] inline void RaiseStatus(NTSTATUS status) {
    DispatchToSehFrame(status, __builtin_return_address(0));
    throw NtStatusException{status};
}

} // namespace ntsim
