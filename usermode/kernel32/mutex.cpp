// CreateMutex/OpenMutex/ReleaseMutex over the native mutant services. Ownership, recursion and
// abandonment (WAIT_ABANDONED when the owner thread or process ended) are the kernel's.
#include "kernel32/k32.h"

using namespace ntsim::k32;

extern "C" HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                      LPCWSTR lpName) {
    NamedObject object;
    if (!InitNamedObject(&object, lpName,
                         InheritAttribute(lpMutexAttributes) | (lpName ? OBJ_OPENIF : 0),
                         SecurityDescriptorOf(lpMutexAttributes)))
        return nullptr;
    HANDLE handle = nullptr;
    // An existing named mutex is opened, not acquired (ERROR_ALREADY_EXISTS).
    NTSTATUS status = NtCreateMutant(&handle, MUTANT_ALL_ACCESS, &object.attributes,
                                     bInitialOwner ? TRUE : FALSE);
    return CreatedHandle(status, handle);
}

extern "C" HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                      LPCSTR lpName) {
    if (!lpName) return CreateMutexW(lpMutexAttributes, bInitialOwner, nullptr);
    std::u16string wide = Utf8ToUtf16(lpName);
    return CreateMutexW(lpMutexAttributes, bInitialOwner, reinterpret_cast<LPCWSTR>(wide.c_str()));
}

extern "C" HANDLE WINAPI OpenMutexW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName) {
    if (!lpName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return nullptr;
    }
    NamedObject object;
    if (!InitNamedObject(&object, lpName, bInheritHandle ? OBJ_INHERIT : 0, nullptr))
        return nullptr;
    HANDLE handle = nullptr;
    NTSTATUS status = NtOpenMutant(&handle, dwDesiredAccess, &object.attributes);
    return OpenedHandle(status, handle);
}

extern "C" HANDLE WINAPI OpenMutexA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName) {
    if (!lpName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return nullptr;
    }
    std::u16string wide = Utf8ToUtf16(lpName);
    return OpenMutexW(dwDesiredAccess, bInheritHandle, reinterpret_cast<LPCWSTR>(wide.c_str()));
}

// A thread that does not own the mutex: FALSE with ERROR_NOT_OWNER.
extern "C" BOOL WINAPI ReleaseMutex(HANDLE hMutex) {
    return Win32Result(NtReleaseMutant(hMutex, nullptr));
}
