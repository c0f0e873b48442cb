// ntstrsafe.h inlines.
#include <gtest/gtest.h>

#include <ntstrsafe.h>

#include "test_support.h"

using ntsim::test::Narrow;

TEST(RtlStrsafe, CopyAndCat) {
    WCHAR buffer[6];
    EXPECT_EQ(RtlStringCchCopyW(buffer, 6, L"hello"), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(buffer), "hello");
    EXPECT_EQ(RtlStringCchCopyW(buffer, 6, L"hello!"), STATUS_BUFFER_OVERFLOW);
    EXPECT_EQ(Narrow(buffer), "hello"); // truncated, terminated
    EXPECT_EQ(RtlStringCchCopyW(buffer, 0, L"x"), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(RtlStringCchCopyW(buffer, size_t(NTSTRSAFE_MAX_CCH) + 1, L"x"),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(RtlStringCbCopyW(buffer, sizeof buffer, L"ab"), STATUS_SUCCESS);
    EXPECT_EQ(RtlStringCbCatW(buffer, sizeof buffer, L"cd"), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(buffer), "abcd");
    EXPECT_EQ(RtlStringCchCatW(buffer, 6, L"efg"), STATUS_BUFFER_OVERFLOW);
    EXPECT_EQ(Narrow(buffer), "abcde");
    WCHAR unterminated[2] = {L'a', L'b'};
    EXPECT_EQ(RtlStringCchCatW(unterminated, 2, L"c"), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(RtlStringCchCopyNW(buffer, 6, L"abcdef", 2), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(buffer), "ab");
    char narrow[4];
    EXPECT_EQ(RtlStringCchCopyA(narrow, 4, "abc"), STATUS_SUCCESS);
    EXPECT_EQ(RtlStringCbCopyA(narrow, 4, "abcd"), STATUS_BUFFER_OVERFLOW);
    EXPECT_STREQ(narrow, "abc");
}

TEST(RtlStrsafe, Length) {
    size_t n = 99;
    EXPECT_EQ(RtlStringCchLengthW(L"abc", 10, &n), STATUS_SUCCESS);
    EXPECT_EQ(n, 3u);
    EXPECT_EQ(RtlStringCchLengthW(L"abc", 3, &n), STATUS_INVALID_PARAMETER); // no NUL within 3
    EXPECT_EQ(n, 0u);
    EXPECT_EQ(RtlStringCbLengthW(L"abc", 100, &n), STATUS_SUCCESS);
    EXPECT_EQ(n, 6u);
    EXPECT_EQ(RtlStringCchLengthA("abcd", 5, &n), STATUS_SUCCESS);
    EXPECT_EQ(n, 4u);
    EXPECT_EQ(RtlStringCchLengthW(nullptr, 5, &n), STATUS_INVALID_PARAMETER);
}

TEST(RtlStrsafe, Printf) {
    WCHAR buffer[8];
    EXPECT_EQ(RtlStringCchPrintfW(buffer, 8, L"%d:%ws", 42, L"ab"), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(buffer), "42:ab");
    EXPECT_EQ(RtlStringCchPrintfW(buffer, 8, L"%ws", L"1234567"), STATUS_SUCCESS); // exactly fits
    EXPECT_EQ(RtlStringCchPrintfW(buffer, 8, L"%ws", L"12345678"), STATUS_BUFFER_OVERFLOW);
    EXPECT_EQ(Narrow(buffer), "1234567");
    EXPECT_EQ(RtlStringCbPrintfW(buffer, sizeof buffer, L"%u", 7u), STATUS_SUCCESS);
    EXPECT_EQ(RtlStringCchPrintfW(buffer, 0, L"x"), STATUS_INVALID_PARAMETER);
    char narrow[6];
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"Zero");
    EXPECT_EQ(RtlStringCchPrintfA(narrow, 6, "%wZ!", &name), STATUS_SUCCESS);
    EXPECT_STREQ(narrow, "Zero!");
    EXPECT_EQ(RtlStringCbPrintfA(narrow, 6, "%wZ!!", &name), STATUS_BUFFER_OVERFLOW);
    EXPECT_STREQ(narrow, "Zero!");
}

TEST(RtlStrsafe, UnicodeStringVariants) {
    WCHAR storage[6];
    UNICODE_STRING dest{0, sizeof storage, storage};
    EXPECT_EQ(RtlUnicodeStringCopyString(&dest, L"abc"), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(dest), "abc");
    EXPECT_EQ(RtlUnicodeStringCatString(&dest, L"def"), STATUS_SUCCESS); // fills exactly, no NUL
    EXPECT_EQ(dest.Length, 12);
    EXPECT_EQ(RtlUnicodeStringCatString(&dest, L"g"), STATUS_BUFFER_OVERFLOW);
    UNICODE_STRING src = RTL_CONSTANT_STRING(L"0123456789");
    EXPECT_EQ(RtlUnicodeStringCopy(&dest, &src), STATUS_BUFFER_OVERFLOW);
    EXPECT_EQ(Narrow(dest), "012345");
    dest.Length = 2;
    UNICODE_STRING tail = RTL_CONSTANT_STRING(L"xy");
    EXPECT_EQ(RtlUnicodeStringCat(&dest, &tail), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(dest), "0xy");
    EXPECT_EQ(RtlUnicodeStringPrintf(&dest, L"%d", 12345), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(dest), "12345");
    EXPECT_EQ(RtlUnicodeStringPrintf(&dest, L"%d", 1234567), STATUS_BUFFER_OVERFLOW);
    EXPECT_EQ(Narrow(dest), "123456");
    UNICODE_STRING odd{3, 12, storage};
    EXPECT_EQ(RtlUnicodeStringCopyString(&odd, L"a"), STATUS_INVALID_PARAMETER);
    UNICODE_STRING nobuf{0, 12, nullptr};
    EXPECT_EQ(RtlUnicodeStringCopyString(&nobuf, L"a"), STATUS_INVALID_PARAMETER);
    UNICODE_STRING over{0, 14, storage};
    over.Length = 16;
    EXPECT_EQ(RtlUnicodeStringCat(&over, &tail), STATUS_INVALID_PARAMETER);
}
