// rtl.strings: UNICODE_STRING/ANSI_STRING routines as documented for wdm.h, including the
// documented failures (buffers too small, bad bases, NULL sources).
#include "kmt.h"

namespace {

void TestInit() {
    UNICODE_STRING s;
    RtlFillMemory(&s, sizeof(s), 0xCC);
    RtlInitUnicodeString(&s, nullptr);
    ok_eq_uint(s.Length, 0);
    ok_eq_uint(s.MaximumLength, 0);
    ok_eq_ptr(s.Buffer, nullptr);

    const WCHAR* text = L"Hello";
    RtlInitUnicodeString(&s, text);
    ok_eq_uint(s.Length, 10);
    ok_eq_uint(s.MaximumLength, 12);
    ok_eq_ptr(s.Buffer, text);

    RtlInitUnicodeString(&s, L"");
    ok_eq_uint(s.Length, 0);
    ok_eq_uint(s.MaximumLength, 2);

    ANSI_STRING a;
    RtlInitAnsiString(&a, "abc");
    ok_eq_uint(a.Length, 3);
    ok_eq_uint(a.MaximumLength, 4);
    RtlInitAnsiString(&a, nullptr);
    ok_eq_uint(a.Length, 0);
    ok_eq_uint(a.MaximumLength, 0);
    ok_eq_ptr(a.Buffer, nullptr);

    UNICODE_STRING constant = RTL_CONSTANT_STRING(L"\\Device\\X");
    ok_eq_uint(constant.Length, 18);
    ok_eq_uint(constant.MaximumLength, 20);
}

void TestCopy() {
    WCHAR buffer[8];
    UNICODE_STRING dest = {0, sizeof(buffer), buffer};
    UNICODE_STRING src = RTL_CONSTANT_STRING(L"abc");
    RtlCopyUnicodeString(&dest, &src);
    ok_eq_uint(dest.Length, 6);
    ok_eq_ustr(&dest, L"abc");

    // Longer than the destination: truncated to MaximumLength.
    UNICODE_STRING longSrc = RTL_CONSTANT_STRING(L"0123456789");
    RtlCopyUnicodeString(&dest, &longSrc);
    ok_eq_uint(dest.Length, sizeof(buffer));
    ok_eq_ustr(&dest, L"01234567");

    // NULL source: the destination becomes empty.
    RtlCopyUnicodeString(&dest, nullptr);
    ok_eq_uint(dest.Length, 0);
}

void TestCompare() {
    UNICODE_STRING lower = RTL_CONSTANT_STRING(L"abc");
    UNICODE_STRING upper = RTL_CONSTANT_STRING(L"ABC");
    UNICODE_STRING longer = RTL_CONSTANT_STRING(L"abcd");
    ok_eq_int(RtlCompareUnicodeString(&lower, &upper, TRUE), 0);
    ok(RtlCompareUnicodeString(&lower, &upper, FALSE) > 0, "\"abc\" > \"ABC\" case-sensitively\n");
    ok(RtlCompareUnicodeString(&lower, &longer, FALSE) < 0, "\"abc\" < \"abcd\"\n");
    ok(RtlCompareUnicodeString(&longer, &lower, FALSE) > 0, "\"abcd\" > \"abc\"\n");
    ok_eq_bool(RtlEqualUnicodeString(&lower, &upper, TRUE), TRUE);
    ok_eq_bool(RtlEqualUnicodeString(&lower, &upper, FALSE), FALSE);
    ok_eq_bool(RtlEqualUnicodeString(&lower, &longer, TRUE), FALSE);
    ok_eq_bool(RtlPrefixUnicodeString(&upper, &longer, TRUE), TRUE);
    ok_eq_bool(RtlPrefixUnicodeString(&upper, &longer, FALSE), FALSE);
    ok_eq_bool(RtlPrefixUnicodeString(&longer, &lower, TRUE), FALSE);
}

void TestAppend() {
    WCHAR buffer[6];
    UNICODE_STRING dest = {0, sizeof(buffer), buffer};
    ok_eq_status(RtlAppendUnicodeToString(&dest, L"abc"), STATUS_SUCCESS);
    ok_eq_uint(dest.Length, 6);
    ok_eq_status(RtlAppendUnicodeToString(&dest, L"de"), STATUS_SUCCESS);
    ok_eq_ustr(&dest, L"abcde");
    // Does not fit: the destination is left as it was.
    ok_eq_status(RtlAppendUnicodeToString(&dest, L"xy"), STATUS_BUFFER_TOO_SMALL);
    ok_eq_ustr(&dest, L"abcde");

    UNICODE_STRING more = RTL_CONSTANT_STRING(L"f");
    ok_eq_status(RtlAppendUnicodeStringToString(&dest, &more), STATUS_SUCCESS);
    ok_eq_ustr(&dest, L"abcdef");
    ok_eq_status(RtlAppendUnicodeStringToString(&dest, &more), STATUS_BUFFER_TOO_SMALL);
    ok_eq_uint(dest.Length, 12);
}

void TestIntegers() {
    WCHAR buffer[40];
    UNICODE_STRING s = {0, sizeof(buffer), buffer};
    ok_eq_status(RtlIntegerToUnicodeString(255, 16, &s), STATUS_SUCCESS);
    ok_eq_ustr(&s, L"FF");
    ok_eq_status(RtlIntegerToUnicodeString(255, 0, &s), STATUS_SUCCESS);
    ok_eq_ustr(&s, L"255");
    ok_eq_status(RtlIntegerToUnicodeString(5, 2, &s), STATUS_SUCCESS);
    ok_eq_ustr(&s, L"101");
    ok_eq_status(RtlIntegerToUnicodeString(8, 8, &s), STATUS_SUCCESS);
    ok_eq_ustr(&s, L"10");
    ok_eq_status(RtlIntegerToUnicodeString(5, 3, &s), STATUS_INVALID_PARAMETER);
    WCHAR tiny[2];
    UNICODE_STRING small = {0, sizeof(tiny), tiny};
    ok_eq_status(RtlIntegerToUnicodeString(123456, 10, &small), STATUS_BUFFER_OVERFLOW);

    ULONG value = 0;
    UNICODE_STRING dec = RTL_CONSTANT_STRING(L"123");
    ok_eq_status(RtlUnicodeStringToInteger(&dec, 10, &value), STATUS_SUCCESS);
    ok_eq_uint(value, 123);
    UNICODE_STRING hex = RTL_CONSTANT_STRING(L"0x1F");
    ok_eq_status(RtlUnicodeStringToInteger(&hex, 0, &value), STATUS_SUCCESS);
    ok_eq_uint(value, 31);
    UNICODE_STRING bin = RTL_CONSTANT_STRING(L"0b101");
    ok_eq_status(RtlUnicodeStringToInteger(&bin, 0, &value), STATUS_SUCCESS);
    ok_eq_uint(value, 5);
    UNICODE_STRING ff = RTL_CONSTANT_STRING(L"ff");
    ok_eq_status(RtlUnicodeStringToInteger(&ff, 16, &value), STATUS_SUCCESS);
    ok_eq_uint(value, 255);
    ok_eq_status(RtlUnicodeStringToInteger(&dec, 7, &value), STATUS_INVALID_PARAMETER);
}

void TestConversions() {
    UNICODE_STRING wide = RTL_CONSTANT_STRING(L"Driver");
    ANSI_STRING ansi = {};
    ok_eq_status(RtlUnicodeStringToAnsiString(&ansi, &wide, TRUE), STATUS_SUCCESS);
    if (skip(ansi.Buffer != nullptr, "no ANSI buffer\n")) {
        ok_eq_uint(ansi.Length, 6);
        ok(ansi.MaximumLength >= 7, "MaximumLength %u leaves no room for the NUL\n",
           ansi.MaximumLength);
        ok_eq_str(ansi.Buffer, "Driver");
        RtlFreeAnsiString(&ansi);
    }

    CHAR small[4];
    ANSI_STRING shortAnsi = {0, sizeof(small), small};
    ok_eq_status(RtlUnicodeStringToAnsiString(&shortAnsi, &wide, FALSE), STATUS_BUFFER_OVERFLOW);

    ANSI_STRING source;
    RtlInitAnsiString(&source, "Sample");
    UNICODE_STRING back = {};
    ok_eq_status(RtlAnsiStringToUnicodeString(&back, &source, TRUE), STATUS_SUCCESS);
    if (skip(back.Buffer != nullptr, "no Unicode buffer\n")) {
        ok_eq_ustr(&back, L"Sample");
        RtlFreeUnicodeString(&back);
    }

    UNICODE_STRING upcased = {};
    ok_eq_status(RtlUpcaseUnicodeString(&upcased, &wide, TRUE), STATUS_SUCCESS);
    if (skip(upcased.Buffer != nullptr, "no upcased buffer\n")) {
        ok_eq_ustr(&upcased, L"DRIVER");
        RtlFreeUnicodeString(&upcased);
    }
}

} // namespace

KMT_TEST("rtl.strings", Test_RtlStrings);

void Test_RtlStrings() {
    TestInit();
    TestCopy();
    TestCompare();
    TestAppend();
    TestIntegers();
    TestConversions();
}
