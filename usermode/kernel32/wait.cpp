// WaitForSingleObject(Ex), WaitForMultipleObjects(Ex) over the native waits.
#include "kernel32/k32.h"

using namespace ntsim::k32;

namespace {
constexpr DWORD kMaximumWaitObjects = 64; // MAXIMUM_WAIT_OBJECTS

// NTSTATUS of a wait -> its Win32 result.
DWORD WaitResult(NTSTATUS status) {
    if (NT_ERROR(status)) {
        SetLastNtError(status);
        return WAIT_FAILED;
    }
    if (status == STATUS_USER_APC) return WAIT_IO_COMPLETION;
    if (status == STATUS_TIMEOUT) return WAIT_TIMEOUT;
    return DWORD(status); // WAIT_OBJECT_0 + n, WAIT_ABANDONED_0 + n
}
} // namespace

PLARGE_INTEGER ntsim::k32::MillisecondsToTimeout(DWORD milliseconds, LARGE_INTEGER* storage) {
    if (milliseconds == INFINITE) return nullptr;
    storage->QuadPart = -LONGLONG(milliseconds) * 10000; // relative, 100 ns units
    return storage;
}

extern "C" DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds,
                                              BOOL bAlertable) {
    LARGE_INTEGER storage;
    return WaitResult(NtWaitForSingleObject(hHandle, bAlertable ? TRUE : FALSE,
                                            MillisecondsToTimeout(dwMilliseconds, &storage)));
}

extern "C" DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds) {
    return WaitForSingleObjectEx(hHandle, dwMilliseconds, FALSE);
}

extern "C" DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE* lpHandles,
                                                 BOOL bWaitAll, DWORD dwMilliseconds,
                                                 BOOL bAlertable) {
    if (nCount == 0 || nCount > kMaximumWaitObjects || !lpHandles) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return WAIT_FAILED;
    }
    HANDLE handles[kMaximumWaitObjects];
    for (DWORD i = 0; i < nCount; ++i)
        handles[i] = lpHandles[i];
    LARGE_INTEGER storage;
    return WaitResult(NtWaitForMultipleObjects(nCount, handles, bWaitAll ? WaitAll : WaitAny,
                                               bAlertable ? TRUE : FALSE,
                                               MillisecondsToTimeout(dwMilliseconds, &storage)));
}

extern "C" DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE* lpHandles, BOOL bWaitAll,
                                               DWORD dwMilliseconds) {
    return WaitForMultipleObjectsEx(nCount, lpHandles, bWaitAll, dwMilliseconds, FALSE);
}
