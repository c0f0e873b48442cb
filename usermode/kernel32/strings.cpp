// lstrlenW/lstrlenA and the UTF-8 <-> UTF-16 conversions of the A entry points.
#include "rtl/utf8.h"
#include "kernel32/k32.h"

extern "C" int WINAPI lstrlenW(LPCWSTR lpString) {
    if (!lpString) return 0;
    int n = 0;
    while (lpString[n])
        ++n;
    return n;
}

extern "C" int WINAPI lstrlenA(LPCSTR lpString) {
    return lpString ? int(strlen(lpString)) : 0;
}

// Invalid UTF-8 bytes are taken as Latin-1 (a code page 1252-ish fallback).
std::u16string ntsim::k32::Utf8ToUtf16(const char* s) {
    std::u16string out;
    const auto* p = reinterpret_cast<const unsigned char*>(s);
    while (*p) {
        unsigned char c = *p;
        char32_t cp = c;
        int extra = c >= 0xF0 && c < 0xF5 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 && c < 0xE0 ? 1 : 0;
        if (c >= 0x80 && extra > 0) {
            bool ok = true;
            cp = c & (0x3F >> extra);
            for (int i = 1; i <= extra; ++i) {
                if ((p[i] & 0xC0) != 0x80) {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (p[i] & 0x3F);
            }
            if (ok) {
                p += extra;
            } else {
                cp = c;
            }
        }
        ++p;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out.push_back(char16_t(0xD800 | (cp >> 10)));
            out.push_back(char16_t(0xDC00 | (cp & 0x3FF)));
        } else {
            out.push_back(char16_t(cp));
        }
    }
    return out;
}

std::string ntsim::k32::Utf16ToUtf8(const char16_t* s, size_t length) {
    return ntsim::rtl::Utf16ToUtf8(s, length);
}
