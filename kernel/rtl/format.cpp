// The kernel CRT's printf engine (see format.h for the conversions it accepts).
//
// One template serves narrow and wide output. Strings of the other width are converted on the
// fly (UTF-16 <-> UTF-8), and every field is measured before it is written so width padding
// needs no temporary buffer.
#include "rtl/format.h"

#include <cstdio>
#include <cstring>

namespace ntsim::rtl {
namespace {

// ---- output sinks ------------------------------------------------------------------------------

// Fixed buffer: keeps the first capacity-1 units, counts them all.
template <typename Ch> struct BufferSink {
    Ch* buffer;
    size_t capacity;
    size_t count = 0;
    void Put(Ch c) {
        if (count + 1 < capacity) buffer[count] = c;
        ++count;
    }
};

struct StringSink {
    std::string* out;
    size_t count = 0;
    void Put(char c) {
        out->push_back(c);
        ++count;
    }
};

// Counts only (used to measure a field before padding it).
template <typename Ch> struct CountSink {
    size_t count = 0;
    void Put(Ch) { ++count; }
};

// ---- character conversions ---------------------------------------------------------------------

// Emits one Unicode code point in the sink's encoding.
template <typename Ch, typename Sink> void PutCodePoint(Sink& sink, char32_t cp) {
    if constexpr (sizeof(Ch) == 1) {
        if (cp < 0x80) {
            sink.Put(Ch(cp));
        } else if (cp < 0x800) {
            sink.Put(Ch(0xC0 | (cp >> 6)));
            sink.Put(Ch(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            sink.Put(Ch(0xE0 | (cp >> 12)));
            sink.Put(Ch(0x80 | ((cp >> 6) & 0x3F)));
            sink.Put(Ch(0x80 | (cp & 0x3F)));
        } else {
            sink.Put(Ch(0xF0 | (cp >> 18)));
            sink.Put(Ch(0x80 | ((cp >> 12) & 0x3F)));
            sink.Put(Ch(0x80 | ((cp >> 6) & 0x3F)));
            sink.Put(Ch(0x80 | (cp & 0x3F)));
        }
    } else {
        if (cp < 0x10000) {
            sink.Put(Ch(cp));
        } else {
            cp -= 0x10000;
            sink.Put(Ch(0xD800 | (cp >> 10)));
            sink.Put(Ch(0xDC00 | (cp & 0x3FF)));
        }
    }
}

// Emits at most `limit` source units of a string (stopping at a NUL unless `counted`), converting
// to the sink's width. UTF-16 sources are decoded as UTF-16 (lone surrogates pass through as
// U+FFFD in narrow output); narrow sources are decoded as UTF-8 for wide output, with invalid
// bytes taken as Latin-1.
template <typename Ch, typename Src, typename Sink>
void PutString(Sink& sink, const Src* s, size_t limit, bool counted) {
    size_t i = 0;
    auto more = [&] { return i < limit && (counted || s[i] != 0); };
    if constexpr (sizeof(Ch) == sizeof(Src)) {
        for (; more(); ++i)
            sink.Put(Ch(s[i]));
    } else if constexpr (sizeof(Src) == 2) {
        // UTF-16 -> UTF-8
        while (more()) {
            char32_t u = char16_t(s[i++]);
            if (u >= 0xD800 && u < 0xDC00 && more()) {
                char32_t lo = char16_t(s[i]);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    ++i;
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                } else {
                    u = 0xFFFD;
                }
            } else if (u >= 0xD800 && u < 0xE000) {
                u = 0xFFFD;
            }
            PutCodePoint<Ch>(sink, u);
        }
    } else {
        // UTF-8 -> UTF-16
        while (more()) {
            unsigned char b = static_cast<unsigned char>(s[i]);
            int extra = b >= 0xF0 && b < 0xF5 ? 3 : b >= 0xE0 ? 2 : b >= 0xC2 && b < 0xE0 ? 1 : 0;
            if (b >= 0xF5) extra = 0;
            char32_t cp = b;
            size_t j = i + 1;
            bool ok = extra > 0;
            if (ok) {
                cp = b & (0x3F >> extra);
                for (int k = 0; k < extra; ++k, ++j) {
                    if (j >= limit || (!counted && s[j] == 0) ||
                        (static_cast<unsigned char>(s[j]) & 0xC0) != 0x80) {
                        ok = false;
                        break;
                    }
                    cp = (cp << 6) | (static_cast<unsigned char>(s[j]) & 0x3F);
                }
            }
            if (ok) {
                i = j;
            } else {
                cp = b; // Latin-1 fallback
                ++i;
            }
            PutCodePoint<Ch>(sink, cp);
        }
    }
}

// ---- conversion specification ------------------------------------------------------------------

enum class Size { Default, Char, Short, Long, Int64, Int32, Wide, Narrow };

struct Spec {
    bool left = false, plus = false, space = false, alt = false, zero = false;
    int width = 0;
    int precision = -1;
    Size size = Size::Default;
    bool longSeen = false; // 'l' (wide for c/s, 32-bit for integers)
};

// va_list wrapped so helpers can consume arguments by reference portably.
struct Args {
    va_list ap;
};

template <typename Ch, typename Sink> void Pad(Sink& sink, int n, Ch c) {
    for (; n > 0; --n)
        sink.Put(c);
}

// A field whose body is produced by `body(sink)`; padded to the spec's width.
template <typename Ch, typename Sink, typename Body>
void PutField(Sink& sink, const Spec& spec, Body&& body) {
    CountSink<Ch> measure;
    body(measure);
    int pad = spec.width > int(measure.count) ? spec.width - int(measure.count) : 0;
    if (!spec.left) Pad<Ch>(sink, pad, Ch(' '));
    body(sink);
    if (spec.left) Pad<Ch>(sink, pad, Ch(' '));
}

constexpr char kNull[] = "(null)"; // what a NULL string argument prints

template <typename Ch, typename Src, typename Sink>
void PutStringField(Sink& sink, const Spec& spec, const Src* s, size_t limit, bool counted) {
    if (s == nullptr) {
        size_t n = spec.precision >= 0 && size_t(spec.precision) < 6 ? size_t(spec.precision) : 6;
        PutField<Ch>(sink, spec, [&](auto& out) { PutString<Ch>(out, kNull, n, true); });
        return;
    }
    if (spec.precision >= 0 && size_t(spec.precision) < limit) limit = size_t(spec.precision);
    PutField<Ch>(sink, spec, [&](auto& out) { PutString<Ch>(out, s, limit, counted); });
}

// Integer conversion: d i u o x X p.
template <typename Ch, typename Sink>
void PutInteger(Sink& sink, const Spec& spec, char conv, unsigned long long magnitude,
                bool negative) {
    char digits[32];
    int n = 0;
    const char* set = conv == 'X' || conv == 'p' ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned base = conv == 'o' ? 8 : (conv == 'x' || conv == 'X' || conv == 'p') ? 16 : 10;
    for (unsigned long long v = magnitude; v != 0; v /= base)
        digits[n++] = set[v % base];

    int precision = spec.precision;
    if (conv == 'p') precision = 16; // the kernel prints pointers as 16 hex digits
    if (precision < 0) precision = 1;
    int zeros = precision > n ? precision - n : 0;
    if (conv == 'o' && spec.alt && zeros == 0 && (n == 0 || digits[n - 1] != '0')) zeros = 1;

    char prefix[3] = {};
    int prefixLen = 0;
    if (negative) {
        prefix[prefixLen++] = '-';
    } else if (conv == 'd' || conv == 'i') {
        if (spec.plus)
            prefix[prefixLen++] = '+';
        else if (spec.space)
            prefix[prefixLen++] = ' ';
    }
    if ((conv == 'x' || conv == 'X') && spec.alt && magnitude != 0) {
        prefix[prefixLen++] = '0';
        prefix[prefixLen++] = conv;
    }

    int length = prefixLen + zeros + n;
    int pad = spec.width > length ? spec.width - length : 0;
    // '0' pads with zeros after the prefix, unless '-' is given or a precision was (C rules).
    if (spec.zero && !spec.left && spec.precision < 0 && conv != 'p') {
        zeros += pad;
        pad = 0;
    }
    if (!spec.left) Pad<Ch>(sink, pad, Ch(' '));
    for (int i = 0; i < prefixLen; ++i)
        sink.Put(Ch(prefix[i]));
    Pad<Ch>(sink, zeros, Ch('0'));
    while (n > 0)
        sink.Put(Ch(digits[--n]));
    if (spec.left) Pad<Ch>(sink, pad, Ch(' '));
}

// Floating point: delegated to the C library with the same flags (its output is ASCII).
template <typename Ch, typename Sink>
void PutDouble(Sink& sink, const Spec& spec, char conv, double value) {
    char fmt[32];
    char* f = fmt;
    *f++ = '%';
    if (spec.left) *f++ = '-';
    if (spec.plus) *f++ = '+';
    if (spec.space) *f++ = ' ';
    if (spec.alt) *f++ = '#';
    if (spec.zero) *f++ = '0';
    *f++ = '*';
    *f++ = '.';
    *f++ = '*';
    *f++ = conv;
    *f = 0;
    int precision = spec.precision;
    if (precision < 0) precision = conv == 'a' || conv == 'A' ? -1 : 6;
    char small[128];
    int len = std::snprintf(small, sizeof small, fmt, spec.width, precision, value);
    if (len < 0) return;
    if (size_t(len) < sizeof small) {
        for (int i = 0; i < len; ++i)
            sink.Put(Ch(small[i]));
        return;
    }
    std::string big(size_t(len) + 1, '\0');
    std::snprintf(big.data(), big.size(), fmt, spec.width, precision, value);
    for (int i = 0; i < len; ++i)
        sink.Put(Ch(big[size_t(i)]));
}

template <typename Ch> int ParseNumber(const Ch*& p) {
    int value = 0;
    while (*p >= Ch('0') && *p <= Ch('9')) {
        if (value < 100000000) value = value * 10 + int(*p - Ch('0'));
        ++p;
    }
    return value;
}

// The formatting loop shared by both widths.
template <typename Ch, typename Sink> void Format(Sink& sink, const Ch* format, Args& args) {
    constexpr bool kWide = sizeof(Ch) == 2;
    if (format == nullptr) return;
    const Ch* p = format;
    while (*p) {
        if (*p != Ch('%')) {
            sink.Put(*p++);
            continue;
        }
        const Ch* start = p++;
        Spec spec;
        // flags
        for (;; ++p) {
            if (*p == Ch('-'))
                spec.left = true;
            else if (*p == Ch('+'))
                spec.plus = true;
            else if (*p == Ch(' '))
                spec.space = true;
            else if (*p == Ch('#'))
                spec.alt = true;
            else if (*p == Ch('0'))
                spec.zero = true;
            else
                break;
        }
        // width
        if (*p == Ch('*')) {
            ++p;
            spec.width = va_arg(args.ap, int);
            if (spec.width < 0) {
                spec.left = true;
                spec.width = spec.width == INT32_MIN ? INT32_MAX : -spec.width;
            }
        } else {
            spec.width = ParseNumber(p);
        }
        // precision
        if (*p == Ch('.')) {
            ++p;
            if (*p == Ch('*')) {
                ++p;
                spec.precision = va_arg(args.ap, int);
                if (spec.precision < 0) spec.precision = -1;
            } else {
                spec.precision = ParseNumber(p);
            }
        }
        // size prefix
        switch (*p) {
        case Ch('h'):
            ++p;
            if (*p == Ch('h')) {
                ++p;
                spec.size = Size::Char;
            } else {
                spec.size = Size::Short;
            }
            break;
        case Ch('l'):
            ++p;
            if (*p == Ch('l')) {
                ++p;
                spec.size = Size::Int64;
            } else {
                spec.size = Size::Long;
                spec.longSeen = true;
            }
            break;
        case Ch('L'):
        case Ch('j'):
        case Ch('z'):
        case Ch('t'):
            ++p;
            spec.size = Size::Int64;
            break;
        case Ch('w'):
            ++p;
            spec.size = Size::Wide;
            break;
        case Ch('I'):
            ++p;
            if (p[0] == Ch('6') && p[1] == Ch('4')) {
                p += 2;
                spec.size = Size::Int64;
            } else if (p[0] == Ch('3') && p[1] == Ch('2')) {
                p += 2;
                spec.size = Size::Int32;
            } else {
                spec.size = Size::Int64; // pointer-sized
            }
            break;
        default:
            break;
        }

        Ch conv = *p;
        if (conv == 0) { // incomplete specification at the end: print it as it is
            for (const Ch* q = start; q < p; ++q)
                sink.Put(*q);
            break;
        }
        ++p;
        switch (conv) {
        case Ch('%'):
            sink.Put(Ch('%'));
            break;
        case Ch('d'):
        case Ch('i'): {
            long long v;
            if (spec.size == Size::Int64)
                v = va_arg(args.ap, long long);
            else
                v = va_arg(args.ap, int);
            if (spec.size == Size::Short)
                v = short(v);
            else if (spec.size == Size::Char)
                v = static_cast<signed char>(v);
            bool negative = v < 0;
            unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(v)
                                                    : static_cast<unsigned long long>(v);
            PutInteger<Ch>(sink, spec, 'd', magnitude, negative);
            break;
        }
        case Ch('u'):
        case Ch('o'):
        case Ch('x'):
        case Ch('X'): {
            unsigned long long v;
            if (spec.size == Size::Int64)
                v = va_arg(args.ap, unsigned long long);
            else
                v = va_arg(args.ap, unsigned int);
            if (spec.size == Size::Short)
                v = static_cast<unsigned short>(v);
            else if (spec.size == Size::Char)
                v = static_cast<unsigned char>(v);
            PutInteger<Ch>(sink, spec, char(conv), v, false);
            break;
        }
        case Ch('p'):
            PutInteger<Ch>(sink, spec, 'p', reinterpret_cast<uintptr_t>(va_arg(args.ap, void*)),
                           false);
            break;
        case Ch('c'):
        case Ch('C'): {
            // %c is the output's width, %C the other one; h forces narrow, l/w force wide.
            bool wideArg = (conv == Ch('c')) == kWide;
            if (spec.size == Size::Short || spec.size == Size::Char) wideArg = false;
            if (spec.size == Size::Wide || spec.longSeen) wideArg = true;
            int v = va_arg(args.ap, int);
            if (wideArg) {
                WCHAR c = WCHAR(v);
                PutField<Ch>(sink, spec, [&](auto& out) { PutString<Ch>(out, &c, 1, true); });
            } else {
                char c = char(v);
                PutField<Ch>(sink, spec, [&](auto& out) { PutString<Ch>(out, &c, 1, true); });
            }
            break;
        }
        case Ch('s'):
        case Ch('S'): {
            bool wideArg = (conv == Ch('s')) == kWide;
            if (spec.size == Size::Short || spec.size == Size::Char) wideArg = false;
            if (spec.size == Size::Wide || spec.longSeen) wideArg = true;
            if (wideArg) {
                PutStringField<Ch>(sink, spec, va_arg(args.ap, const WCHAR*), SIZE_MAX, false);
            } else {
                PutStringField<Ch>(sink, spec, va_arg(args.ap, const char*), SIZE_MAX, false);
            }
            break;
        }
        case Ch('Z'): {
            // Counted strings: %wZ (UNICODE_STRING) and %Z (ANSI_STRING); %lZ is taken as %wZ.
            if (spec.size == Size::Wide || spec.longSeen) {
                auto* us = va_arg(args.ap, const UNICODE_STRING*);
                const WCHAR* buffer = us != nullptr ? us->Buffer : nullptr;
                size_t length = buffer != nullptr ? us->Length / sizeof(WCHAR) : 0;
                PutStringField<Ch>(sink, spec, buffer, length, true);
            } else {
                auto* as = va_arg(args.ap, const ANSI_STRING*);
                const char* buffer = as != nullptr ? as->Buffer : nullptr;
                size_t length = buffer != nullptr ? as->Length : 0;
                PutStringField<Ch>(sink, spec, buffer, length, true);
            }
            break;
        }
        case Ch('e'):
        case Ch('E'):
        case Ch('f'):
        case Ch('F'):
        case Ch('g'):
        case Ch('G'):
        case Ch('a'):
        case Ch('A'):
            PutDouble<Ch>(sink, spec, char(conv), va_arg(args.ap, double));
            break;
        case Ch('n'):
            (void)va_arg(args.ap, void*); // not supported (as in the Windows kernel): no write
            break;
        default:
            // Unknown conversion: shown literally so the message stays readable.
            for (const Ch* q = start; q < p; ++q)
                sink.Put(*q);
            break;
        }
    }
}

template <typename Ch>
size_t FormatToBuffer(Ch* buffer, size_t capacity, const Ch* format, va_list args) {
    if (buffer == nullptr) capacity = 0;
    BufferSink<Ch> sink{buffer, capacity};
    Args a;
    va_copy(a.ap, args);
    Format<Ch>(sink, format, a);
    va_end(a.ap);
    if (capacity > 0) buffer[sink.count < capacity ? sink.count : capacity - 1] = 0;
    return sink.count;
}

} // namespace

size_t FormatNarrow(char* buffer, size_t capacity, const char* format, va_list args) {
    return FormatToBuffer<char>(buffer, capacity, format, args);
}

size_t FormatWide(WCHAR* buffer, size_t capacity, const WCHAR* format, va_list args) {
    return FormatToBuffer<WCHAR>(buffer, capacity, format, args);
}

std::string FormatNarrow(const char* format, va_list args) {
    std::string out;
    StringSink sink{&out};
    Args a;
    va_copy(a.ap, args);
    Format<char>(sink, format, a);
    va_end(a.ap);
    return out;
}

} // namespace ntsim::rtl
