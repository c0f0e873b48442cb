// Base NT types and macros shared by kernel (wdm.h) and user (windows.h) code.
//
// Windows is LLP64: LONG/ULONG are 32-bit even on 64-bit, pointers and *_PTR are 64-bit.
// Linux is LP64, so nothing here uses `long`. WCHAR is a 16-bit wchar_t: every translation unit
// that includes these headers is compiled with -fshort-wchar (the SDK's CMake functions set it).
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <sal.h>

#if __SIZEOF_WCHAR_T__ != 2
#error "ntsim SDK headers require -fshort-wchar (use ntsim_add_driver / ntsim_add_client)"
#endif
#if !defined(__x86_64__)
#error "ntsim targets x86-64"
#endif

#ifndef _WIN64
#define _WIN64 1
#endif
#ifndef _AMD64_
#define _AMD64_ 1
#endif

// ---- calling conventions and declaration decorations ---------------------------------------
// Exported kernel APIs use the Microsoft x64 convention so a PE driver can bind to them later.
// Routines a driver hands to the kernel keep the default convention (x64 Windows has just one).
#define NTAPI __attribute__((ms_abi))
#define NTAPI_INLINE
#define WINAPI __attribute__((ms_abi))
#define APIENTRY WINAPI
#define CALLBACK
#ifndef __cdecl
#define __cdecl
#endif
#ifndef __stdcall
#define __stdcall
#endif
#ifndef __fastcall
#define __fastcall
#endif
#ifndef _cdecl
#define _cdecl
#endif
#define __declspec(x)
#define __forceinline inline __attribute__((always_inline))
#define FORCEINLINE static inline __attribute__((always_inline))
#define DECLSPEC_NOINLINE __attribute__((noinline))
#define DECLSPEC_NORETURN __attribute__((noreturn))
#define DECLSPEC_ALIGN(x) __attribute__((aligned(x)))
#define DECLSPEC_CACHEALIGN DECLSPEC_ALIGN(64)
#define DECLSPEC_IMPORT
#define DECLSPEC_EXPORT __attribute__((visibility("default")))
#define DECLSPEC_SELECTANY __attribute__((weak))
#define DECLSPEC_DEPRECATED_DDK
#define DECLSPEC_DEPRECATED_DDK_WINXP
#define DECLSPEC_DEPRECATED_DDK_WIN2003
#define DECLSPEC_DEPRECATED_DDK_WIN7
#define __drv_preferredFunction(f, r)
#define __drv_reportError(e)
#define __drv_allocatesMem(k)
#define __drv_when(c, a)

#define __unaligned
#define __ptr64
#define __ptr32
#define __restrict__ __restrict
#define UNALIGNED
#define RESTRICTED_POINTER
#define POINTER_ALIGNMENT DECLSPEC_ALIGN(8) // x64: pointer-aligned IO_STACK_LOCATION fields
#define CONST const
#define VOID void
#define IN
#define OUT
#define OPTIONAL

#ifdef __cplusplus
#define EXTERN_C extern "C"
#define EXTERN_C_START extern "C" {
#define EXTERN_C_END }
#define NTSIM_NOEXCEPT noexcept
#else
#define EXTERN_C extern
#define EXTERN_C_START
#define EXTERN_C_END
#define NTSIM_NOEXCEPT
#endif

#define NTSYSAPI
#define NTSYSCALLAPI
#define NTKERNELAPI
#define NTHALAPI
#define NTSTRSAFEAPI static inline NTSTATUS

// MSVC integer type keywords.
#define __int8 char
#define __int16 short
#define __int32 int
#define __int64 long long

// ---- integer and character types (LLP64) ----------------------------------------------------
typedef void* PVOID;
typedef void* LPVOID;
typedef const void* PCVOID;
typedef const void* LPCVOID;
typedef char CHAR, CCHAR, *PCHAR, *PSZ, *PCCHAR;
typedef signed char SCHAR;
typedef unsigned char UCHAR, *PUCHAR, BYTE, *PBYTE, *LPBYTE;
typedef short SHORT, CSHORT, *PSHORT;
typedef unsigned short USHORT, *PUSHORT, WORD, *PWORD, *LPWORD;
typedef int LONG, *PLONG, INT, *PINT, BOOL, *PBOOL, *LPBOOL, *LPLONG;
typedef unsigned int ULONG, *PULONG, CLONG, UINT, *PUINT, DWORD, *PDWORD, *LPDWORD;
typedef long long LONGLONG, *PLONGLONG, LONG64, *PLONG64, INT64, *PINT64;
typedef unsigned long long ULONGLONG, *PULONGLONG, ULONG64, *PULONG64, DWORD64, *PDWORD64, UINT64,
    *PUINT64, DWORDLONG, *PDWORDLONG;
typedef signed char INT8, *PINT8;
typedef unsigned char UINT8, *PUINT8;
typedef short INT16, *PINT16;
typedef unsigned short UINT16, *PUINT16;
typedef int INT32, *PINT32, LONG32, *PLONG32;
typedef unsigned int UINT32, *PUINT32, ULONG32, *PULONG32, DWORD32, *PDWORD32;
typedef long long INT_PTR, *PINT_PTR, LONG_PTR, *PLONG_PTR, SSIZE_T, *PSSIZE_T;
typedef unsigned long long UINT_PTR, *PUINT_PTR, ULONG_PTR, *PULONG_PTR, SIZE_T, *PSIZE_T,
    DWORD_PTR, *PDWORD_PTR, KAFFINITY, *PKAFFINITY;
typedef unsigned char BOOLEAN, *PBOOLEAN;
typedef float FLOAT;
typedef double DOUBLE;
typedef wchar_t WCHAR, *PWCHAR, *PWCH, *PWSTR, *LPWSTR, *NWPSTR, *PZZWSTR;
typedef const wchar_t *PCWCH, *PCWSTR, *LPCWSTR, *PCZZWSTR;
typedef char *PCH, *LPCH, *PSTR, *LPSTR, *PZZSTR;
typedef const char *PCCH, *LPCCH, *PCSTR, *LPCSTR, *PCSZ, *PCZZSTR;
typedef PVOID HANDLE, *PHANDLE;
typedef LONG NTSTATUS, *PNTSTATUS;
typedef ULONG LOGICAL, *PLOGICAL;
typedef ULONG ACCESS_MASK, *PACCESS_MASK;
typedef UCHAR KIRQL, *PKIRQL;
typedef CCHAR KPROCESSOR_MODE;
typedef LONG KPRIORITY;
typedef USHORT RTL_ATOMIC_TYPE;
typedef ULONG DEVICE_TYPE;
typedef ULONG_PTR ERESOURCE_THREAD, *PERESOURCE_THREAD;
typedef LONGLONG USN;
typedef UCHAR KPROCESSOR_MODE_T;
typedef struct _GUID {
    ULONG Data1;
    USHORT Data2;
    USHORT Data3;
    UCHAR Data4[8];
} GUID, *PGUID, *LPGUID;
typedef const GUID* LPCGUID;
typedef const GUID& REFGUID;

#ifndef NULL
#ifdef __cplusplus
#define NULL nullptr
#else
#define NULL ((void*)0)
#endif
#endif
#define TRUE 1
#define FALSE 0

// ---- NTSTATUS classification ----------------------------------------------------------------
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define NT_INFORMATION(Status) ((((ULONG)(Status)) >> 30) == 1)
#define NT_WARNING(Status) ((((ULONG)(Status)) >> 30) == 2)
#define NT_ERROR(Status) ((((ULONG)(Status)) >> 30) == 3)

// ---- LARGE_INTEGER and friends ---------------------------------------------------------------
typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    struct {
        ULONG LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        ULONG LowPart;
        ULONG HighPart;
    };
    struct {
        ULONG LowPart;
        ULONG HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef LARGE_INTEGER PHYSICAL_ADDRESS, *PPHYSICAL_ADDRESS;

// ---- strings ---------------------------------------------------------------------------------
typedef struct _UNICODE_STRING {
    USHORT Length;        // bytes, not counting a terminator
    USHORT MaximumLength; // bytes
    PWCH Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING* PCUNICODE_STRING;

typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, *PSTRING, ANSI_STRING, *PANSI_STRING, OEM_STRING, *POEM_STRING;
typedef const STRING* PCSTRING;
typedef const ANSI_STRING* PCANSI_STRING;
typedef const OEM_STRING* PCOEM_STRING;

#define UNICODE_NULL ((WCHAR)0)
#define ANSI_NULL ((CHAR)0)
#define UNICODE_STRING_MAX_BYTES ((USHORT)65534)
#define UNICODE_STRING_MAX_CHARS (32767)

#ifdef __cplusplus
// Picks the UNICODE_STRING or STRING buffer type from the literal's character type.
constexpr PWCH NtsimConstStringBuffer(const WCHAR* s) {
    return const_cast<PWCH>(s);
}
constexpr PCHAR NtsimConstStringBuffer(const CHAR* s) {
    return const_cast<PCHAR>(s);
}
#define RTL_CONSTANT_STRING(s)                                                                     \
    { (USHORT)(sizeof(s) - sizeof((s)[0])), (USHORT)sizeof(s), NtsimConstStringBuffer(s) }
#else
#define RTL_CONSTANT_STRING(s)                                                                     \
    { (USHORT)(sizeof(s) - sizeof((s)[0])), (USHORT)sizeof(s), (void*)(s) }
#endif
#define DECLARE_CONST_UNICODE_STRING(_var, _string)                                                \
    const WCHAR _var##_buffer[] = _string;                                                         \
    const UNICODE_STRING _var = {sizeof(_string) - sizeof(WCHAR), sizeof(_string),                 \
                                 (PWCH)_var##_buffer}
#define DECLARE_GLOBAL_CONST_UNICODE_STRING(_var, _str)                                            \
    extern const __attribute__((weak)) UNICODE_STRING _var = RTL_CONSTANT_STRING(_str)
#define DECLARE_UNICODE_STRING_SIZE(_var, _size)                                                   \
    WCHAR _var##_buffer[_size];                                                                    \
    UNICODE_STRING _var = {0, (_size) * sizeof(WCHAR), _var##_buffer}

// ---- lists -----------------------------------------------------------------------------------
typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY* Flink;
    struct _LIST_ENTRY* Blink;
} LIST_ENTRY, *PLIST_ENTRY, *RESTRICTED_POINTER PRLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
    struct _SINGLE_LIST_ENTRY* Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

// ---- object attributes, client id ------------------------------------------------------------
typedef struct _OBJECT_ATTRIBUTES {
    ULONG Length;
    HANDLE RootDirectory;
    PUNICODE_STRING ObjectName;
    ULONG Attributes;
    PVOID SecurityDescriptor;       // PSECURITY_DESCRIPTOR
    PVOID SecurityQualityOfService; // PSECURITY_QUALITY_OF_SERVICE
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;
typedef const OBJECT_ATTRIBUTES* PCOBJECT_ATTRIBUTES;

#define OBJ_INHERIT 0x00000002L
#define OBJ_PERMANENT 0x00000010L
#define OBJ_EXCLUSIVE 0x00000020L
#define OBJ_CASE_INSENSITIVE 0x00000040L
#define OBJ_OPENIF 0x00000080L
#define OBJ_OPENLINK 0x00000100L
#define OBJ_KERNEL_HANDLE 0x00000200L
#define OBJ_FORCE_ACCESS_CHECK 0x00000400L
#define OBJ_IGNORE_IMPERSONATED_DEVICEMAP 0x00000800L
#define OBJ_DONT_REPARSE 0x00001000L
#define OBJ_VALID_ATTRIBUTES 0x00001FF2L

#define InitializeObjectAttributes(p, n, a, r, s)                                                  \
    do {                                                                                           \
        (p)->Length = sizeof(OBJECT_ATTRIBUTES);                                                   \
        (p)->RootDirectory = (r);                                                                  \
        (p)->Attributes = (a);                                                                     \
        (p)->ObjectName = (n);                                                                     \
        (p)->SecurityDescriptor = (s);                                                             \
        (p)->SecurityQualityOfService = NULL;                                                      \
    } while (0)
#define RTL_CONSTANT_OBJECT_ATTRIBUTES(n, a)                                                       \
    { sizeof(OBJECT_ATTRIBUTES), NULL, (PUNICODE_STRING)(n), (a), NULL, NULL }
#define RTL_INIT_OBJECT_ATTRIBUTES(n, a) RTL_CONSTANT_OBJECT_ATTRIBUTES(n, a)

typedef struct _CLIENT_ID {
    HANDLE UniqueProcess;
    HANDLE UniqueThread;
} CLIENT_ID, *PCLIENT_ID;

// ---- structure helpers -----------------------------------------------------------------------
#define FIELD_OFFSET(type, field) ((LONG) __builtin_offsetof(type, field))
#define UFIELD_OFFSET(type, field) ((ULONG) __builtin_offsetof(type, field))
#define RTL_FIELD_SIZE(type, field) (sizeof(((type*)0)->field))
#define RTL_SIZEOF_THROUGH_FIELD(type, field)                                                      \
    (FIELD_OFFSET(type, field) + RTL_FIELD_SIZE(type, field))
#define RTL_NUMBER_OF(a) (sizeof(a) / sizeof((a)[0]))
#define ARRAYSIZE(a) RTL_NUMBER_OF(a)
#ifndef _countof
#define _countof(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define CONTAINING_RECORD(address, type, field)                                                    \
    ((type*)((PCHAR)(address) - (ULONG_PTR)(&((type*)0)->field)))
#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))
#define ALIGN_DOWN_BY(length, alignment) ((ULONG_PTR)(length) & ~((ULONG_PTR)(alignment)-1))
#define ALIGN_UP_BY(length, alignment)                                                             \
    (ALIGN_DOWN_BY(((ULONG_PTR)(length) + (alignment)-1), alignment))
#define ALIGN_DOWN_POINTER_BY(address, alignment)                                                  \
    ((PVOID)((ULONG_PTR)(address) & ~((ULONG_PTR)(alignment)-1)))
#define ALIGN_UP_POINTER_BY(address, alignment)                                                    \
    (ALIGN_DOWN_POINTER_BY(((ULONG_PTR)(address) + (alignment)-1), alignment))
#define ALIGN_DOWN(length, type) ALIGN_DOWN_BY(length, sizeof(type))
#define ALIGN_UP(length, type) ALIGN_UP_BY(length, sizeof(type))
#define ALIGN_DOWN_POINTER(address, type) ALIGN_DOWN_POINTER_BY(address, sizeof(type))
#define ALIGN_UP_POINTER(address, type) ALIGN_UP_POINTER_BY(address, sizeof(type))
#define MAKELONG(a, b)                                                                             \
    ((LONG)(((WORD)(((DWORD_PTR)(a)) & 0xffff)) | ((DWORD)((WORD)(((DWORD_PTR)(b)) & 0xffff)))     \
                                                      << 16))
#define LOWORD(l) ((WORD)(((DWORD_PTR)(l)) & 0xffff))
#define HIWORD(l) ((WORD)((((DWORD_PTR)(l)) >> 16) & 0xffff))
#define LOBYTE(w) ((BYTE)(((DWORD_PTR)(w)) & 0xff))
#define HIBYTE(w) ((BYTE)((((DWORD_PTR)(w)) >> 8) & 0xff))
#define C_ASSERT(e) static_assert(e, #e)

#if !defined(NOMINMAX) && !defined(__cplusplus_winrt)
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#endif

// ---- handle/integer conversions --------------------------------------------------------------
#ifdef __cplusplus
#define NTSIM_INLINE_FN inline
#else
#define NTSIM_INLINE_FN static inline
#endif
NTSIM_INLINE_FN ULONG HandleToULong(const void* h) {
    return (ULONG)(ULONG_PTR)h;
}
NTSIM_INLINE_FN ULONG HandleToUlong(const void* h) {
    return (ULONG)(ULONG_PTR)h;
}
NTSIM_INLINE_FN LONG HandleToLong(const void* h) {
    return (LONG)(LONG_PTR)h;
}
NTSIM_INLINE_FN void* ULongToHandle(ULONG h) {
    return (void*)(ULONG_PTR)h;
}
NTSIM_INLINE_FN void* UlongToHandle(ULONG h) {
    return (void*)(ULONG_PTR)h;
}
NTSIM_INLINE_FN void* LongToHandle(LONG h) {
    return (void*)(LONG_PTR)h;
}
NTSIM_INLINE_FN ULONG PtrToUlong(const void* p) {
    return (ULONG)(ULONG_PTR)p;
}
NTSIM_INLINE_FN ULONG PtrToUint(const void* p) {
    return (ULONG)(ULONG_PTR)p;
}
NTSIM_INLINE_FN LONG PtrToLong(const void* p) {
    return (LONG)(LONG_PTR)p;
}
NTSIM_INLINE_FN void* UlongToPtr(ULONG u) {
    return (void*)(ULONG_PTR)u;
}
NTSIM_INLINE_FN void* ULongToPtr(ULONG u) {
    return (void*)(ULONG_PTR)u;
}
NTSIM_INLINE_FN void* LongToPtr(LONG l) {
    return (void*)(LONG_PTR)l;
}
#define PtrToUlong PtrToUlong
#define UintToPtr(u) ((void*)(UINT_PTR)(u))
#define IntToPtr(i) ((void*)(INT_PTR)(i))
#define PtrToInt(p) ((INT)(INT_PTR)(p))

// ---- x64 layout checks -----------------------------------------------------------------------
static_assert(sizeof(ULONG) == 4 && sizeof(LONG) == 4, "LLP64 ULONG/LONG");
static_assert(sizeof(ULONG_PTR) == 8 && sizeof(PVOID) == 8, "64-bit pointers");
static_assert(sizeof(WCHAR) == 2, "16-bit WCHAR");
static_assert(sizeof(LARGE_INTEGER) == 8 && __builtin_offsetof(LARGE_INTEGER, LowPart) == 0 &&
                  __builtin_offsetof(LARGE_INTEGER, HighPart) == 4 &&
                  __builtin_offsetof(LARGE_INTEGER, QuadPart) == 0,
              "LARGE_INTEGER");
static_assert(sizeof(ULARGE_INTEGER) == 8 && __builtin_offsetof(ULARGE_INTEGER, HighPart) == 4,
              "ULARGE_INTEGER");
static_assert(sizeof(UNICODE_STRING) == 16 && __builtin_offsetof(UNICODE_STRING, Buffer) == 8,
              "UNICODE_STRING");
static_assert(__builtin_offsetof(UNICODE_STRING, MaximumLength) == 2, "UNICODE_STRING");
static_assert(sizeof(ANSI_STRING) == 16 && __builtin_offsetof(ANSI_STRING, Buffer) == 8,
              "ANSI_STRING");
static_assert(sizeof(LIST_ENTRY) == 16 && __builtin_offsetof(LIST_ENTRY, Blink) == 8, "LIST_ENTRY");
static_assert(sizeof(SINGLE_LIST_ENTRY) == 8, "SINGLE_LIST_ENTRY");
static_assert(sizeof(OBJECT_ATTRIBUTES) == 0x30, "OBJECT_ATTRIBUTES");
static_assert(__builtin_offsetof(OBJECT_ATTRIBUTES, RootDirectory) == 0x08 &&
                  __builtin_offsetof(OBJECT_ATTRIBUTES, ObjectName) == 0x10 &&
                  __builtin_offsetof(OBJECT_ATTRIBUTES, Attributes) == 0x18 &&
                  __builtin_offsetof(OBJECT_ATTRIBUTES, SecurityDescriptor) == 0x20 &&
                  __builtin_offsetof(OBJECT_ATTRIBUTES, SecurityQualityOfService) == 0x28,
              "OBJECT_ATTRIBUTES offsets");
static_assert(sizeof(CLIENT_ID) == 16 && __builtin_offsetof(CLIENT_ID, UniqueThread) == 8,
              "CLIENT_ID");
static_assert(sizeof(GUID) == 16, "GUID");
