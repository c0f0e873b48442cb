// Helpers shared by the unit tests.
#pragma once

#include <string>

#include "ntdef.h"
#include "ntstatus.h"

namespace ntsim::test {

// Thrown by the unit tests' bug check hook (see main.cpp).
struct BugCheckException {
    ULONG code;
    ULONG_PTR p1, p2, p3, p4;
};

// 16-bit strings as UTF-8 for readable assertions (gtest's wide helpers assume 32-bit wchar_t,
// so never use EXPECT_STREQ on WCHAR strings).
inline std::string Narrow(const WCHAR* s, size_t count) {
    std::string out;
    for (size_t i = 0; i < count; ++i)
        out.push_back(s[i] < 0x80 ? char(s[i]) : '?');
    return out;
}
inline std::string Narrow(const WCHAR* s) {
    size_t n = 0;
    while (s[n])
        ++n;
    return Narrow(s, n);
}
inline std::string Narrow(const UNICODE_STRING& s) {
    return Narrow(s.Buffer, s.Length / sizeof(WCHAR));
}

} // namespace ntsim::test
