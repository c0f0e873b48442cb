// Kernel CRT exports: wide string functions, bounded *_s copies, the printf family.
#include <gtest/gtest.h>

#include <wdm.h>

#include "core/export.h"
#include "test_support.h"

using ntsim::test::Narrow;

extern "C" size_t DriverView_wcslen(const WCHAR* s);
extern "C" const WCHAR* DriverView_wcschr(const WCHAR* s, WCHAR c);
extern "C" WCHAR* DriverView_wcschrMutable(WCHAR* s, WCHAR c);
extern "C" int DriverView_wcsicmp(const WCHAR* a, const WCHAR* b);
extern "C" WCHAR DriverView_towupper(WCHAR c);
extern "C" ULONG DriverView_wcstoul(const WCHAR* s);
extern "C" int DriverView_sprintf(char* buffer, ULONG value, const WCHAR* name);
extern "C" errno_t DriverView_wcscpy_s_array(WCHAR* out, size_t outCount);
extern "C" NTSTATUS DriverView_strsafe(WCHAR* buffer, size_t cch, ULONG pid);
extern "C" int DriverView_WideTour(WCHAR* out, size_t outCount);
extern "C" int DriverView_VaListTour();

TEST(RtlCrt, DriverViewWideFunctions) {
    WCHAR out[32];
    EXPECT_EQ(DriverView_WideTour(out, 32), 12);
    EXPECT_EQ(Narrow(out), "alpha-beta-gamma");
}

TEST(RtlCrt, DriverViewVaListPrintf) {
    EXPECT_EQ(DriverView_VaListTour(), 6);
}

// The glibc functions exported as they are: the table entries are glibc's, with C semantics.
TEST(RtlCrt, NarrowGlibcExports) {
    auto address = [](const char* name) {
        const ntsim::ExportEntry* e = ntsim::FindExportByName(name);
        return e ? e->address : nullptr;
    };
    EXPECT_EQ(address("memmove"), reinterpret_cast<void*>(&memmove));
    EXPECT_EQ(address("strcpy"), reinterpret_cast<void*>(&strcpy));
    char buffer[16];
    strcpy(buffer, "abc");
    strcat(buffer, "def");
    strncat(buffer, "ghXX", 2);
    EXPECT_STREQ(buffer, "abcdefgh");
    strncpy(buffer, "xy", 3);
    EXPECT_STREQ(buffer, "xy");
    memmove(buffer + 1, buffer, 2);
    EXPECT_EQ(buffer[2], 'y');
    const char* s = "key=value";
    EXPECT_EQ(memchr(s, '=', 9), s + 3);
    EXPECT_EQ(strrchr(s, 'e'), s + 8);
    EXPECT_EQ(strstr(s, "val"), s + 4);
    EXPECT_EQ(strpbrk(s, "=v"), s + 3);
    EXPECT_EQ(strspn(s, "key"), 3u);
    EXPECT_EQ(strcspn(s, "="), 3u);
    EXPECT_EQ(tolower('A'), 'a');
    EXPECT_EQ(toupper('a'), 'A');
    EXPECT_TRUE(isdigit('1') && isxdigit('f') && isalpha('z') && isalnum('0') && isspace(' ') &&
                isupper('Q') && islower('q') && isprint('~'));
}

TEST(RtlCrt, DriverViewBindsToKernelSymbols) {
    EXPECT_EQ(DriverView_wcslen(L"four"), 4u);
    const WCHAR* s = L"a\\b\\c";
    EXPECT_EQ(DriverView_wcschr(s, L'\\'), s + 1);
    WCHAR m[] = L"xyz";
    EXPECT_EQ(DriverView_wcschrMutable(m, L'z'), m + 2);
    EXPECT_EQ(DriverView_wcsicmp(L"\\Device\\Beep", L"\\DEVICE\\beep"), 0);
    EXPECT_EQ(DriverView_towupper(L'q'), L'Q');
    EXPECT_EQ(DriverView_wcstoul(L"0x1F"), 31u);
    char buffer[32];
    EXPECT_EQ(DriverView_sprintf(buffer, 0xFFFFFFFFu, L"x"), 12);
    EXPECT_STREQ(buffer, "4294967295:x");
    WCHAR out[8];
    EXPECT_EQ(DriverView_wcscpy_s_array(out, 8), 0);
    EXPECT_EQ(Narrow(out), "array");
    WCHAR pid[16];
    EXPECT_EQ(DriverView_strsafe(pid, 16, 1234), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(pid), "PID 1234");
}

TEST(RtlCrt, ExportTableNamesAndSymbols) {
    const ntsim::ExportEntry* e = ntsim::FindExportByName("wcslen");
    ASSERT_NE(e, nullptr);
    EXPECT_STREQ(e->symbol, "ntsim_wcslen");
    EXPECT_EQ(e->state, ntsim::ApiState::Implemented);
    for (const char* name : {"memcpy", "strlen", "strchr", "_stricmp", "wcscpy_s", "swprintf_s",
                             "_snwprintf", "_vsnprintf", "sprintf", "RtlInitUnicodeString",
                             "RtlNtStatusToDosError", "RtlGetVersion", "RtlCompareMemory"}) {
        EXPECT_NE(ntsim::FindExportByName(name), nullptr) << name;
    }
    EXPECT_NE(ntsim::FindExportBySymbol("ntsim_wcschr"), nullptr);
    EXPECT_EQ(ntsim::FindExportBySymbol("wcslen"), nullptr); // never glibc's 32-bit one
}

TEST(RtlCrt, WideBasics) {
    EXPECT_EQ(ntsim_wcslen(L""), 0u);
    EXPECT_EQ(ntsim_wcsnlen(L"abcdef", 3), 3u);
    EXPECT_EQ(ntsim_wcsnlen(L"ab", 10), 2u);
    WCHAR buffer[16];
    ntsim_wcscpy(buffer, L"abc");
    ntsim_wcscat(buffer, L"def");
    EXPECT_EQ(Narrow(buffer), "abcdef");
    ntsim_wcsncat(buffer, L"ghijk", 2);
    EXPECT_EQ(Narrow(buffer), "abcdefgh");
    WCHAR padded[6] = {1, 1, 1, 1, 1, 1};
    ntsim_wcsncpy(padded, L"ab", 5);
    EXPECT_EQ(padded[1], L'b');
    EXPECT_EQ(padded[2], 0);
    EXPECT_EQ(padded[4], 0);
    EXPECT_EQ(padded[5], 1); // untouched past count
    EXPECT_LT(ntsim_wcscmp(L"abc", L"abd"), 0);
    EXPECT_GT(ntsim_wcscmp(L"b", L"abc"), 0);
    EXPECT_EQ(ntsim_wcscmp(L"same", L"same"), 0);
    EXPECT_GT(ntsim_wcscmp(L"\xE9", L"z"), 0); // unsigned 16-bit comparison
    EXPECT_EQ(ntsim_wcsncmp(L"abcX", L"abcY", 3), 0);
    const WCHAR* path = L"\\Device\\Zero";
    EXPECT_EQ(ntsim_wcschr(path, L'Z'), path + 8);
    EXPECT_EQ(ntsim_wcschr(path, L'q'), nullptr);
    EXPECT_EQ(ntsim_wcschr(path, 0), path + 12);
    EXPECT_EQ(ntsim_wcsrchr(path, L'\\'), path + 7);
    EXPECT_EQ(ntsim_wcsstr(path, L"Zer"), path + 8);
    EXPECT_EQ(ntsim_wcsstr(path, L"Zeroo"), nullptr);
    EXPECT_EQ(ntsim_wcsstr(path, L""), path);
    EXPECT_EQ(ntsim_wcsspn(L"aabx", L"ab"), 3u);
    EXPECT_EQ(ntsim_wcscspn(L"abc;d", L";,"), 3u);
    const WCHAR* list = L"abc;d";
    EXPECT_EQ(ntsim_wcspbrk(list, L";,"), list + 3);
    EXPECT_EQ(ntsim_wcspbrk(list, L"!"), nullptr);
}

TEST(RtlCrt, WideCaseAndClassification) {
    EXPECT_EQ(_wcsicmp(L"Hello", L"hELLO"), 0);
    EXPECT_LT(_wcsicmp(L"apple", L"Banana"), 0);
    EXPECT_EQ(_wcsnicmp(L"ABCdef", L"abcXYZ", 3), 0);
    EXPECT_NE(_wcsnicmp(L"ABCdef", L"abcXYZ", 4), 0);
    EXPECT_EQ(_wcsicmp(L"\xC9t\xE9", L"\xE9T\xC9"), 0); // E-acute folds
    WCHAR s[] = L"MiXeD \xE9";
    EXPECT_EQ(Narrow(_wcsupr(s)), "MIXED ?");
    EXPECT_EQ(s[6], 0xC9);
    EXPECT_EQ(Narrow(_wcslwr(s)), "mixed ?");
    EXPECT_EQ(ntsim_towupper(L'a'), L'A');
    EXPECT_EQ(ntsim_towupper(L'1'), L'1');
    EXPECT_EQ(ntsim_towlower(0x0416), 0x0436); // Cyrillic ZHE
    EXPECT_TRUE(ntsim_iswdigit(L'7'));
    EXPECT_FALSE(ntsim_iswdigit(L'a'));
    EXPECT_TRUE(ntsim_iswspace(L'\t'));
    EXPECT_FALSE(ntsim_iswspace(L'x'));
    EXPECT_TRUE(ntsim_iswalpha(L'q'));
    EXPECT_TRUE(ntsim_iswalpha(0xE9));
    EXPECT_FALSE(ntsim_iswalpha(L'3'));
    EXPECT_TRUE(ntsim_iswxdigit(L'F'));
    EXPECT_TRUE(ntsim_iswupper(L'Q'));
    EXPECT_TRUE(ntsim_iswlower(L'q'));
}

TEST(RtlCrt, WideNumbers) {
    WCHAR* end = nullptr;
    const WCHAR* s = L"  -123xyz";
    EXPECT_EQ(ntsim_wcstol(s, &end, 10), -123);
    EXPECT_EQ(end, s + 6);
    EXPECT_EQ(ntsim_wcstol(L"0x7fffffff", nullptr, 0), 0x7FFFFFFF);
    EXPECT_EQ(ntsim_wcstol(L"99999999999", nullptr, 10), INT32_MAX); // saturates (32-bit long)
    EXPECT_EQ(ntsim_wcstol(L"-99999999999", nullptr, 10), INT32_MIN);
    EXPECT_EQ(ntsim_wcstoul(L"4294967295", nullptr, 10), 0xFFFFFFFFu);
    EXPECT_EQ(ntsim_wcstoul(L"4294967296", nullptr, 10), 0xFFFFFFFFu);
    EXPECT_EQ(ntsim_wcstoul(L"017", nullptr, 0), 15u);
    EXPECT_EQ(ntsim_wcstoul(L"z", &end, 36), 35u);
    const WCHAR* none = L"xyz";
    EXPECT_EQ(ntsim_wcstoul(none, &end, 10), 0u);
    EXPECT_EQ(end, none);
    EXPECT_EQ(_wtoi(L"42"), 42);
    EXPECT_EQ(_wtol(L"-7"), -7);
}

TEST(RtlCrt, NarrowExtensions) {
    EXPECT_EQ(_stricmp("Hello", "hello"), 0);
    EXPECT_LT(_stricmp("a", "B"), 0);
    EXPECT_EQ(_strnicmp("abcD", "ABCx", 3), 0);
    char s[] = "MiXeD";
    EXPECT_STREQ(_strupr(s), "MIXED");
    EXPECT_STREQ(_strlwr(s), "mixed");
}

TEST(RtlCrt, WcscpySErrors) {
    WCHAR buffer[4] = {L'x', L'x', L'x', L'x'};
    EXPECT_EQ(wcscpy_s(buffer, 4, L"abc"), 0);
    EXPECT_EQ(Narrow(buffer), "abc");
    EXPECT_EQ(wcscpy_s(buffer, 4, L"abcd"), ERANGE); // no room for the terminator
    EXPECT_EQ(buffer[0], 0);
    EXPECT_EQ(wcscpy_s(nullptr, 4, L"a"), EINVAL);
    buffer[0] = L'q';
    EXPECT_EQ(wcscpy_s(buffer, 0, L"a"), EINVAL);
    EXPECT_EQ(buffer[0], L'q'); // size 0: untouched
    EXPECT_EQ(wcscpy_s(buffer, 4, nullptr), EINVAL);
    EXPECT_EQ(buffer[0], 0);
}

TEST(RtlCrt, WcscatSErrors) {
    WCHAR buffer[6] = L"ab";
    EXPECT_EQ(wcscat_s(buffer, 6, L"cd"), 0);
    EXPECT_EQ(Narrow(buffer), "abcd");
    EXPECT_EQ(wcscat_s(buffer, 6, L"ef"), ERANGE);
    EXPECT_EQ(buffer[0], 0);
    WCHAR unterminated[3] = {L'a', L'b', L'c'};
    EXPECT_EQ(wcscat_s(unterminated, 3, L"d"), EINVAL);
    EXPECT_EQ(unterminated[0], 0);
    EXPECT_EQ(wcscat_s(buffer, 6, nullptr), EINVAL);
}

TEST(RtlCrt, WcsncpySAndTruncate) {
    WCHAR buffer[5];
    EXPECT_EQ(wcsncpy_s(buffer, 5, L"howdy", 4), 0);
    EXPECT_EQ(Narrow(buffer), "howd");
    EXPECT_EQ(wcsncpy_s(buffer, 5, L"howdy", 5), ERANGE);
    EXPECT_EQ(buffer[0], 0);
    EXPECT_EQ(wcsncpy_s(buffer, 5, L"a long string", _TRUNCATE), STRUNCATE);
    EXPECT_EQ(Narrow(buffer), "a lo");
    EXPECT_EQ(wcsncpy_s(buffer, 5, L"hi", _TRUNCATE), 0);
    EXPECT_EQ(Narrow(buffer), "hi");
    EXPECT_EQ(wcsncpy_s(buffer, 5, L"xyz", 0), 0);
    EXPECT_EQ(buffer[0], 0);
    EXPECT_EQ(wcsncpy_s(nullptr, 0, nullptr, 0), 0); // documented special case
    EXPECT_EQ(wcsncpy_s(buffer, 5, nullptr, 2), EINVAL);
    WCHAR cat[6] = L"ab";
    EXPECT_EQ(wcsncat_s(cat, 6, L"cdefgh", 2), 0);
    EXPECT_EQ(Narrow(cat), "abcd");
    EXPECT_EQ(wcsncat_s(cat, 6, L"efgh", _TRUNCATE), STRUNCATE);
    EXPECT_EQ(Narrow(cat), "abcde");
    EXPECT_EQ(wcsncat_s(cat, 6, L"z", 1), ERANGE);
    EXPECT_EQ(cat[0], 0);
}

TEST(RtlCrt, NarrowSecureCopies) {
    char buffer[4];
    EXPECT_EQ(strcpy_s(buffer, 4, "abc"), 0);
    EXPECT_STREQ(buffer, "abc");
    EXPECT_EQ(strcpy_s(buffer, "abcd"), ERANGE); // array overload
    EXPECT_EQ(buffer[0], 0);
    EXPECT_EQ(strncpy_s(buffer, "abcdef", _TRUNCATE), STRUNCATE);
    EXPECT_STREQ(buffer, "abc");
    char cat[8] = "ab";
    EXPECT_EQ(strcat_s(cat, "cd"), 0);
    EXPECT_EQ(strncat_s(cat, "efghij", 2), 0);
    EXPECT_STREQ(cat, "abcdef");
}

TEST(RtlCrt, SnprintfTruncationRules) {
    char buffer[8];
    memset(buffer, 'X', sizeof buffer);
    EXPECT_EQ(_snprintf(buffer, 8, "%d", 12345), 5);
    EXPECT_STREQ(buffer, "12345");
    memset(buffer, 'X', sizeof buffer);
    EXPECT_EQ(_snprintf(buffer, 5, "%d", 12345), 5); // exactly count: no terminator
    EXPECT_EQ(std::string(buffer, 6), "12345X");
    memset(buffer, 'X', sizeof buffer);
    EXPECT_EQ(_snprintf(buffer, 3, "%d", 12345), -1); // truncated: no terminator, -1
    EXPECT_EQ(std::string(buffer, 4), "123X");
    EXPECT_EQ(_snprintf(nullptr, 0, "%s", "measure"), 7);

    WCHAR wide[8];
    for (WCHAR& c : wide)
        c = L'X';
    EXPECT_EQ(_snwprintf(wide, 3, L"%ws", L"abcdef"), -1);
    EXPECT_EQ(Narrow(wide, 4), "abcX");
    EXPECT_EQ(_snwprintf(wide, 8, L"%d-%ws", 7, L"ok"), 4);
    EXPECT_EQ(Narrow(wide), "7-ok");
}

TEST(RtlCrt, SprintfSRules) {
    char buffer[6];
    EXPECT_EQ(sprintf_s(buffer, 6, "%s", "hello"), 5);
    EXPECT_STREQ(buffer, "hello");
    EXPECT_EQ(sprintf_s(buffer, 6, "%s", "hello!"), -1);
    EXPECT_EQ(buffer[0], 0);
    EXPECT_EQ(sprintf_s(nullptr, 6, "x"), -1);
    EXPECT_EQ(sprintf_s(buffer, "%d", 42), 2); // array overload
    WCHAR wide[6];
    EXPECT_EQ(swprintf_s(wide, 6, L"%ws", L"12345"), 5);
    EXPECT_EQ(swprintf_s(wide, 6, L"%ws", L"123456"), -1);
    EXPECT_EQ(wide[0], 0);
    EXPECT_EQ(swprintf_s(wide, L"%u", 99u), 2);
    EXPECT_EQ(Narrow(wide), "99");
    char out[16];
    EXPECT_EQ(ntsim_sprintf(out, "%I64x|%ws", 0xABCULL, L"w"), 5);
    EXPECT_STREQ(out, "abc|w");
}

TEST(RtlCrt, SnprintfSRules) {
    char buffer[6];
    EXPECT_EQ(_snprintf_s(buffer, 6, _TRUNCATE, "%s", "truncated"), -1);
    EXPECT_STREQ(buffer, "trunc");
    EXPECT_EQ(_snprintf_s(buffer, 6, 3, "%s", "abcdef"), -1); // count < size: cut at count
    EXPECT_STREQ(buffer, "abc");
    EXPECT_EQ(_snprintf_s(buffer, 6, 10, "%s", "abcdefgh"), -1); // does not fit size
    EXPECT_EQ(buffer[0], 0);
    EXPECT_EQ(_snprintf_s(buffer, 6, 10, "%s", "abc"), 3);
    EXPECT_STREQ(buffer, "abc");
    WCHAR wide[4];
    EXPECT_EQ(_snwprintf_s(wide, 4, _TRUNCATE, L"%d", 123456), -1);
    EXPECT_EQ(Narrow(wide), "123");
    EXPECT_EQ(_snwprintf_s(wide, _TRUNCATE, L"%d", 12), 2);
}
