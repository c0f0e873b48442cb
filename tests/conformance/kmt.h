// kmt: a small Wine/ReactOS-style assertion framework for tests that run inside a driver.
//
//   ok(cond, fmt, ...)          passes when cond holds; otherwise logs "file:line: Test failed: "
//   ok_eq_int(v, e), ok_eq_uint, ok_eq_hex, ok_eq_hex64, ok_eq_size, ok_eq_ptr, ok_eq_bool,
//   ok_eq_status, ok_eq_str (char*), ok_eq_wstr (WCHAR*), ok_eq_ustr (PCUNICODE_STRING vs
//   WCHAR*), ok_ne_ptr                 each evaluates its arguments once and logs both values
//   trace(fmt, ...)             logs "file:line: " + message
//   skip(cond, fmt, ...)        TRUE when cond holds; otherwise counts a skip, logs the reason,
//                               and returns FALSE:  if (skip(p != NULL, "no memory\n")) {...}
// Every check counts as passed or failed in the current test's results, which the driver sends
// back to the runner (kmt_shared.h). Messages are printf-style and should end with '\n'.
#pragma once

#include <ntddk.h>

#include "kmt_shared.h"

#define KMT_PREFIX "kmt: "

// One test: a name the runner asks for ("rtl.strings") and its body.
typedef void KMT_TEST_FUNCTION(void);
// Each test file registers its tests at file scope with KMT_TEST("area.subject", Function);
// registrations form a list the driver walks (static constructors run when the image loads).
// tests/conformance/CMakeLists.txt finds the names with the same pattern, one ctest each.
typedef struct _KMT_TEST {
    const char* Name;
    KMT_TEST_FUNCTION* Function;
    struct _KMT_TEST* Next;
} KMT_TEST;
extern KMT_TEST* KmtTests; // head of the registered list

struct KmtTestRegistration {
    KMT_TEST Test;
    KmtTestRegistration(const char* name, KMT_TEST_FUNCTION* function)
        : Test{name, function, KmtTests} {
        KmtTests = &Test;
    }
};
#define KMT_TEST(name, function)                                                                   \
    void function(void);                                                                           \
    static KmtTestRegistration KmtRegistration_##function(name, function)

// The driver's objects, for tests that need them.
extern PDRIVER_OBJECT KmtDriverObject;
extern PDEVICE_OBJECT KmtControlDevice;

// Test devices: a test creates devices with KmtCreateDevice and decides how their IRPs are
// handled. Requests to a device without a handler are completed with STATUS_SUCCESS for
// create/cleanup/close and STATUS_INVALID_DEVICE_REQUEST otherwise.
typedef NTSTATUS KMT_IRP_HANDLER(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context);
typedef struct _KMT_DEVICE_EXTENSION {
    ULONG Magic; // KMT_DEVICE_MAGIC
    KMT_IRP_HANDLER* Handler;
    PVOID Context;
    volatile LONG Creates;
    volatile LONG Cleanups;
    volatile LONG Closes;
    volatile LONG Others;
} KMT_DEVICE_EXTENSION, *PKMT_DEVICE_EXTENSION;
#define KMT_DEVICE_MAGIC 'veDK'

// IoCreateDevice with a KMT_DEVICE_EXTENSION (plus extraExtension bytes after it).
NTSTATUS KmtCreateDevice(PCWSTR name, KMT_IRP_HANDLER* handler, PVOID context,
                         PDEVICE_OBJECT* device, ULONG extraExtension = 0);
inline PKMT_DEVICE_EXTENSION KmtExtension(PDEVICE_OBJECT device) {
    return (PKMT_DEVICE_EXTENSION)device->DeviceExtension;
}

// ---- results ------------------------------------------------------------------------------
void KmtBeginTest(void);
void KmtEndTest(PKMT_RESULT_HEADER header, ULONG capacity, PULONG_PTR written);

BOOLEAN KmtOk(const char* file, int line, BOOLEAN condition, const char* format, ...);
void KmtTrace(const char* file, int line, const char* format, ...);
BOOLEAN KmtSkip(const char* file, int line, BOOLEAN condition, const char* format, ...);

BOOLEAN KmtEqInt(const char* file, int line, const char* expr, LONGLONG value, LONGLONG expected);
BOOLEAN KmtEqUint(const char* file, int line, const char* expr, ULONGLONG value, ULONGLONG expected,
                  BOOLEAN hex);
BOOLEAN KmtEqPtr(const char* file, int line, const char* expr, const void* value,
                 const void* expected, BOOLEAN equal);
BOOLEAN KmtEqStatus(const char* file, int line, const char* expr, NTSTATUS value,
                    NTSTATUS expected);
BOOLEAN KmtEqStr(const char* file, int line, const char* expr, const char* value,
                 const char* expected);
BOOLEAN KmtEqWstr(const char* file, int line, const char* expr, const WCHAR* value,
                  ULONG valueChars, const WCHAR* expected);

#define ok(cond, ...) KmtOk(__FILE__, __LINE__, (cond) ? TRUE : FALSE, __VA_ARGS__)
#define trace(...) KmtTrace(__FILE__, __LINE__, __VA_ARGS__)
#define skip(cond, ...) KmtSkip(__FILE__, __LINE__, (cond) ? TRUE : FALSE, __VA_ARGS__)

#define ok_eq_int(value, expected)                                                                 \
    KmtEqInt(__FILE__, __LINE__, #value, (LONGLONG)(value), (LONGLONG)(expected))
#define ok_eq_uint(value, expected)                                                                \
    KmtEqUint(__FILE__, __LINE__, #value, (ULONGLONG)(value), (ULONGLONG)(expected), FALSE)
#define ok_eq_size(value, expected) ok_eq_uint(value, expected)
#define ok_eq_hex(value, expected)                                                                 \
    KmtEqUint(__FILE__, __LINE__, #value, (ULONG)(value), (ULONG)(expected), TRUE)
#define ok_eq_hex64(value, expected)                                                               \
    KmtEqUint(__FILE__, __LINE__, #value, (ULONGLONG)(value), (ULONGLONG)(expected), TRUE)
#define ok_eq_bool(value, expected)                                                                \
    KmtEqInt(__FILE__, __LINE__, #value, (value) ? 1 : 0, (expected) ? 1 : 0)
#define ok_eq_ptr(value, expected)                                                                 \
    KmtEqPtr(__FILE__, __LINE__, #value, (const void*)(value), (const void*)(expected), TRUE)
#define ok_ne_ptr(value, unexpected)                                                               \
    KmtEqPtr(__FILE__, __LINE__, #value, (const void*)(value), (const void*)(unexpected), FALSE)
#define ok_eq_status(value, expected)                                                              \
    KmtEqStatus(__FILE__, __LINE__, #value, (NTSTATUS)(value), (NTSTATUS)(expected))
#define ok_eq_str(value, expected) KmtEqStr(__FILE__, __LINE__, #value, (value), (expected))
#define ok_eq_wstr(value, expected)                                                                \
    KmtEqWstr(__FILE__, __LINE__, #value, (value), 0xFFFFFFFFu, (expected))
#define ok_eq_ustr(value, expected)                                                                \
    KmtEqWstr(__FILE__, __LINE__, #value, (value)->Buffer, (value)->Length / (ULONG)sizeof(WCHAR), \
              (expected))
