// ntsim::rtl::FormatNarrow / FormatWide: every conversion the kernel's printf family accepts.
#include <gtest/gtest.h>

#include <cstdarg>
#include <string>

#include "rtl/format.h"
#include "test_support.h"

namespace {

using ntsim::test::Narrow;

std::string F(const char* format, ...) {
    va_list args;
    va_start(args, format);
    std::string s = ntsim::rtl::FormatNarrow(format, args);
    va_end(args);
    return s;
}

// Narrow output through the buffer interface; also returns the needed length.
std::string FB(size_t capacity, size_t* needed, const char* format, ...) {
    char buffer[256];
    memset(buffer, 'X', sizeof buffer);
    va_list args;
    va_start(args, format);
    *needed = ntsim::rtl::FormatNarrow(buffer, capacity, format, args);
    va_end(args);
    return std::string(buffer);
}

std::string W(const WCHAR* format, ...) {
    WCHAR buffer[256];
    va_list args;
    va_start(args, format);
    size_t n = ntsim::rtl::FormatWide(buffer, 256, format, args);
    va_end(args);
    EXPECT_LT(n, 256u);
    return Narrow(buffer);
}

TEST(RtlFormat, PlainTextAndPercent) {
    EXPECT_EQ(F("hello"), "hello");
    EXPECT_EQ(F("100%%"), "100%");
    EXPECT_EQ(F(""), "");
}

TEST(RtlFormat, SignedIntegers) {
    EXPECT_EQ(F("%d", 42), "42");
    EXPECT_EQ(F("%i", -42), "-42");
    EXPECT_EQ(F("%d", INT32_MIN), "-2147483648");
    EXPECT_EQ(F("%+d %+d", 5, -5), "+5 -5");
    EXPECT_EQ(F("% d", 5), " 5");
    EXPECT_EQ(F("%5d|%-5d|%05d", 42, 42, -42), "   42|42   |-0042");
    EXPECT_EQ(F("%.3d", 7), "007");
    EXPECT_EQ(F("%.0d", 0), "");
    EXPECT_EQ(F("%08.3d", 7), "     007"); // precision disables '0'
    EXPECT_EQ(F("%*d|%-*d", 4, 1, 3, 2), "   1|2  ");
    EXPECT_EQ(F("%*d", -4, 1), "1   "); // negative '*' width means left-justify
    EXPECT_EQ(F("%.*d", -1, 5), "5");   // negative '*' precision is ignored
}

TEST(RtlFormat, LongIs32BitLikeWindows) {
    // LLP64: %ld reads a 32-bit value; the upper half of a 64-bit slot is ignored.
    EXPECT_EQ(F("%ld", -1), "-1");
    EXPECT_EQ(F("%lu", 0xFFFFFFFFu), "4294967295");
    EXPECT_EQ(F("%lx", 0xDEADBEEFu), "deadbeef");
    EXPECT_EQ(F("%lu %d", 0x1122334455667788ULL, 9), "1432778632 9");
}

TEST(RtlFormat, SixtyFourBitSizes) {
    EXPECT_EQ(F("%lld", -1234567890123LL), "-1234567890123");
    EXPECT_EQ(F("%llu", 18446744073709551615ULL), "18446744073709551615");
    EXPECT_EQ(F("%llx", 0x123456789ABCDEFULL), "123456789abcdef");
    EXPECT_EQ(F("%I64d", -5LL), "-5");
    EXPECT_EQ(F("%I64u", 1ULL << 40), "1099511627776");
    EXPECT_EQ(F("%I64x", 0xFFFFFFFFFFULL), "ffffffffff");
    EXPECT_EQ(F("%I64X", 0xABCDEF0123ULL), "ABCDEF0123");
    EXPECT_EQ(F("%Ix", size_t(0x1000000000)), "1000000000");
    EXPECT_EQ(F("%Iu", size_t(12)), "12");
    EXPECT_EQ(F("%I32d", -3), "-3");
    EXPECT_EQ(F("%zu %zd", size_t(77), ptrdiff_t(-77)), "77 -77");
    EXPECT_EQ(F("%jd %td", intmax_t(-8), ptrdiff_t(8)), "-8 8");
}

TEST(RtlFormat, ShortAndCharSizes) {
    EXPECT_EQ(F("%hd", 0x18000), "-32768");
    EXPECT_EQ(F("%hu", 0x1FFFF), "65535");
    EXPECT_EQ(F("%hx", 0x12345), "2345");
    EXPECT_EQ(F("%hhd", 0x1FF), "-1");
    EXPECT_EQ(F("%hhu", 0x1FF), "255");
}

TEST(RtlFormat, HexOctalAlternateForms) {
    EXPECT_EQ(F("%x %X", 255u, 255u), "ff FF");
    EXPECT_EQ(F("%#x %#X %#x", 255u, 255u, 0u), "0xff 0XFF 0");
    EXPECT_EQ(F("%08x", 0xBEEFu), "0000beef");
    EXPECT_EQ(F("%#010x", 0xBEEFu), "0x0000beef");
    EXPECT_EQ(F("%o %#o %#o", 8u, 8u, 0u), "10 010 0");
    EXPECT_EQ(F("%u", 4000000000u), "4000000000");
}

TEST(RtlFormat, PointerIs16UppercaseHexDigits) {
    EXPECT_EQ(F("%p", reinterpret_cast<void*>(0x12ab)), "00000000000012AB");
    EXPECT_EQ(F("%p", nullptr), "0000000000000000");
    EXPECT_EQ(F("%p", reinterpret_cast<void*>(0xFFFFF80012345678ULL)), "FFFFF80012345678");
    EXPECT_EQ(F("[%20p]", reinterpret_cast<void*>(1)), "[    0000000000000001]");
    EXPECT_EQ(F("[%-18p]", reinterpret_cast<void*>(1)), "[0000000000000001  ]");
}

TEST(RtlFormat, NarrowStrings) {
    EXPECT_EQ(F("%s", "abc"), "abc");
    EXPECT_EQ(F("%hs", "abc"), "abc");
    EXPECT_EQ(F("[%5s][%-5s]", "ab", "ab"), "[   ab][ab   ]");
    EXPECT_EQ(F("%.2s", "abcdef"), "ab");
    EXPECT_EQ(F("%.*s", 3, "abcdef"), "abc");
    EXPECT_EQ(F("%s", static_cast<const char*>(nullptr)), "(null)");
    EXPECT_EQ(F("[%8s]", static_cast<const char*>(nullptr)), "[  (null)]");
}

TEST(RtlFormat, WideStringsInNarrowOutput) {
    EXPECT_EQ(F("%ws", L"wide"), "wide");
    EXPECT_EQ(F("%ls", L"wide"), "wide");
    EXPECT_EQ(F("%S", L"wide"), "wide");
    EXPECT_EQ(F("%.2ws", L"wide"), "wi");
    EXPECT_EQ(F("[%6ws]", L"wi"), "[    wi]");
    EXPECT_EQ(F("%ws", static_cast<const WCHAR*>(nullptr)), "(null)");
    EXPECT_EQ(F("%S", static_cast<const WCHAR*>(nullptr)), "(null)");
    // Non-ASCII converts to UTF-8 (e-acute, euro sign, U+1F600 as a surrogate pair).
    const WCHAR text[] = {0xE9, 0x20AC, 0xD83D, 0xDE00, 0};
    EXPECT_EQ(F("%ws", text), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    const WCHAR lone[] = {0xD800, 'a', 0};
    EXPECT_EQ(F("%ws", lone), "\xEF\xBF\xBD"
                              "a");
}

TEST(RtlFormat, CountedStrings) {
    WCHAR buffer[] = L"Hello, world";
    UNICODE_STRING us{10, sizeof buffer, buffer}; // "Hello" (Length in bytes, no NUL needed)
    EXPECT_EQ(F("%wZ", &us), "Hello");
    EXPECT_EQ(F("[%-7wZ]", &us), "[Hello  ]");
    EXPECT_EQ(F("%.3wZ", &us), "Hel");
    EXPECT_EQ(F("%wZ", static_cast<UNICODE_STRING*>(nullptr)), "(null)");
    UNICODE_STRING nobuf{0, 0, nullptr};
    EXPECT_EQ(F("%wZ", &nobuf), "(null)");
    UNICODE_STRING empty{0, sizeof buffer, buffer};
    EXPECT_EQ(F("[%wZ]", &empty), "[]");
    // Embedded NULs are part of a counted string.
    WCHAR withNul[] = {'a', 0, 'b'};
    UNICODE_STRING us2{6, 6, withNul};
    EXPECT_EQ(F("%wZ", &us2), std::string("a\0b", 3));

    char abuf[] = "ansi string";
    ANSI_STRING as{4, sizeof abuf, abuf};
    EXPECT_EQ(F("%Z", &as), "ansi");
    EXPECT_EQ(F("%Z", static_cast<ANSI_STRING*>(nullptr)), "(null)");
}

TEST(RtlFormat, Characters) {
    EXPECT_EQ(F("%c%c", 'o', 'k'), "ok");
    EXPECT_EQ(F("[%3c]", 'x'), "[  x]");
    EXPECT_EQ(F("%C", L'W'), "W");
    EXPECT_EQ(F("%wc", L'W'), "W");
    EXPECT_EQ(F("%lc", 0xE9), "\xC3\xA9");
    EXPECT_EQ(F("%hc", 'h'), "h");
}

TEST(RtlFormat, Doubles) {
    EXPECT_EQ(F("%f", 1.5), "1.500000");
    EXPECT_EQ(F("%.2f", 3.14159), "3.14");
    EXPECT_EQ(F("%8.3f|%-8.1f|", -2.5, 2.25), "  -2.500|2.2     |");
    EXPECT_EQ(F("%e", 12345.678), "1.234568e+04");
    EXPECT_EQ(F("%g %G", 0.0001, 1e20), "0.0001 1E+20");
    EXPECT_EQ(F("%a", 1.0), "0x1p+0");
    EXPECT_EQ(F("%+.1f", 2.0), "+2.0");
}

TEST(RtlFormat, PercentNWritesNothing) {
    int target = 1234;
    EXPECT_EQ(F("ab%ncd%d", &target, 5), "abcd5");
    EXPECT_EQ(target, 1234);
}

TEST(RtlFormat, UnknownAndIncompleteConversionsPrintLiterally) {
    EXPECT_EQ(F("%y|%d", 3), "%y|3");
    EXPECT_EQ(F("tail %"), "tail %");
    EXPECT_EQ(F("tail %-5"), "tail %-5");
}

TEST(RtlFormat, BufferTruncationAndReturnValue) {
    size_t needed = 0;
    EXPECT_EQ(FB(5, &needed, "%s", "abcdefgh"), "abcd");
    EXPECT_EQ(needed, 8u);
    EXPECT_EQ(FB(9, &needed, "%s", "abcdefgh"), "abcdefgh");
    EXPECT_EQ(needed, 8u);
    EXPECT_EQ(FB(1, &needed, "%d", 12345), "");
    EXPECT_EQ(needed, 5u);

    char untouched[4] = {'Q', 'Q', 'Q', 0};
    // Capacity 0 writes nothing at all, not even the NUL, but still measures.
    auto measure = [&](const char* fmt, ...) {
        va_list args;
        va_start(args, fmt);
        size_t n = ntsim::rtl::FormatNarrow(untouched, 0, fmt, args);
        va_end(args);
        return n;
    };
    EXPECT_EQ(measure("%s-%d", "abc", 42), 6u);
    EXPECT_EQ(std::string(untouched), "QQQ");
}

TEST(RtlFormat, TruncatedMultibyteIsCutAtTheBuffer) {
    size_t needed = 0;
    const WCHAR euro[] = {0x20AC, 0};
    std::string s = FB(3, &needed, "%ws", euro); // 3 UTF-8 bytes need capacity 4
    EXPECT_EQ(needed, 3u);
    EXPECT_EQ(s.size(), 2u);
}

TEST(RtlFormat, WideOutput) {
    EXPECT_EQ(W(L"plain"), "plain");
    EXPECT_EQ(W(L"%d-%u-%x", -1, 7u, 255u), "-1-7-ff");
    EXPECT_EQ(W(L"%s", L"wide"), "wide"); // %s is the output's width
    EXPECT_EQ(W(L"%ws|%ls", L"a", L"b"), "a|b");
    EXPECT_EQ(W(L"%S", "narrow"), "narrow"); // %S the other width
    EXPECT_EQ(W(L"%hs", "narrow"), "narrow");
    EXPECT_EQ(W(L"%c%C", L'w', 'n'), "wn");
    EXPECT_EQ(W(L"%I64u", 1ULL << 33), "8589934592");
    EXPECT_EQ(W(L"%p", reinterpret_cast<void*>(0xABC)), "0000000000000ABC");
    EXPECT_EQ(W(L"%s", static_cast<const WCHAR*>(nullptr)), "(null)");
    EXPECT_EQ(W(L"%S", static_cast<const char*>(nullptr)), "(null)");
    EXPECT_EQ(W(L"%5.1f", 2.25), "  2.2");
    WCHAR buffer[] = L"counted";
    UNICODE_STRING us{8, sizeof buffer, buffer};
    EXPECT_EQ(W(L"<%wZ>", &us), "<coun>");
    char abuf[] = "ansi";
    ANSI_STRING as{2, sizeof abuf, abuf};
    EXPECT_EQ(W(L"<%Z>", &as), "<an>");
}

TEST(RtlFormat, WideOutputDecodesUtf8Arguments) {
    WCHAR buffer[16];
    auto call = [&](const WCHAR* fmt, ...) {
        va_list args;
        va_start(args, fmt);
        size_t n = ntsim::rtl::FormatWide(buffer, 16, fmt, args);
        va_end(args);
        return n;
    };
    EXPECT_EQ(call(L"%S", "\xC3\xA9\xF0\x9F\x98\x80"), 3u);
    EXPECT_EQ(buffer[0], 0xE9);
    EXPECT_EQ(buffer[1], 0xD83D);
    EXPECT_EQ(buffer[2], 0xDE00);
    EXPECT_EQ(buffer[3], 0);
    // An invalid UTF-8 byte is taken as Latin-1.
    EXPECT_EQ(call(L"%S", "\xFF"), 1u);
    EXPECT_EQ(buffer[0], 0xFF);
}

TEST(RtlFormat, WideTruncation) {
    WCHAR buffer[4] = {1, 1, 1, 1};
    auto call = [&](size_t capacity, const WCHAR* fmt, ...) {
        va_list args;
        va_start(args, fmt);
        size_t n = ntsim::rtl::FormatWide(buffer, capacity, fmt, args);
        va_end(args);
        return n;
    };
    EXPECT_EQ(call(4, L"%s", L"abcdef"), 6u);
    EXPECT_EQ(Narrow(buffer), "abc");
    EXPECT_EQ(call(0, L"%d", 5), 1u);
    EXPECT_EQ(Narrow(buffer), "abc");
}

TEST(RtlFormat, NullFormatProducesNothing) {
    size_t needed = 99;
    EXPECT_EQ(FB(10, &needed, nullptr), "");
    EXPECT_EQ(needed, 0u);
}

} // namespace
