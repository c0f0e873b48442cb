// ntstrsafe.h (ntsim SDK, owner: rtl): bounded string functions for drivers, as header inlines.
//
// Rules (WDK): a destination size of 0 or above NTSTRSAFE_MAX_CCH is STATUS_INVALID_PARAMETER;
// a result that does not fit is truncated, NUL-terminated, and STATUS_BUFFER_OVERFLOW (a
// warning: NT_SUCCESS is false, the truncated string is usable). The UNICODE_STRING variants
// never add a terminator and accept at most NTSTRSAFE_UNICODE_STRING_MAX_CCH characters.
// The printf variants use the kernel's _vsnwprintf/_vsnprintf (%ws, %wZ, %I64d... work).
#pragma once

#include <wdm.h>

#define NTSTRSAFE_MAX_CCH 2147483647
#define NTSTRSAFE_MAX_LENGTH (NTSTRSAFE_MAX_CCH - 1)
#define NTSTRSAFE_UNICODE_STRING_MAX_CCH 32767
#define NTSTRSAFE_MAX_CCH_W NTSTRSAFE_MAX_CCH

typedef _Null_terminated_ wchar_t* NTSTRSAFE_PWSTR;
typedef _Null_terminated_ const wchar_t* NTSTRSAFE_PCWSTR;
typedef _Null_terminated_ char* NTSTRSAFE_PSTR;
typedef _Null_terminated_ const char* NTSTRSAFE_PCSTR;

// Flags of the *Ex functions (accepted for source compatibility by the functions below).
#define STRSAFE_IGNORE_NULLS 0x00000100
#define STRSAFE_FILL_BEHIND_NULL 0x00000200
#define STRSAFE_FILL_ON_FAILURE 0x00000400
#define STRSAFE_NULL_ON_FAILURE 0x00000800
#define STRSAFE_NO_TRUNCATION 0x00001000

// ---- shared helpers (one per character width) -------------------------------------------------
#define NTSIM_STRSAFE_HELPERS(Ch, Suffix)                                                          \
    static inline NTSTATUS NtsimStrsafeCopy##Suffix(Ch* dest, size_t cchDest, const Ch* src,       \
                                                    size_t cchToCopy) {                            \
        if (cchDest == 0 || cchDest > NTSTRSAFE_MAX_CCH || cchToCopy > NTSTRSAFE_MAX_LENGTH)       \
            return STATUS_INVALID_PARAMETER;                                                       \
        size_t i = 0;                                                                              \
        while (i < cchToCopy && src[i] != 0) {                                                     \
            if (i == cchDest - 1) {                                                                \
                dest[i] = 0;                                                                       \
                return STATUS_BUFFER_OVERFLOW;                                                     \
            }                                                                                      \
            dest[i] = src[i];                                                                      \
            ++i;                                                                                   \
        }                                                                                          \
        dest[i] = 0;                                                                               \
        return STATUS_SUCCESS;                                                                     \
    }                                                                                              \
    static inline NTSTATUS NtsimStrsafeLength##Suffix(const Ch* psz, size_t cchMax,                \
                                                      size_t* pcchLength) {                        \
        size_t n = 0;                                                                              \
        if (psz == NULL || cchMax > NTSTRSAFE_MAX_CCH) {                                           \
            if (pcchLength) *pcchLength = 0;                                                       \
            return STATUS_INVALID_PARAMETER;                                                       \
        }                                                                                          \
        while (n < cchMax && psz[n] != 0)                                                          \
            ++n;                                                                                   \
        if (n == cchMax) {                                                                         \
            if (pcchLength) *pcchLength = 0;                                                       \
            return STATUS_INVALID_PARAMETER;                                                       \
        }                                                                                          \
        if (pcchLength) *pcchLength = n;                                                           \
        return STATUS_SUCCESS;                                                                     \
    }                                                                                              \
    static inline NTSTATUS NtsimStrsafeCat##Suffix(Ch* dest, size_t cchDest, const Ch* src,        \
                                                   size_t cchToAppend) {                           \
        size_t used;                                                                               \
        if (cchDest == 0 || cchDest > NTSTRSAFE_MAX_CCH) return STATUS_INVALID_PARAMETER;          \
        if (!NT_SUCCESS(NtsimStrsafeLength##Suffix(dest, cchDest, &used)))                         \
            return STATUS_INVALID_PARAMETER;                                                       \
        return NtsimStrsafeCopy##Suffix(dest + used, cchDest - used, src, cchToAppend);            \
    }

NTSIM_STRSAFE_HELPERS(wchar_t, W)
NTSIM_STRSAFE_HELPERS(char, A)
#undef NTSIM_STRSAFE_HELPERS

// ---- copy --------------------------------------------------------------------------------------
NTSTRSAFEAPI RtlStringCchCopyW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc) {
    return NtsimStrsafeCopyW(pszDest, cchDest, pszSrc, NTSTRSAFE_MAX_LENGTH);
}
NTSTRSAFEAPI RtlStringCchCopyA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc) {
    return NtsimStrsafeCopyA(pszDest, cchDest, pszSrc, NTSTRSAFE_MAX_LENGTH);
}
NTSTRSAFEAPI RtlStringCbCopyW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc) {
    return NtsimStrsafeCopyW(pszDest, cbDest / sizeof(wchar_t), pszSrc, NTSTRSAFE_MAX_LENGTH);
}
NTSTRSAFEAPI RtlStringCbCopyA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc) {
    return NtsimStrsafeCopyA(pszDest, cbDest, pszSrc, NTSTRSAFE_MAX_LENGTH);
}
NTSTRSAFEAPI RtlStringCchCopyNW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, const wchar_t* pszSrc,
                                size_t cchToCopy) {
    return NtsimStrsafeCopyW(pszDest, cchDest, pszSrc, cchToCopy);
}
NTSTRSAFEAPI RtlStringCchCopyNA(NTSTRSAFE_PSTR pszDest, size_t cchDest, const char* pszSrc,
                                size_t cchToCopy) {
    return NtsimStrsafeCopyA(pszDest, cchDest, pszSrc, cchToCopy);
}
NTSTRSAFEAPI RtlStringCbCopyNW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, const wchar_t* pszSrc,
                               size_t cbToCopy) {
    return NtsimStrsafeCopyW(pszDest, cbDest / sizeof(wchar_t), pszSrc, cbToCopy / sizeof(wchar_t));
}

// ---- concatenate -------------------------------------------------------------------------------
NTSTRSAFEAPI RtlStringCchCatW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc) {
    return NtsimStrsafeCatW(pszDest, cchDest, pszSrc, NTSTRSAFE_MAX_LENGTH);
}
NTSTRSAFEAPI RtlStringCchCatA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc) {
    return NtsimStrsafeCatA(pszDest, cchDest, pszSrc, NTSTRSAFE_MAX_LENGTH);
}
NTSTRSAFEAPI RtlStringCbCatW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc) {
    return NtsimStrsafeCatW(pszDest, cbDest / sizeof(wchar_t), pszSrc, NTSTRSAFE_MAX_LENGTH);
}
NTSTRSAFEAPI RtlStringCbCatA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc) {
    return NtsimStrsafeCatA(pszDest, cbDest, pszSrc, NTSTRSAFE_MAX_LENGTH);
}
NTSTRSAFEAPI RtlStringCchCatNW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, const wchar_t* pszSrc,
                               size_t cchToAppend) {
    return NtsimStrsafeCatW(pszDest, cchDest, pszSrc, cchToAppend);
}

// ---- length ------------------------------------------------------------------------------------
// STATUS_INVALID_PARAMETER (and *pcchLength = 0) when the string is not terminated within cchMax.
NTSTRSAFEAPI RtlStringCchLengthW(NTSTRSAFE_PCWSTR psz, size_t cchMax, size_t* pcchLength) {
    return NtsimStrsafeLengthW(psz, cchMax, pcchLength);
}
NTSTRSAFEAPI RtlStringCchLengthA(NTSTRSAFE_PCSTR psz, size_t cchMax, size_t* pcchLength) {
    return NtsimStrsafeLengthA(psz, cchMax, pcchLength);
}
NTSTRSAFEAPI RtlStringCbLengthW(NTSTRSAFE_PCWSTR psz, size_t cbMax, size_t* pcbLength) {
    size_t cch = 0;
    NTSTATUS status = NtsimStrsafeLengthW(psz, cbMax / sizeof(wchar_t), &cch);
    if (pcbLength) *pcbLength = cch * sizeof(wchar_t);
    return status;
}
NTSTRSAFEAPI RtlStringCbLengthA(NTSTRSAFE_PCSTR psz, size_t cbMax, size_t* pcbLength) {
    return NtsimStrsafeLengthA(psz, cbMax, pcbLength);
}

// ---- printf ------------------------------------------------------------------------------------
NTSTRSAFEAPI RtlStringCchVPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                  NTSTRSAFE_PCWSTR pszFormat, va_list argList) {
    if (cchDest == 0 || cchDest > NTSTRSAFE_MAX_CCH) return STATUS_INVALID_PARAMETER;
    size_t cchMax = cchDest - 1;
    int n = _vsnwprintf(pszDest, cchMax, pszFormat, argList);
    pszDest[cchMax] = 0;
    if (n < 0 || (size_t)n > cchMax) return STATUS_BUFFER_OVERFLOW;
    return STATUS_SUCCESS;
}
NTSTRSAFEAPI RtlStringCchVPrintfA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszFormat,
                                  va_list argList) {
    if (cchDest == 0 || cchDest > NTSTRSAFE_MAX_CCH) return STATUS_INVALID_PARAMETER;
    size_t cchMax = cchDest - 1;
    int n = _vsnprintf(pszDest, cchMax, pszFormat, argList);
    pszDest[cchMax] = 0;
    if (n < 0 || (size_t)n > cchMax) return STATUS_BUFFER_OVERFLOW;
    return STATUS_SUCCESS;
}
NTSTRSAFEAPI RtlStringCbVPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszFormat,
                                 va_list argList) {
    return RtlStringCchVPrintfW(pszDest, cbDest / sizeof(wchar_t), pszFormat, argList);
}
NTSTRSAFEAPI RtlStringCbVPrintfA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszFormat,
                                 va_list argList) {
    return RtlStringCchVPrintfA(pszDest, cbDest, pszFormat, argList);
}
static inline NTSTATUS RtlStringCchPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                           NTSTRSAFE_PCWSTR pszFormat, ...) {
    va_list args;
    va_start(args, pszFormat);
    NTSTATUS status = RtlStringCchVPrintfW(pszDest, cchDest, pszFormat, args);
    va_end(args);
    return status;
}
static inline NTSTATUS RtlStringCchPrintfA(NTSTRSAFE_PSTR pszDest, size_t cchDest,
                                           NTSTRSAFE_PCSTR pszFormat, ...) {
    va_list args;
    va_start(args, pszFormat);
    NTSTATUS status = RtlStringCchVPrintfA(pszDest, cchDest, pszFormat, args);
    va_end(args);
    return status;
}
static inline NTSTATUS RtlStringCbPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                          NTSTRSAFE_PCWSTR pszFormat, ...) {
    va_list args;
    va_start(args, pszFormat);
    NTSTATUS status = RtlStringCchVPrintfW(pszDest, cbDest / sizeof(wchar_t), pszFormat, args);
    va_end(args);
    return status;
}
static inline NTSTATUS RtlStringCbPrintfA(NTSTRSAFE_PSTR pszDest, size_t cbDest,
                                          NTSTRSAFE_PCSTR pszFormat, ...) {
    va_list args;
    va_start(args, pszFormat);
    NTSTATUS status = RtlStringCchVPrintfA(pszDest, cbDest, pszFormat, args);
    va_end(args);
    return status;
}

// ---- UNICODE_STRING variants -------------------------------------------------------------------
// A destination is valid when Length <= MaximumLength, both even, MaximumLength within
// NTSTRSAFE_UNICODE_STRING_MAX_CCH characters, and Buffer non-NULL unless MaximumLength is 0.
static inline NTSTATUS NtsimStrsafeCheckUnicode(PCUNICODE_STRING s, size_t* cchMax,
                                                size_t* cchLength) {
    if (s == NULL || (s->Length & 1) || (s->MaximumLength & 1) || s->Length > s->MaximumLength ||
        s->MaximumLength > NTSTRSAFE_UNICODE_STRING_MAX_CCH * sizeof(wchar_t) ||
        (s->Buffer == NULL && s->MaximumLength != 0))
        return STATUS_INVALID_PARAMETER;
    if (cchMax) *cchMax = s->MaximumLength / sizeof(wchar_t);
    if (cchLength) *cchLength = s->Length / sizeof(wchar_t);
    return STATUS_SUCCESS;
}

// Appends cchSrc characters at cchStart, as many as fit; STATUS_BUFFER_OVERFLOW if not all.
static inline NTSTATUS NtsimStrsafeUnicodePut(PUNICODE_STRING dest, size_t cchStart,
                                              const wchar_t* src, size_t cchSrc) {
    size_t cchMax = dest->MaximumLength / sizeof(wchar_t);
    size_t room = cchMax - cchStart;
    size_t n = cchSrc < room ? cchSrc : room;
    for (size_t i = 0; i < n; ++i)
        dest->Buffer[cchStart + i] = src[i];
    dest->Length = (USHORT)((cchStart + n) * sizeof(wchar_t));
    return n < cchSrc ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

NTSTRSAFEAPI RtlUnicodeStringCopy(PUNICODE_STRING DestinationString,
                                  PCUNICODE_STRING SourceString) {
    size_t srcLen;
    if (!NT_SUCCESS(NtsimStrsafeCheckUnicode(DestinationString, NULL, NULL)) ||
        !NT_SUCCESS(NtsimStrsafeCheckUnicode(SourceString, NULL, &srcLen)))
        return STATUS_INVALID_PARAMETER;
    return NtsimStrsafeUnicodePut(DestinationString, 0, SourceString->Buffer, srcLen);
}
NTSTRSAFEAPI RtlUnicodeStringCat(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString) {
    size_t destLen, srcLen;
    if (!NT_SUCCESS(NtsimStrsafeCheckUnicode(DestinationString, NULL, &destLen)) ||
        !NT_SUCCESS(NtsimStrsafeCheckUnicode(SourceString, NULL, &srcLen)))
        return STATUS_INVALID_PARAMETER;
    return NtsimStrsafeUnicodePut(DestinationString, destLen, SourceString->Buffer, srcLen);
}
NTSTRSAFEAPI RtlUnicodeStringCopyString(PUNICODE_STRING DestinationString,
                                        NTSTRSAFE_PCWSTR pszSrc) {
    size_t srcLen;
    if (!NT_SUCCESS(NtsimStrsafeCheckUnicode(DestinationString, NULL, NULL)) || pszSrc == NULL)
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(NtsimStrsafeLengthW(pszSrc, NTSTRSAFE_MAX_CCH, &srcLen)))
        return STATUS_INVALID_PARAMETER;
    return NtsimStrsafeUnicodePut(DestinationString, 0, pszSrc, srcLen);
}
NTSTRSAFEAPI RtlUnicodeStringCatString(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc) {
    size_t destLen, srcLen;
    if (!NT_SUCCESS(NtsimStrsafeCheckUnicode(DestinationString, NULL, &destLen)) || pszSrc == NULL)
        return STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(NtsimStrsafeLengthW(pszSrc, NTSTRSAFE_MAX_CCH, &srcLen)))
        return STATUS_INVALID_PARAMETER;
    return NtsimStrsafeUnicodePut(DestinationString, destLen, pszSrc, srcLen);
}
NTSTRSAFEAPI RtlUnicodeStringVPrintf(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszFormat,
                                     va_list argList) {
    size_t cchMax;
    if (!NT_SUCCESS(NtsimStrsafeCheckUnicode(DestinationString, &cchMax, NULL)) ||
        pszFormat == NULL)
        return STATUS_INVALID_PARAMETER;
    int n = _vsnwprintf(DestinationString->Buffer, cchMax, pszFormat, argList);
    if (n < 0 || (size_t)n > cchMax) {
        DestinationString->Length = (USHORT)(cchMax * sizeof(wchar_t));
        return STATUS_BUFFER_OVERFLOW;
    }
    DestinationString->Length = (USHORT)(n * sizeof(wchar_t));
    return STATUS_SUCCESS;
}
static inline NTSTATUS RtlUnicodeStringPrintf(PUNICODE_STRING DestinationString,
                                              NTSTRSAFE_PCWSTR pszFormat, ...) {
    va_list args;
    va_start(args, pszFormat);
    NTSTATUS status = RtlUnicodeStringVPrintf(DestinationString, pszFormat, args);
    va_end(args);
    return status;
}
