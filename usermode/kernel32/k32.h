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

} // namespace ntsim::k32
