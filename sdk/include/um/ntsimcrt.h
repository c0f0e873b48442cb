// The client C runtime's Windows-flavoured functions (ntsim SDK, part of windows.h).
//
// Clients link glibc, whose wide-character functions assume a 32-bit wchar_t and whose printf
// does not know Windows' conversions (%ws, %S, %wZ, %I64d, 32-bit %ld). The client runtime
// (usermode/crt) implements them for 16-bit WCHAR; the standard names are bound with an asm
// label to the runtime's "ntsim_<name>" symbol (as km/crt.h does for drivers), so a client can
// never reach glibc's version, whichever header declared the name first. MS-only names
// (_wcsicmp, swprintf_s, _snwprintf...) are declared under their own names.
//
// The printf family follows the Windows conventions documented in kernel/rtl/format.h:
//   %s/%S swap meaning between narrow and wide functions, %ws %ls are WCHAR strings, %wZ is a
//   PUNICODE_STRING, %ld is 32-bit, %I64d/%lld 64-bit, %p is 16 uppercase hex digits.
// snprintf/vsnprintf keep the C99 contract (always terminated, return the full length);
// _snprintf/_vsnprintf/_snwprintf keep Microsoft's (no terminator and -1 when truncated).
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <ntdef.h>

typedef int errno_t;
typedef size_t rsize_t;

#ifndef _TRUNCATE
#define _TRUNCATE ((size_t)-1)
#endif
#ifndef STRUNCATE
#define STRUNCATE 80
#endif

// NTSIM_UCRT_DECL(ret, name, params): the runtime's ntsim_<name> and <name> bound to it. The
// exception specification matches glibc's declaration of the name (<wchar.h>, <stdio.h> may be
// included too): noexcept, except for the stream functions (NTSIM_UCRT_DECL_STREAM).
#define NTSIM_UCRT_DECL(ret, name, params)                                                         \
    EXTERN_C ret ntsim_##name params NTSIM_NOEXCEPT;                                               \
    EXTERN_C ret name params NTSIM_NOEXCEPT __asm__("ntsim_" #name);
#define NTSIM_UCRT_DECL_STREAM(ret, name, params)                                                  \
    EXTERN_C ret ntsim_##name params;                                                              \
    EXTERN_C ret name params __asm__("ntsim_" #name);

// Search functions returning a pointer into their argument: C++ gets the const-correct pair.
#if defined(__cplusplus)
#define NTSIM_UCRT_SEARCH_DECL(name, arg2)                                                         \
    EXTERN_C wchar_t* ntsim_##name(const wchar_t* s, arg2) NTSIM_NOEXCEPT;                         \
    extern "C++" const wchar_t* name(const wchar_t* s, arg2) noexcept __asm__("ntsim_" #name);     \
    extern "C++" wchar_t* name(wchar_t* s, arg2) noexcept __asm__("ntsim_" #name);
#else
#define NTSIM_UCRT_SEARCH_DECL(name, arg2)                                                         \
    extern wchar_t* ntsim_##name(const wchar_t* s, arg2);                                          \
    extern wchar_t* name(const wchar_t* s, arg2) __asm__("ntsim_" #name);
#endif

// ---- narrow printf family -------------------------------------------------------------------
NTSIM_UCRT_DECL_STREAM(int, printf, (const char* format, ...))
NTSIM_UCRT_DECL_STREAM(int, vprintf, (const char* format, va_list args))
NTSIM_UCRT_DECL_STREAM(int, fprintf, (FILE * stream, const char* format, ...))
NTSIM_UCRT_DECL_STREAM(int, vfprintf, (FILE * stream, const char* format, va_list args))
NTSIM_UCRT_DECL(int, sprintf, (char* buffer, const char* format, ...))
NTSIM_UCRT_DECL(int, vsprintf, (char* buffer, const char* format, va_list args))
NTSIM_UCRT_DECL(int, snprintf, (char* buffer, size_t count, const char* format, ...))
NTSIM_UCRT_DECL(int, vsnprintf, (char* buffer, size_t count, const char* format, va_list args))
EXTERN_C int _snprintf(char* buffer, size_t count, const char* format, ...) NTSIM_NOEXCEPT;
EXTERN_C int _vsnprintf(char* buffer, size_t count, const char* format,
                        va_list args) NTSIM_NOEXCEPT;
EXTERN_C int sprintf_s(char* buffer, size_t size, const char* format, ...) NTSIM_NOEXCEPT;
EXTERN_C int vsprintf_s(char* buffer, size_t size, const char* format, va_list args) NTSIM_NOEXCEPT;

// ---- wide printf family ---------------------------------------------------------------------
// swprintf/vswprintf are the ISO forms (with a count), as the Microsoft CRT declares them; they
// return -1 when the output does not fit.
NTSIM_UCRT_DECL_STREAM(int, wprintf, (const wchar_t* format, ...))
NTSIM_UCRT_DECL_STREAM(int, vwprintf, (const wchar_t* format, va_list args))
NTSIM_UCRT_DECL_STREAM(int, fwprintf, (FILE * stream, const wchar_t* format, ...))
NTSIM_UCRT_DECL_STREAM(int, vfwprintf, (FILE * stream, const wchar_t* format, va_list args))
NTSIM_UCRT_DECL(int, swprintf, (wchar_t * buffer, size_t count, const wchar_t* format, ...))
NTSIM_UCRT_DECL(int, vswprintf,
                (wchar_t * buffer, size_t count, const wchar_t* format, va_list args))
EXTERN_C int _snwprintf(wchar_t* buffer, size_t count, const wchar_t* format, ...) NTSIM_NOEXCEPT;
EXTERN_C int _vsnwprintf(wchar_t* buffer, size_t count, const wchar_t* format,
                         va_list args) NTSIM_NOEXCEPT;
EXTERN_C int swprintf_s(wchar_t* buffer, size_t size, const wchar_t* format, ...) NTSIM_NOEXCEPT;
EXTERN_C int vswprintf_s(wchar_t* buffer, size_t size, const wchar_t* format,
                         va_list args) NTSIM_NOEXCEPT;

// ---- wide strings (16-bit WCHAR) ------------------------------------------------------------
NTSIM_UCRT_DECL(size_t, wcslen, (const wchar_t* s))
NTSIM_UCRT_DECL(size_t, wcsnlen, (const wchar_t* s, size_t max))
NTSIM_UCRT_DECL(wchar_t*, wcscpy, (wchar_t * dest, const wchar_t* src))
NTSIM_UCRT_DECL(wchar_t*, wcsncpy, (wchar_t * dest, const wchar_t* src, size_t count))
NTSIM_UCRT_DECL(wchar_t*, wcscat, (wchar_t * dest, const wchar_t* src))
NTSIM_UCRT_DECL(int, wcscmp, (const wchar_t* a, const wchar_t* b))
NTSIM_UCRT_DECL(int, wcsncmp, (const wchar_t* a, const wchar_t* b, size_t count))
NTSIM_UCRT_SEARCH_DECL(wcschr, wchar_t c)
NTSIM_UCRT_SEARCH_DECL(wcsrchr, wchar_t c)
NTSIM_UCRT_SEARCH_DECL(wcsstr, const wchar_t* find)

// wint_t is glibc's (unsigned int, so <wctype.h> can be included too); Windows' is 16-bit, and
// only the low 16 bits of these functions' arguments are used.
#ifndef __wint_t_defined
#define __wint_t_defined 1
typedef unsigned int wint_t;
#endif
// unsigned int: the type g++'s built-in declarations of these names use.
NTSIM_UCRT_DECL(unsigned int, towlower, (unsigned int c))
NTSIM_UCRT_DECL(unsigned int, towupper, (unsigned int c))
NTSIM_UCRT_DECL(int, iswdigit, (unsigned int c))
NTSIM_UCRT_DECL(int, iswspace, (unsigned int c))

// Windows' long is 32-bit: the results saturate at the 32-bit limits (LONG_MIN/LONG_MAX and
// ULONG_MAX of Windows). The C types are glibc's, so that <cwchar> can be included as well.
NTSIM_UCRT_DECL(long, wcstol, (const wchar_t* s, wchar_t** end, int base))
NTSIM_UCRT_DECL(unsigned long, wcstoul, (const wchar_t* s, wchar_t** end, int base))
EXTERN_C int _wtoi(const wchar_t* s) NTSIM_NOEXCEPT;
EXTERN_C LONG _wtol(const wchar_t* s) NTSIM_NOEXCEPT;
EXTERN_C int _wcsicmp(const wchar_t* a, const wchar_t* b) NTSIM_NOEXCEPT;
EXTERN_C int _wcsnicmp(const wchar_t* a, const wchar_t* b, size_t count) NTSIM_NOEXCEPT;
// *_s: EINVAL for a NULL argument or zero size, ERANGE when the result does not fit (dest[0]
// is then set to 0); the invalid-parameter handler is not invoked.
EXTERN_C errno_t wcscpy_s(wchar_t* dest, rsize_t size, const wchar_t* src) NTSIM_NOEXCEPT;
EXTERN_C errno_t wcscat_s(wchar_t* dest, rsize_t size, const wchar_t* src) NTSIM_NOEXCEPT;

#ifdef __cplusplus
template <size_t N> inline errno_t wcscpy_s(wchar_t (&dest)[N], const wchar_t* src) noexcept {
    return wcscpy_s(dest, N, src);
}
template <size_t N> inline errno_t wcscat_s(wchar_t (&dest)[N], const wchar_t* src) noexcept {
    return wcscat_s(dest, N, src);
}
template <size_t N>
inline int swprintf_s(wchar_t (&buffer)[N], const wchar_t* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = vswprintf_s(buffer, N, format, args);
    va_end(args);
    return n;
}
template <size_t N> inline int sprintf_s(char (&buffer)[N], const char* format, ...) noexcept {
    va_list args;
    va_start(args, format);
    int n = vsprintf_s(buffer, N, format, args);
    va_end(args);
    return n;
}
#endif

#undef NTSIM_UCRT_DECL
#undef NTSIM_UCRT_DECL_STREAM
#undef NTSIM_UCRT_SEARCH_DECL
