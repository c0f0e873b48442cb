// Unicode case mapping (RtlUpcaseUnicodeChar and friends) from generated range tables.
#include <algorithm>
#include <cstdint>

#include <wdm.h>

#include "core/export.h"
#include "rtl/rtl.h"

namespace ntsim::rtl {
namespace {

struct CaseRange {
    uint16_t first;
    uint16_t last;
    int32_t delta;
    uint8_t stride;
};

#include "rtl/case_table.inc"

template <size_t N> WCHAR MapChar(const CaseRange (&table)[N], WCHAR c) {
    auto u = static_cast<uint16_t>(c);
    // First range whose last >= c.
    auto it = std::lower_bound(std::begin(table), std::end(table), u,
                               [](const CaseRange& r, uint16_t v) { return r.last < v; });
    if (it == std::end(table) || u < it->first) return c;
    if ((u - it->first) % it->stride != 0) return c;
    return static_cast<WCHAR>(u + it->delta);
}

} // namespace

WCHAR UpcaseChar(WCHAR c) {
    if (c < 0x80) return (c >= 'a' && c <= 'z') ? WCHAR(c - 32) : c;
    return MapChar(kUpcaseRanges, c);
}

WCHAR DowncaseChar(WCHAR c) {
    if (c < 0x80) return (c >= 'A' && c <= 'Z') ? WCHAR(c + 32) : c;
    return MapChar(kDowncaseRanges, c);
}

LONG CompareUnicode(const WCHAR* a, size_t aCount, const WCHAR* b, size_t bCount,
                    bool caseInsensitive) {
    size_t n = std::min(aCount, bCount);
    for (size_t i = 0; i < n; ++i) {
        WCHAR x = a[i], y = b[i];
        if (caseInsensitive) {
            x = UpcaseChar(x);
            y = UpcaseChar(y);
        }
        if (x != y) return LONG(uint16_t(x)) - LONG(uint16_t(y));
    }
    if (aCount == bCount) return 0;
    return aCount < bCount ? -1 : 1;
}

} // namespace ntsim::rtl

extern "C" WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR SourceCharacter) {
    return ntsim::rtl::UpcaseChar(SourceCharacter);
}
NTSIM_EXPORT(RtlUpcaseUnicodeChar);

extern "C" WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR SourceCharacter) {
    return ntsim::rtl::DowncaseChar(SourceCharacter);
}
NTSIM_EXPORT(RtlDowncaseUnicodeChar);

// ANSI (Windows-1252) upper case: ASCII letters and the Latin-1 letters with a single-byte
// upper case form.
extern "C" CHAR NTAPI RtlUpperChar(CHAR Character) {
    auto c = static_cast<unsigned char>(Character);
    if (c < 0x80) return (c >= 'a' && c <= 'z') ? CHAR(c - 32) : Character;
    WCHAR upper = ntsim::rtl::UpcaseChar(ntsim::rtl::AnsiCharToUnicode(c));
    char back = ntsim::rtl::UnicodeCharToAnsi(upper);
    return back == '?' ? Character : back;
}
NTSIM_EXPORT(RtlUpperChar);
