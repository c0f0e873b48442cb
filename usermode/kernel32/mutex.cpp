// CreateMutex/OpenMutex/ReleaseMutex over the native mutant services. Ownership, recursion and
// abandonment (WAIT_ABANDONED when the owner thread or process ended) are the kernel's.
#include "kernel32/k32.h"

using namespace ntsim::k32;

extern "C" HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                      LPCWSTR lpName) {
    // An existing named mutex is opened, not acquired (ERROR_ALREADY_EXISTS).
    return CreateNamedObject(lpMutexAttributes, lpName, [&](PHANDLE handle, POBJECT_ATTRIBUTES oa) {
        return NtCreateMutant(handle, MUTANT_ALL_ACCESS, oa, bInitialOwner ? TRUE : FALSE);
    });
}

extern "C" HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                      LPCSTR lpName) {
    return WithWideName(
        lpName, [&](LPCWSTR name) { return CreateMutexW(lpMutexAttributes, bInitialOwner, name); });
}

extern "C" HANDLE WINAPI OpenMutexW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName) {
    return OpenNamedObject(NtOpenMutant, dwDesiredAccess, bInheritHandle, lpName);
}

extern "C" HANDLE WINAPI OpenMutexA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName) {
    return OpenNamedObjectA(OpenMutexW, dwDesiredAccess, bInheritHandle, lpName);
}

// A thread that does not own the mutex: FALSE with ERROR_NOT_OWNER.
extern "C" BOOL WINAPI ReleaseMutex(HANDLE hMutex) {
    return Win32Result(NtReleaseMutant(hMutex, nullptr));
}
