// CreateFileW/CreateFileA: NtCreateFile on the translated name.
#include "kernel32/k32.h"

using namespace ntsim::k32;

extern "C" HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                     DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                     HANDLE hTemplateFile) {
    (void)hTemplateFile; // extended attributes of a template: devices have none
    if (!lpFileName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    NtCreateParameters params;
    DWORD error = MapCreateFileParameters(dwDesiredAccess, dwShareMode, lpSecurityAttributes,
                                          dwCreationDisposition, dwFlagsAndAttributes, &params);
    if (error != ERROR_SUCCESS) {
        SetLastError(error);
        return INVALID_HANDLE_VALUE;
    }
    std::u16string ntPath;
    if (!Win32PathToNtPath(reinterpret_cast<const char16_t*>(lpFileName), ntPath)) {
        SetLastError(ERROR_PATH_NOT_FOUND);
        return INVALID_HANDLE_VALUE;
    }
    if (ntPath.size() * sizeof(WCHAR) > 0xFFFE) {
        SetLastError(ERROR_FILENAME_EXCED_RANGE);
        return INVALID_HANDLE_VALUE;
    }
    UNICODE_STRING name;
    name.Buffer = reinterpret_cast<PWSTR>(ntPath.data());
    name.Length = USHORT(ntPath.size() * sizeof(WCHAR));
    name.MaximumLength = name.Length;
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, &name, params.objectAttributes, nullptr,
                               lpSecurityAttributes ? lpSecurityAttributes->lpSecurityDescriptor
                                                    : nullptr);
    HANDLE handle = nullptr;
    IO_STATUS_BLOCK iosb{};
    NTSTATUS status = NtCreateFile(&handle, params.desiredAccess, &attributes, &iosb, nullptr,
                                   params.fileAttributes, params.shareAccess,
                                   params.createDisposition, params.createOptions, nullptr, 0);
    if (!NT_SUCCESS(status)) {
        // CreateFile's own mappings: CREATE_NEW of an existing file says "file exists", a
        // directory opened as a file says "access denied".
        if (status == STATUS_OBJECT_NAME_COLLISION)
            SetLastError(ERROR_FILE_EXISTS);
        else if (status == STATUS_FILE_IS_A_DIRECTORY)
            SetLastError(ERROR_ACCESS_DENIED);
        else
            SetLastNtError(status);
        return INVALID_HANDLE_VALUE;
    }
    // CREATE_ALWAYS / OPEN_ALWAYS succeed on an existing file with ERROR_ALREADY_EXISTS.
    if ((dwCreationDisposition == CREATE_ALWAYS && iosb.Information == FILE_OVERWRITTEN) ||
        (dwCreationDisposition == OPEN_ALWAYS && iosb.Information == FILE_OPENED))
        SetLastError(ERROR_ALREADY_EXISTS);
    else
        SetLastError(ERROR_SUCCESS);
    return handle;
}

extern "C" HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                     DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                     HANDLE hTemplateFile) {
    if (!lpFileName) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    std::u16string wide = Utf8ToUtf16(lpFileName);
    return CreateFileW(reinterpret_cast<LPCWSTR>(wide.c_str()), dwDesiredAccess, dwShareMode,
                       lpSecurityAttributes, dwCreationDisposition, dwFlagsAndAttributes,
                       hTemplateFile);
}
