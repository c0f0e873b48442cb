// The CRT printf family drivers import (sprintf, _snprintf, sprintf_s, _snwprintf, swprintf_s...),
// all on the kernel's formatter (rtl/format.h) so %ws/%wZ/%I64d and LLP64 sizes work.
#include <climits>
#include <string>
#include <vector>

#include <wdm.h>

#include "core/export.h"
#include "rtl/crt_export.h"
#include "rtl/format.h"

namespace {

size_t Format(char* buffer, size_t capacity, const char* format, va_list args) {
    return ntsim::rtl::FormatNarrow(buffer, capacity, format, args);
}
size_t Format(WCHAR* buffer, size_t capacity, const WCHAR* format, va_list args) {
    return ntsim::rtl::FormatWide(buffer, capacity, format, args);
}

int ClampInt(size_t n) {
    return n > size_t(INT_MAX) ? INT_MAX : int(n);
}

// Writes exactly `chars` characters of the output (no terminator).
// (A vector, not std::basic_string: with 16-bit wchar_t, libstdc++'s char_traits<wchar_t>
// calls glibc's 32-bit wmemset/wmemcpy.)
template <typename Ch>
void WritePrefix(Ch* buffer, size_t chars, size_t needed, const Ch* format, va_list args) {
    std::vector<Ch> whole(needed + 1, Ch(0));
    Format(whole.data(), whole.size(), format, args);
    for (size_t i = 0; i < chars; ++i)
        buffer[i] = whole[i];
}

// _vsnprintf rules: terminator only if it fits; -1 when truncated; (NULL, 0) measures.
template <typename Ch> int VsnPrintf(Ch* buffer, size_t count, const Ch* format, va_list args) {
    if (format == nullptr) return -1;
    size_t needed = Format(nullptr, 0, format, args);
    if (buffer == nullptr) return count == 0 ? ClampInt(needed) : -1;
    if (needed < count) {
        Format(buffer, count, format, args);
        return ClampInt(needed);
    }
    size_t chars = needed == count ? needed : count;
    WritePrefix(buffer, chars, needed, format, args);
    return needed == count ? ClampInt(needed) : -1;
}

// vsprintf_s rules: all of it and the terminator must fit, else buffer[0] = 0 and -1.
template <typename Ch> int VsPrintfS(Ch* buffer, size_t size, const Ch* format, va_list args) {
    if (buffer == nullptr || size == 0) return -1;
    if (format == nullptr) {
        buffer[0] = 0;
        return -1;
    }
    size_t needed = Format(nullptr, 0, format, args);
    if (needed >= size) {
        buffer[0] = 0;
        return -1;
    }
    Format(buffer, size, format, args);
    return ClampInt(needed);
}

// _vsnprintf_s rules: at most count characters (or as many as fit with _TRUNCATE), always
// terminated; -1 when truncated; buffer[0] = 0 and -1 when count characters do not fit.
template <typename Ch>
int VsnPrintfS(Ch* buffer, size_t size, size_t count, const Ch* format, va_list args) {
    if (buffer == nullptr || size == 0) return -1;
    if (format == nullptr) {
        buffer[0] = 0;
        return -1;
    }
    size_t needed = Format(nullptr, 0, format, args);
    size_t chars;
    if (count == _TRUNCATE) {
        chars = needed < size ? needed : size - 1;
    } else {
        chars = needed < count ? needed : count;
        if (chars >= size) {
            buffer[0] = 0;
            return -1;
        }
    }
    if (chars == needed) {
        Format(buffer, size, format, args);
        return ClampInt(needed);
    }
    WritePrefix(buffer, chars, needed, format, args);
    buffer[chars] = 0;
    return -1;
}

} // namespace

// ---- narrow
// ----------------------------------------------------------------------------------------
extern "C" int ntsim_vsprintf(char* buffer, const char* format, va_list args) noexcept {
    return ClampInt(Format(buffer, SIZE_MAX, format, args));
}
NTSIM_EXPORT_AS(vsprintf, ntsim_vsprintf);

extern "C" int ntsim_sprintf(char* buffer, const char* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = ntsim_vsprintf(buffer, format, args);
    va_end(args);
    return n;
}
NTSIM_EXPORT_AS(sprintf, ntsim_sprintf);

extern "C" int _vsnprintf(char* buffer, size_t count, const char* format, va_list args) noexcept {
    return VsnPrintf(buffer, count, format, args);
}
NTSIM_EXPORT(_vsnprintf);

extern "C" int _snprintf(char* buffer, size_t count, const char* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = VsnPrintf(buffer, count, format, args);
    va_end(args);
    return n;
}
NTSIM_EXPORT(_snprintf);

extern "C" int vsprintf_s(char* buffer, size_t size, const char* format, va_list args) noexcept {
    return VsPrintfS(buffer, size, format, args);
}
NTSIM_EXPORT(vsprintf_s);

extern "C" int sprintf_s(char* buffer, size_t size, const char* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = VsPrintfS(buffer, size, format, args);
    va_end(args);
    return n;
}
NTSIM_EXPORT_TYPED(sprintf_s, int (*)(char*, size_t, const char*, ...) noexcept);

extern "C" int _vsnprintf_s(char* buffer, size_t size, size_t count, const char* format,
                            va_list args) noexcept {
    return VsnPrintfS(buffer, size, count, format, args);
}
NTSIM_EXPORT(_vsnprintf_s);

extern "C" int _snprintf_s(char* buffer, size_t size, size_t count, const char* format,
                           ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = VsnPrintfS(buffer, size, count, format, args);
    va_end(args);
    return n;
}
NTSIM_EXPORT_TYPED(_snprintf_s, int (*)(char*, size_t, size_t, const char*, ...) noexcept);

// ---- wide
// ------------------------------------------------------------------------------------------
extern "C" int _vsnwprintf(wchar_t* buffer, size_t count, const wchar_t* format,
                           va_list args) noexcept {
    return VsnPrintf(buffer, count, format, args);
}
NTSIM_EXPORT(_vsnwprintf);

extern "C" int _snwprintf(wchar_t* buffer, size_t count, const wchar_t* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = VsnPrintf(buffer, count, format, args);
    va_end(args);
    return n;
}
NTSIM_EXPORT(_snwprintf);

extern "C" int vswprintf_s(wchar_t* buffer, size_t size, const wchar_t* format,
                           va_list args) noexcept {
    return VsPrintfS(buffer, size, format, args);
}
NTSIM_EXPORT(vswprintf_s);

extern "C" int swprintf_s(wchar_t* buffer, size_t size, const wchar_t* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = VsPrintfS(buffer, size, format, args);
    va_end(args);
    return n;
}
NTSIM_EXPORT_TYPED(swprintf_s, int (*)(wchar_t*, size_t, const wchar_t*, ...) noexcept);

extern "C" int _vsnwprintf_s(wchar_t* buffer, size_t size, size_t count, const wchar_t* format,
                             va_list args) noexcept {
    return VsnPrintfS(buffer, size, count, format, args);
}
NTSIM_EXPORT(_vsnwprintf_s);

extern "C" int _snwprintf_s(wchar_t* buffer, size_t size, size_t count, const wchar_t* format,
                            ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = VsnPrintfS(buffer, size, count, format, args);
    va_end(args);
    return n;
}
NTSIM_EXPORT_TYPED(_snwprintf_s, int (*)(wchar_t*, size_t, size_t, const wchar_t*, ...) noexcept);
