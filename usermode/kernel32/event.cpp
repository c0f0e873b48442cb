// CreateEvent/OpenEvent/SetEvent/ResetEvent/PulseEvent over the native event services. Named
// events live in \BaseNamedObjects, where a driver's IoCreateNotificationEvent(
// L"\\BaseNamedObjects\\X") is found by OpenEvent(L"X").
#include "kernel32/k32.h"

using namespace ntsim::k32;

extern "C" HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCWSTR lpName) {
    return CreateNamedObject(lpEventAttributes, lpName, [&](PHANDLE handle, POBJECT_ATTRIBUTES oa) {
        return NtCreateEvent(handle, EVENT_ALL_ACCESS, oa,
                             bManualReset ? NotificationEvent : SynchronizationEvent,
                             bInitialState ? TRUE : FALSE);
    });
}

extern "C" HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCSTR lpName) {
    return WithWideName(lpName, [&](LPCWSTR name) {
        return CreateEventW(lpEventAttributes, bManualReset, bInitialState, name);
    });
}

extern "C" HANDLE WINAPI OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName) {
    return OpenNamedObject(NtOpenEvent, dwDesiredAccess, bInheritHandle, lpName);
}

extern "C" HANDLE WINAPI OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName) {
    return OpenNamedObjectA(OpenEventW, dwDesiredAccess, bInheritHandle, lpName);
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
