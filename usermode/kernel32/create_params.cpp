// CreateFile's parameters -> NtCreateFile's (pure, so it can be unit-tested).
#include "kernel32/k32.h"

namespace {
// FILE_ATTRIBUTE_* bits CreateFile passes on (FILE_ATTRIBUTE_VALID_FLAGS).
constexpr ULONG kValidFileAttributes = 0x00007FB7;
} // namespace

DWORD ntsim::k32::MapCreateFileParameters(DWORD desiredAccess, DWORD shareMode,
                                          const SECURITY_ATTRIBUTES* securityAttributes,
                                          DWORD creationDisposition, DWORD flagsAndAttributes,
                                          NtCreateParameters* out) {
    switch (creationDisposition) {
    case CREATE_NEW:
        out->createDisposition = FILE_CREATE;
        break;
    case CREATE_ALWAYS:
        out->createDisposition = FILE_OVERWRITE_IF;
        break;
    case OPEN_EXISTING:
        out->createDisposition = FILE_OPEN;
        break;
    case OPEN_ALWAYS:
        out->createDisposition = FILE_OPEN_IF;
        break;
    case TRUNCATE_EXISTING:
        out->createDisposition = FILE_OVERWRITE;
        break;
    default:
        return ERROR_INVALID_PARAMETER;
    }
    // Every Win32 handle can be waited on and its attributes queried.
    out->desiredAccess = desiredAccess | SYNCHRONIZE | FILE_READ_ATTRIBUTES;
    out->shareAccess = shareMode & (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE);
    out->fileAttributes = flagsAndAttributes & kValidFileAttributes;

    ULONG options = 0;
    // Without FILE_FLAG_OVERLAPPED the I/O manager serializes the file's requests and waits
    // for them; with it the file is asynchronous and the caller waits.
    if (!(flagsAndAttributes & FILE_FLAG_OVERLAPPED)) options |= FILE_SYNCHRONOUS_IO_NONALERT;
    if (flagsAndAttributes & FILE_FLAG_WRITE_THROUGH) options |= FILE_WRITE_THROUGH;
    if (flagsAndAttributes & FILE_FLAG_NO_BUFFERING) options |= FILE_NO_INTERMEDIATE_BUFFERING;
    if (flagsAndAttributes & FILE_FLAG_RANDOM_ACCESS) options |= FILE_RANDOM_ACCESS;
    if (flagsAndAttributes & FILE_FLAG_SEQUENTIAL_SCAN) options |= FILE_SEQUENTIAL_ONLY;
    if (flagsAndAttributes & FILE_FLAG_DELETE_ON_CLOSE) {
        options |= FILE_DELETE_ON_CLOSE;
        out->desiredAccess |= DELETE;
    }
    if (flagsAndAttributes & FILE_FLAG_BACKUP_SEMANTICS)
        options |= FILE_OPEN_FOR_BACKUP_INTENT; // may open a directory
    else
        options |= FILE_NON_DIRECTORY_FILE;
    if (flagsAndAttributes & FILE_FLAG_OPEN_REPARSE_POINT) options |= FILE_OPEN_REPARSE_POINT;
    if (flagsAndAttributes & FILE_FLAG_OPEN_NO_RECALL) options |= FILE_OPEN_NO_RECALL;
    out->createOptions = options;

    out->objectAttributes =
        (flagsAndAttributes & FILE_FLAG_POSIX_SEMANTICS) ? 0 : OBJ_CASE_INSENSITIVE;
    if (securityAttributes && securityAttributes->bInheritHandle)
        out->objectAttributes |= OBJ_INHERIT;
    return ERROR_SUCCESS;
}
