// Integer <-> string conversions (RtlIntegerToUnicodeString, RtlUnicodeStringToInteger...).
#include <wdm.h>

#include "core/export.h"

namespace {

bool ValidBase(ULONG base) {
    return base == 2 || base == 8 || base == 10 || base == 16;
}

// Digits of value in base (upper-case hex) into a UNICODE_STRING, NUL-terminated: the string
// needs room for the digits and the terminator (STATUS_BUFFER_OVERFLOW otherwise).
NTSTATUS ToUnicode(ULONGLONG value, ULONG base, PUNICODE_STRING string) {
    if (base == 0) base = 10;
    if (!ValidBase(base)) return STATUS_INVALID_PARAMETER;
    WCHAR digits[65];
    size_t n = 0;
    do {
        ULONG d = ULONG(value % base);
        digits[n++] = WCHAR(d < 10 ? L'0' + d : L'A' + d - 10);
        value /= base;
    } while (value != 0);
    if ((n + 1) * sizeof(WCHAR) > string->MaximumLength) return STATUS_BUFFER_OVERFLOW;
    for (size_t i = 0; i < n; ++i)
        string->Buffer[i] = digits[n - 1 - i];
    string->Buffer[n] = UNICODE_NULL;
    string->Length = USHORT(n * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

// Windows' parse: leading characters <= ' ' skipped, optional sign, with base 0 a "0x"/"0o"/"0b"
// prefix picks 16/8/2 (else 10); digits are read until the first one invalid for the base.
template <typename Ch> NTSTATUS ParseInteger(const Ch* s, size_t count, ULONG base, PULONG value) {
    if (base != 0 && !ValidBase(base)) return STATUS_INVALID_PARAMETER;
    if (value == nullptr) return STATUS_ACCESS_VIOLATION;
    size_t i = 0;
    while (i < count && s[i] != 0 && ULONG(s[i]) <= L' ')
        ++i;
    bool negative = false;
    if (i < count && (s[i] == Ch('+') || s[i] == Ch('-'))) negative = s[i++] == Ch('-');
    if (base == 0) {
        base = 10;
        if (i + 1 < count && s[i] == Ch('0')) {
            Ch p = s[i + 1];
            if (p == Ch('x') || p == Ch('X'))
                base = 16;
            else if (p == Ch('o') || p == Ch('O'))
                base = 8;
            else if (p == Ch('b') || p == Ch('B'))
                base = 2;
            if (base != 10) i += 2;
        }
    }
    ULONG result = 0;
    for (; i < count && s[i] != 0; ++i) {
        ULONG c = ULONG(s[i]);
        ULONG d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            break;
        if (d >= base) break;
        result = result * base + d; // wraps modulo 2^32, as Windows does
    }
    *value = negative ? 0u - result : result;
    return STATUS_SUCCESS;
}

} // namespace

extern "C" NTSTATUS NTAPI RtlIntegerToUnicodeString(ULONG Value, ULONG Base,
                                                    PUNICODE_STRING String) {
    return ToUnicode(Value, Base, String);
}
NTSIM_EXPORT(RtlIntegerToUnicodeString);

extern "C" NTSTATUS NTAPI RtlInt64ToUnicodeString(ULONGLONG Value, ULONG Base,
                                                  PUNICODE_STRING String) {
    return ToUnicode(Value, Base, String);
}
NTSIM_EXPORT(RtlInt64ToUnicodeString);

extern "C" NTSTATUS NTAPI RtlUnicodeStringToInteger(PCUNICODE_STRING String, ULONG Base,
                                                    PULONG Value) {
    return ParseInteger(String->Buffer, String->Length / sizeof(WCHAR), Base, Value);
}
NTSIM_EXPORT(RtlUnicodeStringToInteger);

extern "C" NTSTATUS NTAPI RtlCharToInteger(PCSZ String, ULONG Base, PULONG Value) {
    return ParseInteger(String, SIZE_MAX, Base, Value);
}
NTSIM_EXPORT(RtlCharToInteger);
