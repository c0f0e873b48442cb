// NTSTATUS -> Win32 error mapping (status_table.cpp), without kernel dependencies so that the
// client runtime can share it. rtl.h declares the same function for the kernel.
#pragma once

#include <ntdef.h>

namespace ntsim::rtl {

// RtlNtStatusToDosError without side effects.
ULONG NtStatusToDosError(NTSTATUS status);

} // namespace ntsim::rtl
