// GetLastError/SetLastError: the last error is per thread (the TEB's LastErrorValue).
#include "kernel32/k32.h"

#include "rtl/status_table.h"

namespace {
thread_local DWORD t_lastError = ERROR_SUCCESS;
}

extern "C" DWORD WINAPI GetLastError(VOID) {
    return t_lastError;
}

extern "C" VOID WINAPI SetLastError(DWORD dwErrCode) {
    t_lastError = dwErrCode;
}

DWORD ntsim::k32::SetLastNtError(NTSTATUS status) {
    DWORD error = ntsim::rtl::NtStatusToDosError(status);
    SetLastError(error);
    return error;
}
