// CreateSemaphore/OpenSemaphore/ReleaseSemaphore over the native semaphore services (object
// type "Semaphore", shared with drivers and other processes by name).
#include "kernel32/k32.h"

using namespace ntsim::k32;

extern "C" HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                          LONG lInitialCount, LONG lMaximumCount, LPCWSTR lpName) {
    NamedObject object;
    if (!InitNamedObject(&object, lpName,
                         InheritAttribute(lpSemaphoreAttributes) | (lpName ? OBJ_OPENIF : 0),
                         SecurityDescriptorOf(lpSemaphoreAttributes)))
        return nullptr;
    HANDLE handle = nullptr;
    NTSTATUS status = NtCreateSemaphore(&handle, SEMAPHORE_ALL_ACCESS, &object.attributes,
                                        lInitialCount, lMaximumCount);
    return CreatedHandle(status, handle);
}

extern "C" HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                          LONG lInitialCount, LONG lMaximumCount, LPCSTR lpName) {
    if (!lpName)
        return CreateSemaphoreW(lpSemaphoreAttributes, lInitialCount, lMaximumCount, nullptr);
    std::u16string wide = Utf8ToUtf16(lpName);
    return CreateSemaphoreW(lpSemaphoreAttributes, lInitialCount, lMaximumCount,
                            reinterpret_cast<LPCWSTR>(wide.c_str()));
}

extern "C" HANDLE WINAPI OpenSemaphoreW(DWORD dwDesiredAccess, BOOL bInheritHandle,
                                        LPCWSTR lpName) {
    if (!lpName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return nullptr;
    }
    NamedObject object;
    if (!InitNamedObject(&object, lpName, bInheritHandle ? OBJ_INHERIT : 0, nullptr))
        return nullptr;
    HANDLE handle = nullptr;
    NTSTATUS status = NtOpenSemaphore(&handle, dwDesiredAccess, &object.attributes);
    return OpenedHandle(status, handle);
}

extern "C" HANDLE WINAPI OpenSemaphoreA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName) {
    if (!lpName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return nullptr;
    }
    std::u16string wide = Utf8ToUtf16(lpName);
    return OpenSemaphoreW(dwDesiredAccess, bInheritHandle, reinterpret_cast<LPCWSTR>(wide.c_str()));
}

// Past the maximum count: FALSE with ERROR_TOO_MANY_POSTS and the count unchanged.
extern "C" BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount,
                                        LPLONG lpPreviousCount) {
    LONG previous = 0;
    NTSTATUS status = NtReleaseSemaphore(hSemaphore, lReleaseCount, &previous);
    if (NT_SUCCESS(status) && lpPreviousCount) *lpPreviousCount = previous;
    return Win32Result(status);
}
