// CloseHandle, DuplicateHandle.
#include "kernel32/k32.h"

using namespace ntsim::k32;

namespace {
// GetCurrentProcess()/GetCurrentThread(): pseudo handles, never in the handle table.
bool IsPseudoHandle(HANDLE h) {
    return h == reinterpret_cast<HANDLE>(LONG_PTR(-1)) ||
           h == reinterpret_cast<HANDLE>(LONG_PTR(-2));
}
} // namespace

extern "C" BOOL WINAPI CloseHandle(HANDLE hObject) {
    if (IsPseudoHandle(hObject)) return TRUE; // closing a pseudo handle is a successful no-op
    NTSTATUS status = NtClose(hObject);
    if (!NT_SUCCESS(status)) {
        SetLastNtError(status);
        return FALSE;
    }
    return TRUE;
}

extern "C" BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                                       HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle,
                                       DWORD dwDesiredAccess, BOOL bInheritHandle,
                                       DWORD dwOptions) {
    NTSTATUS status =
        NtDuplicateObject(hSourceProcessHandle, hSourceHandle, hTargetProcessHandle, lpTargetHandle,
                          dwDesiredAccess, bInheritHandle ? OBJ_INHERIT : 0, dwOptions);
    if (!NT_SUCCESS(status)) {
        SetLastNtError(status);
        return FALSE;
    }
    return TRUE;
}
