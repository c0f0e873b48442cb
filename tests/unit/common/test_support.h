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

// A UNICODE_STRING viewing `s`, which must outlive it (hence no overload for temporaries; a
// literal gets its own overload).
inline UNICODE_STRING Us(const std::u16string& s) {
    UNICODE_STRING u;
    u.Buffer = reinterpret_cast<PWCH>(const_cast<char16_t*>(s.c_str()));
    u.Length = USHORT(s.size() * 2);
    u.MaximumLength = USHORT(u.Length + 2);
    return u;
}
UNICODE_STRING Us(std::u16string&&) = delete;
template <size_t N> inline UNICODE_STRING Us(const char16_t (&literal)[N]) {
    UNICODE_STRING u;
    u.Buffer = reinterpret_cast<PWCH>(const_cast<char16_t*>(literal));
    u.Length = USHORT((N - 1) * 2);
    u.MaximumLength = USHORT(N * 2);
    return u;
}

} // namespace ntsim::test
