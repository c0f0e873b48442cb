// Narrow C runtime exports: glibc's string/ctype functions (identical semantics) registered in
// the export table, plus the Microsoft extensions (_stricmp, strcpy_s...).
#include <cctype>
#include <cstdlib>
#include <cstring>

#include <wdm.h>

#include "core/export.h"

#include "rtl/crt_export.h"

// glibc functions exported under their own names.
#define NTSIM_EXPORT_CRT NTSIM_EXPORT_TYPED

NTSIM_EXPORT_CRT(memcpy, void* (*)(void*, const void*, size_t));
NTSIM_EXPORT_CRT(memmove, void* (*)(void*, const void*, size_t));
NTSIM_EXPORT_CRT(memset, void* (*)(void*, int, size_t));
NTSIM_EXPORT_CRT(memcmp, int (*)(const void*, const void*, size_t));
NTSIM_EXPORT_CRT(memchr, const void* (*)(const void*, int, size_t));
NTSIM_EXPORT_CRT(strlen, size_t (*)(const char*));
NTSIM_EXPORT_CRT(strnlen, size_t (*)(const char*, size_t));
NTSIM_EXPORT_CRT(strcmp, int (*)(const char*, const char*));
NTSIM_EXPORT_CRT(strncmp, int (*)(const char*, const char*, size_t));
NTSIM_EXPORT_CRT(strcpy, char* (*)(char*, const char*));
NTSIM_EXPORT_CRT(strncpy, char* (*)(char*, const char*, size_t));
NTSIM_EXPORT_CRT(strcat, char* (*)(char*, const char*));
NTSIM_EXPORT_CRT(strncat, char* (*)(char*, const char*, size_t));
NTSIM_EXPORT_CRT(strchr, const char* (*)(const char*, int));
NTSIM_EXPORT_CRT(strrchr, const char* (*)(const char*, int));
NTSIM_EXPORT_CRT(strstr, const char* (*)(const char*, const char*));
NTSIM_EXPORT_CRT(strspn, size_t (*)(const char*, const char*));
NTSIM_EXPORT_CRT(strcspn, size_t (*)(const char*, const char*));
NTSIM_EXPORT_CRT(strpbrk, const char* (*)(const char*, const char*));
NTSIM_EXPORT_CRT(tolower, int (*)(int));
NTSIM_EXPORT_CRT(toupper, int (*)(int));
NTSIM_EXPORT_CRT(isdigit, int (*)(int));
NTSIM_EXPORT_CRT(isxdigit, int (*)(int));
NTSIM_EXPORT_CRT(isalpha, int (*)(int));
NTSIM_EXPORT_CRT(isalnum, int (*)(int));
NTSIM_EXPORT_CRT(isspace, int (*)(int));
NTSIM_EXPORT_CRT(isupper, int (*)(int));
NTSIM_EXPORT_CRT(islower, int (*)(int));
NTSIM_EXPORT_CRT(isprint, int (*)(int));
NTSIM_EXPORT_CRT(atoi, int (*)(const char*));

namespace {
int AsciiLower(unsigned char c) {
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}
int AsciiUpper(unsigned char c) {
    return (c >= 'a' && c <= 'z') ? c - 32 : c;
}
} // namespace

// Case-insensitive comparisons fold to lower case ("C" locale), as the MS CRT documents.
extern "C" int _strnicmp(const char* a, const char* b, size_t count) noexcept {
    for (size_t i = 0; i < count; ++i) {
        int x = AsciiLower(static_cast<unsigned char>(a[i]));
        int y = AsciiLower(static_cast<unsigned char>(b[i]));
        if (x != y) return x - y;
        if (x == 0) return 0;
    }
    return 0;
}
NTSIM_EXPORT(_strnicmp);

extern "C" int _stricmp(const char* a, const char* b) noexcept {
    return _strnicmp(a, b, SIZE_MAX);
}
NTSIM_EXPORT(_stricmp);

extern "C" char* _strlwr(char* s) noexcept {
    for (char* p = s; p && *p; ++p)
        *p = char(AsciiLower(static_cast<unsigned char>(*p)));
    return s;
}
NTSIM_EXPORT(_strlwr);

extern "C" char* _strupr(char* s) noexcept {
    for (char* p = s; p && *p; ++p)
        *p = char(AsciiUpper(static_cast<unsigned char>(*p)));
    return s;
}
NTSIM_EXPORT(_strupr);

// ---- bounded copies (errno_t results, see crt_secure.h) -----------------------------------------
#include "rtl/crt_secure.h"

extern "C" errno_t strcpy_s(char* dest, rsize_t size, const char* src) noexcept {
    return ntsim::rtl::CopyS(dest, size, src);
}
NTSIM_EXPORT_TYPED(strcpy_s, errno_t (*)(char*, rsize_t, const char*) noexcept);

extern "C" errno_t strcat_s(char* dest, rsize_t size, const char* src) noexcept {
    return ntsim::rtl::CatS(dest, size, src);
}
NTSIM_EXPORT_TYPED(strcat_s, errno_t (*)(char*, rsize_t, const char*) noexcept);

extern "C" errno_t strncpy_s(char* dest, rsize_t size, const char* src, rsize_t count) noexcept {
    return ntsim::rtl::CopyNS(dest, size, src, count);
}
NTSIM_EXPORT_TYPED(strncpy_s, errno_t (*)(char*, rsize_t, const char*, rsize_t) noexcept);

extern "C" errno_t strncat_s(char* dest, rsize_t size, const char* src, rsize_t count) noexcept {
    return ntsim::rtl::CatNS(dest, size, src, count);
}
NTSIM_EXPORT_TYPED(strncat_s, errno_t (*)(char*, rsize_t, const char*, rsize_t) noexcept);
