// RtlNtStatusToDosError(NoTeb): the kernel exports over the table in status_table.cpp.
#include <wdm.h>

#include "core/export.h"
#include "rtl/rtl.h"

// There is no TEB in the kernel to record the last status in, so both are the same.
extern "C" ULONG NTAPI RtlNtStatusToDosErrorNoTeb(NTSTATUS Status) {
    return ntsim::rtl::NtStatusToDosError(Status);
}
NTSIM_EXPORT(RtlNtStatusToDosErrorNoTeb);

extern "C" ULONG NTAPI RtlNtStatusToDosError(NTSTATUS Status) {
    return ntsim::rtl::NtStatusToDosError(Status);
}
NTSIM_EXPORT(RtlNtStatusToDosError);
