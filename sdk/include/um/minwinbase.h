// Win32 base structures for client programs (ntsim SDK, part of windows.h): OVERLAPPED,
// SECURITY_ATTRIBUTES, FILETIME, SYSTEMTIME, thread start routines. x64 layouts.
#pragma once

#include <winerror.h> // ERROR_* codes; also WAIT_TIMEOUT and the other wait results

#include "winnt.h"

typedef struct _OVERLAPPED {
    ULONG_PTR Internal;     // the request's status (STATUS_PENDING while in progress)
    ULONG_PTR InternalHigh; // bytes transferred
    union {
        struct {
            DWORD Offset;
            DWORD OffsetHigh;
        };
        PVOID Pointer;
    };
    HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED;
static_assert(sizeof(OVERLAPPED) == 0x20, "OVERLAPPED");
static_assert(__builtin_offsetof(OVERLAPPED, Internal) == 0x00, "OVERLAPPED.Internal");
static_assert(__builtin_offsetof(OVERLAPPED, InternalHigh) == 0x08, "OVERLAPPED.InternalHigh");
static_assert(__builtin_offsetof(OVERLAPPED, Offset) == 0x10, "OVERLAPPED.Offset");
static_assert(__builtin_offsetof(OVERLAPPED, OffsetHigh) == 0x14, "OVERLAPPED.OffsetHigh");
static_assert(__builtin_offsetof(OVERLAPPED, Pointer) == 0x10, "OVERLAPPED.Pointer");
static_assert(__builtin_offsetof(OVERLAPPED, hEvent) == 0x18, "OVERLAPPED.hEvent");

typedef struct _SECURITY_ATTRIBUTES {
    DWORD nLength;
    LPVOID lpSecurityDescriptor;
    BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;
static_assert(sizeof(SECURITY_ATTRIBUTES) == 0x18, "SECURITY_ATTRIBUTES");
static_assert(__builtin_offsetof(SECURITY_ATTRIBUTES, nLength) == 0x00, "SECURITY_ATTRIBUTES");
static_assert(__builtin_offsetof(SECURITY_ATTRIBUTES, lpSecurityDescriptor) == 0x08,
              "SECURITY_ATTRIBUTES.lpSecurityDescriptor");
static_assert(__builtin_offsetof(SECURITY_ATTRIBUTES, bInheritHandle) == 0x10,
              "SECURITY_ATTRIBUTES.bInheritHandle");

// 100 ns intervals since 1601-01-01 UTC, split in two DWORDs (4-byte aligned, unlike
// LARGE_INTEGER).
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;
static_assert(sizeof(FILETIME) == 8 && __alignof__(FILETIME) == 4, "FILETIME");
static_assert(__builtin_offsetof(FILETIME, dwLowDateTime) == 0 &&
                  __builtin_offsetof(FILETIME, dwHighDateTime) == 4,
              "FILETIME offsets");

typedef struct _SYSTEMTIME {
    WORD wYear;
    WORD wMonth;     // 1 = January
    WORD wDayOfWeek; // 0 = Sunday
    WORD wDay;
    WORD wHour;
    WORD wMinute;
    WORD wSecond;
    WORD wMilliseconds;
} SYSTEMTIME, *PSYSTEMTIME, *LPSYSTEMTIME;
static_assert(sizeof(SYSTEMTIME) == 16, "SYSTEMTIME");
static_assert(__builtin_offsetof(SYSTEMTIME, wYear) == 0 &&
                  __builtin_offsetof(SYSTEMTIME, wMonth) == 2 &&
                  __builtin_offsetof(SYSTEMTIME, wDayOfWeek) == 4 &&
                  __builtin_offsetof(SYSTEMTIME, wDay) == 6 &&
                  __builtin_offsetof(SYSTEMTIME, wHour) == 8 &&
                  __builtin_offsetof(SYSTEMTIME, wMinute) == 10 &&
                  __builtin_offsetof(SYSTEMTIME, wSecond) == 12 &&
                  __builtin_offsetof(SYSTEMTIME, wMilliseconds) == 14,
              "SYSTEMTIME offsets");

// Thread start routine: declare it `DWORD WINAPI ThreadProc(LPVOID)` as Windows code does
// (WINAPI is the Microsoft x64 convention here, so the WINAPI is required, not decorative).
typedef DWORD(WINAPI* PTHREAD_START_ROUTINE)(LPVOID lpThreadParameter);
typedef PTHREAD_START_ROUTINE LPTHREAD_START_ROUTINE;

#define STILL_ACTIVE ((DWORD)0x00000103L) // GetExitCode* of a running process/thread
#define INFINITE 0xFFFFFFFF

// WaitFor*Object(s) results (winerror.h defines them too; these are the fallback).
#ifndef WAIT_OBJECT_0
#define WAIT_OBJECT_0 ((DWORD)0x00000000L)
#endif
#ifndef WAIT_ABANDONED
#define WAIT_ABANDONED ((DWORD)0x00000080L)
#endif
#ifndef WAIT_ABANDONED_0
#define WAIT_ABANDONED_0 ((DWORD)0x00000080L)
#endif
#ifndef WAIT_IO_COMPLETION
#define WAIT_IO_COMPLETION ((DWORD)0x000000C0L)
#endif
#ifndef WAIT_TIMEOUT
#define WAIT_TIMEOUT 258L
#endif
#ifndef WAIT_FAILED
#define WAIT_FAILED ((DWORD)0xFFFFFFFF)
#endif
