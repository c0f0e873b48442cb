// TraceLogging (ntsim SDK): self-describing events, as drivers write them with the WDK's
// TraceLoggingProvider.h.
//
//   TRACELOGGING_DEFINE_PROVIDER(g_Provider, "Booster", (0xb2723ad5, 0x1678, ...));
//   TraceLoggingRegister(g_Provider);
//   TraceLoggingWrite(g_Provider, "Boosting", TraceLoggingLevel(TRACE_LEVEL_INFORMATION),
//                     TraceLoggingUInt32(tid, "ThreadId"), TraceLoggingValue(prio, "Priority"));
//   TraceLoggingUnregister(g_Provider);
//
// The WDK encodes field metadata at compile time for ETW; here each field macro builds a
// NTSIM_TLG_FIELD (kind, name, value) and TraceLoggingWrite hands the array to the kernel's
// event sink, which records the event with its provider, level, keyword and typed fields
// (what `ntsim trace` shows). As with ETW, writing through an unregistered provider drops the
// event.
#pragma once

#include <ntdef.h>
#include <evntrace.h>

typedef struct _NTSIM_TLG_PROVIDER {
    const char* Name;
    GUID Id;
    volatile LONG Registered;
    ULONG Reserved;
} NTSIM_TLG_PROVIDER;
typedef NTSIM_TLG_PROVIDER* TraceLoggingHProvider;

typedef enum _NTSIM_TLG_KIND {
    NtsimTlgNone = 0, // the placeholder that keeps the field array non-empty
    NtsimTlgLevel,
    NtsimTlgKeyword,
    NtsimTlgOpcode,
    NtsimTlgInt8,
    NtsimTlgUInt8,
    NtsimTlgInt16,
    NtsimTlgUInt16,
    NtsimTlgInt32,
    NtsimTlgUInt32,
    NtsimTlgInt64,
    NtsimTlgUInt64,
    NtsimTlgHexInt32,
    NtsimTlgHexInt64,
    NtsimTlgBoolean,
    NtsimTlgFloat64,
    NtsimTlgPointer,
    NtsimTlgString,        // const char*, NUL-terminated
    NtsimTlgWideString,    // const WCHAR*, NUL-terminated
    NtsimTlgUnicodeString, // PCUNICODE_STRING
    NtsimTlgAnsiString,    // PCANSI_STRING
    NtsimTlgNTStatus,
    NtsimTlgGuid, // const GUID*
} NTSIM_TLG_KIND;

typedef struct _NTSIM_TLG_FIELD {
    ULONG Kind; // NTSIM_TLG_KIND
    const char* Name;
    const char* Description;
    union {
        LONG64 Signed;
        ULONG64 Unsigned;
        double Float;
        const void* Pointer;
    } Value;
} NTSIM_TLG_FIELD;

#ifdef __cplusplus
extern "C" {
#endif
NTKERNELAPI NTSTATUS NTAPI TraceLoggingRegister(TraceLoggingHProvider Provider);
NTKERNELAPI VOID NTAPI TraceLoggingUnregister(TraceLoggingHProvider Provider);
NTKERNELAPI BOOLEAN NTAPI TraceLoggingProviderEnabled(TraceLoggingHProvider Provider, UCHAR Level,
                                                      ULONGLONG Keyword);
// The sink behind TraceLoggingWrite (ntsim-specific export).
NTKERNELAPI VOID NTAPI NtsimTraceLoggingWrite(TraceLoggingHProvider Provider, const char* EventName,
                                              const NTSIM_TLG_FIELD* Fields, ULONG FieldCount);
#ifdef __cplusplus
}
#endif

#define NTSIM_TLG_GUID(l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)                                  \
    {                                                                                              \
        (ULONG)(l), (USHORT)(w1), (USHORT)(w2), {                                                  \
            b1, b2, b3, b4, b5, b6, b7, b8                                                         \
        }                                                                                          \
    }

#define TRACELOGGING_DECLARE_PROVIDER(handle) extern TraceLoggingHProvider const handle
#define TRACELOGGING_DEFINE_PROVIDER(handle, providerName, providerId, ...)                        \
    static NTSIM_TLG_PROVIDER handle##_NtsimStorage = {providerName, NTSIM_TLG_GUID providerId, 0, \
                                                       0};                                         \
    TraceLoggingHProvider const handle = &handle##_NtsimStorage
#define TRACELOGGING_DEFINE_PROVIDER_STORAGE(storage, providerName, providerId, ...)               \
    static NTSIM_TLG_PROVIDER storage = {providerName, NTSIM_TLG_GUID providerId, 0, 0}

// An optional "Name" (and "Description") after the value; the default name is the expression.
#define NTSIM_TLG_NAME_(def, name, ...) name
#define NTSIM_TLG_NAME(def, ...) NTSIM_TLG_NAME_(def, ##__VA_ARGS__, def)
#define NTSIM_TLG_DESC_(def, name, desc, ...) desc
#define NTSIM_TLG_DESC(...) NTSIM_TLG_DESC_(0, ##__VA_ARGS__, (const char*)0, (const char*)0)

#define NTSIM_TLG_SIGNED(kind, value, ...)                                                         \
    NTSIM_TLG_FIELD {                                                                              \
        kind, NTSIM_TLG_NAME(#value, ##__VA_ARGS__), NTSIM_TLG_DESC(__VA_ARGS__), {                \
            .Signed = (LONG64)(value)                                                              \
        }                                                                                          \
    }
#define NTSIM_TLG_UNSIGNED(kind, value, ...)                                                       \
    NTSIM_TLG_FIELD {                                                                              \
        kind, NTSIM_TLG_NAME(#value, ##__VA_ARGS__), NTSIM_TLG_DESC(__VA_ARGS__), {                \
            .Unsigned = (ULONG64)(value)                                                           \
        }                                                                                          \
    }
#define NTSIM_TLG_POINTER(kind, value, ...)                                                        \
    NTSIM_TLG_FIELD {                                                                              \
        kind, NTSIM_TLG_NAME(#value, ##__VA_ARGS__), NTSIM_TLG_DESC(__VA_ARGS__), {                \
            .Pointer = (const void*)(value)                                                        \
        }                                                                                          \
    }

#define TraceLoggingLevel(level)                                                                   \
    NTSIM_TLG_FIELD {                                                                              \
        NtsimTlgLevel, "", 0, {                                                                    \
            .Unsigned = (level)                                                                    \
        }                                                                                          \
    }
#define TraceLoggingKeyword(keyword)                                                               \
    NTSIM_TLG_FIELD {                                                                              \
        NtsimTlgKeyword, "", 0, {                                                                  \
            .Unsigned = (keyword)                                                                  \
        }                                                                                          \
    }
#define TraceLoggingOpcode(opcode)                                                                 \
    NTSIM_TLG_FIELD {                                                                              \
        NtsimTlgOpcode, "", 0, {                                                                   \
            .Unsigned = (opcode)                                                                   \
        }                                                                                          \
    }
#define TraceLoggingInt8(v, ...) NTSIM_TLG_SIGNED(NtsimTlgInt8, v, ##__VA_ARGS__)
#define TraceLoggingUInt8(v, ...) NTSIM_TLG_UNSIGNED(NtsimTlgUInt8, v, ##__VA_ARGS__)
#define TraceLoggingInt16(v, ...) NTSIM_TLG_SIGNED(NtsimTlgInt16, v, ##__VA_ARGS__)
#define TraceLoggingUInt16(v, ...) NTSIM_TLG_UNSIGNED(NtsimTlgUInt16, v, ##__VA_ARGS__)
#define TraceLoggingInt32(v, ...) NTSIM_TLG_SIGNED(NtsimTlgInt32, v, ##__VA_ARGS__)
#define TraceLoggingUInt32(v, ...) NTSIM_TLG_UNSIGNED(NtsimTlgUInt32, v, ##__VA_ARGS__)
#define TraceLoggingLong(v, ...) NTSIM_TLG_SIGNED(NtsimTlgInt32, v, ##__VA_ARGS__)
#define TraceLoggingULong(v, ...) NTSIM_TLG_UNSIGNED(NtsimTlgUInt32, v, ##__VA_ARGS__)
#define TraceLoggingInt64(v, ...) NTSIM_TLG_SIGNED(NtsimTlgInt64, v, ##__VA_ARGS__)
#define TraceLoggingUInt64(v, ...) NTSIM_TLG_UNSIGNED(NtsimTlgUInt64, v, ##__VA_ARGS__)
#define TraceLoggingHexInt32(v, ...) NTSIM_TLG_UNSIGNED(NtsimTlgHexInt32, v, ##__VA_ARGS__)
#define TraceLoggingHexUInt32(v, ...) NTSIM_TLG_UNSIGNED(NtsimTlgHexInt32, v, ##__VA_ARGS__)
#define TraceLoggingHexInt64(v, ...) NTSIM_TLG_UNSIGNED(NtsimTlgHexInt64, v, ##__VA_ARGS__)
#define TraceLoggingHexUInt64(v, ...) NTSIM_TLG_UNSIGNED(NtsimTlgHexInt64, v, ##__VA_ARGS__)
#define TraceLoggingBoolean(v, ...) NTSIM_TLG_UNSIGNED(NtsimTlgBoolean, (v) ? 1 : 0, ##__VA_ARGS__)
#define TraceLoggingBool(v, ...) NTSIM_TLG_UNSIGNED(NtsimTlgBoolean, (v) ? 1 : 0, ##__VA_ARGS__)
#define TraceLoggingPointer(v, ...) NTSIM_TLG_POINTER(NtsimTlgPointer, v, ##__VA_ARGS__)
#define TraceLoggingString(v, ...) NTSIM_TLG_POINTER(NtsimTlgString, v, ##__VA_ARGS__)
#define TraceLoggingWideString(v, ...) NTSIM_TLG_POINTER(NtsimTlgWideString, v, ##__VA_ARGS__)
#define TraceLoggingUnicodeString(v, ...) NTSIM_TLG_POINTER(NtsimTlgUnicodeString, v, ##__VA_ARGS__)
#define TraceLoggingCountedString(v, ...) NTSIM_TLG_POINTER(NtsimTlgAnsiString, v, ##__VA_ARGS__)
#define TraceLoggingNTStatus(v, ...) NTSIM_TLG_SIGNED(NtsimTlgNTStatus, v, ##__VA_ARGS__)
#define TraceLoggingGuid(v, ...) NTSIM_TLG_POINTER(NtsimTlgGuid, &(v), ##__VA_ARGS__)
#define TraceLoggingFloat64(v, ...)                                                                \
    NTSIM_TLG_FIELD {                                                                              \
        NtsimTlgFloat64, NTSIM_TLG_NAME(#v, ##__VA_ARGS__), NTSIM_TLG_DESC(__VA_ARGS__), {         \
            .Float = (double)(v)                                                                   \
        }                                                                                          \
    }

#ifdef __cplusplus
// TraceLoggingValue infers the field type from the C++ type of the value.
inline NTSIM_TLG_FIELD NtsimTlgValue(signed char v, const char* n, const char* d) {
    return {NtsimTlgInt8, n, d, {.Signed = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(unsigned char v, const char* n, const char* d) {
    return {NtsimTlgUInt8, n, d, {.Unsigned = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(short v, const char* n, const char* d) {
    return {NtsimTlgInt16, n, d, {.Signed = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(unsigned short v, const char* n, const char* d) {
    return {NtsimTlgUInt16, n, d, {.Unsigned = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(int v, const char* n, const char* d) {
    return {NtsimTlgInt32, n, d, {.Signed = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(unsigned int v, const char* n, const char* d) {
    return {NtsimTlgUInt32, n, d, {.Unsigned = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(long v, const char* n, const char* d) {
    return {NtsimTlgInt64, n, d, {.Signed = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(unsigned long v, const char* n, const char* d) {
    return {NtsimTlgUInt64, n, d, {.Unsigned = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(long long v, const char* n, const char* d) {
    return {NtsimTlgInt64, n, d, {.Signed = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(unsigned long long v, const char* n, const char* d) {
    return {NtsimTlgUInt64, n, d, {.Unsigned = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(bool v, const char* n, const char* d) {
    return {NtsimTlgBoolean, n, d, {.Unsigned = v ? 1u : 0u}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(double v, const char* n, const char* d) {
    return {NtsimTlgFloat64, n, d, {.Float = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(const char* v, const char* n, const char* d) {
    return {NtsimTlgString, n, d, {.Pointer = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(const WCHAR* v, const char* n, const char* d) {
    return {NtsimTlgWideString, n, d, {.Pointer = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(const UNICODE_STRING* v, const char* n, const char* d) {
    return {NtsimTlgUnicodeString, n, d, {.Pointer = v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(const GUID& v, const char* n, const char* d) {
    return {NtsimTlgGuid, n, d, {.Pointer = &v}};
}
inline NTSIM_TLG_FIELD NtsimTlgValue(const void* v, const char* n, const char* d) {
    return {NtsimTlgPointer, n, d, {.Pointer = v}};
}
#define TraceLoggingValue(v, ...)                                                                  \
    NtsimTlgValue((v), NTSIM_TLG_NAME(#v, ##__VA_ARGS__), NTSIM_TLG_DESC(__VA_ARGS__))
#endif

#define TraceLoggingWrite(provider, eventName, ...)                                                \
    do {                                                                                           \
        const NTSIM_TLG_FIELD NtsimTlgFields_[] = {                                                \
            NTSIM_TLG_FIELD{NtsimTlgNone, "", 0, {.Unsigned = 0}}, ##__VA_ARGS__};                 \
        NtsimTraceLoggingWrite((provider), (eventName), NtsimTlgFields_,                           \
                               (ULONG)(sizeof(NtsimTlgFields_) / sizeof(NtsimTlgFields_[0])));     \
    } while (0)
