// Counted strings: UNICODE_STRING / ANSI_STRING initialisation, copy, append, compare, case
// conversion, allocation and release.
#include <cstring>

#include <wdm.h>

#include "core/export.h"
#include "rtl/rtl.h"

namespace {

constexpr size_t kMaxUnicodeBytes = UNICODE_STRING_MAX_BYTES; // 65534
constexpr size_t kMaxAnsiBytes = 0xFFFF;

template <typename Ch> size_t Length(const Ch* s) {
    size_t n = 0;
    while (s[n])
        ++n;
    return n;
}

PVOID AllocateString(size_t bytes) {
    return ExAllocatePool2(POOL_FLAG_PAGED, bytes == 0 ? 1 : bytes, ntsim::rtl::kStringPoolTag);
}

} // namespace

// ---- initialisation ----------------------------------------------------------------------------
// Points the string at SourceString; a string too long for a UNICODE_STRING is cut at
// UNICODE_STRING_MAX_BYTES - 2 bytes (Length) / UNICODE_STRING_MAX_BYTES (MaximumLength).
extern "C" VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString) {
    DestinationString->Buffer = const_cast<PWCH>(SourceString);
    if (SourceString == nullptr) {
        DestinationString->Length = DestinationString->MaximumLength = 0;
        return;
    }
    size_t bytes = Length(SourceString) * sizeof(WCHAR);
    if (bytes > kMaxUnicodeBytes - sizeof(WCHAR)) bytes = kMaxUnicodeBytes - sizeof(WCHAR);
    DestinationString->Length = USHORT(bytes);
    DestinationString->MaximumLength = USHORT(bytes + sizeof(WCHAR));
}
NTSIM_EXPORT(RtlInitUnicodeString);

extern "C" NTSTATUS NTAPI RtlInitUnicodeStringEx(PUNICODE_STRING DestinationString,
                                                 PCWSTR SourceString) {
    if (SourceString != nullptr &&
        Length(SourceString) * sizeof(WCHAR) > kMaxUnicodeBytes - sizeof(WCHAR))
        return STATUS_NAME_TOO_LONG;
    RtlInitUnicodeString(DestinationString, SourceString);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlInitUnicodeStringEx);

extern "C" VOID NTAPI RtlInitString(PSTRING DestinationString, PCSZ SourceString) {
    DestinationString->Buffer = const_cast<PCHAR>(SourceString);
    if (SourceString == nullptr) {
        DestinationString->Length = DestinationString->MaximumLength = 0;
        return;
    }
    size_t bytes = Length(SourceString);
    if (bytes > kMaxAnsiBytes - 1) bytes = kMaxAnsiBytes - 1;
    DestinationString->Length = USHORT(bytes);
    DestinationString->MaximumLength = USHORT(bytes + 1);
}
NTSIM_EXPORT(RtlInitString);

extern "C" VOID NTAPI RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString) {
    RtlInitString(DestinationString, SourceString);
}
NTSIM_EXPORT(RtlInitAnsiString);

extern "C" NTSTATUS NTAPI RtlInitStringEx(PSTRING DestinationString, PCSZ SourceString) {
    if (SourceString != nullptr && Length(SourceString) > kMaxAnsiBytes - 1)
        return STATUS_NAME_TOO_LONG;
    RtlInitString(DestinationString, SourceString);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlInitStringEx);

extern "C" NTSTATUS NTAPI RtlInitAnsiStringEx(PANSI_STRING DestinationString, PCSZ SourceString) {
    return RtlInitStringEx(DestinationString, SourceString);
}
NTSIM_EXPORT(RtlInitAnsiStringEx);

// ---- copy and append ---------------------------------------------------------------------------
// Copies min(Source->Length, Destination->MaximumLength) bytes (whole characters) and
// NUL-terminates when there is room; a NULL source empties the destination.
extern "C" VOID NTAPI RtlCopyUnicodeString(PUNICODE_STRING DestinationString,
                                           PCUNICODE_STRING SourceString) {
    if (SourceString == nullptr) {
        DestinationString->Length = 0;
        return;
    }
    size_t bytes = SourceString->Length;
    if (bytes > DestinationString->MaximumLength) bytes = DestinationString->MaximumLength;
    bytes &= ~size_t(1);
    memmove(DestinationString->Buffer, SourceString->Buffer, bytes);
    DestinationString->Length = USHORT(bytes);
    if (bytes + sizeof(WCHAR) <= DestinationString->MaximumLength)
        DestinationString->Buffer[bytes / sizeof(WCHAR)] = UNICODE_NULL;
}
NTSIM_EXPORT(RtlCopyUnicodeString);

extern "C" VOID NTAPI RtlCopyString(PSTRING DestinationString, const STRING* SourceString) {
    if (SourceString == nullptr) {
        DestinationString->Length = 0;
        return;
    }
    size_t bytes = SourceString->Length;
    if (bytes > DestinationString->MaximumLength) bytes = DestinationString->MaximumLength;
    memmove(DestinationString->Buffer, SourceString->Buffer, bytes);
    DestinationString->Length = USHORT(bytes);
    if (bytes < DestinationString->MaximumLength) DestinationString->Buffer[bytes] = ANSI_NULL;
}
NTSIM_EXPORT(RtlCopyString);

namespace {
NTSTATUS AppendUnicode(PUNICODE_STRING Destination, const WCHAR* source, size_t bytes) {
    if (bytes == 0) return STATUS_SUCCESS;
    size_t total = size_t(Destination->Length) + bytes;
    if (total > Destination->MaximumLength) return STATUS_BUFFER_TOO_SMALL;
    memmove(reinterpret_cast<char*>(Destination->Buffer) + Destination->Length, source, bytes);
    Destination->Length = USHORT(total);
    if (total + sizeof(WCHAR) <= Destination->MaximumLength)
        Destination->Buffer[total / sizeof(WCHAR)] = UNICODE_NULL;
    return STATUS_SUCCESS;
}
} // namespace

extern "C" NTSTATUS NTAPI RtlAppendUnicodeStringToString(PUNICODE_STRING Destination,
                                                         PCUNICODE_STRING Source) {
    return AppendUnicode(Destination, Source->Buffer, Source->Length);
}
NTSIM_EXPORT(RtlAppendUnicodeStringToString);

extern "C" NTSTATUS NTAPI RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source) {
    if (Source == nullptr) return STATUS_SUCCESS;
    return AppendUnicode(Destination, Source, Length(Source) * sizeof(WCHAR));
}
NTSIM_EXPORT(RtlAppendUnicodeToString);

extern "C" NTSTATUS NTAPI RtlAppendStringToString(PSTRING Destination, const STRING* Source) {
    if (Source->Length == 0) return STATUS_SUCCESS;
    size_t total = size_t(Destination->Length) + Source->Length;
    if (total > Destination->MaximumLength) return STATUS_BUFFER_TOO_SMALL;
    memmove(Destination->Buffer + Destination->Length, Source->Buffer, Source->Length);
    Destination->Length = USHORT(total);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlAppendStringToString);

// ---- comparison --------------------------------------------------------------------------------
extern "C" LONG NTAPI RtlCompareUnicodeStrings(PCWCH String1, SIZE_T String1Length, PCWCH String2,
                                               SIZE_T String2Length, BOOLEAN CaseInSensitive) {
    return ntsim::rtl::CompareUnicode(String1, String1Length, String2, String2Length,
                                      CaseInSensitive != FALSE);
}
NTSIM_EXPORT(RtlCompareUnicodeStrings);

extern "C" LONG NTAPI RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                              BOOLEAN CaseInSensitive) {
    return ntsim::rtl::CompareUnicode(String1->Buffer, String1->Length / sizeof(WCHAR),
                                      String2->Buffer, String2->Length / sizeof(WCHAR),
                                      CaseInSensitive != FALSE);
}
NTSIM_EXPORT(RtlCompareUnicodeString);

extern "C" BOOLEAN NTAPI RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                               BOOLEAN CaseInSensitive) {
    if (String1->Length != String2->Length) return FALSE;
    return RtlCompareUnicodeString(String1, String2, CaseInSensitive) == 0;
}
NTSIM_EXPORT(RtlEqualUnicodeString);

extern "C" BOOLEAN NTAPI RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                                BOOLEAN CaseInSensitive) {
    if (String1->Length > String2->Length) return FALSE;
    return ntsim::rtl::CompareUnicode(String1->Buffer, String1->Length / sizeof(WCHAR),
                                      String2->Buffer, String1->Length / sizeof(WCHAR),
                                      CaseInSensitive != FALSE) == 0;
}
NTSIM_EXPORT(RtlPrefixUnicodeString);

extern "C" LONG NTAPI RtlCompareString(const STRING* String1, const STRING* String2,
                                       BOOLEAN CaseInSensitive) {
    size_t n = String1->Length < String2->Length ? String1->Length : String2->Length;
    for (size_t i = 0; i < n; ++i) {
        CHAR a = String1->Buffer[i], b = String2->Buffer[i];
        if (CaseInSensitive) {
            a = RtlUpperChar(a);
            b = RtlUpperChar(b);
        }
        if (a != b)
            return LONG(static_cast<unsigned char>(a)) - LONG(static_cast<unsigned char>(b));
    }
    return LONG(String1->Length) - LONG(String2->Length);
}
NTSIM_EXPORT(RtlCompareString);

extern "C" BOOLEAN NTAPI RtlEqualString(const STRING* String1, const STRING* String2,
                                        BOOLEAN CaseInSensitive) {
    if (String1->Length != String2->Length) return FALSE;
    return RtlCompareString(String1, String2, CaseInSensitive) == 0;
}
NTSIM_EXPORT(RtlEqualString);

// ---- case conversion ---------------------------------------------------------------------------
namespace {
// Up/downcases Source into Destination (allocated when asked); no terminator is added.
NTSTATUS MapCase(PUNICODE_STRING Destination, PCUNICODE_STRING Source, BOOLEAN Allocate,
                 WCHAR (*map)(WCHAR)) {
    USHORT bytes = Source->Length;
    if (Allocate) {
        auto* buffer = static_cast<PWCH>(AllocateString(bytes));
        if (buffer == nullptr) return STATUS_NO_MEMORY;
        Destination->Buffer = buffer;
        Destination->MaximumLength = bytes;
    } else if (bytes > Destination->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    for (size_t i = 0; i < bytes / sizeof(WCHAR); ++i)
        Destination->Buffer[i] = map(Source->Buffer[i]);
    Destination->Length = bytes;
    return STATUS_SUCCESS;
}
} // namespace

extern "C" NTSTATUS NTAPI RtlUpcaseUnicodeString(PUNICODE_STRING DestinationString,
                                                 PCUNICODE_STRING SourceString,
                                                 BOOLEAN AllocateDestinationString) {
    return MapCase(DestinationString, SourceString, AllocateDestinationString,
                   ntsim::rtl::UpcaseChar);
}
NTSIM_EXPORT(RtlUpcaseUnicodeString);

extern "C" NTSTATUS NTAPI RtlDowncaseUnicodeString(PUNICODE_STRING DestinationString,
                                                   PCUNICODE_STRING SourceString,
                                                   BOOLEAN AllocateDestinationString) {
    return MapCase(DestinationString, SourceString, AllocateDestinationString,
                   ntsim::rtl::DowncaseChar);
}
NTSIM_EXPORT(RtlDowncaseUnicodeString);

// Copies as RtlCopyString does, upper-casing.
extern "C" VOID NTAPI RtlUpperString(PSTRING DestinationString, const STRING* SourceString) {
    size_t bytes = SourceString->Length;
    if (bytes > DestinationString->MaximumLength) bytes = DestinationString->MaximumLength;
    for (size_t i = 0; i < bytes; ++i)
        DestinationString->Buffer[i] = RtlUpperChar(SourceString->Buffer[i]);
    DestinationString->Length = USHORT(bytes);
}
NTSIM_EXPORT(RtlUpperString);

// ---- ANSI <-> Unicode strings ------------------------------------------------------------------
extern "C" ULONG NTAPI RtlxAnsiStringToUnicodeSize(PCANSI_STRING AnsiString) {
    return (ULONG(AnsiString->Length) + 1) * sizeof(WCHAR);
}
NTSIM_EXPORT(RtlxAnsiStringToUnicodeSize);

extern "C" ULONG NTAPI RtlxUnicodeStringToAnsiSize(PCUNICODE_STRING UnicodeString) {
    return ULONG(UnicodeString->Length / sizeof(WCHAR)) + 1;
}
NTSIM_EXPORT(RtlxUnicodeStringToAnsiSize);

// The result is NUL-terminated, so the destination needs Length + 1 characters of room
// (STATUS_BUFFER_OVERFLOW otherwise, nothing converted).
extern "C" NTSTATUS NTAPI RtlAnsiStringToUnicodeString(PUNICODE_STRING DestinationString,
                                                       PCANSI_STRING SourceString,
                                                       BOOLEAN AllocateDestinationString) {
    ULONG size = RtlxAnsiStringToUnicodeSize(SourceString);
    if (size > kMaxUnicodeBytes) return STATUS_INVALID_PARAMETER_2;
    USHORT length = USHORT(size - sizeof(WCHAR));
    if (AllocateDestinationString) {
        auto* buffer = static_cast<PWCH>(AllocateString(size));
        if (buffer == nullptr) return STATUS_NO_MEMORY;
        DestinationString->Buffer = buffer;
        DestinationString->MaximumLength = USHORT(size);
    } else if (length >= DestinationString->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    DestinationString->Length = length;
    RtlMultiByteToUnicodeN(DestinationString->Buffer, length, nullptr, SourceString->Buffer,
                           SourceString->Length);
    DestinationString->Buffer[length / sizeof(WCHAR)] = UNICODE_NULL;
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlAnsiStringToUnicodeString);

// A destination that is too small receives what fits (terminated) and STATUS_BUFFER_OVERFLOW.
extern "C" NTSTATUS NTAPI RtlUnicodeStringToAnsiString(PANSI_STRING DestinationString,
                                                       PCUNICODE_STRING SourceString,
                                                       BOOLEAN AllocateDestinationString) {
    ULONG size = RtlxUnicodeStringToAnsiSize(SourceString);
    if (size > kMaxAnsiBytes) return STATUS_INVALID_PARAMETER_2;
    NTSTATUS status = STATUS_SUCCESS;
    USHORT length = USHORT(size - 1);
    if (AllocateDestinationString) {
        auto* buffer = static_cast<PCHAR>(AllocateString(size));
        if (buffer == nullptr) return STATUS_NO_MEMORY;
        DestinationString->Buffer = buffer;
        DestinationString->MaximumLength = USHORT(size);
    } else if (length >= DestinationString->MaximumLength) {
        if (DestinationString->MaximumLength == 0) return STATUS_BUFFER_OVERFLOW;
        status = STATUS_BUFFER_OVERFLOW;
        length = USHORT(DestinationString->MaximumLength - 1);
    }
    DestinationString->Length = length;
    RtlUnicodeToMultiByteN(DestinationString->Buffer, length, nullptr, SourceString->Buffer,
                           ULONG(length) * sizeof(WCHAR));
    DestinationString->Buffer[length] = ANSI_NULL;
    return status;
}
NTSIM_EXPORT(RtlUnicodeStringToAnsiString);

// ---- allocation
// ----------------------------------------------------------------------------------
extern "C" VOID NTAPI RtlFreeUnicodeString(PUNICODE_STRING UnicodeString) {
    if (UnicodeString->Buffer != nullptr) {
        ExFreePool(UnicodeString->Buffer);
        UnicodeString->Buffer = nullptr;
        UnicodeString->Length = UnicodeString->MaximumLength = 0;
    }
}
NTSIM_EXPORT(RtlFreeUnicodeString);

extern "C" VOID NTAPI RtlFreeAnsiString(PANSI_STRING AnsiString) {
    if (AnsiString->Buffer != nullptr) {
        ExFreePool(AnsiString->Buffer);
        AnsiString->Buffer = nullptr;
        AnsiString->Length = AnsiString->MaximumLength = 0;
    }
}
NTSIM_EXPORT(RtlFreeAnsiString);

// A pool copy of SourceString with its terminator; FALSE if it does not fit in a UNICODE_STRING
// or the allocation fails.
extern "C" BOOLEAN NTAPI RtlCreateUnicodeString(PUNICODE_STRING DestinationString,
                                                PCWSTR SourceString) {
    size_t size = (Length(SourceString) + 1) * sizeof(WCHAR);
    if (size > kMaxUnicodeBytes) return FALSE;
    auto* buffer = static_cast<PWCH>(AllocateString(size));
    if (buffer == nullptr) return FALSE;
    memcpy(buffer, SourceString, size);
    DestinationString->Buffer = buffer;
    DestinationString->Length = USHORT(size - sizeof(WCHAR));
    DestinationString->MaximumLength = USHORT(size);
    return TRUE;
}
NTSIM_EXPORT(RtlCreateUnicodeString);

// Flags: RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE adds a terminator;
// ..._ALLOCATE_NULL_STRING (only together with NULL_TERMINATE) allocates even for an empty
// source. Otherwise an empty source gives an empty string with no buffer.
extern "C" NTSTATUS NTAPI RtlDuplicateUnicodeString(ULONG Flags, PCUNICODE_STRING StringIn,
                                                    PUNICODE_STRING StringOut) {
    constexpr ULONG kTerminate = RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE;
    constexpr ULONG kAllocateNull = RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING;
    if (StringIn == nullptr || StringOut == nullptr || (Flags & ~(kTerminate | kAllocateNull)) ||
        Flags == kAllocateNull || StringIn->Length > StringIn->MaximumLength ||
        (StringIn->Length == 0 && StringIn->MaximumLength > 0 && StringIn->Buffer == nullptr) ||
        (StringIn->Length & 1))
        return STATUS_INVALID_PARAMETER;
    if (StringIn->Length == 0 && !(Flags & kAllocateNull)) {
        StringOut->Length = StringOut->MaximumLength = 0;
        StringOut->Buffer = nullptr;
        return STATUS_SUCCESS;
    }
    size_t size = StringIn->Length + ((Flags & kTerminate) ? sizeof(WCHAR) : 0);
    if (size > kMaxUnicodeBytes) return STATUS_NAME_TOO_LONG;
    auto* buffer = static_cast<PWCH>(AllocateString(size));
    if (buffer == nullptr) return STATUS_NO_MEMORY;
    if (StringIn->Length) memcpy(buffer, StringIn->Buffer, StringIn->Length);
    if (Flags & kTerminate) buffer[StringIn->Length / sizeof(WCHAR)] = UNICODE_NULL;
    StringOut->Buffer = buffer;
    StringOut->Length = StringIn->Length;
    StringOut->MaximumLength = USHORT(size);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlDuplicateUnicodeString);
