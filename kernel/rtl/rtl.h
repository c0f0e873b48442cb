// Kernel-internal interface of the run-time library: character case, code page and UTF
// conversions, and status mapping, for the other components.
#pragma once

#include <string>
#include <string_view>

#include "ntdef.h"

namespace ntsim::rtl {

// Unicode simple case mapping (what RtlUpcaseUnicodeChar / RtlDowncaseUnicodeChar return).
WCHAR UpcaseChar(WCHAR c);
WCHAR DowncaseChar(WCHAR c);

// Windows-1252, the ANSI code page ntsim's kernel uses. Unmappable characters become '?'.
WCHAR AnsiCharToUnicode(unsigned char c);
char UnicodeCharToAnsi(WCHAR c);

// UTF-16 <-> UTF-8 (invalid sequences become U+FFFD).
std::string ToUtf8(const WCHAR* s, size_t count);
std::string ToUtf8(const UNICODE_STRING& s);
std::u16string FromUtf8(std::string_view s);
// Decodes one code point at s[*i] (advancing *i); U+FFFD and *invalid = true for a bad sequence.
char32_t DecodeUtf8(const unsigned char* s, size_t length, size_t* i, bool* invalid);

// Case-insensitive comparison of counted UTF-16 strings by upcased characters (<0, 0, >0).
LONG CompareUnicode(const WCHAR* a, size_t aCount, const WCHAR* b, size_t bCount,
                    bool caseInsensitive);

// RtlNtStatusToDosError without side effects.
ULONG NtStatusToDosError(NTSTATUS status);

// Pool tag of the string buffers the Rtl routines allocate ("Strg").
constexpr ULONG kStringPoolTag = 0x67727453;

} // namespace ntsim::rtl
