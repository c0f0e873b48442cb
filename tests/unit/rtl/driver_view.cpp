// Compiled as a driver sees the SDK (no NTSIM_KERNEL, no C++ library headers): the Windows CRT
// names must bind to the kernel's ntsim_* symbols. The tests call these wrappers.
#undef NTSIM_KERNEL
#include <ntddk.h>
#include <ntstrsafe.h>

extern "C" size_t DriverView_wcslen(const WCHAR* s) {
    return wcslen(s);
}
extern "C" const WCHAR* DriverView_wcschr(const WCHAR* s, WCHAR c) {
    return wcschr(s, c);
}
extern "C" WCHAR* DriverView_wcschrMutable(WCHAR* s, WCHAR c) {
    return wcschr(s, c);
}
extern "C" int DriverView_wcsicmp(const WCHAR* a, const WCHAR* b) {
    return _wcsicmp(a, b);
}
extern "C" WCHAR DriverView_towupper(WCHAR c) {
    return towupper(c);
}
extern "C" ULONG DriverView_wcstoul(const WCHAR* s) {
    return wcstoul(s, nullptr, 0);
}
// g++ checks sprintf formats with glibc rules (%ws, 32-bit %lu are Windows conversions).
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
extern "C" int DriverView_sprintf(char* buffer, ULONG value, const WCHAR* name) {
    return sprintf(buffer, "%lu:%ws", value, name);
}
extern "C" errno_t DriverView_wcscpy_s_array(WCHAR* out, size_t outCount) {
    WCHAR buffer[8];
    errno_t e = wcscpy_s(buffer, L"array"); // MSVC's C++ array overload
    for (size_t i = 0; i < outCount && i < 8; ++i)
        out[i] = buffer[i];
    return e;
}
extern "C" NTSTATUS DriverView_strsafe(WCHAR* buffer, size_t cch, ULONG pid) {
    return RtlStringCchPrintfW(buffer, cch, L"PID %u", pid);
}

// Every standard wide function under its Windows name (the results are checked by the test).
extern "C" int DriverView_WideTour(WCHAR* out, size_t outCount) {
    WCHAR buffer[32];
    wcscpy(buffer, L"alpha");
    wcscat(buffer, L"-beta");
    wcsncat(buffer, L"-gammaXX", 6); // alpha-beta-gamma
    int score = 0;
    score += wcscmp(buffer, L"alpha-beta-gamma") == 0;
    score += wcsncmp(buffer, L"alphaZ", 5) == 0;
    score += wcsnlen(buffer, 5) == 5;
    score += wcsrchr(buffer, L'-') == buffer + 10;
    score += wcsstr(buffer, L"beta") == buffer + 6;
    score += wcspbrk(buffer, L"-") == buffer + 5;
    score += wcsspn(buffer, L"alph") == 5;
    score += wcscspn(buffer, L"-") == 5;
    score += wcstol(L"-12", nullptr, 10) == -12;
    score += towlower(L'Q') == L'q';
    score += iswdigit(L'5') && iswxdigit(L'c') && iswspace(L' ') && iswalpha(L'k') &&
             iswalnum(L'9') && iswupper(L'U') && iswlower(L'u');
    WCHAR padded[4];
    wcsncpy(padded, L"xy", 4);
    score += padded[3] == 0;
    for (size_t i = 0; i < outCount && i < 32; ++i)
        out[i] = buffer[i];
    return score; // 12 when all hold
}

// The va_list printf variants, under their names.
static int CallVsprintf(char* buffer, const char* format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsprintf(buffer, format, args);
    va_end(args);
    return n;
}
static int CallVsprintfS(char* buffer, size_t size, const char* format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsprintf_s(buffer, size, format, args);
    va_end(args);
    return n;
}
static int CallVsnprintfS(char* buffer, size_t size, size_t count, const char* format, ...) {
    va_list args;
    va_start(args, format);
    int n = _vsnprintf_s(buffer, size, count, format, args);
    va_end(args);
    return n;
}
static int CallVsnwprintf(WCHAR* buffer, size_t count, const WCHAR* format, ...) {
    va_list args;
    va_start(args, format);
    int n = _vsnwprintf(buffer, count, format, args);
    va_end(args);
    return n;
}
static int CallVswprintfS(WCHAR* buffer, size_t size, const WCHAR* format, ...) {
    va_list args;
    va_start(args, format);
    int n = vswprintf_s(buffer, size, format, args);
    va_end(args);
    return n;
}
static int CallVsnwprintfS(WCHAR* buffer, size_t size, size_t count, const WCHAR* format, ...) {
    va_list args;
    va_start(args, format);
    int n = _vsnwprintf_s(buffer, size, count, format, args);
    va_end(args);
    return n;
}

extern "C" int DriverView_VaListTour() {
    char narrow[8];
    WCHAR wide[8];
    int score = 0;
    score += CallVsprintf(narrow, "%d%ws", 12, L"ab") == 4;
    score += CallVsprintfS(narrow, 4, "%s", "abcd") == -1 && narrow[0] == 0;
    score += CallVsnprintfS(narrow, 8, _TRUNCATE, "%s", "123456789") == -1;
    score += CallVsnwprintf(wide, 2, L"%d", 123) == -1;
    score += CallVswprintfS(wide, 8, L"%hs", "ok") == 2;
    score += CallVsnwprintfS(wide, 8, 3, L"%ws", L"abcdef") == -1 && wide[3] == 0;
    return score; // 6 when all hold
}
