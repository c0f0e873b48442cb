// kernel32 internals shared by its files and tested by tests/usermode: last-error handling,
// Win32 -> NT path translation and the CreateFile parameter mapping, as pure functions.
#pragma once

#include <windows.h>
#include <winternl.h>
#include <ntstatus.h> // all of them (windows.h has the winnt.h subset, identically defined)

#include <string>

namespace ntsim::k32 {

// SetLastError(RtlNtStatusToDosError(status)); returns the error.
DWORD SetLastNtError(NTSTATUS status);

// Translates a Win32 file name into the NT name CreateFile opens:
//   \\.\X, \\?\X and \??\X -> \??\X (no normalization after the prefix)
//   \\server\share\...     -> \??\UNC\server\share\...
//   C:\... (or C:/...)     -> \??\C:\...
//   \dir\...               -> \??\C:\dir\...   (rooted: the current drive, always C:)
//   relative / C:relative  -> \??\C:<cwd>\...  (cwd: the Linux working directory)
// '/' is a separator like '\' in the forms that are normalized. Returns false (the caller sets
// ERROR_PATH_NOT_FOUND) for an empty name.
bool Win32PathToNtPath(const char16_t* path, std::u16string& ntPath);

// The NtCreateFile arguments CreateFile derives from its own.
struct NtCreateParameters {
    ACCESS_MASK desiredAccess;
    ULONG fileAttributes;
    ULONG shareAccess;
    ULONG createDisposition;
    ULONG createOptions;
    ULONG objectAttributes; // OBJ_* for InitializeObjectAttributes
};

// Maps CreateFile's access/share/disposition/flags as Windows does. Returns ERROR_SUCCESS or
// the Win32 error CreateFile fails with (ERROR_INVALID_PARAMETER for a bad disposition).
DWORD MapCreateFileParameters(DWORD desiredAccess, DWORD shareMode,
                              const SECURITY_ATTRIBUTES* securityAttributes,
                              DWORD creationDisposition, DWORD flagsAndAttributes,
                              NtCreateParameters* out);

// NT relative timeout for a Win32 millisecond timeout; NULL for INFINITE.
PLARGE_INTEGER MillisecondsToTimeout(DWORD milliseconds, LARGE_INTEGER* storage);

// UTF-8 (or ASCII) <-> UTF-16 for the A entry points.
std::u16string Utf8ToUtf16(const char* s);
std::string Utf16ToUtf8(const char16_t* s, size_t length);

// The Win32 text of a system error (English, with its trailing "\r\n"), or NULL.
const char16_t* SystemMessageText(DWORD messageId);

// Named synchronization objects (events, semaphores, mutexes) live in \BaseNamedObjects; the
// "Global\" and "Local\" prefixes reach the same directory through its Global/Local links.
// The attributes point into the structure itself: build it in place, do not copy it.
struct NamedObject {
    std::u16string path;
    UNICODE_STRING name{};
    OBJECT_ATTRIBUTES attributes{};
    NamedObject() = default;
    NamedObject(const NamedObject&) = delete;
    NamedObject& operator=(const NamedObject&) = delete;
};
// Fills `object` for `name` (NULL: an unnamed object). False, with ERROR_FILENAME_EXCED_RANGE
// set, when the name is too long for an object name.
bool InitNamedObject(NamedObject* object, LPCWSTR name, ULONG attributes, PVOID securityDescriptor);
// The OBJ_* and security descriptor of optional SECURITY_ATTRIBUTES.
ULONG InheritAttribute(const SECURITY_ATTRIBUTES* attributes);
PVOID SecurityDescriptorOf(const SECURITY_ATTRIBUTES* attributes);
// The end of a Create*: NULL with the error set on failure; otherwise the handle, with
// ERROR_ALREADY_EXISTS when an existing named object was opened (ERROR_SUCCESS otherwise).
HANDLE CreatedHandle(NTSTATUS status, HANDLE handle);
// The end of an Open*: NULL with the error set on failure.
HANDLE OpenedHandle(NTSTATUS status, HANDLE handle);
// TRUE, or FALSE with the error set.
BOOL Win32Result(NTSTATUS status);

// A Create*W: `create(&handle, &attributes)` makes the object named `name` (opened if it exists:
// OBJ_OPENIF) with the inheritance and security descriptor of `securityAttributes`.
template <typename Create>
HANDLE CreateNamedObject(const SECURITY_ATTRIBUTES* securityAttributes, LPCWSTR name,
                         Create create) {
    NamedObject object;
    if (!InitNamedObject(&object, name,
                         InheritAttribute(securityAttributes) | (name ? OBJ_OPENIF : 0),
                         SecurityDescriptorOf(securityAttributes)))
        return nullptr;
    HANDLE handle = nullptr;
    NTSTATUS status = create(&handle, &object.attributes);
    return CreatedHandle(status, handle);
}

// A Create*A: `createW(wideName)`, with NULL for no name.
template <typename CreateW> HANDLE WithWideName(LPCSTR name, CreateW createW) {
    if (!name) return createW(nullptr);
    std::u16string wide = Utf8ToUtf16(name);
    return createW(reinterpret_cast<LPCWSTR>(wide.c_str()));
}

// An Open*W through `open` (NtOpenEvent, NtOpenSemaphore, NtOpenMutant); a NULL name is
// ERROR_INVALID_PARAMETER.
using NtOpenRoutine = NTSTATUS(NTAPI*)(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES);
HANDLE OpenNamedObject(NtOpenRoutine open, DWORD desiredAccess, BOOL inheritHandle, LPCWSTR name);

// OpenProcess/OpenThread: `open` (NtOpenProcess, NtOpenThread) with `cid`; NULL with the error
// set on failure, an unknown id (STATUS_INVALID_CID) being reported as `unknownIdStatus`.
using NtOpenByIdRoutine = NTSTATUS(NTAPI*)(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PCLIENT_ID);
HANDLE OpenByClientId(NtOpenByIdRoutine open, DWORD desiredAccess, BOOL inheritHandle,
                      CLIENT_ID cid, NTSTATUS unknownIdStatus);

// An Open*A through its Open*W; a NULL name is ERROR_INVALID_PARAMETER.
using OpenWRoutine = HANDLE(WINAPI*)(DWORD, BOOL, LPCWSTR);
HANDLE OpenNamedObjectA(OpenWRoutine openW, DWORD desiredAccess, BOOL inheritHandle, LPCSTR name);

} // namespace ntsim::k32
