// GetLogicalDrives, QueryDosDeviceW/A: one drive, C:, the Linux root, which the object
// namespace calls \Device\HarddiskVolume1.
#include "kernel32/k32.h"

namespace {
constexpr char16_t kDriveC[] = u"C:";
constexpr char16_t kDriveCTarget[] = u"\\Device\\HarddiskVolume1";

bool IsDriveC(const char16_t* name) {
    return (name[0] == u'C' || name[0] == u'c') && name[1] == u':' && name[2] == 0;
}

// Copies a list of strings (each NUL-terminated, plus a final NUL) if it fits; returns the
// number of characters stored, or 0 with ERROR_INSUFFICIENT_BUFFER.
DWORD StoreList(const char16_t* entry, LPWSTR target, DWORD capacity) {
    DWORD length = DWORD(std::char_traits<char16_t>::length(entry));
    DWORD needed = length + 2;
    if (!target || capacity < needed) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    for (DWORD i = 0; i < length; ++i)
        target[i] = WCHAR(entry[i]);
    target[length] = 0;
    target[length + 1] = 0;
    return needed;
}
} // namespace

extern "C" DWORD WINAPI GetLogicalDrives(VOID) {
    return 1u << 2;
} // bit 2: C:

// lpDeviceName NULL lists every DOS device name ("C:"); otherwise the name's target. The
// result is a NUL-separated list ending with an extra NUL; the count includes both NULs.
extern "C" DWORD WINAPI QueryDosDeviceW(LPCWSTR lpDeviceName, LPWSTR lpTargetPath, DWORD ucchMax) {
    if (!lpDeviceName) return StoreList(kDriveC, lpTargetPath, ucchMax);
    if (!IsDriveC(reinterpret_cast<const char16_t*>(lpDeviceName))) {
        SetLastError(ERROR_FILE_NOT_FOUND);
        return 0;
    }
    return StoreList(kDriveCTarget, lpTargetPath, ucchMax);
}

extern "C" DWORD WINAPI QueryDosDeviceA(LPCSTR lpDeviceName, LPSTR lpTargetPath, DWORD ucchMax) {
    std::u16string name;
    if (lpDeviceName) name = ntsim::k32::Utf8ToUtf16(lpDeviceName);
    // The results are short: a bounded staging buffer, whatever ucchMax says.
    DWORD capacity = ucchMax < 256 ? ucchMax : 256;
    std::u16string wide(capacity, u'\0');
    DWORD n =
        QueryDosDeviceW(lpDeviceName ? reinterpret_cast<LPCWSTR>(name.c_str()) : nullptr,
                        lpTargetPath ? reinterpret_cast<LPWSTR>(wide.data()) : nullptr, capacity);
    if (n == 0) return 0;
    for (DWORD i = 0; i < n; ++i) // the targets are ASCII
        lpTargetPath[i] = char(wide[i]);
    return n;
}
