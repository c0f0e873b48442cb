// 16-bit wide string functions of the client CRT.
#include <gtest/gtest.h>

#include <cerrno>

#include "fake_ntdll.h"

namespace {

std::string Narrow(const wchar_t* s) {
    std::string out;
    for (; *s; ++s)
        out.push_back(*s < 0x80 ? char(*s) : '?');
    return out;
}

TEST(WideStrings, WcharIs16Bit) {
    static_assert(sizeof(wchar_t) == 2);
}

TEST(WideStrings, LengthCopyCompare) {
    const wchar_t* volatile s = L"Booster";
    EXPECT_EQ(wcslen(s), 7u);
    EXPECT_EQ(wcsnlen(s, 3), 3u);
    wchar_t buffer[16];
    wcscpy(buffer, s);
    wcscat(buffer, L"!");
    EXPECT_EQ(Narrow(buffer), "Booster!");
    EXPECT_EQ(wcscmp(buffer, L"Booster!"), 0);
    EXPECT_LT(wcscmp(L"a", L"b"), 0);
    EXPECT_GT(wcscmp(L"\u00e9", L"z"), 0); // unsigned 16-bit comparison
    EXPECT_EQ(wcsncmp(L"abcX", L"abcY", 3), 0);
    wchar_t padded[6];
    wcsncpy(padded, L"ab", 6);
    EXPECT_EQ(padded[5], 0);
}

TEST(WideStrings, Search) {
    const wchar_t* s = L"\\Device\\Booster";
    EXPECT_EQ(wcschr(s, L'\\'), s);
    EXPECT_EQ(wcsrchr(s, L'\\'), s + 7);
    EXPECT_EQ(wcschr(s, 0), s + 15);
    EXPECT_EQ(wcschr(s, L'z'), nullptr);
    EXPECT_EQ(wcsstr(s, L"Boost"), s + 8);
    EXPECT_EQ(wcsstr(s, L""), s);
    EXPECT_EQ(wcsstr(s, L"boost"), nullptr);
}

TEST(WideStrings, CaseInsensitive) {
    EXPECT_EQ(_wcsicmp(L"BOOSTER", L"booster"), 0);
    EXPECT_EQ(_wcsicmp(L"\u00c9t\u00e9", L"\u00e9T\u00c9"), 0);
    EXPECT_LT(_wcsicmp(L"a", L"B"), 0);
    EXPECT_EQ(_wcsnicmp(L"ABCx", L"abcy", 3), 0);
    EXPECT_EQ(towupper(L'a'), unsigned(L'A'));
    EXPECT_EQ(towlower(0x0391), 0x03B1u); // Greek Alpha
    EXPECT_TRUE(iswdigit(L'7'));
    EXPECT_FALSE(iswdigit(L'a'));
    EXPECT_TRUE(iswspace(L'\t'));
    EXPECT_FALSE(iswspace(L'x'));
}

TEST(WideStrings, Conversions) {
    EXPECT_EQ(_wtoi(L"  -42xyz"), -42);
    EXPECT_EQ(_wtol(L"+17"), 17);
    EXPECT_EQ(_wtoi(L"abc"), 0);
    wchar_t* end = nullptr;
    const wchar_t* hex = L"0x1F rest";
    EXPECT_EQ(wcstoul(hex, &end, 16), 31ul);
    EXPECT_EQ(end, hex + 4);
    EXPECT_EQ(wcstoul(L"0755", nullptr, 0), 493ul);
    errno = 0;
    EXPECT_EQ(wcstoul(L"4294967296", nullptr, 10), 0xFFFFFFFFul); // 32-bit ULONG_MAX
    EXPECT_EQ(errno, ERANGE);
    errno = 0;
    EXPECT_EQ(wcstol(L"3000000000", nullptr, 10), 2147483647l);
    EXPECT_EQ(errno, ERANGE);
    EXPECT_EQ(wcstol(L"-2147483648", nullptr, 10), -2147483647l - 1);
    EXPECT_EQ(wcstoul(L"-1", nullptr, 10), 0xFFFFFFFFul);
    const wchar_t* none = L"xyz";
    EXPECT_EQ(wcstol(none, &end, 10), 0l);
    EXPECT_EQ(end, none);
}

TEST(WideStrings, SecureCopies) {
    wchar_t buffer[8];
    EXPECT_EQ(wcscpy_s(buffer, L"abc"), 0);
    EXPECT_EQ(wcscat_s(buffer, L"defg"), 0);
    EXPECT_EQ(Narrow(buffer), "abcdefg");
    EXPECT_EQ(wcscat_s(buffer, L"h"), ERANGE);
    EXPECT_EQ(buffer[0], 0);
    EXPECT_EQ(wcscpy_s(buffer, 8, L"12345678"), ERANGE);
    EXPECT_EQ(buffer[0], 0);
    EXPECT_EQ(wcscpy_s(nullptr, 8, L"x"), EINVAL);
    EXPECT_EQ(wcscpy_s(buffer, 0, L"x"), EINVAL);
    EXPECT_EQ(wcscpy_s(buffer, 8, nullptr), EINVAL);
    EXPECT_EQ(buffer[0], 0);
}

} // namespace
