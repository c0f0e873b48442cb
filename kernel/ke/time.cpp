// Time: system time (100 ns since 1601-01-01 UTC) from CLOCK_REALTIME, interrupt time and the
// performance counter (10 MHz, as on current Windows) from CLOCK_MONOTONIC, tick count in
// units of the 15.625 ms clock interval.
#include <time.h>

#include "core/export.h"
#include "ke/ke.h"
#include "ke/ki.h"

namespace ntsim::ke {
namespace {
// 100 ns intervals between 1601-01-01 and 1970-01-01.
constexpr LONGLONG kEpochDelta = 116444736000000000LL;
constexpr ULONG kTimeIncrement = 156250; // 15.625 ms in 100 ns units
constexpr LONGLONG kPerformanceFrequency = 10000000;

LONGLONG To100ns(const timespec& ts) {
    return LONGLONG(ts.tv_sec) * 10000000 + ts.tv_nsec / 100;
}
} // namespace

LONGLONG SystemTime() {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return To100ns(ts) + kEpochDelta;
}

ULONGLONG InterruptTime() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ULONGLONG(To100ns(ts));
}

} // namespace ntsim::ke

using namespace ntsim::ke;

extern "C" VOID NTAPI KeQuerySystemTime(PLARGE_INTEGER CurrentTime) {
    CurrentTime->QuadPart = SystemTime();
}
NTSIM_EXPORT(KeQuerySystemTime);

extern "C" VOID NTAPI KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime) {
    CurrentTime->QuadPart = SystemTime();
}
NTSIM_EXPORT(KeQuerySystemTimePrecise);

extern "C" ULONGLONG NTAPI KeQueryInterruptTime(VOID) {
    return InterruptTime();
}
NTSIM_EXPORT(KeQueryInterruptTime);

extern "C" ULONG64 NTAPI KeQueryInterruptTimePrecise(PULONG64 QpcTimeStamp) {
    ULONGLONG now = InterruptTime();
    // The performance counter runs at 10 MHz on the same clock: it equals interrupt time.
    if (QpcTimeStamp) *QpcTimeStamp = now;
    return now;
}
NTSIM_EXPORT(KeQueryInterruptTimePrecise);

extern "C" ULONGLONG NTAPI KeQueryUnbiasedInterruptTime(VOID) {
    return InterruptTime();
}
NTSIM_EXPORT(KeQueryUnbiasedInterruptTime);

extern "C" VOID NTAPI KeQueryTickCount(PLARGE_INTEGER CurrentCount) {
    CurrentCount->QuadPart = LONGLONG(InterruptTime() / kTimeIncrement);
}
NTSIM_EXPORT(KeQueryTickCount);

extern "C" ULONG NTAPI KeQueryTimeIncrement(VOID) {
    return kTimeIncrement;
}
NTSIM_EXPORT(KeQueryTimeIncrement);

extern "C" LARGE_INTEGER NTAPI KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency) {
    if (PerformanceFrequency) PerformanceFrequency->QuadPart = kPerformanceFrequency;
    LARGE_INTEGER counter;
    counter.QuadPart = LONGLONG(InterruptTime());
    return counter;
}
NTSIM_EXPORT(KeQueryPerformanceCounter);
