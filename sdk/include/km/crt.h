// Part of wdm.h (ntsim SDK): the C runtime subset ntoskrnl exports to drivers (owner: rtl).
//
// Narrow string and memory functions are glibc's (same semantics; drivers import them by their
// own names). Everything whose Windows semantics differ from glibc's is the kernel's own:
//   - wide-character functions: WCHAR is 16-bit here, glibc's wcs* assume a 32-bit wchar_t;
//   - printf-family functions: Windows conversions (%ws, %wZ, %I64d, 32-bit %ld...), and
//     _snprintf's no-terminator/-1 truncation rule.
// Those whose names glibc also defines (wcslen, sprintf, towlower...) are bound to the kernel's
// symbol "ntsim_<name>" with an asm label, so a driver can never bind to glibc's version. The
// kernel itself is built with glibc's <wchar.h> in scope, so kernel code (NTSIM_KERNEL) sees
// only the ntsim_<name> declarations; it should use std::u16string for its own strings anyway.
// MS-only names (_wcsicmp, wcscpy_s, _snwprintf...) are declared under their own names.
//
// These use the C calling convention of the compiler (as glibc's do), not NTAPI.
// Errors of the *_s functions are returned (EINVAL, ERANGE, STRUNCATE) as the MS CRT documents;
// the invalid-parameter handler is not invoked and errno is not set.
#pragma once

#include <km/types.h>
#include <string.h>

typedef int errno_t;
typedef size_t rsize_t;

#define _TRUNCATE ((size_t)-1)
#ifndef EINVAL
#define EINVAL 22
#endif
#ifndef ERANGE
#define ERANGE 34
#endif
#ifndef STRUNCATE
#define STRUNCATE 80
#endif

// ---- declaration helpers ------------------------------------------------------------------------
// NTSIM_CRT_DECL(ret, name, params): declares ntsim_<name>; outside the kernel also <name>, bound
// to the same symbol.
#if defined(NTSIM_KERNEL)
#define NTSIM_CRT_DECL(ret, name, params) EXTERN_C ret ntsim_##name params NTSIM_NOEXCEPT;
#else
#define NTSIM_CRT_DECL(ret, name, params)                                                          \
    EXTERN_C ret ntsim_##name params NTSIM_NOEXCEPT;                                               \
    EXTERN_C ret name params NTSIM_NOEXCEPT __asm__("ntsim_" #name);
#endif

// A search function returning a pointer into its argument. C++ gets the const-correct overload
// pair (as MSVC's and glibc's headers declare them), C the single non-const-returning one.
#if defined(NTSIM_KERNEL)
#define NTSIM_CRT_SEARCH_DECL(name, arg2)                                                          \
    EXTERN_C wchar_t* ntsim_##name(const wchar_t* s, arg2) NTSIM_NOEXCEPT;
#elif defined(__cplusplus)
#define NTSIM_CRT_SEARCH_DECL(name, arg2)                                                          \
    EXTERN_C wchar_t* ntsim_##name(const wchar_t* s, arg2) NTSIM_NOEXCEPT;                         \
    extern "C++" const wchar_t* name(const wchar_t* s, arg2) noexcept __asm__("ntsim_" #name);     \
    extern "C++" wchar_t* name(wchar_t* s, arg2) noexcept __asm__("ntsim_" #name);
#else
#define NTSIM_CRT_SEARCH_DECL(name, arg2)                                                          \
    extern wchar_t* ntsim_##name(const wchar_t* s, arg2);                                          \
    extern wchar_t* name(const wchar_t* s, arg2) __asm__("ntsim_" #name);
#endif

// ---- narrow characters (glibc, "C" locale)
// -------------------------------------------------------- Parenthesised names: glibc's <ctype.h>
// may define these as macros in C.
EXTERN_C int(tolower)(int c) NTSIM_NOEXCEPT;
EXTERN_C int(toupper)(int c) NTSIM_NOEXCEPT;
EXTERN_C int(isdigit)(int c) NTSIM_NOEXCEPT;
EXTERN_C int(isxdigit)(int c) NTSIM_NOEXCEPT;
EXTERN_C int(isalpha)(int c) NTSIM_NOEXCEPT;
EXTERN_C int(isalnum)(int c) NTSIM_NOEXCEPT;
EXTERN_C int(isspace)(int c) NTSIM_NOEXCEPT;
EXTERN_C int(isupper)(int c) NTSIM_NOEXCEPT;
EXTERN_C int(islower)(int c) NTSIM_NOEXCEPT;
EXTERN_C int(isprint)(int c) NTSIM_NOEXCEPT;
EXTERN_C int(atoi)(const char* s) NTSIM_NOEXCEPT;

// ---- narrow strings: Microsoft extensions ------------------------------------------------------
EXTERN_C int _stricmp(const char* a, const char* b) NTSIM_NOEXCEPT;
EXTERN_C int _strnicmp(const char* a, const char* b, size_t count) NTSIM_NOEXCEPT;
EXTERN_C char* _strlwr(char* s) NTSIM_NOEXCEPT;
EXTERN_C char* _strupr(char* s) NTSIM_NOEXCEPT;
EXTERN_C errno_t strcpy_s(char* dest, rsize_t size, const char* src) NTSIM_NOEXCEPT;
EXTERN_C errno_t strcat_s(char* dest, rsize_t size, const char* src) NTSIM_NOEXCEPT;
EXTERN_C errno_t strncpy_s(char* dest, rsize_t size, const char* src, rsize_t count) NTSIM_NOEXCEPT;
EXTERN_C errno_t strncat_s(char* dest, rsize_t size, const char* src, rsize_t count) NTSIM_NOEXCEPT;

// ---- wide strings (16-bit WCHAR) ----------------------------------------------------------------
NTSIM_CRT_DECL(size_t, wcslen, (const wchar_t* s))
NTSIM_CRT_DECL(size_t, wcsnlen, (const wchar_t* s, size_t max))
NTSIM_CRT_DECL(wchar_t*, wcscpy, (wchar_t * dest, const wchar_t* src))
NTSIM_CRT_DECL(wchar_t*, wcsncpy, (wchar_t * dest, const wchar_t* src, size_t count))
NTSIM_CRT_DECL(wchar_t*, wcscat, (wchar_t * dest, const wchar_t* src))
NTSIM_CRT_DECL(wchar_t*, wcsncat, (wchar_t * dest, const wchar_t* src, size_t count))
NTSIM_CRT_DECL(int, wcscmp, (const wchar_t* a, const wchar_t* b))
NTSIM_CRT_DECL(int, wcsncmp, (const wchar_t* a, const wchar_t* b, size_t count))
NTSIM_CRT_DECL(size_t, wcsspn, (const wchar_t* s, const wchar_t* accept))
NTSIM_CRT_DECL(size_t, wcscspn, (const wchar_t* s, const wchar_t* reject))
NTSIM_CRT_SEARCH_DECL(wcschr, wchar_t c)
NTSIM_CRT_SEARCH_DECL(wcsrchr, wchar_t c)
NTSIM_CRT_SEARCH_DECL(wcsstr, const wchar_t* find)
NTSIM_CRT_SEARCH_DECL(wcspbrk, const wchar_t* accept)

// Case mapping uses the kernel's Unicode case tables (as RtlUpcaseUnicodeChar does); the
// classification functions know ASCII plus the letters those tables map. Only the low 16 bits
// of the argument are used. The parameter/return type is unsigned int, the type g++'s built-in
// declarations of these names use (Windows' wint_t is 16-bit: the values are the same).
#if !defined(NTSIM_KERNEL) && !defined(__wint_t_defined) && !defined(_WINT_T)
#define _WINT_T 1
typedef unsigned short wint_t; // Windows: 16-bit
#endif
NTSIM_CRT_DECL(unsigned int, towlower, (unsigned int c))
NTSIM_CRT_DECL(unsigned int, towupper, (unsigned int c))
NTSIM_CRT_DECL(int, iswdigit, (unsigned int c))
NTSIM_CRT_DECL(int, iswxdigit, (unsigned int c))
NTSIM_CRT_DECL(int, iswspace, (unsigned int c))
NTSIM_CRT_DECL(int, iswalpha, (unsigned int c))
NTSIM_CRT_DECL(int, iswalnum, (unsigned int c))
NTSIM_CRT_DECL(int, iswupper, (unsigned int c))
NTSIM_CRT_DECL(int, iswlower, (unsigned int c))

// Windows' long is 32-bit: these return LONG/ULONG and saturate at the 32-bit limits.
NTSIM_CRT_DECL(LONG, wcstol, (const wchar_t* s, wchar_t** end, int base))
NTSIM_CRT_DECL(ULONG, wcstoul, (const wchar_t* s, wchar_t** end, int base))
EXTERN_C int _wtoi(const wchar_t* s) NTSIM_NOEXCEPT;
EXTERN_C LONG _wtol(const wchar_t* s) NTSIM_NOEXCEPT;

EXTERN_C int _wcsicmp(const wchar_t* a, const wchar_t* b) NTSIM_NOEXCEPT;
EXTERN_C int _wcsnicmp(const wchar_t* a, const wchar_t* b, size_t count) NTSIM_NOEXCEPT;
EXTERN_C wchar_t* _wcslwr(wchar_t* s) NTSIM_NOEXCEPT;
EXTERN_C wchar_t* _wcsupr(wchar_t* s) NTSIM_NOEXCEPT;
EXTERN_C errno_t wcscpy_s(wchar_t* dest, rsize_t size, const wchar_t* src) NTSIM_NOEXCEPT;
EXTERN_C errno_t wcscat_s(wchar_t* dest, rsize_t size, const wchar_t* src) NTSIM_NOEXCEPT;
EXTERN_C errno_t wcsncpy_s(wchar_t* dest, rsize_t size, const wchar_t* src,
                           rsize_t count) NTSIM_NOEXCEPT;
EXTERN_C errno_t wcsncat_s(wchar_t* dest, rsize_t size, const wchar_t* src,
                           rsize_t count) NTSIM_NOEXCEPT;

// ---- printf family (the kernel's formatter) -----------------------------------------------------
// sprintf/vsprintf: unbounded. _snprintf/_vsnprintf (and the wide ones): at most `count`
// characters; the terminator is written only when it fits; -1 when the output was truncated.
// *_s: the output plus terminator must fit in `size` (else dest[0] = 0 and -1), except with
// count == _TRUNCATE for _snprintf_s/_snwprintf_s, which truncate and return -1.
NTSIM_CRT_DECL(int, sprintf, (char* buffer, const char* format, ...))
NTSIM_CRT_DECL(int, vsprintf, (char* buffer, const char* format, va_list args))
EXTERN_C int _snprintf(char* buffer, size_t count, const char* format, ...) NTSIM_NOEXCEPT;
EXTERN_C int _vsnprintf(char* buffer, size_t count, const char* format,
                        va_list args) NTSIM_NOEXCEPT;
EXTERN_C int sprintf_s(char* buffer, size_t size, const char* format, ...) NTSIM_NOEXCEPT;
EXTERN_C int vsprintf_s(char* buffer, size_t size, const char* format, va_list args) NTSIM_NOEXCEPT;
EXTERN_C int _snprintf_s(char* buffer, size_t size, size_t count, const char* format,
                         ...) NTSIM_NOEXCEPT;
EXTERN_C int _vsnprintf_s(char* buffer, size_t size, size_t count, const char* format,
                          va_list args) NTSIM_NOEXCEPT;

EXTERN_C int _snwprintf(wchar_t* buffer, size_t count, const wchar_t* format, ...) NTSIM_NOEXCEPT;
EXTERN_C int _vsnwprintf(wchar_t* buffer, size_t count, const wchar_t* format,
                         va_list args) NTSIM_NOEXCEPT;
EXTERN_C int swprintf_s(wchar_t* buffer, size_t size, const wchar_t* format, ...) NTSIM_NOEXCEPT;
EXTERN_C int vswprintf_s(wchar_t* buffer, size_t size, const wchar_t* format,
                         va_list args) NTSIM_NOEXCEPT;
EXTERN_C int _snwprintf_s(wchar_t* buffer, size_t size, size_t count, const wchar_t* format,
                          ...) NTSIM_NOEXCEPT;
EXTERN_C int _vsnwprintf_s(wchar_t* buffer, size_t size, size_t count, const wchar_t* format,
                           va_list args) NTSIM_NOEXCEPT;

// ---- C++ array overloads (MSVC's "secure template overloads") ---------------------------------
#ifdef __cplusplus
template <size_t N> inline errno_t strcpy_s(char (&dest)[N], const char* src) noexcept {
    return strcpy_s(dest, N, src);
}
template <size_t N> inline errno_t strcat_s(char (&dest)[N], const char* src) noexcept {
    return strcat_s(dest, N, src);
}
template <size_t N>
inline errno_t strncpy_s(char (&dest)[N], const char* src, rsize_t count) noexcept {
    return strncpy_s(dest, N, src, count);
}
template <size_t N>
inline errno_t strncat_s(char (&dest)[N], const char* src, rsize_t count) noexcept {
    return strncat_s(dest, N, src, count);
}
template <size_t N> inline errno_t wcscpy_s(wchar_t (&dest)[N], const wchar_t* src) noexcept {
    return wcscpy_s(dest, N, src);
}
template <size_t N> inline errno_t wcscat_s(wchar_t (&dest)[N], const wchar_t* src) noexcept {
    return wcscat_s(dest, N, src);
}
template <size_t N>
inline errno_t wcsncpy_s(wchar_t (&dest)[N], const wchar_t* src, rsize_t count) noexcept {
    return wcsncpy_s(dest, N, src, count);
}
template <size_t N>
inline errno_t wcsncat_s(wchar_t (&dest)[N], const wchar_t* src, rsize_t count) noexcept {
    return wcsncat_s(dest, N, src, count);
}
template <size_t N> inline int sprintf_s(char (&buffer)[N], const char* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = vsprintf_s(buffer, N, format, args);
    va_end(args);
    return n;
}
template <size_t N>
inline int swprintf_s(wchar_t (&buffer)[N], const wchar_t* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = vswprintf_s(buffer, N, format, args);
    va_end(args);
    return n;
}
template <size_t N>
inline int _snprintf_s(char (&buffer)[N], size_t count, const char* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = _vsnprintf_s(buffer, N, count, format, args);
    va_end(args);
    return n;
}
template <size_t N>
inline int _snwprintf_s(wchar_t (&buffer)[N], size_t count, const wchar_t* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = _vsnwprintf_s(buffer, N, count, format, args);
    va_end(args);
    return n;
}
#endif
