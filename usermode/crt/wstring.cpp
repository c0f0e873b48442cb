// 16-bit WCHAR string functions for clients (glibc's wcs* assume a 32-bit wchar_t). Bound to
// the client's names by the asm labels of <ntsimcrt.h>. Case mapping uses the same Unicode
// tables as the kernel's RtlUpcaseUnicodeChar (kernel/rtl/case_table.inc).
#include <windows.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <iterator>

namespace {

struct CaseRange {
    uint16_t first;
    uint16_t last;
    int32_t delta;
    uint8_t stride;
};

#include "rtl/case_table.inc"

template <size_t N> unsigned MapChar(const CaseRange (&table)[N], unsigned c) {
    auto u = uint16_t(c);
    auto it = std::lower_bound(std::begin(table), std::end(table), u,
                               [](const CaseRange& r, uint16_t v) { return r.last < v; });
    if (it == std::end(table) || u < it->first || (u - it->first) % it->stride != 0) return u;
    return uint16_t(u + it->delta);
}

int Sign(int v) {
    return v < 0 ? -1 : v > 0 ? 1 : 0;
}

int DigitValue(wchar_t c) {
    if (c >= L'0' && c <= L'9') return c - L'0';
    if (c >= L'a' && c <= L'z') return c - L'a' + 10;
    if (c >= L'A' && c <= L'Z') return c - L'A' + 10;
    return 99;
}

// strtoul-style parse: leading space, sign, base prefix; saturates at `limit` (for the
// magnitude). Returns the magnitude and the sign; *end is s when no digits were read.
unsigned long long ParseInteger(const wchar_t* s, wchar_t** end, int base, unsigned long long limit,
                                bool& negative, bool& overflow) {
    const wchar_t* p = s;
    negative = overflow = false;
    if (end) *end = const_cast<wchar_t*>(s);
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        return 0;
    }
    while (ntsim_iswspace(*p))
        ++p;
    if (*p == L'+' || *p == L'-') negative = *p++ == L'-';
    if ((base == 0 || base == 16) && p[0] == L'0' && (p[1] == L'x' || p[1] == L'X') &&
        DigitValue(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == L'0' ? 8 : 10;
    }
    unsigned long long value = 0;
    const wchar_t* digits = p;
    for (; DigitValue(*p) < base; ++p) {
        value = value * unsigned(base) + unsigned(DigitValue(*p));
        if (value > limit) {
            overflow = true;
            value = limit + 1; // keep it out of range while consuming the digits
        }
    }
    if (p == digits) return 0;
    if (end) *end = const_cast<wchar_t*>(p);
    return value;
}

} // namespace

extern "C" size_t ntsim_wcslen(const wchar_t* s) noexcept {
    size_t n = 0;
    while (s[n])
        ++n;
    return n;
}

extern "C" size_t ntsim_wcsnlen(const wchar_t* s, size_t max) noexcept {
    size_t n = 0;
    while (n < max && s[n])
        ++n;
    return n;
}

extern "C" wchar_t* ntsim_wcscpy(wchar_t* dest, const wchar_t* src) noexcept {
    wchar_t* d = dest;
    while ((*d++ = *src++)) {
    }
    return dest;
}

// Pads with NULs to count; no terminator when src has count characters or more (C rule).
extern "C" wchar_t* ntsim_wcsncpy(wchar_t* dest, const wchar_t* src, size_t count) noexcept {
    size_t i = 0;
    for (; i < count && src[i]; ++i)
        dest[i] = src[i];
    for (; i < count; ++i)
        dest[i] = 0;
    return dest;
}

extern "C" wchar_t* ntsim_wcscat(wchar_t* dest, const wchar_t* src) noexcept {
    ntsim_wcscpy(dest + ntsim_wcslen(dest), src);
    return dest;
}

// Characters compare as unsigned 16-bit values.
extern "C" int ntsim_wcsncmp(const wchar_t* a, const wchar_t* b, size_t count) noexcept {
    for (size_t i = 0; i < count; ++i) {
        if (a[i] != b[i]) return Sign(int(uint16_t(a[i])) - int(uint16_t(b[i])));
        if (!a[i]) break;
    }
    return 0;
}

extern "C" int ntsim_wcscmp(const wchar_t* a, const wchar_t* b) noexcept {
    return ntsim_wcsncmp(a, b, SIZE_MAX);
}

// The terminator is part of the string: wcschr(s, 0) finds it.
extern "C" wchar_t* ntsim_wcschr(const wchar_t* s, wchar_t c) noexcept {
    for (;; ++s) {
        if (*s == c) return const_cast<wchar_t*>(s);
        if (!*s) return nullptr;
    }
}

extern "C" wchar_t* ntsim_wcsrchr(const wchar_t* s, wchar_t c) noexcept {
    const wchar_t* found = nullptr;
    for (;; ++s) {
        if (*s == c) found = s;
        if (!*s) return const_cast<wchar_t*>(found);
    }
}

extern "C" wchar_t* ntsim_wcsstr(const wchar_t* s, const wchar_t* find) noexcept {
    size_t n = ntsim_wcslen(find);
    if (n == 0) return const_cast<wchar_t*>(s);
    for (; *s; ++s)
        if (ntsim_wcsncmp(s, find, n) == 0) return const_cast<wchar_t*>(s);
    return nullptr;
}

extern "C" unsigned int ntsim_towupper(unsigned int c) noexcept {
    return MapChar(kUpcaseRanges, c);
}

extern "C" unsigned int ntsim_towlower(unsigned int c) noexcept {
    return MapChar(kDowncaseRanges, c);
}

extern "C" int ntsim_iswdigit(unsigned int c) noexcept {
    c &= 0xFFFF;
    return c >= L'0' && c <= L'9';
}

// White space: the C set plus the Unicode space separators.
extern "C" int ntsim_iswspace(unsigned int c) noexcept {
    c &= 0xFFFF;
    return c == 0x20 || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

// Windows' long is 32-bit: out-of-range values saturate at LONG_MIN/LONG_MAX with ERANGE.
extern "C" long ntsim_wcstol(const wchar_t* s, wchar_t** end, int base) noexcept {
    bool negative, overflow;
    unsigned long long limit = 0x7FFFFFFFull + 1; // |LONG_MIN|
    unsigned long long v = ParseInteger(s, end, base, limit, negative, overflow);
    if (overflow || (!negative && v > 0x7FFFFFFFull)) {
        errno = ERANGE;
        return negative ? LONG(0x80000000u) : LONG(0x7FFFFFFF);
    }
    return negative ? LONG(-(long long)v) : LONG(v);
}

// ULONG_MAX (32-bit) with ERANGE on overflow; a '-' negates the value modulo 2^32 (C rule).
extern "C" unsigned long ntsim_wcstoul(const wchar_t* s, wchar_t** end, int base) noexcept {
    bool negative, overflow;
    unsigned long long v = ParseInteger(s, end, base, 0xFFFFFFFFull, negative, overflow);
    if (overflow) {
        errno = ERANGE;
        return 0xFFFFFFFFu;
    }
    return negative ? ULONG(0u - ULONG(v)) : ULONG(v);
}

extern "C" LONG _wtol(const wchar_t* s) noexcept {
    return LONG(ntsim_wcstol(s, nullptr, 10));
}

extern "C" int _wtoi(const wchar_t* s) noexcept {
    return int(ntsim_wcstol(s, nullptr, 10));
}

// Case-insensitive: both sides lowercased, as the Microsoft CRT does.
extern "C" int _wcsnicmp(const wchar_t* a, const wchar_t* b, size_t count) noexcept {
    for (size_t i = 0; i < count; ++i) {
        int ca = int(ntsim_towlower(uint16_t(a[i])));
        int cb = int(ntsim_towlower(uint16_t(b[i])));
        if (ca != cb) return Sign(ca - cb);
        if (!a[i]) break;
    }
    return 0;
}

extern "C" int _wcsicmp(const wchar_t* a, const wchar_t* b) noexcept {
    return _wcsnicmp(a, b, SIZE_MAX);
}

extern "C" errno_t wcscpy_s(wchar_t* dest, rsize_t size, const wchar_t* src) noexcept {
    if (!dest || size == 0) return EINVAL;
    if (!src) {
        dest[0] = 0;
        return EINVAL;
    }
    size_t n = ntsim_wcslen(src);
    if (n >= size) {
        dest[0] = 0;
        return ERANGE;
    }
    std::copy(src, src + n + 1, dest);
    return 0;
}

extern "C" errno_t wcscat_s(wchar_t* dest, rsize_t size, const wchar_t* src) noexcept {
    if (!dest || size == 0) return EINVAL;
    if (!src) {
        dest[0] = 0;
        return EINVAL;
    }
    size_t used = ntsim_wcsnlen(dest, size);
    if (used == size) { // dest is not terminated within size
        dest[0] = 0;
        return EINVAL;
    }
    size_t n = ntsim_wcslen(src);
    if (used + n >= size) {
        dest[0] = 0;
        return ERANGE;
    }
    std::copy(src, src + n + 1, dest + used);
    return 0;
}
