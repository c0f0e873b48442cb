// Win32 base definitions for client programs (ntsim SDK, part of windows.h): the handle and
// pointer types kernel32 uses on top of the LLP64 base types shared with the kernel (ntdef.h).
#pragma once

#include <ntdef.h>

#define WINBASEAPI
#define WINADVAPI
#define WINUSERAPI
#define NTSYSAPI_CLIENT
#define WINAPIV
#define PASCAL
#define FAR
#define NEAR
#ifndef far
#define far
#endif
#ifndef near
#define near
#endif

#ifndef MAX_PATH
#define MAX_PATH 260
#endif

typedef HANDLE* LPHANDLE;
typedef int* LPINT;
typedef WORD ATOM;
typedef UINT_PTR WPARAM;
typedef LONG_PTR LPARAM;
typedef LONG_PTR LRESULT;
typedef float* PFLOAT;
typedef HANDLE HGLOBAL;
typedef HANDLE HLOCAL;
typedef struct HINSTANCE__* HINSTANCE;
typedef HINSTANCE HMODULE;
typedef struct HKEY__* HKEY;
typedef HKEY* PHKEY;
typedef struct HWND__* HWND;

// GetProcAddress's result: cast to the routine's real type (declared WINAPI).
typedef INT_PTR(WINAPI* FARPROC)();
typedef INT_PTR(WINAPI* NEARPROC)();
typedef INT_PTR(WINAPI* PROC)();

#define MAKEWORD(a, b)                                                                             \
    ((WORD)(((BYTE)(((DWORD_PTR)(a)) & 0xff)) | ((WORD)((BYTE)(((DWORD_PTR)(b)) & 0xff))) << 8))
