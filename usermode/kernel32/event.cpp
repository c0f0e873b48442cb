// CreateEvent/OpenEvent/SetEvent/ResetEvent/PulseEvent over the native event services. Named
// events live in \BaseNamedObjects, where a driver's IoCreateNotificationEvent(
// L"\\BaseNamedObjects\\X") is found by OpenEvent(L"X").
#include "kernel32/k32.h"

using namespace ntsim::k32;

extern "C" HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCWSTR lpName) {
    NamedObject object;
    if (!InitNamedObject(&object, lpName,
                         InheritAttribute(lpEventAttributes) | (lpName ? OBJ_OPENIF : 0),
                         SecurityDescriptorOf(lpEventAttributes)))
        return nullptr;
    HANDLE handle = nullptr;
    NTSTATUS status = NtCreateEvent(&handle, EVENT_ALL_ACCESS, &object.attributes,
                                    bManualReset ? NotificationEvent : SynchronizationEvent,
                                    bInitialState ? TRUE : FALSE);
    return CreatedHandle(status, handle);
}

extern "C" HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCSTR lpName) {
    if (!lpName) return CreateEventW(lpEventAttributes, bManualReset, bInitialState, nullptr);
    std::u16string wide = Utf8ToUtf16(lpName);
    return CreateEventW(lpEventAttributes, bManualReset, bInitialState,
                        reinterpret_cast<LPCWSTR>(wide.c_str()));
}

extern "C" HANDLE WINAPI OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName) {
    if (!lpName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return nullptr;
    }
    NamedObject object;
    if (!InitNamedObject(&object, lpName, bInheritHandle ? OBJ_INHERIT : 0, nullptr))
        return nullptr;
    HANDLE handle = nullptr;
    NTSTATUS status = NtOpenEvent(&handle, dwDesiredAccess, &object.attributes);
    return OpenedHandle(status, handle);
}

extern "C" HANDLE WINAPI OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName) {
    if (!lpName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return nullptr;
    }
    std::u16string wide = Utf8ToUtf16(lpName);
    return OpenEventW(dwDesiredAccess, bInheritHandle, reinterpret_cast<LPCWSTR>(wide.c_str()));
}

extern "C" BOOL WINAPI SetEvent(HANDLE hEvent) {
    return Win32Result(NtSetEvent(hEvent, nullptr));
}

extern "C" BOOL WINAPI ResetEvent(HANDLE hEvent) {
    return Win32Result(NtResetEvent(hEvent, nullptr));
}

extern "C" BOOL WINAPI PulseEvent(HANDLE hEvent) {
    return Win32Result(NtPulseEvent(hEvent, nullptr));
}
