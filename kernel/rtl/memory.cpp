// Memory comparison/fill helpers, byte swaps and the Rtl pseudo-random generators.
#include <cstring>
#include <mutex>

#include <wdm.h>

#include "core/export.h"

extern "C" SIZE_T NTAPI RtlCompareMemory(const VOID* Source1, const VOID* Source2, SIZE_T Length) {
    auto a = static_cast<const unsigned char*>(Source1);
    auto b = static_cast<const unsigned char*>(Source2);
    SIZE_T i = 0;
    while (i < Length && a[i] == b[i])
        ++i;
    return i;
}
NTSIM_EXPORT(RtlCompareMemory);

extern "C" SIZE_T NTAPI RtlCompareMemoryUlong(PVOID Source, SIZE_T Length, ULONG Pattern) {
    auto p = static_cast<const unsigned char*>(Source);
    SIZE_T matched = 0;
    for (SIZE_T i = 0; i + sizeof(ULONG) <= Length; i += sizeof(ULONG)) {
        ULONG v;
        std::memcpy(&v, p + i, sizeof v);
        if (v != Pattern) break;
        matched += sizeof(ULONG);
    }
    return matched;
}
NTSIM_EXPORT(RtlCompareMemoryUlong);

// Fills whole ULONGs only (Length rounded down to a multiple of 4), as Windows does.
extern "C" VOID NTAPI RtlFillMemoryUlong(PVOID Destination, SIZE_T Length, ULONG Pattern) {
    auto p = static_cast<unsigned char*>(Destination);
    for (SIZE_T i = 0; i + sizeof(ULONG) <= Length; i += sizeof(ULONG))
        std::memcpy(p + i, &Pattern, sizeof Pattern);
}
NTSIM_EXPORT(RtlFillMemoryUlong);

extern "C" USHORT NTAPI RtlUshortByteSwap(USHORT Source) {
    return __builtin_bswap16(Source);
}
NTSIM_EXPORT(RtlUshortByteSwap);
extern "C" ULONG NTAPI RtlUlongByteSwap(ULONG Source) {
    return __builtin_bswap32(Source);
}
NTSIM_EXPORT(RtlUlongByteSwap);
extern "C" ULONGLONG NTAPI RtlUlonglongByteSwap(ULONGLONG Source) {
    return __builtin_bswap64(Source);
}
NTSIM_EXPORT(RtlUlonglongByteSwap);

// ---- random numbers
// ------------------------------------------------------------------------------ Both generators
// advance the caller's seed with the Lehmer-style recurrence seed' = (seed * 0x7FFFFFED +
// 0x7FFFFFC3) mod 0x7FFFFFFF, so results are in [0, MAXLONG - 1]. RtlRandom additionally shuffles
// its results through a shared 128-entry table (Bays-Durham), RtlRandomEx returns the recurrence
// directly (faster, as documented).
namespace {

constexpr ULONGLONG kModulus = 0x7FFFFFFF;

ULONG NextUniform(PULONG seed) {
    ULONG value = ULONG((ULONGLONG(*seed) * 0x7FFFFFEDULL + 0x7FFFFFC3ULL) % kModulus);
    *seed = value;
    return value;
}

std::mutex g_shuffleLock;
ULONG g_shuffle[128];
bool g_shuffleReady = false;

} // namespace

extern "C" ULONG NTAPI RtlRandom(PULONG Seed) {
    std::lock_guard guard(g_shuffleLock);
    if (!g_shuffleReady) {
        ULONG init = 0x2545F491;
        for (ULONG& slot : g_shuffle)
            slot = NextUniform(&init);
        g_shuffleReady = true;
    }
    ULONG a = NextUniform(Seed);
    ULONG b = NextUniform(Seed);
    ULONG index = b & 0x7F;
    ULONG result = g_shuffle[index];
    g_shuffle[index] = a;
    return result;
}
NTSIM_EXPORT(RtlRandom);

extern "C" ULONG NTAPI RtlRandomEx(PULONG Seed) {
    return NextUniform(Seed);
}
NTSIM_EXPORT(RtlRandomEx);
