// CreateSemaphore/OpenSemaphore/ReleaseSemaphore over the native semaphore services (object
// type "Semaphore", shared with drivers and other processes by name).
#include "kernel32/k32.h"

using namespace ntsim::k32;

extern "C" HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                          LONG lInitialCount, LONG lMaximumCount, LPCWSTR lpName) {
    return CreateNamedObject(lpSemaphoreAttributes, lpName,
                             [&](PHANDLE handle, POBJECT_ATTRIBUTES oa) {
                                 return NtCreateSemaphore(handle, SEMAPHORE_ALL_ACCESS, oa,
                                                          lInitialCount, lMaximumCount);
                             });
}

extern "C" HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                          LONG lInitialCount, LONG lMaximumCount, LPCSTR lpName) {
    return WithWideName(lpName, [&](LPCWSTR name) {
        return CreateSemaphoreW(lpSemaphoreAttributes, lInitialCount, lMaximumCount, name);
    });
}

extern "C" HANDLE WINAPI OpenSemaphoreW(DWORD dwDesiredAccess, BOOL bInheritHandle,
                                        LPCWSTR lpName) {
    return OpenNamedObject(NtOpenSemaphore, dwDesiredAccess, bInheritHandle, lpName);
}

extern "C" HANDLE WINAPI OpenSemaphoreA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName) {
    return OpenNamedObjectA(OpenSemaphoreW, dwDesiredAccess, bInheritHandle, lpName);
}

// Past the maximum count: FALSE with ERROR_TOO_MANY_POSTS and the count unchanged.
extern "C" BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount,
                                        LPLONG lpPreviousCount) {
    LONG previous = 0;
    NTSTATUS status = NtReleaseSemaphore(hSemaphore, lReleaseCount, &previous);
    if (NT_SUCCESS(status) && lpPreviousCount) *lpPreviousCount = previous;
    return Win32Result(status);
}
