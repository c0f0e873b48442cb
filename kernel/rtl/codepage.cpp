// Character set conversions: the ANSI code page (Windows-1252) and UTF-8, for the Rtl string
// routines and for the other components (rtl.h).
#include <wdm.h>

#include "core/export.h"
#include "rtl/rtl.h"
#include "rtl/utf8.h"

namespace ntsim::rtl {
namespace {

// Windows-1252 0x80..0x9F; the five undefined bytes map to the C1 control of the same value, as
// Windows' MultiByteToWideChar does. 0xA0..0xFF are Latin-1.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

} // namespace

WCHAR AnsiCharToUnicode(unsigned char c) {
    if (c >= 0x80 && c < 0xA0) return WCHAR(kCp1252High[c - 0x80]);
    return WCHAR(c);
}

char UnicodeCharToAnsi(WCHAR c) {
    auto u = static_cast<char16_t>(c);
    if (u < 0x80 || (u >= 0xA0 && u <= 0xFF)) return char(u);
    for (int i = 0; i < 32; ++i)
        if (kCp1252High[i] == u) return char(0x80 + i);
    return '?';
}

std::string ToUtf8(const WCHAR* s, size_t count) {
    return Utf16ToUtf8(reinterpret_cast<const char16_t*>(s), count);
}

std::string ToUtf8(const UNICODE_STRING& s) {
    if (s.Buffer == nullptr) return {};
    return ToUtf8(s.Buffer, s.Length / sizeof(WCHAR));
}

// One code point from UTF-8 at s[*i] (advancing *i); U+FFFD for an invalid sequence (overlong,
// surrogate, beyond U+10FFFF, truncated), consuming only the bytes that belonged to it.
char32_t DecodeUtf8(const unsigned char* s, size_t length, size_t* i, bool* invalid) {
    unsigned char b = s[(*i)++];
    if (b < 0x80) return b;
    int extra;
    char32_t cp, min;
    if (b >= 0xC2 && b < 0xE0) {
        extra = 1;
        cp = b & 0x1F;
        min = 0x80;
    } else if (b >= 0xE0 && b < 0xF0) {
        extra = 2;
        cp = b & 0x0F;
        min = 0x800;
    } else if (b >= 0xF0 && b < 0xF5) {
        extra = 3;
        cp = b & 0x07;
        min = 0x10000;
    } else {
        *invalid = true;
        return 0xFFFD;
    }
    for (int k = 0; k < extra; ++k) {
        if (*i >= length || (s[*i] & 0xC0) != 0x80) {
            *invalid = true;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[(*i)++] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
        *invalid = true;
        return 0xFFFD;
    }
    return cp;
}

std::u16string FromUtf8(std::string_view s) {
    std::u16string out;
    auto bytes = reinterpret_cast<const unsigned char*>(s.data());
    size_t i = 0;
    bool invalid = false;
    while (i < s.size()) {
        char32_t cp = DecodeUtf8(bytes, s.size(), &i, &invalid);
        if (cp >= 0x10000) {
            out.push_back(char16_t(0xD800 + ((cp - 0x10000) >> 10)));
            out.push_back(char16_t(0xDC00 + ((cp - 0x10000) & 0x3FF)));
        } else {
            out.push_back(char16_t(cp));
        }
    }
    return out;
}

} // namespace ntsim::rtl

// ---- exported conversions
// ------------------------------------------------------------------------ The ANSI code page is
// single-byte: one character per byte. A short destination truncates the result (STATUS_SUCCESS, as
// Windows does for single-byte code pages).
extern "C" NTSTATUS NTAPI RtlUnicodeToMultiByteN(PCHAR MultiByteString,
                                                 ULONG MaxBytesInMultiByteString,
                                                 PULONG BytesInMultiByteString, PCWCH UnicodeString,
                                                 ULONG BytesInUnicodeString) {
    ULONG count = BytesInUnicodeString / sizeof(WCHAR);
    if (count > MaxBytesInMultiByteString) count = MaxBytesInMultiByteString;
    for (ULONG i = 0; i < count; ++i)
        MultiByteString[i] = ntsim::rtl::UnicodeCharToAnsi(UnicodeString[i]);
    if (BytesInMultiByteString) *BytesInMultiByteString = count;
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlUnicodeToMultiByteN);

extern "C" NTSTATUS NTAPI RtlMultiByteToUnicodeN(PWCH UnicodeString, ULONG MaxBytesInUnicodeString,
                                                 PULONG BytesInUnicodeString,
                                                 const CHAR* MultiByteString,
                                                 ULONG BytesInMultiByteString) {
    ULONG count = BytesInMultiByteString;
    if (count > MaxBytesInUnicodeString / sizeof(WCHAR))
        count = MaxBytesInUnicodeString / sizeof(WCHAR);
    for (ULONG i = 0; i < count; ++i)
        UnicodeString[i] =
            ntsim::rtl::AnsiCharToUnicode(static_cast<unsigned char>(MultiByteString[i]));
    if (BytesInUnicodeString) *BytesInUnicodeString = count * sizeof(WCHAR);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlMultiByteToUnicodeN);

extern "C" NTSTATUS NTAPI RtlUnicodeToMultiByteSize(PULONG BytesInMultiByteString,
                                                    PCWCH UnicodeString,
                                                    ULONG BytesInUnicodeString) {
    (void)UnicodeString;
    *BytesInMultiByteString = BytesInUnicodeString / sizeof(WCHAR);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlUnicodeToMultiByteSize);

extern "C" NTSTATUS NTAPI RtlMultiByteToUnicodeSize(PULONG BytesInUnicodeString,
                                                    const CHAR* MultiByteString,
                                                    ULONG BytesInMultiByteString) {
    (void)MultiByteString;
    *BytesInUnicodeString = BytesInMultiByteString * sizeof(WCHAR);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlMultiByteToUnicodeSize);

// UTF-8 -> UTF-16. A NULL destination measures. A short destination gets the characters that fit
// (never half a surrogate pair) and STATUS_BUFFER_TOO_SMALL. Invalid input becomes U+FFFD and
// the result is STATUS_SOME_NOT_MAPPED.
extern "C" NTSTATUS NTAPI RtlUTF8ToUnicodeN(PWSTR UnicodeStringDestination,
                                            ULONG UnicodeStringMaxByteCount,
                                            PULONG UnicodeStringActualByteCount,
                                            PCCH UTF8StringSource, ULONG UTF8StringByteCount) {
    if (UnicodeStringDestination == nullptr && UnicodeStringActualByteCount == nullptr)
        return STATUS_INVALID_PARAMETER;
    if (UTF8StringSource == nullptr) return STATUS_INVALID_PARAMETER_4;
    auto bytes = reinterpret_cast<const unsigned char*>(UTF8StringSource);
    size_t i = 0;
    ULONG written = 0; // bytes
    bool invalid = false;
    while (i < UTF8StringByteCount) {
        char32_t cp = ntsim::rtl::DecodeUtf8(bytes, UTF8StringByteCount, &i, &invalid);
        ULONG need = cp >= 0x10000 ? 4 : 2;
        if (UnicodeStringDestination != nullptr) {
            if (written + need > UnicodeStringMaxByteCount) {
                if (UnicodeStringActualByteCount) *UnicodeStringActualByteCount = written;
                return STATUS_BUFFER_TOO_SMALL;
            }
            WCHAR* out = UnicodeStringDestination + written / sizeof(WCHAR);
            if (cp >= 0x10000) {
                out[0] = WCHAR(0xD800 + ((cp - 0x10000) >> 10));
                out[1] = WCHAR(0xDC00 + ((cp - 0x10000) & 0x3FF));
            } else {
                out[0] = WCHAR(cp);
            }
        }
        written += need;
    }
    if (UnicodeStringActualByteCount) *UnicodeStringActualByteCount = written;
    return invalid ? STATUS_SOME_NOT_MAPPED : STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlUTF8ToUnicodeN);

// UTF-16 -> UTF-8, same conventions; an odd byte count is STATUS_INVALID_PARAMETER_5.
extern "C" NTSTATUS NTAPI RtlUnicodeToUTF8N(PCHAR UTF8StringDestination,
                                            ULONG UTF8StringMaxByteCount,
                                            PULONG UTF8StringActualByteCount,
                                            PCWCH UnicodeStringSource,
                                            ULONG UnicodeStringByteCount) {
    if (UTF8StringDestination == nullptr && UTF8StringActualByteCount == nullptr)
        return STATUS_INVALID_PARAMETER;
    if (UnicodeStringSource == nullptr) return STATUS_INVALID_PARAMETER_4;
    if (UnicodeStringByteCount % sizeof(WCHAR) != 0) return STATUS_INVALID_PARAMETER_5;
    ULONG count = UnicodeStringByteCount / sizeof(WCHAR);
    ULONG written = 0;
    bool invalid = false;
    for (ULONG i = 0; i < count; ++i) {
        char32_t cp = char16_t(UnicodeStringSource[i]);
        if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < count &&
            char16_t(UnicodeStringSource[i + 1]) >= 0xDC00 &&
            char16_t(UnicodeStringSource[i + 1]) < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (char16_t(UnicodeStringSource[i + 1]) - 0xDC00);
            ++i;
        } else if (cp >= 0xD800 && cp < 0xE000) {
            cp = 0xFFFD;
            invalid = true;
        }
        char buf[4];
        ULONG n;
        if (cp < 0x80) {
            buf[0] = char(cp);
            n = 1;
        } else if (cp < 0x800) {
            buf[0] = char(0xC0 | (cp >> 6));
            buf[1] = char(0x80 | (cp & 0x3F));
            n = 2;
        } else if (cp < 0x10000) {
            buf[0] = char(0xE0 | (cp >> 12));
            buf[1] = char(0x80 | ((cp >> 6) & 0x3F));
            buf[2] = char(0x80 | (cp & 0x3F));
            n = 3;
        } else {
            buf[0] = char(0xF0 | (cp >> 18));
            buf[1] = char(0x80 | ((cp >> 12) & 0x3F));
            buf[2] = char(0x80 | ((cp >> 6) & 0x3F));
            buf[3] = char(0x80 | (cp & 0x3F));
            n = 4;
        }
        if (UTF8StringDestination != nullptr) {
            if (written + n > UTF8StringMaxByteCount) {
                if (UTF8StringActualByteCount) *UTF8StringActualByteCount = written;
                return STATUS_BUFFER_TOO_SMALL;
            }
            for (ULONG k = 0; k < n; ++k)
                UTF8StringDestination[written + k] = buf[k];
        }
        written += n;
    }
    if (UTF8StringActualByteCount) *UTF8StringActualByteCount = written;
    return invalid ? STATUS_SOME_NOT_MAPPED : STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlUnicodeToUTF8N);
