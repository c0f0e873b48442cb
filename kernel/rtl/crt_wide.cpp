// Wide (16-bit WCHAR) C runtime functions. The standard names are exported under the Windows
// name with the ELF symbol ntsim_<name> (see km/crt.h); the MS-only names as they are.
#include <climits>

#include <wdm.h>

#include "core/export.h"
#include "rtl/crt_export.h"
#include "rtl/crt_secure.h"
#include "rtl/rtl.h"

using ntsim::rtl::DowncaseChar;
using ntsim::rtl::UpcaseChar;

extern "C" size_t ntsim_wcslen(const wchar_t* s) noexcept {
    size_t n = 0;
    while (s[n])
        ++n;
    return n;
}
NTSIM_EXPORT_AS(wcslen, ntsim_wcslen);

extern "C" size_t ntsim_wcsnlen(const wchar_t* s, size_t max) noexcept {
    size_t n = 0;
    while (n < max && s[n])
        ++n;
    return n;
}
NTSIM_EXPORT_AS(wcsnlen, ntsim_wcsnlen);

extern "C" wchar_t* ntsim_wcscpy(wchar_t* dest, const wchar_t* src) noexcept {
    size_t i = 0;
    do {
        dest[i] = src[i];
    } while (src[i++]);
    return dest;
}
NTSIM_EXPORT_AS(wcscpy, ntsim_wcscpy);

// Copies at most count characters and pads with NULs up to count (no terminator when src is
// count characters or longer), as C's strncpy.
extern "C" wchar_t* ntsim_wcsncpy(wchar_t* dest, const wchar_t* src, size_t count) noexcept {
    size_t i = 0;
    for (; i < count && src[i]; ++i)
        dest[i] = src[i];
    for (; i < count; ++i)
        dest[i] = 0;
    return dest;
}
NTSIM_EXPORT_AS(wcsncpy, ntsim_wcsncpy);

extern "C" wchar_t* ntsim_wcscat(wchar_t* dest, const wchar_t* src) noexcept {
    ntsim_wcscpy(dest + ntsim_wcslen(dest), src);
    return dest;
}
NTSIM_EXPORT_AS(wcscat, ntsim_wcscat);

// Appends at most count characters, always terminated.
extern "C" wchar_t* ntsim_wcsncat(wchar_t* dest, const wchar_t* src, size_t count) noexcept {
    wchar_t* p = dest + ntsim_wcslen(dest);
    size_t i = 0;
    for (; i < count && src[i]; ++i)
        p[i] = src[i];
    p[i] = 0;
    return dest;
}
NTSIM_EXPORT_AS(wcsncat, ntsim_wcsncat);

extern "C" int ntsim_wcsncmp(const wchar_t* a, const wchar_t* b, size_t count) noexcept {
    for (size_t i = 0; i < count; ++i) {
        auto x = static_cast<unsigned short>(a[i]);
        auto y = static_cast<unsigned short>(b[i]);
        if (x != y) return x < y ? -1 : 1;
        if (x == 0) return 0;
    }
    return 0;
}
NTSIM_EXPORT_AS(wcsncmp, ntsim_wcsncmp);

extern "C" int ntsim_wcscmp(const wchar_t* a, const wchar_t* b) noexcept {
    return ntsim_wcsncmp(a, b, SIZE_MAX);
}
NTSIM_EXPORT_AS(wcscmp, ntsim_wcscmp);

extern "C" size_t ntsim_wcsspn(const wchar_t* s, const wchar_t* accept) noexcept {
    size_t n = 0;
    for (; s[n]; ++n) {
        const wchar_t* a = accept;
        while (*a && *a != s[n])
            ++a;
        if (*a == 0) break;
    }
    return n;
}
NTSIM_EXPORT_AS(wcsspn, ntsim_wcsspn);

extern "C" size_t ntsim_wcscspn(const wchar_t* s, const wchar_t* reject) noexcept {
    size_t n = 0;
    for (; s[n]; ++n) {
        const wchar_t* r = reject;
        while (*r && *r != s[n])
            ++r;
        if (*r != 0) break;
    }
    return n;
}
NTSIM_EXPORT_AS(wcscspn, ntsim_wcscspn);

// The terminator counts as part of the string (wcschr(s, 0) finds it).
extern "C" wchar_t* ntsim_wcschr(const wchar_t* s, wchar_t c) noexcept {
    for (;; ++s) {
        if (*s == c) return const_cast<wchar_t*>(s);
        if (*s == 0) return nullptr;
    }
}
NTSIM_EXPORT_AS(wcschr, ntsim_wcschr);

extern "C" wchar_t* ntsim_wcsrchr(const wchar_t* s, wchar_t c) noexcept {
    const wchar_t* found = nullptr;
    for (;; ++s) {
        if (*s == c) found = s;
        if (*s == 0) return const_cast<wchar_t*>(found);
    }
}
NTSIM_EXPORT_AS(wcsrchr, ntsim_wcsrchr);

extern "C" wchar_t* ntsim_wcsstr(const wchar_t* s, const wchar_t* find) noexcept {
    if (*find == 0) return const_cast<wchar_t*>(s);
    for (; *s; ++s) {
        size_t i = 0;
        while (find[i] && s[i] == find[i])
            ++i;
        if (find[i] == 0) return const_cast<wchar_t*>(s);
    }
    return nullptr;
}
NTSIM_EXPORT_AS(wcsstr, ntsim_wcsstr);

extern "C" wchar_t* ntsim_wcspbrk(const wchar_t* s, const wchar_t* accept) noexcept {
    s += ntsim_wcscspn(s, accept);
    return *s ? const_cast<wchar_t*>(s) : nullptr;
}
NTSIM_EXPORT_AS(wcspbrk, ntsim_wcspbrk);

// ---- characters (low 16 bits of the argument) ------------------------------------------------
namespace {
WCHAR Low16(unsigned int c) {
    return WCHAR(c & 0xFFFF);
}
} // namespace

extern "C" unsigned int ntsim_towlower(unsigned int c) noexcept {
    return static_cast<unsigned short>(DowncaseChar(Low16(c)));
}
NTSIM_EXPORT_AS(towlower, ntsim_towlower);
extern "C" unsigned int ntsim_towupper(unsigned int c) noexcept {
    return static_cast<unsigned short>(UpcaseChar(Low16(c)));
}
NTSIM_EXPORT_AS(towupper, ntsim_towupper);

extern "C" int ntsim_iswdigit(unsigned int c) noexcept {
    WCHAR w = Low16(c);
    return w >= L'0' && w <= L'9';
}
NTSIM_EXPORT_AS(iswdigit, ntsim_iswdigit);
extern "C" int ntsim_iswxdigit(unsigned int c) noexcept {
    WCHAR w = Low16(c);
    return ntsim_iswdigit(w) || (w >= L'a' && w <= L'f') || (w >= L'A' && w <= L'F');
}
NTSIM_EXPORT_AS(iswxdigit, ntsim_iswxdigit);
extern "C" int ntsim_iswspace(unsigned int c) noexcept {
    WCHAR w = Low16(c);
    return (w >= 0x09 && w <= 0x0D) || w == 0x20 || w == 0x85 || w == 0xA0 || w == 0x1680 ||
           (w >= 0x2000 && w <= 0x200A) || w == 0x2028 || w == 0x2029 || w == 0x202F ||
           w == 0x205F || w == 0x3000;
}
NTSIM_EXPORT_AS(iswspace, ntsim_iswspace);
extern "C" int ntsim_iswupper(unsigned int c) noexcept {
    return DowncaseChar(Low16(c)) != Low16(c);
}
NTSIM_EXPORT_AS(iswupper, ntsim_iswupper);
extern "C" int ntsim_iswlower(unsigned int c) noexcept {
    return UpcaseChar(Low16(c)) != Low16(c);
}
NTSIM_EXPORT_AS(iswlower, ntsim_iswlower);
// Letters: those with a case mapping (the tables know no caseless scripts).
extern "C" int ntsim_iswalpha(unsigned int c) noexcept {
    WCHAR w = Low16(c);
    return ntsim_iswupper(w) || ntsim_iswlower(w) || w == 0xDF || w == 0xAA || w == 0xBA;
}
NTSIM_EXPORT_AS(iswalpha, ntsim_iswalpha);
extern "C" int ntsim_iswalnum(unsigned int c) noexcept {
    return ntsim_iswalpha(c) || ntsim_iswdigit(c);
}
NTSIM_EXPORT_AS(iswalnum, ntsim_iswalnum);

// ---- numbers ---------------------------------------------------------------------------------
namespace {

// strtoul-style parse: whitespace, sign, base prefix; *overflow when the magnitude exceeds max.
unsigned long long ParseWide(const wchar_t* s, wchar_t** end, int base, unsigned long long max,
                             bool* negative, bool* overflow) {
    const wchar_t* p = s;
    *negative = false;
    *overflow = false;
    if (end) *end = const_cast<wchar_t*>(s);
    if (base < 0 || base == 1 || base > 36) return 0;
    while (ntsim_iswspace(*p))
        ++p;
    if (*p == L'+' || *p == L'-') *negative = *p++ == L'-';
    if ((base == 0 || base == 16) && p[0] == L'0' && (p[1] == L'x' || p[1] == L'X') &&
        ntsim_iswxdigit(p[2])) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == L'0' ? 8 : 10;
    }
    unsigned long long value = 0;
    const wchar_t* digits = p;
    for (;; ++p) {
        int d;
        if (*p >= L'0' && *p <= L'9')
            d = *p - L'0';
        else if (*p >= L'a' && *p <= L'z')
            d = *p - L'a' + 10;
        else if (*p >= L'A' && *p <= L'Z')
            d = *p - L'A' + 10;
        else
            break;
        if (d >= base) break;
        if (value > (max - unsigned(d)) / unsigned(base))
            *overflow = true;
        else
            value = value * unsigned(base) + unsigned(d);
    }
    if (p == digits) return 0; // no digits: *end stays at s
    if (end) *end = const_cast<wchar_t*>(p);
    return value;
}

} // namespace

// LONG range; out of range saturates at LONG_MAX/LONG_MIN.
extern "C" LONG ntsim_wcstol(const wchar_t* s, wchar_t** end, int base) noexcept {
    bool negative, overflow;
    unsigned long long v = ParseWide(s, end, base, 0x80000000ULL, &negative, &overflow);
    if (negative) return (overflow || v > 0x80000000ULL) ? INT32_MIN : LONG(-(long long)v);
    return (overflow || v > 0x7FFFFFFFULL) ? INT32_MAX : LONG(v);
}
NTSIM_EXPORT_AS(wcstol, ntsim_wcstol);

// ULONG range; out of range is ULONG_MAX; a '-' negates the value (C rules).
extern "C" ULONG ntsim_wcstoul(const wchar_t* s, wchar_t** end, int base) noexcept {
    bool negative, overflow;
    unsigned long long v = ParseWide(s, end, base, 0xFFFFFFFFULL, &negative, &overflow);
    if (overflow) return 0xFFFFFFFFu;
    return negative ? ULONG(0u - ULONG(v)) : ULONG(v);
}
NTSIM_EXPORT_AS(wcstoul, ntsim_wcstoul);

extern "C" LONG _wtol(const wchar_t* s) noexcept {
    return ntsim_wcstol(s, nullptr, 10);
}
NTSIM_EXPORT(_wtol);
extern "C" int _wtoi(const wchar_t* s) noexcept {
    return ntsim_wcstol(s, nullptr, 10);
}
NTSIM_EXPORT(_wtoi);

// ---- Microsoft extensions -----------------------------------------------------------------------
// Case-insensitive comparisons fold to lower case, as the MS CRT documents.
extern "C" int _wcsnicmp(const wchar_t* a, const wchar_t* b, size_t count) noexcept {
    for (size_t i = 0; i < count; ++i) {
        auto x = static_cast<unsigned short>(DowncaseChar(a[i]));
        auto y = static_cast<unsigned short>(DowncaseChar(b[i]));
        if (x != y) return int(x) - int(y);
        if (x == 0) return 0;
    }
    return 0;
}
NTSIM_EXPORT(_wcsnicmp);

extern "C" int _wcsicmp(const wchar_t* a, const wchar_t* b) noexcept {
    return _wcsnicmp(a, b, SIZE_MAX);
}
NTSIM_EXPORT(_wcsicmp);

extern "C" wchar_t* _wcslwr(wchar_t* s) noexcept {
    for (wchar_t* p = s; p && *p; ++p)
        *p = DowncaseChar(*p);
    return s;
}
NTSIM_EXPORT(_wcslwr);

extern "C" wchar_t* _wcsupr(wchar_t* s) noexcept {
    for (wchar_t* p = s; p && *p; ++p)
        *p = UpcaseChar(*p);
    return s;
}
NTSIM_EXPORT(_wcsupr);

extern "C" errno_t wcscpy_s(wchar_t* dest, rsize_t size, const wchar_t* src) noexcept {
    return ntsim::rtl::CopyS(dest, size, src);
}
NTSIM_EXPORT_TYPED(wcscpy_s, errno_t (*)(wchar_t*, rsize_t, const wchar_t*) noexcept);

extern "C" errno_t wcscat_s(wchar_t* dest, rsize_t size, const wchar_t* src) noexcept {
    return ntsim::rtl::CatS(dest, size, src);
}
NTSIM_EXPORT_TYPED(wcscat_s, errno_t (*)(wchar_t*, rsize_t, const wchar_t*) noexcept);

extern "C" errno_t wcsncpy_s(wchar_t* dest, rsize_t size, const wchar_t* src,
                             rsize_t count) noexcept {
    return ntsim::rtl::CopyNS(dest, size, src, count);
}
NTSIM_EXPORT_TYPED(wcsncpy_s, errno_t (*)(wchar_t*, rsize_t, const wchar_t*, rsize_t) noexcept);

extern "C" errno_t wcsncat_s(wchar_t* dest, rsize_t size, const wchar_t* src,
                             rsize_t count) noexcept {
    return ntsim::rtl::CatNS(dest, size, src, count);
}
NTSIM_EXPORT_TYPED(wcsncat_s, errno_t (*)(wchar_t*, rsize_t, const wchar_t*, rsize_t) noexcept);
