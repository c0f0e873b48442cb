// Tick counts, the performance counter and FILETIME/SYSTEMTIME conversions.
//
// FILETIME: 100 ns units since 1601-01-01 00:00 UTC (a proleptic Gregorian Monday). Local time
// is UTC plus the current offset of the process's time zone (TZ), which is what
// FileTimeToLocalFileTime documents (the current bias, not the one at that date).
#include "kernel32/k32.h"

#include <time.h>

namespace {

constexpr ULONGLONG kTicksPerMillisecond = 10000;
constexpr ULONGLONG kTicksPerSecond = 10000000;
constexpr ULONGLONG kTicksPerDay = 86400 * kTicksPerSecond;
constexpr LONGLONG kDays1601To1970 = 134774;
constexpr ULONGLONG kUnixEpochTicks = ULONGLONG(kDays1601To1970) * kTicksPerDay;
// The largest year SYSTEMTIME can express with a valid FILETIME.
constexpr WORD kMaxYear = 30827;

ULONGLONG ClockTicks(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return ULONGLONG(ts.tv_sec) * kTicksPerSecond + ULONGLONG(ts.tv_nsec) / 100;
}

ULONGLONG FileTimeToTicks(const FILETIME* ft) {
    return (ULONGLONG(ft->dwHighDateTime) << 32) | ft->dwLowDateTime;
}

void TicksToFileTime(ULONGLONG ticks, FILETIME* ft) {
    ft->dwLowDateTime = DWORD(ticks);
    ft->dwHighDateTime = DWORD(ticks >> 32);
}

bool IsLeapYear(LONGLONG y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int DaysInMonth(LONGLONG year, int month) {
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 of a civil date, and back (400-year eras of 146097 days, years
// counted from March so that the leap day is the era-year's last).
LONGLONG DaysFromCivil(LONGLONG y, unsigned m, unsigned d) {
    y -= m <= 2;
    LONGLONG era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = unsigned(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + LONGLONG(doe) - 719468;
}

void CivilFromDays(LONGLONG z, LONGLONG& y, unsigned& m, unsigned& d) {
    z += 719468;
    LONGLONG era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = unsigned(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = LONGLONG(yoe) + era * 400 + (m <= 2);
}

// The time zone's current offset from UTC, in FILETIME ticks.
LONGLONG LocalBiasTicks() {
    time_t now = time(nullptr);
    tm local{};
    localtime_r(&now, &local);
    return LONGLONG(local.tm_gmtoff) * LONGLONG(kTicksPerSecond);
}

} // namespace

extern "C" DWORD WINAPI GetTickCount(VOID) {
    return DWORD(GetTickCount64());
}

// Milliseconds since the machine booted (suspend included, like Windows' interrupt time).
extern "C" ULONGLONG WINAPI GetTickCount64(VOID) {
    return ClockTicks(CLOCK_BOOTTIME) / kTicksPerMillisecond;
}

// The counter ticks at 10 MHz (100 ns), like Windows' on current machines.
extern "C" BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER* lpPerformanceCount) {
    if (!lpPerformanceCount) {
        SetLastError(ERROR_NOACCESS);
        return FALSE;
    }
    lpPerformanceCount->QuadPart = LONGLONG(ClockTicks(CLOCK_MONOTONIC));
    return TRUE;
}

extern "C" BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER* lpFrequency) {
    if (!lpFrequency) {
        SetLastError(ERROR_NOACCESS);
        return FALSE;
    }
    lpFrequency->QuadPart = LONGLONG(kTicksPerSecond);
    return TRUE;
}

extern "C" VOID WINAPI GetSystemTimeAsFileTime(LPFILETIME lpSystemTimeAsFileTime) {
    TicksToFileTime(ClockTicks(CLOCK_REALTIME) + kUnixEpochTicks, lpSystemTimeAsFileTime);
}

extern "C" VOID WINAPI GetSystemTime(LPSYSTEMTIME lpSystemTime) {
    FILETIME now;
    GetSystemTimeAsFileTime(&now);
    FileTimeToSystemTime(&now, lpSystemTime);
}

extern "C" VOID WINAPI GetLocalTime(LPSYSTEMTIME lpSystemTime) {
    FILETIME now, local;
    GetSystemTimeAsFileTime(&now);
    FileTimeToLocalFileTime(&now, &local);
    FileTimeToSystemTime(&local, lpSystemTime);
}

extern "C" BOOL WINAPI FileTimeToLocalFileTime(const FILETIME* lpFileTime,
                                               LPFILETIME lpLocalFileTime) {
    if (!lpFileTime || !lpLocalFileTime) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    LONGLONG local = LONGLONG(FileTimeToTicks(lpFileTime)) + LocalBiasTicks();
    if (local < 0) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    TicksToFileTime(ULONGLONG(local), lpLocalFileTime);
    return TRUE;
}

// Fails (ERROR_INVALID_PARAMETER) for values >= 0x8000000000000000, as Windows does.
extern "C" BOOL WINAPI FileTimeToSystemTime(const FILETIME* lpFileTime, LPSYSTEMTIME lpSystemTime) {
    if (!lpFileTime || !lpSystemTime) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ULONGLONG ticks = FileTimeToTicks(lpFileTime);
    if (ticks >= 0x8000000000000000ULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    LONGLONG days = LONGLONG(ticks / kTicksPerDay);
    ULONGLONG rest = ticks % kTicksPerDay;
    LONGLONG year;
    unsigned month, day;
    CivilFromDays(days - kDays1601To1970, year, month, day);
    lpSystemTime->wYear = WORD(year);
    lpSystemTime->wMonth = WORD(month);
    lpSystemTime->wDay = WORD(day);
    lpSystemTime->wDayOfWeek = WORD((days + 1) % 7); // 1601-01-01 was a Monday
    lpSystemTime->wHour = WORD(rest / (3600 * kTicksPerSecond));
    lpSystemTime->wMinute = WORD(rest / (60 * kTicksPerSecond) % 60);
    lpSystemTime->wSecond = WORD(rest / kTicksPerSecond % 60);
    lpSystemTime->wMilliseconds = WORD(rest / kTicksPerMillisecond % 1000);
    return TRUE;
}

// wDayOfWeek is ignored; every other field must be in range.
extern "C" BOOL WINAPI SystemTimeToFileTime(const SYSTEMTIME* lpSystemTime, LPFILETIME lpFileTime) {
    if (!lpSystemTime || !lpFileTime) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    const SYSTEMTIME& st = *lpSystemTime;
    if (st.wYear < 1601 || st.wYear > kMaxYear || st.wMonth < 1 || st.wMonth > 12 || st.wDay < 1 ||
        st.wDay > DaysInMonth(st.wYear, st.wMonth) || st.wHour > 23 || st.wMinute > 59 ||
        st.wSecond > 59 || st.wMilliseconds > 999) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    LONGLONG days = DaysFromCivil(st.wYear, st.wMonth, st.wDay) + kDays1601To1970;
    ULONGLONG ticks =
        ULONGLONG(days) * kTicksPerDay + ULONGLONG(st.wHour) * 3600 * kTicksPerSecond +
        ULONGLONG(st.wMinute) * 60 * kTicksPerSecond + ULONGLONG(st.wSecond) * kTicksPerSecond +
        ULONGLONG(st.wMilliseconds) * kTicksPerMillisecond;
    TicksToFileTime(ticks, lpFileTime);
    return TRUE;
}
