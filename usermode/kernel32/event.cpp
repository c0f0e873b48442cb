// CreateEvent/OpenEvent/SetEvent/ResetEvent over the native event services. Named events live
// in \BaseNamedObjects (the one session's named-object directory).
#include "kernel32/k32.h"

using namespace ntsim::k32;

namespace {

// Builds "\BaseNamedObjects\<name>" into `path` and `name`.
void NamedObjectAttributes(LPCWSTR objectName, ULONG attributes, std::u16string& path,
                           UNICODE_STRING& name, OBJECT_ATTRIBUTES& oa, PVOID descriptor) {
    path = u"\\BaseNamedObjects\\";
    path += reinterpret_cast<const char16_t*>(objectName);
    name.Buffer = reinterpret_cast<PWSTR>(path.data());
    name.Length = USHORT(path.size() * sizeof(WCHAR));
    name.MaximumLength = name.Length;
    InitializeObjectAttributes(&oa, &name, attributes, nullptr, descriptor);
}

bool NameTooLong(LPCWSTR name) {
    return name && lstrlenW(name) > 0x7FFF - 20;
}

} // namespace

extern "C" HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCWSTR lpName) {
    if (NameTooLong(lpName)) {
        SetLastError(ERROR_FILENAME_EXCED_RANGE);
        return nullptr;
    }
    ULONG attributes = lpEventAttributes && lpEventAttributes->bInheritHandle ? OBJ_INHERIT : 0;
    PVOID descriptor = lpEventAttributes ? lpEventAttributes->lpSecurityDescriptor : nullptr;
    std::u16string path;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    if (lpName) {
        NamedObjectAttributes(lpName, attributes | OBJ_OPENIF, path, name, oa, descriptor);
    } else {
        InitializeObjectAttributes(&oa, nullptr, attributes, nullptr, descriptor);
    }
    HANDLE handle = nullptr;
    NTSTATUS status = NtCreateEvent(&handle, EVENT_ALL_ACCESS, &oa,
                                    bManualReset ? NotificationEvent : SynchronizationEvent,
                                    bInitialState ? TRUE : FALSE);
    if (!NT_SUCCESS(status)) {
        SetLastNtError(status);
        return nullptr;
    }
    // Opening an existing named event succeeds and says so.
    SetLastError(status == STATUS_OBJECT_NAME_EXISTS ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return handle;
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
    if (NameTooLong(lpName)) {
        SetLastError(ERROR_FILENAME_EXCED_RANGE);
        return nullptr;
    }
    std::u16string path;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    NamedObjectAttributes(lpName, bInheritHandle ? OBJ_INHERIT : 0, path, name, oa, nullptr);
    HANDLE handle = nullptr;
    NTSTATUS status = NtOpenEvent(&handle, dwDesiredAccess, &oa);
    if (!NT_SUCCESS(status)) {
        SetLastNtError(status);
        return nullptr;
    }
    return handle;
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
    NTSTATUS status = NtSetEvent(hEvent, nullptr);
    if (!NT_SUCCESS(status)) {
        SetLastNtError(status);
        return FALSE;
    }
    return TRUE;
}

extern "C" BOOL WINAPI ResetEvent(HANDLE hEvent) {
    NTSTATUS status = NtResetEvent(hEvent, nullptr);
    if (!NT_SUCCESS(status)) {
        SetLastNtError(status);
        return FALSE;
    }
    return TRUE;
}
