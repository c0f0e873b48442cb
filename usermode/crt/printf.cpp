// The client printf family with Windows' conversions (%ws %S %wZ %I64d, 32-bit %ld...), over
// the kernel's shared formatter (kernel/rtl/format.cpp). Clients reach these through the asm
// labels of <ntsimcrt.h> (printf -> ntsim_printf), so glibc's remain untouched for everyone else.
// Output functions write UTF-8 through stdio, so they interleave correctly with puts/putchar
// (what g++ turns a plain printf("text\n") into).
#include <windows.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "rtl/utf8.h"
#include "rtl/format.h"

namespace {

std::string FormatToString(const char* format, va_list args) {
    return ntsim::rtl::FormatNarrow(format, args);
}

std::u16string FormatToU16(const wchar_t* format, va_list args) {
    va_list measure;
    va_copy(measure, args);
    size_t n = ntsim::rtl::FormatWide(nullptr, 0, format, measure);
    va_end(measure);
    std::u16string out(n + 1, u'\0');
    ntsim::rtl::FormatWide(reinterpret_cast<WCHAR*>(out.data()), n + 1, format, args);
    out.resize(n);
    return out;
}

std::string U16ToUtf8(const std::u16string& s) {
    return ntsim::rtl::Utf16ToUtf8(s.data(), s.size());
}

// Writes `text` to `stream`; the count of characters written, or -1 on an output error.
int WriteOut(FILE* stream, const std::string& text, int count) {
    if (!stream) return -1;
    if (!text.empty() && fwrite(text.data(), 1, text.size(), stream) != text.size()) return -1;
    return count;
}

// Microsoft's _snprintf rule: all of it with a NUL if it fits; exactly `count` characters and
// no NUL if only that fits (returns count); else `count` characters, no NUL, -1.
// A NULL buffer with count 0 just measures.
template <typename Ch> int StoreTruncating(Ch* buffer, size_t count, const Ch* text, size_t n) {
    if (!buffer && count == 0) return int(n);
    if (!buffer) return -1;
    if (n < count) {
        memcpy(buffer, text, (n + 1) * sizeof(Ch));
        return int(n);
    }
    if (count) memcpy(buffer, text, count * sizeof(Ch));
    return n == count ? int(n) : -1;
}

// *_s rule: the output plus NUL must fit in `size`, else buffer[0] = 0 and -1.
template <typename Ch> int StoreSecure(Ch* buffer, size_t size, const Ch* text, size_t n) {
    if (!buffer || size == 0) return -1;
    if (n + 1 > size) {
        buffer[0] = 0;
        return -1;
    }
    memcpy(buffer, text, (n + 1) * sizeof(Ch));
    return int(n);
}

} // namespace

// ---- narrow ------------------------------------------------------------------------------------

extern "C" int ntsim_vfprintf(FILE* stream, const char* format, va_list args) {
    std::string text = FormatToString(format, args);
    return WriteOut(stream, text, int(text.size()));
}

extern "C" int ntsim_fprintf(FILE* stream, const char* format, ...) {
    va_list args;
    va_start(args, format);
    int n = ntsim_vfprintf(stream, format, args);
    va_end(args);
    return n;
}

extern "C" int ntsim_vprintf(const char* format, va_list args) {
    return ntsim_vfprintf(stdout, format, args);
}

extern "C" int ntsim_printf(const char* format, ...) {
    va_list args;
    va_start(args, format);
    int n = ntsim_vfprintf(stdout, format, args);
    va_end(args);
    return n;
}

extern "C" int ntsim_vsprintf(char* buffer, const char* format, va_list args) noexcept {
    return int(ntsim::rtl::FormatNarrow(buffer, SIZE_MAX, format, args));
}

extern "C" int ntsim_sprintf(char* buffer, const char* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = ntsim_vsprintf(buffer, format, args);
    va_end(args);
    return n;
}

// C99: always terminated when count > 0; returns the length the whole output needs.
extern "C" int ntsim_vsnprintf(char* buffer, size_t count, const char* format,
                               va_list args) noexcept {
    return int(ntsim::rtl::FormatNarrow(count ? buffer : nullptr, count, format, args));
}

extern "C" int ntsim_snprintf(char* buffer, size_t count, const char* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = ntsim_vsnprintf(buffer, count, format, args);
    va_end(args);
    return n;
}

extern "C" int _vsnprintf(char* buffer, size_t count, const char* format, va_list args) noexcept {
    std::string text = FormatToString(format, args);
    return StoreTruncating(buffer, count, text.c_str(), text.size());
}

extern "C" int _snprintf(char* buffer, size_t count, const char* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = _vsnprintf(buffer, count, format, args);
    va_end(args);
    return n;
}

extern "C" int vsprintf_s(char* buffer, size_t size, const char* format, va_list args) noexcept {
    if (!format) return -1;
    std::string text = FormatToString(format, args);
    return StoreSecure(buffer, size, text.c_str(), text.size());
}

extern "C" int sprintf_s(char* buffer, size_t size, const char* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = vsprintf_s(buffer, size, format, args);
    va_end(args);
    return n;
}

// ---- wide --------------------------------------------------------------------------------------

// Wide output goes to the byte stream as UTF-8 (the console's encoding here).
extern "C" int ntsim_vfwprintf(FILE* stream, const wchar_t* format, va_list args) {
    std::u16string text = FormatToU16(format, args);
    return WriteOut(stream, U16ToUtf8(text), int(text.size()));
}

extern "C" int ntsim_fwprintf(FILE* stream, const wchar_t* format, ...) {
    va_list args;
    va_start(args, format);
    int n = ntsim_vfwprintf(stream, format, args);
    va_end(args);
    return n;
}

extern "C" int ntsim_vwprintf(const wchar_t* format, va_list args) {
    return ntsim_vfwprintf(stdout, format, args);
}

extern "C" int ntsim_wprintf(const wchar_t* format, ...) {
    va_list args;
    va_start(args, format);
    int n = ntsim_vfwprintf(stdout, format, args);
    va_end(args);
    return n;
}

// ISO swprintf: terminated output; -1 when it does not fit in `count`.
extern "C" int ntsim_vswprintf(wchar_t* buffer, size_t count, const wchar_t* format,
                               va_list args) noexcept {
    if (!buffer || count == 0) return -1;
    size_t n = ntsim::rtl::FormatWide(buffer, count, format, args);
    return n < count ? int(n) : -1;
}

extern "C" int ntsim_swprintf(wchar_t* buffer, size_t count, const wchar_t* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = ntsim_vswprintf(buffer, count, format, args);
    va_end(args);
    return n;
}

extern "C" int _vsnwprintf(wchar_t* buffer, size_t count, const wchar_t* format,
                           va_list args) noexcept {
    std::u16string text = FormatToU16(format, args);
    return StoreTruncating(buffer, count, reinterpret_cast<const wchar_t*>(text.c_str()),
                           text.size());
}

extern "C" int _snwprintf(wchar_t* buffer, size_t count, const wchar_t* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = _vsnwprintf(buffer, count, format, args);
    va_end(args);
    return n;
}

extern "C" int vswprintf_s(wchar_t* buffer, size_t size, const wchar_t* format,
                           va_list args) noexcept {
    if (!format) return -1;
    std::u16string text = FormatToU16(format, args);
    return StoreSecure(buffer, size, reinterpret_cast<const wchar_t*>(text.c_str()), text.size());
}

extern "C" int swprintf_s(wchar_t* buffer, size_t size, const wchar_t* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = vswprintf_s(buffer, size, format, args);
    va_end(args);
    return n;
}
