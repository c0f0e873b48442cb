// What CreateEvent/CreateSemaphore/CreateMutex and their Open* share: the \BaseNamedObjects
// name, the attributes from SECURITY_ATTRIBUTES and the Win32 result conventions.
#include "kernel32/k32.h"

namespace ntsim::k32 {

namespace {
constexpr size_t kMaxNameChars = 0x7FFF - 20; // an object name's UNICODE_STRING must hold it
}

bool InitNamedObject(NamedObject* object, LPCWSTR name, ULONG attributes,
                     PVOID securityDescriptor) {
    if (!name) {
        InitializeObjectAttributes(&object->attributes, nullptr, attributes, nullptr,
                                   securityDescriptor);
        return true;
    }
    if (size_t(lstrlenW(name)) > kMaxNameChars) {
        SetLastError(ERROR_FILENAME_EXCED_RANGE);
        return false;
    }
    object->path = u"\\BaseNamedObjects\\";
    object->path += reinterpret_cast<const char16_t*>(name);
    object->name.Buffer = reinterpret_cast<PWSTR>(object->path.data());
    object->name.Length = USHORT(object->path.size() * sizeof(WCHAR));
    object->name.MaximumLength = object->name.Length;
    InitializeObjectAttributes(&object->attributes, &object->name, attributes, nullptr,
                               securityDescriptor);
    return true;
}

ULONG InheritAttribute(const SECURITY_ATTRIBUTES* attributes) {
    return attributes && attributes->bInheritHandle ? OBJ_INHERIT : 0;
}

PVOID SecurityDescriptorOf(const SECURITY_ATTRIBUTES* attributes) {
    return attributes ? attributes->lpSecurityDescriptor : nullptr;
}

HANDLE CreatedHandle(NTSTATUS status, HANDLE handle) {
    if (!NT_SUCCESS(status)) {
        SetLastNtError(status);
        return nullptr;
    }
    SetLastError(status == STATUS_OBJECT_NAME_EXISTS ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return handle;
}

HANDLE OpenedHandle(NTSTATUS status, HANDLE handle) {
    if (!NT_SUCCESS(status)) {
        SetLastNtError(status);
        return nullptr;
    }
    return handle;
}

BOOL Win32Result(NTSTATUS status) {
    if (NT_SUCCESS(status)) return TRUE;
    SetLastNtError(status);
    return FALSE;
}

HANDLE OpenNamedObject(NtOpenRoutine open, DWORD desiredAccess, BOOL inheritHandle, LPCWSTR name) {
    if (!name) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return nullptr;
    }
    NamedObject object;
    if (!InitNamedObject(&object, name, inheritHandle ? OBJ_INHERIT : 0, nullptr)) return nullptr;
    HANDLE handle = nullptr;
    NTSTATUS status = open(&handle, desiredAccess, &object.attributes);
    return OpenedHandle(status, handle);
}

HANDLE OpenNamedObjectA(OpenWRoutine openW, DWORD desiredAccess, BOOL inheritHandle, LPCSTR name) {
    if (!name) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return nullptr;
    }
    std::u16string wide = Utf8ToUtf16(name);
    return openW(desiredAccess, inheritHandle, reinterpret_cast<LPCWSTR>(wide.c_str()));
}

} // namespace ntsim::k32
