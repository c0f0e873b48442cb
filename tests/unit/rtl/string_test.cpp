// Counted string routines: init, copy, append, compare, case, ANSI/UTF-8 conversions, allocation.
#include <gtest/gtest.h>

#include <wdm.h>

#include "test_support.h"

using ntsim::test::Narrow;

TEST(RtlString, InitUnicodeString) {
    UNICODE_STRING s;
    RtlInitUnicodeString(&s, L"Hello");
    EXPECT_EQ(s.Length, 10);
    EXPECT_EQ(s.MaximumLength, 12); // Length + terminator (the book says Length: see spec)
    EXPECT_EQ(Narrow(s), "Hello");
    RtlInitUnicodeString(&s, nullptr);
    EXPECT_EQ(s.Length, 0);
    EXPECT_EQ(s.MaximumLength, 0);
    EXPECT_EQ(s.Buffer, nullptr);
    RtlInitUnicodeString(&s, L"");
    EXPECT_EQ(s.Length, 0);
    EXPECT_EQ(s.MaximumLength, 2);
}

TEST(RtlString, InitUnicodeStringTooLong) {
    std::u16string big(40000, u'a');
    UNICODE_STRING s;
    auto* text = reinterpret_cast<const WCHAR*>(big.c_str());
    RtlInitUnicodeString(&s, text);
    EXPECT_EQ(s.Length, 65532);
    EXPECT_EQ(s.MaximumLength, 65534);
    EXPECT_EQ(RtlInitUnicodeStringEx(&s, text), STATUS_NAME_TOO_LONG);
    std::u16string fits(32766, u'b');
    EXPECT_EQ(RtlInitUnicodeStringEx(&s, reinterpret_cast<const WCHAR*>(fits.c_str())),
              STATUS_SUCCESS);
    EXPECT_EQ(s.Length, 65532);
}

TEST(RtlString, InitAnsiString) {
    ANSI_STRING a;
    RtlInitAnsiString(&a, "abc");
    EXPECT_EQ(a.Length, 3);
    EXPECT_EQ(a.MaximumLength, 4);
    RtlInitString(&a, nullptr);
    EXPECT_EQ(a.Length, 0);
    EXPECT_EQ(a.Buffer, nullptr);
    EXPECT_EQ(RtlInitAnsiStringEx(&a, "x"), STATUS_SUCCESS);
    std::string big(70000, 'x');
    EXPECT_EQ(RtlInitAnsiStringEx(&a, big.c_str()), STATUS_NAME_TOO_LONG);
    EXPECT_EQ(RtlInitStringEx(&a, big.c_str()), STATUS_NAME_TOO_LONG);
}

TEST(RtlString, ConstantString) {
    UNICODE_STRING s = RTL_CONSTANT_STRING(L"\\Device\\Zero");
    EXPECT_EQ(s.Length, 24);
    EXPECT_EQ(s.MaximumLength, 26);
}

TEST(RtlString, CopyUnicodeString) {
    WCHAR buffer[8];
    UNICODE_STRING dest{0, sizeof buffer, buffer};
    UNICODE_STRING src;
    RtlInitUnicodeString(&src, L"abc");
    RtlCopyUnicodeString(&dest, &src);
    EXPECT_EQ(dest.Length, 6);
    EXPECT_EQ(buffer[3], 0); // terminated when there is room
    // Truncated at MaximumLength, no terminator when full.
    UNICODE_STRING small{0, 4, buffer};
    RtlInitUnicodeString(&src, L"wxyz");
    RtlCopyUnicodeString(&small, &src);
    EXPECT_EQ(small.Length, 4);
    EXPECT_EQ(Narrow(small), "wx");
    EXPECT_EQ(buffer[2], L'c'); // not overwritten
    RtlCopyUnicodeString(&dest, nullptr);
    EXPECT_EQ(dest.Length, 0);
}

TEST(RtlString, CopyString) {
    char buffer[4];
    STRING dest{0, sizeof buffer, buffer};
    STRING src;
    RtlInitString(&src, "hello");
    RtlCopyString(&dest, &src);
    EXPECT_EQ(dest.Length, 4);
    EXPECT_EQ(std::string(buffer, 4), "hell");
    RtlInitString(&src, "hi");
    RtlCopyString(&dest, &src);
    EXPECT_EQ(dest.Length, 2);
    EXPECT_STREQ(buffer, "hi");
}

TEST(RtlString, Append) {
    WCHAR buffer[8];
    UNICODE_STRING dest{0, sizeof buffer, buffer};
    EXPECT_EQ(RtlAppendUnicodeToString(&dest, L"abc"), STATUS_SUCCESS);
    UNICODE_STRING more;
    RtlInitUnicodeString(&more, L"def");
    EXPECT_EQ(RtlAppendUnicodeStringToString(&dest, &more), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(dest), "abcdef");
    EXPECT_EQ(buffer[6], 0);
    EXPECT_EQ(RtlAppendUnicodeToString(&dest, L"gh"), STATUS_SUCCESS); // exactly full
    EXPECT_EQ(dest.Length, 16);
    EXPECT_EQ(RtlAppendUnicodeToString(&dest, L"i"), STATUS_BUFFER_TOO_SMALL);
    EXPECT_EQ(dest.Length, 16);
    EXPECT_EQ(RtlAppendUnicodeToString(&dest, nullptr), STATUS_SUCCESS);
    UNICODE_STRING empty{0, 0, nullptr};
    EXPECT_EQ(RtlAppendUnicodeStringToString(&dest, &empty), STATUS_SUCCESS);

    char abuf[5];
    STRING a{0, sizeof abuf, abuf};
    STRING b;
    RtlInitString(&b, "abc");
    EXPECT_EQ(RtlAppendStringToString(&a, &b), STATUS_SUCCESS);
    EXPECT_EQ(RtlAppendStringToString(&a, &b), STATUS_BUFFER_TOO_SMALL);
}

TEST(RtlString, Compare) {
    UNICODE_STRING a, b, c;
    RtlInitUnicodeString(&a, L"Hello");
    RtlInitUnicodeString(&b, L"hello");
    RtlInitUnicodeString(&c, L"Hello, world");
    EXPECT_NE(RtlCompareUnicodeString(&a, &b, FALSE), 0);
    EXPECT_LT(RtlCompareUnicodeString(&a, &b, FALSE), 0); // 'H' < 'h'
    EXPECT_EQ(RtlCompareUnicodeString(&a, &b, TRUE), 0);
    EXPECT_LT(RtlCompareUnicodeString(&a, &c, FALSE), 0); // prefix is smaller
    EXPECT_GT(RtlCompareUnicodeString(&c, &a, FALSE), 0);
    EXPECT_TRUE(RtlEqualUnicodeString(&a, &b, TRUE));
    EXPECT_FALSE(RtlEqualUnicodeString(&a, &b, FALSE));
    EXPECT_FALSE(RtlEqualUnicodeString(&a, &c, TRUE));
    EXPECT_TRUE(RtlPrefixUnicodeString(&b, &c, TRUE));
    EXPECT_FALSE(RtlPrefixUnicodeString(&b, &c, FALSE));
    EXPECT_FALSE(RtlPrefixUnicodeString(&c, &a, TRUE));
    EXPECT_EQ(RtlCompareUnicodeStrings(L"abc", 3, L"ABD", 3, TRUE) < 0, true);
    // Counted: characters past Length do not matter.
    UNICODE_STRING part{4, 10, const_cast<PWCH>(L"Hexxx")};
    UNICODE_STRING he;
    RtlInitUnicodeString(&he, L"He");
    EXPECT_TRUE(RtlEqualUnicodeString(&part, &he, FALSE));

    STRING x, y;
    RtlInitString(&x, "Abc");
    RtlInitString(&y, "aBC");
    EXPECT_TRUE(RtlEqualString(&x, &y, TRUE));
    EXPECT_FALSE(RtlEqualString(&x, &y, FALSE));
    EXPECT_LT(RtlCompareString(&x, &y, FALSE), 0);
}

TEST(RtlString, CaseConversion) {
    EXPECT_EQ(RtlUpcaseUnicodeChar(L'a'), L'A');
    EXPECT_EQ(RtlUpcaseUnicodeChar(0xE9), 0xC9);
    EXPECT_EQ(RtlUpcaseUnicodeChar(0xFF), 0x178);
    EXPECT_EQ(RtlUpcaseUnicodeChar(0x3B1), 0x391); // Greek alpha
    EXPECT_EQ(RtlUpcaseUnicodeChar(L'1'), L'1');
    EXPECT_EQ(RtlDowncaseUnicodeChar(L'Z'), L'z');
    EXPECT_EQ(RtlDowncaseUnicodeChar(0x100), 0x101);
    EXPECT_EQ(RtlUpperChar('q'), 'Q');
    EXPECT_EQ(RtlUpperChar(char(0xE9)), char(0xC9)); // Windows-1252
    char upper[3];
    STRING upperDest{0, sizeof upper, upper};
    STRING lower;
    RtlInitString(&lower, "abcd");
    RtlUpperString(&upperDest, &lower); // truncated at MaximumLength
    EXPECT_EQ(upperDest.Length, 3);
    EXPECT_EQ(std::string(upper, 3), "ABC");

    UNICODE_STRING src;
    RtlInitUnicodeString(&src, L"MixEd");
    WCHAR buffer[5];
    UNICODE_STRING dest{0, sizeof buffer, buffer};
    EXPECT_EQ(RtlUpcaseUnicodeString(&dest, &src, FALSE), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(dest), "MIXED");
    EXPECT_EQ(RtlDowncaseUnicodeString(&dest, &src, FALSE), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(dest), "mixed");
    UNICODE_STRING tiny{0, 4, buffer};
    EXPECT_EQ(RtlUpcaseUnicodeString(&tiny, &src, FALSE), STATUS_BUFFER_OVERFLOW);
    UNICODE_STRING allocated{};
    EXPECT_EQ(RtlUpcaseUnicodeString(&allocated, &src, TRUE), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(allocated), "MIXED");
    EXPECT_EQ(allocated.MaximumLength, 10);
    RtlFreeUnicodeString(&allocated);
    EXPECT_EQ(allocated.Buffer, nullptr);
    EXPECT_EQ(allocated.Length, 0);
}

TEST(RtlString, AnsiToUnicode) {
    ANSI_STRING a;
    RtlInitAnsiString(&a, "caf\xE9 \x80");
    UNICODE_STRING u{};
    EXPECT_EQ(RtlAnsiStringToUnicodeSize(&a), 14u);
    EXPECT_EQ(RtlxAnsiStringToUnicodeSize(&a), 14u);
    ASSERT_EQ(RtlAnsiStringToUnicodeString(&u, &a, TRUE), STATUS_SUCCESS);
    EXPECT_EQ(u.Length, 12);
    EXPECT_EQ(u.MaximumLength, 14);
    EXPECT_EQ(u.Buffer[3], 0xE9);
    EXPECT_EQ(u.Buffer[5], 0x20AC); // euro sign in Windows-1252
    EXPECT_EQ(u.Buffer[6], 0);
    RtlFreeUnicodeString(&u);

    WCHAR buffer[3];
    UNICODE_STRING fixed{0, sizeof buffer, buffer};
    RtlInitAnsiString(&a, "ab");
    EXPECT_EQ(RtlAnsiStringToUnicodeString(&fixed, &a, FALSE), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(fixed), "ab");
    RtlInitAnsiString(&a, "abc"); // needs room for the terminator too
    EXPECT_EQ(RtlAnsiStringToUnicodeString(&fixed, &a, FALSE), STATUS_BUFFER_OVERFLOW);
}

TEST(RtlString, UnicodeToAnsi) {
    UNICODE_STRING u;
    const WCHAR text[] = {L'a', 0xE9, 0x20AC, 0x4E2D, 0};
    RtlInitUnicodeString(&u, text);
    ANSI_STRING a{};
    EXPECT_EQ(RtlUnicodeStringToAnsiSize(&u), 5u);
    EXPECT_EQ(RtlxUnicodeStringToAnsiSize(&u), 5u);
    ASSERT_EQ(RtlUnicodeStringToAnsiString(&a, &u, TRUE), STATUS_SUCCESS);
    EXPECT_EQ(a.Length, 4);
    EXPECT_EQ(std::string(a.Buffer), "a\xE9\x80?"); // unmappable -> '?'
    RtlFreeAnsiString(&a);
    EXPECT_EQ(a.Buffer, nullptr);

    char buffer[3];
    ANSI_STRING small{0, sizeof buffer, buffer};
    EXPECT_EQ(RtlUnicodeStringToAnsiString(&small, &u, FALSE), STATUS_BUFFER_OVERFLOW);
    EXPECT_EQ(small.Length, 2); // what fits, terminated
    EXPECT_STREQ(buffer, "a\xE9");
    ANSI_STRING none{0, 0, nullptr};
    EXPECT_EQ(RtlUnicodeStringToAnsiString(&none, &u, FALSE), STATUS_BUFFER_OVERFLOW);
}

TEST(RtlString, CreateAndDuplicate) {
    UNICODE_STRING s{};
    ASSERT_TRUE(RtlCreateUnicodeString(&s, L"copy"));
    EXPECT_EQ(s.Length, 8);
    EXPECT_EQ(s.MaximumLength, 10);
    EXPECT_EQ(s.Buffer[4], 0);
    UNICODE_STRING d{};
    EXPECT_EQ(RtlDuplicateUnicodeString(RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE, &s, &d),
              STATUS_SUCCESS);
    EXPECT_NE(d.Buffer, s.Buffer);
    EXPECT_EQ(d.MaximumLength, 10);
    EXPECT_EQ(d.Buffer[4], 0);
    RtlFreeUnicodeString(&d);
    EXPECT_EQ(RtlDuplicateUnicodeString(0, &s, &d), STATUS_SUCCESS);
    EXPECT_EQ(d.MaximumLength, 8);
    RtlFreeUnicodeString(&d);

    UNICODE_STRING empty{0, 0, nullptr};
    EXPECT_EQ(RtlDuplicateUnicodeString(RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE, &empty, &d),
              STATUS_SUCCESS);
    EXPECT_EQ(d.Buffer, nullptr);
    EXPECT_EQ(RtlDuplicateUnicodeString(RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE |
                                            RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING,
                                        &empty, &d),
              STATUS_SUCCESS);
    ASSERT_NE(d.Buffer, nullptr);
    EXPECT_EQ(d.Length, 0);
    EXPECT_EQ(d.MaximumLength, 2);
    EXPECT_EQ(d.Buffer[0], 0);
    RtlFreeUnicodeString(&d);

    EXPECT_EQ(RtlDuplicateUnicodeString(RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING, &s, &d),
              STATUS_INVALID_PARAMETER);
    EXPECT_EQ(RtlDuplicateUnicodeString(4, &s, &d), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(RtlDuplicateUnicodeString(0, nullptr, &d), STATUS_INVALID_PARAMETER);
    UNICODE_STRING bad{10, 4, s.Buffer};
    EXPECT_EQ(RtlDuplicateUnicodeString(0, &bad, &d), STATUS_INVALID_PARAMETER);
    UNICODE_STRING odd{3, 8, s.Buffer};
    EXPECT_EQ(RtlDuplicateUnicodeString(0, &odd, &d), STATUS_INVALID_PARAMETER);
    RtlFreeUnicodeString(&s);
    RtlFreeUnicodeString(&s); // second free of a released string is harmless (Buffer is NULL)
}

TEST(RtlString, IntegerToUnicode) {
    WCHAR buffer[12];
    UNICODE_STRING s{0, sizeof buffer, buffer};
    EXPECT_EQ(RtlIntegerToUnicodeString(1234, 10, &s), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(s), "1234");
    EXPECT_EQ(buffer[4], 0);
    EXPECT_EQ(RtlIntegerToUnicodeString(255, 16, &s), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(s), "FF");
    EXPECT_EQ(RtlIntegerToUnicodeString(5, 2, &s), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(s), "101");
    EXPECT_EQ(RtlIntegerToUnicodeString(8, 0, &s), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(s), "8");
    EXPECT_EQ(RtlIntegerToUnicodeString(8, 7, &s), STATUS_INVALID_PARAMETER);
    UNICODE_STRING small{0, 4, buffer}; // "123" needs 3 chars + terminator
    EXPECT_EQ(RtlIntegerToUnicodeString(123, 10, &small), STATUS_BUFFER_OVERFLOW);
    WCHAR big[24];
    UNICODE_STRING s64{0, sizeof big, big};
    EXPECT_EQ(RtlInt64ToUnicodeString(18446744073709551615ULL, 10, &s64), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(s64), "18446744073709551615");
}

TEST(RtlString, UnicodeToInteger) {
    ULONG v = 0;
    UNICODE_STRING s;
    RtlInitUnicodeString(&s, L"  123abc");
    EXPECT_EQ(RtlUnicodeStringToInteger(&s, 10, &v), STATUS_SUCCESS);
    EXPECT_EQ(v, 123u);
    RtlInitUnicodeString(&s, L"0x1A");
    EXPECT_EQ(RtlUnicodeStringToInteger(&s, 0, &v), STATUS_SUCCESS);
    EXPECT_EQ(v, 26u);
    RtlInitUnicodeString(&s, L"0b101");
    EXPECT_EQ(RtlUnicodeStringToInteger(&s, 0, &v), STATUS_SUCCESS);
    EXPECT_EQ(v, 5u);
    RtlInitUnicodeString(&s, L"-5");
    EXPECT_EQ(RtlUnicodeStringToInteger(&s, 10, &v), STATUS_SUCCESS);
    EXPECT_EQ(v, 0xFFFFFFFBu);
    RtlInitUnicodeString(&s, L"ff");
    EXPECT_EQ(RtlUnicodeStringToInteger(&s, 16, &v), STATUS_SUCCESS);
    EXPECT_EQ(v, 255u);
    EXPECT_EQ(RtlUnicodeStringToInteger(&s, 3, &v), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(RtlUnicodeStringToInteger(&s, 16, nullptr), STATUS_ACCESS_VIOLATION);
    UNICODE_STRING counted{2, 6, const_cast<PWCH>(L"789")}; // only "7"
    EXPECT_EQ(RtlUnicodeStringToInteger(&counted, 10, &v), STATUS_SUCCESS);
    EXPECT_EQ(v, 7u);
    EXPECT_EQ(RtlCharToInteger("  42", 10, &v), STATUS_SUCCESS);
    EXPECT_EQ(v, 42u);
    EXPECT_EQ(RtlCharToInteger("0o17", 0, &v), STATUS_SUCCESS);
    EXPECT_EQ(v, 15u);
    EXPECT_EQ(RtlCharToInteger("", 10, &v), STATUS_SUCCESS);
    EXPECT_EQ(v, 0u);
}

TEST(RtlString, MultiByteN) {
    char out[4];
    ULONG written = 99;
    EXPECT_EQ(RtlUnicodeToMultiByteN(out, 4, &written, L"abcdef", 12), STATUS_SUCCESS);
    EXPECT_EQ(written, 4u); // truncated to the destination
    EXPECT_EQ(std::string(out, 4), "abcd");
    WCHAR wide[3];
    EXPECT_EQ(RtlMultiByteToUnicodeN(wide, sizeof wide, &written, "xyz!", 4), STATUS_SUCCESS);
    EXPECT_EQ(written, 6u);
    EXPECT_EQ(Narrow(wide, 3), "xyz");
    ULONG size = 0;
    EXPECT_EQ(RtlUnicodeToMultiByteSize(&size, L"abc", 6), STATUS_SUCCESS);
    EXPECT_EQ(size, 3u);
    EXPECT_EQ(RtlMultiByteToUnicodeSize(&size, "abc", 3), STATUS_SUCCESS);
    EXPECT_EQ(size, 6u);
}

TEST(RtlString, Utf8ToUnicode) {
    const char utf8[] = "a\xC3\xA9\xF0\x9F\x98\x80"; // a, e-acute, U+1F600
    ULONG bytes = 0;
    EXPECT_EQ(RtlUTF8ToUnicodeN(nullptr, 0, &bytes, utf8, 7), STATUS_SUCCESS);
    EXPECT_EQ(bytes, 8u);
    WCHAR out[4];
    EXPECT_EQ(RtlUTF8ToUnicodeN(out, sizeof out, &bytes, utf8, 7), STATUS_SUCCESS);
    EXPECT_EQ(out[1], 0xE9);
    EXPECT_EQ(out[2], 0xD83D);
    EXPECT_EQ(out[3], 0xDE00);
    EXPECT_EQ(RtlUTF8ToUnicodeN(out, 6, &bytes, utf8, 7), STATUS_BUFFER_TOO_SMALL);
    EXPECT_EQ(bytes, 4u); // never half a surrogate pair
    EXPECT_EQ(RtlUTF8ToUnicodeN(out, sizeof out, &bytes,
                                "\xFF"
                                "a",
                                2),
              STATUS_SOME_NOT_MAPPED);
    EXPECT_EQ(out[0], 0xFFFD);
    EXPECT_EQ(out[1], L'a');
    EXPECT_EQ(RtlUTF8ToUnicodeN(out, sizeof out, &bytes, "\xC0\x80", 2), STATUS_SOME_NOT_MAPPED);
    EXPECT_EQ(RtlUTF8ToUnicodeN(nullptr, 0, nullptr, utf8, 7), STATUS_INVALID_PARAMETER);
    EXPECT_EQ(RtlUTF8ToUnicodeN(out, sizeof out, &bytes, nullptr, 1), STATUS_INVALID_PARAMETER_4);
}

TEST(RtlString, UnicodeToUtf8) {
    const WCHAR text[] = {L'a', 0xE9, 0xD83D, 0xDE00};
    ULONG bytes = 0;
    EXPECT_EQ(RtlUnicodeToUTF8N(nullptr, 0, &bytes, text, sizeof text), STATUS_SUCCESS);
    EXPECT_EQ(bytes, 7u);
    char out[8];
    EXPECT_EQ(RtlUnicodeToUTF8N(out, sizeof out, &bytes, text, sizeof text), STATUS_SUCCESS);
    EXPECT_EQ(std::string(out, bytes), "a\xC3\xA9\xF0\x9F\x98\x80");
    EXPECT_EQ(RtlUnicodeToUTF8N(out, 5, &bytes, text, sizeof text), STATUS_BUFFER_TOO_SMALL);
    EXPECT_EQ(bytes, 3u);
    const WCHAR lone[] = {0xDC00};
    EXPECT_EQ(RtlUnicodeToUTF8N(out, sizeof out, &bytes, lone, 2), STATUS_SOME_NOT_MAPPED);
    EXPECT_EQ(std::string(out, bytes), "\xEF\xBF\xBD");
    EXPECT_EQ(RtlUnicodeToUTF8N(out, sizeof out, &bytes, text, 3), STATUS_INVALID_PARAMETER_5);
    EXPECT_EQ(RtlUnicodeToUTF8N(out, sizeof out, &bytes, nullptr, 2), STATUS_INVALID_PARAMETER_4);
    EXPECT_EQ(RtlUnicodeToUTF8N(nullptr, 0, nullptr, text, 2), STATUS_INVALID_PARAMETER);
}
