// kmt results: pass/fail/skip counters and the log of the test being run.
//
// The runner runs one test at a time, but a test's completion routines, DPCs or threads may
// report from other threads, so counters are interlocked and log space is reserved atomically.
#include "kmt.h"

namespace {

constexpr ULONG kLogCapacity = 64 * 1024;
CHAR g_Log[kLogCapacity];
volatile LONG g_LogUsed;
volatile LONG g_LogTruncated;
volatile LONG g_Passed;
volatile LONG g_Failed;
volatile LONG g_Skipped;

const char* BaseName(const char* file) {
    const char* base = file;
    for (const char* p = file; *p; ++p)
        if (*p == '/' || *p == '\\') base = p + 1;
    return base;
}

void Append(const char* text, ULONG length) {
    LONG start = InterlockedExchangeAdd(&g_LogUsed, (LONG)length);
    if ((ULONG)start + length > kLogCapacity) {
        InterlockedExchange(&g_LogTruncated, 1);
        if ((ULONG)start < kLogCapacity) RtlFillMemory(g_Log + start, kLogCapacity - start, ' ');
        return;
    }
    RtlCopyMemory(g_Log + start, text, length);
}

// "file:line: <kind><message>", with a newline added when the message lacks one.
void LogLine(const char* file, int line, const char* kind, const char* format, va_list args) {
    CHAR buffer[1024];
    int n = _snprintf(buffer, sizeof(buffer), "%s:%d: %s", BaseName(file), line, kind);
    if (n < 0 || n >= (int)sizeof(buffer)) n = 0;
    int m = _vsnprintf(buffer + n, sizeof(buffer) - n - 1, format, args);
    if (m < 0) { // truncated: _vsnprintf leaves no terminator
        m = (int)(sizeof(buffer) - n - 1);
        buffer[n + m] = '\0';
    }
    ULONG length = (ULONG)(n + m);
    if (length == 0 || buffer[length - 1] != '\n') buffer[length++] = '\n';
    Append(buffer, length);
}

} // namespace

void KmtBeginTest(void) {
    InterlockedExchange(&g_LogUsed, 0);
    InterlockedExchange(&g_LogTruncated, 0);
    InterlockedExchange(&g_Passed, 0);
    InterlockedExchange(&g_Failed, 0);
    InterlockedExchange(&g_Skipped, 0);
}

void KmtEndTest(PKMT_RESULT_HEADER header, ULONG capacity, PULONG_PTR written) {
    ULONG used = (ULONG)g_LogUsed;
    if (used > kLogCapacity) used = kLogCapacity;
    header->Passed = (ULONG)g_Passed;
    header->Failed = (ULONG)g_Failed;
    header->Skipped = (ULONG)g_Skipped;
    header->Truncated = g_LogTruncated ? 1 : 0;
    header->Reserved = 0;
    ULONG room = capacity - (ULONG)sizeof(KMT_RESULT_HEADER);
    ULONG copy = used;
    if (copy + 1 > room) {
        copy = room > 0 ? room - 1 : 0;
        header->Truncated = 1;
    }
    CHAR* log = (CHAR*)(header + 1);
    RtlCopyMemory(log, g_Log, copy);
    if (room > 0) log[copy] = '\0';
    header->LogLength = copy;
    *written = sizeof(KMT_RESULT_HEADER) + copy + (room > 0 ? 1 : 0);
}

BOOLEAN KmtOk(const char* file, int line, BOOLEAN condition, const char* format, ...) {
    if (condition) {
        InterlockedIncrement(&g_Passed);
        return TRUE;
    }
    InterlockedIncrement(&g_Failed);
    va_list args;
    va_start(args, format);
    LogLine(file, line, "Test failed: ", format, args);
    va_end(args);
    return FALSE;
}

void KmtTrace(const char* file, int line, const char* format, ...) {
    va_list args;
    va_start(args, format);
    LogLine(file, line, "", format, args);
    va_end(args);
}

BOOLEAN KmtSkip(const char* file, int line, BOOLEAN condition, const char* format, ...) {
    if (condition) return TRUE;
    InterlockedIncrement(&g_Skipped);
    va_list args;
    va_start(args, format);
    LogLine(file, line, "Tests skipped: ", format, args);
    va_end(args);
    return FALSE;
}

BOOLEAN KmtEqInt(const char* file, int line, const char* expr, LONGLONG value, LONGLONG expected) {
    return KmtOk(file, line, value == expected, "%s = %I64d, expected %I64d\n", expr, value,
                 expected);
}

BOOLEAN KmtEqUint(const char* file, int line, const char* expr, ULONGLONG value, ULONGLONG expected,
                  BOOLEAN hex) {
    if (hex)
        return KmtOk(file, line, value == expected, "%s = 0x%I64x, expected 0x%I64x\n", expr, value,
                     expected);
    return KmtOk(file, line, value == expected, "%s = %I64u, expected %I64u\n", expr, value,
                 expected);
}

BOOLEAN KmtEqPtr(const char* file, int line, const char* expr, const void* value,
                 const void* expected, BOOLEAN equal) {
    if (equal)
        return KmtOk(file, line, value == expected, "%s = %p, expected %p\n", expr, value,
                     expected);
    return KmtOk(file, line, value != expected, "%s = %p, expected anything else\n", expr, value);
}

BOOLEAN KmtEqStatus(const char* file, int line, const char* expr, NTSTATUS value,
                    NTSTATUS expected) {
    return KmtOk(file, line, value == expected, "%s = 0x%08lx, expected 0x%08lx\n", expr,
                 (ULONG)value, (ULONG)expected);
}

BOOLEAN KmtEqStr(const char* file, int line, const char* expr, const char* value,
                 const char* expected) {
    BOOLEAN same = (value == nullptr || expected == nullptr) ? value == expected
                                                             : strcmp(value, expected) == 0;
    return KmtOk(file, line, same, "%s = \"%s\", expected \"%s\"\n", expr, value ? value : "(null)",
                 expected ? expected : "(null)");
}

// valueChars == 0xFFFFFFFF: value is NUL-terminated; otherwise it is counted (UNICODE_STRING).
BOOLEAN KmtEqWstr(const char* file, int line, const char* expr, const WCHAR* value,
                  ULONG valueChars, const WCHAR* expected) {
    BOOLEAN same;
    ULONG length = valueChars;
    if (value == nullptr || expected == nullptr) {
        same = value == expected;
        length = value ? 0 : 6; // "(null)"
    } else {
        if (length == 0xFFFFFFFFu) length = (ULONG)wcslen(value);
        same = wcslen(expected) == length &&
               RtlCompareMemory(value, expected, length * 2) == (SIZE_T)length * 2;
    }
    return KmtOk(file, line, same, "%s = \"%.*ws\", expected \"%ws\"\n", expr, (int)length,
                 value ? value : L"(null)", expected ? expected : L"(null)");
}
