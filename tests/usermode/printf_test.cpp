// The client printf family: Windows conversions through the shared formatter.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "fake_ntdll.h"

namespace {

std::string Narrow(const wchar_t* s) {
    std::string out;
    for (; *s; ++s)
        out.push_back(*s < 0x80 ? char(*s) : '?');
    return out;
}

// Runs `print` with stdout redirected to a temporary file and returns what it wrote.
template <typename F> std::string CaptureStdout(F print) {
    fflush(stdout);
    FILE* tmp = tmpfile();
    int saved = dup(fileno(stdout));
    dup2(fileno(tmp), fileno(stdout));
    print();
    fflush(stdout);
    dup2(saved, fileno(stdout));
    close(saved);
    std::string out;
    rewind(tmp);
    int c;
    while ((c = fgetc(tmp)) != EOF)
        out.push_back(char(c));
    fclose(tmp);
    return out;
}

TEST(Printf, SprintfWindowsConversions) {
    char buffer[256];
    UNICODE_STRING us;
    wchar_t text[] = L"Booster";
    us.Buffer = text;
    us.Length = 7 * sizeof(WCHAR);
    us.MaximumLength = sizeof(text);
    EXPECT_EQ(sprintf(buffer, "%ws|%S|%ls|%wZ", L"wide", L"big", L"el", &us), 19);
    EXPECT_STREQ(buffer, "wide|big|el|Booster");
    long minusOne = -1; // 32-bit on Windows: %lu prints 4294967295
    sprintf(buffer, "%ld %lu %lx", minusOne, (unsigned long)0xFFFFFFFFul, 0x1234abcdl);
    EXPECT_STREQ(buffer, "-1 4294967295 1234abcd");
    sprintf(buffer, "%I64d %I64x %lld", -5000000000LL, 0x123456789ULL, 1LL << 40);
    EXPECT_STREQ(buffer, "-5000000000 123456789 1099511627776");
    sprintf(buffer, "%p", reinterpret_cast<void*>(0xABCDEF));
    EXPECT_STREQ(buffer, "0000000000ABCDEF");
    sprintf(buffer, "%ws", static_cast<const wchar_t*>(nullptr));
    EXPECT_STREQ(buffer, "(null)");
}

TEST(Printf, SnprintfIsC99AndUnderscoreSnprintfIsMicrosoft) {
    char buffer[8];
    EXPECT_EQ(snprintf(buffer, sizeof(buffer), "%s", "0123456789"), 10);
    EXPECT_STREQ(buffer, "0123456");
    EXPECT_EQ(snprintf(nullptr, 0, "%d", 12345), 5);

    memset(buffer, 'x', sizeof(buffer));
    EXPECT_EQ(_snprintf(buffer, 4, "%s", "abcdef"), -1);
    EXPECT_EQ(std::string(buffer, 5), "abcdx"); // no terminator
    EXPECT_EQ(_snprintf(buffer, 3, "%s", "abc"), 3);
    EXPECT_EQ(buffer[3], 'd'); // exactly fits: no terminator either
    EXPECT_EQ(_snprintf(buffer, 8, "%d", 42), 2);
    EXPECT_STREQ(buffer, "42");

    EXPECT_EQ(sprintf_s(buffer, 4, "%s", "abcd"), -1);
    EXPECT_EQ(buffer[0], 0);
    EXPECT_EQ(sprintf_s(buffer, "%s", "abc"), 3);
    EXPECT_STREQ(buffer, "abc");
    EXPECT_EQ(sprintf_s(nullptr, 4, "x"), -1);
}

TEST(Printf, WideFamily) {
    wchar_t buffer[32];
    EXPECT_EQ(swprintf_s(buffer, L"%s=%d", L"prio", 31), 7);
    EXPECT_EQ(Narrow(buffer), "prio=31");
    EXPECT_EQ(swprintf_s(buffer, 4, L"%s", L"toolong"), -1);
    EXPECT_EQ(buffer[0], 0);
    EXPECT_EQ(swprintf(buffer, 32, L"%S|%hs|%ws", "narrow", "h", L"w"), 10);
    EXPECT_EQ(Narrow(buffer), "narrow|h|w");
    EXPECT_EQ(swprintf(buffer, 4, L"%d", 123456), -1);
    EXPECT_EQ(Narrow(buffer), "123");

    wchar_t small[4];
    for (auto& c : small)
        c = L'x';
    EXPECT_EQ(_snwprintf(small, 4, L"%s", L"abcdef"), -1);
    EXPECT_EQ(small[3], L'd');
    EXPECT_EQ(_snwprintf(buffer, 32, L"%I64u", 18446744073709551615ULL), 20);
    EXPECT_EQ(Narrow(buffer), "18446744073709551615");
}

TEST(Printf, OutputToStdoutInterleavesWithPutsRewriting) {
    std::string out = CaptureStdout([] {
        printf("plain\n");          // g++ turns this into puts("plain")
        printf("%s\n", "via puts"); // and this into puts("via puts")
        printf("%ws/%S %ld\n", L"wide", L"S", (long)-7);
        printf("c"); // putchar('c')
        wprintf(L"%s %hs\n", L"w\u00e9", "n");
        fprintf(stdout, "%I64d\n", 1LL << 33);
    });
    EXPECT_EQ(out, "plain\nvia puts\nwide/S -7\ncw\xc3\xa9 n\n8589934592\n");
}

TEST(Printf, FprintfToClosedStreamFails) {
    // Through a pointer: glibc's <stdio.h> declares the stream nonnull, and UBSan would flag a
    // direct call; the runtime's fprintf itself must still refuse a NULL stream.
    int (*volatile print)(FILE*, const char*, ...) = fprintf;
    EXPECT_EQ(print(nullptr, "x"), -1);
}

} // namespace

namespace {
TEST(Printf, UnderscoreVariantsMeasureWithNullBuffer) {
    EXPECT_EQ(_snprintf(nullptr, 0, "%d", 12345), 5);
    EXPECT_EQ(_snwprintf(nullptr, 0, L"%d", 123), 3);
    EXPECT_EQ(_snprintf(nullptr, 4, "%d", 12345), -1);
}
} // namespace
