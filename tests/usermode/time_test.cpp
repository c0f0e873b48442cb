// Tick counts, performance counter and FILETIME <-> SYSTEMTIME conversions.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "fake_ntdll.h"

namespace {

FILETIME Ft(ULONGLONG v) {
    return FILETIME{DWORD(v), DWORD(v >> 32)};
}
ULONGLONG V(const FILETIME& f) {
    return (ULONGLONG(f.dwHighDateTime) << 32) | f.dwLowDateTime;
}

TEST(Time, FileTimeToSystemTimeKnownValues) {
    SYSTEMTIME st;
    FILETIME zero = Ft(0);
    ASSERT_TRUE(FileTimeToSystemTime(&zero, &st));
    EXPECT_EQ(st.wYear, 1601);
    EXPECT_EQ(st.wMonth, 1);
    EXPECT_EQ(st.wDay, 1);
    EXPECT_EQ(st.wDayOfWeek, 1); // Monday
    EXPECT_EQ(st.wHour, 0);

    FILETIME unixEpoch = Ft(116444736000000000ULL);
    ASSERT_TRUE(FileTimeToSystemTime(&unixEpoch, &st));
    EXPECT_EQ(st.wYear, 1970);
    EXPECT_EQ(st.wMonth, 1);
    EXPECT_EQ(st.wDay, 1);
    EXPECT_EQ(st.wDayOfWeek, 4); // Thursday

    // 2024-02-29 13:45:30.123 UTC (a Thursday) = Unix 1709214330.123
    FILETIME leap = Ft(116444736000000000ULL + 1709214330ULL * 10000000ULL + 1230000ULL);
    ASSERT_TRUE(FileTimeToSystemTime(&leap, &st));
    EXPECT_EQ(st.wYear, 2024);
    EXPECT_EQ(st.wMonth, 2);
    EXPECT_EQ(st.wDay, 29);
    EXPECT_EQ(st.wDayOfWeek, 4);
    EXPECT_EQ(st.wHour, 13);
    EXPECT_EQ(st.wMinute, 45);
    EXPECT_EQ(st.wSecond, 30);
    EXPECT_EQ(st.wMilliseconds, 123);

    FILETIME tooBig = Ft(0x8000000000000000ULL);
    EXPECT_FALSE(FileTimeToSystemTime(&tooBig, &st));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
    EXPECT_FALSE(FileTimeToSystemTime(nullptr, &st));
}

TEST(Time, SystemTimeToFileTimeRoundTripsAndValidates) {
    SYSTEMTIME st{2024, 2, 0, 29, 13, 45, 30, 123};
    FILETIME ft;
    ASSERT_TRUE(SystemTimeToFileTime(&st, &ft));
    EXPECT_EQ(V(ft), 116444736000000000ULL + 1709214330ULL * 10000000ULL + 1230000ULL);
    SYSTEMTIME back;
    ASSERT_TRUE(FileTimeToSystemTime(&ft, &back));
    EXPECT_EQ(back.wDay, 29);

    SYSTEMTIME bad[] = {{2023, 2, 0, 29, 0, 0, 0, 0}, {1600, 12, 0, 31, 0, 0, 0, 0},
                        {2024, 13, 0, 1, 0, 0, 0, 0}, {2024, 1, 0, 1, 24, 0, 0, 0},
                        {2024, 1, 0, 1, 0, 60, 0, 0}, {2024, 1, 0, 1, 0, 0, 0, 1000},
                        {2024, 4, 0, 31, 0, 0, 0, 0}, {2024, 1, 0, 0, 0, 0, 0, 0}};
    for (auto& b : bad) {
        SetLastError(0);
        EXPECT_FALSE(SystemTimeToFileTime(&b, &ft)) << b.wYear << "-" << b.wMonth << "-" << b.wDay;
        EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
    }
}

TEST(Time, LocalTimeFollowsTheTimeZone) {
    const char* saved = getenv("TZ");
    std::string savedValue = saved ? saved : "";
    setenv("TZ", "UTC-3", 1); // POSIX sign: 3 hours east of UTC
    tzset();
    FILETIME utc = Ft(116444736000000000ULL), local;
    ASSERT_TRUE(FileTimeToLocalFileTime(&utc, &local));
    EXPECT_EQ(V(local) - V(utc), 3ULL * 3600 * 10000000ULL);
    if (saved)
        setenv("TZ", savedValue.c_str(), 1);
    else
        unsetenv("TZ");
    tzset();
    EXPECT_FALSE(FileTimeToLocalFileTime(nullptr, &local));
}

TEST(Time, ClocksAreConsistent) {
    LARGE_INTEGER f, a, b;
    ASSERT_TRUE(QueryPerformanceFrequency(&f));
    EXPECT_EQ(f.QuadPart, 10000000LL);
    ASSERT_TRUE(QueryPerformanceCounter(&a));
    ASSERT_TRUE(QueryPerformanceCounter(&b));
    EXPECT_GE(b.QuadPart, a.QuadPart);
    EXPECT_FALSE(QueryPerformanceCounter(nullptr));
    ULONGLONG t64 = GetTickCount64();
    DWORD t32 = GetTickCount();
    EXPECT_LT(t32 - DWORD(t64), 1000u); // the same clock, truncated

    FILETIME now;
    GetSystemTimeAsFileTime(&now);
    ULONGLONG unixNow = (V(now) - 116444736000000000ULL) / 10000000ULL;
    EXPECT_LE(std::llabs(LONGLONG(unixNow) - LONGLONG(time(nullptr))), 2);
    SYSTEMTIME st;
    GetSystemTime(&st);
    EXPECT_GE(st.wYear, 2024);
    GetLocalTime(&st);
    EXPECT_GE(st.wMonth, 1);
}

} // namespace
