// The Win32 subset of <windows.h> for ntsim client programs (ntsim SDK).
//
// Clients are Linux programs built with -fshort-wchar (WCHAR and L"..." are UTF-16, as on
// Windows) against these declarations; the ntsim client runtime implements them. Types are
// LLP64 (DWORD/LONG 32-bit). Include it together with the C headers clients use (<stdio.h>,
// <stdlib.h>, <string.h>); not with <wchar.h>, whose functions assume a 32-bit wchar_t.
//
// Status codes: define WIN32_NO_STATUS before including it to get none (then include
// <ntstatus.h> for all of them), as on Windows.
#pragma once

#ifndef _WINDOWS_
#define _WINDOWS_
#endif

#include <string.h> // ZeroMemory, CopyMemory

#include <ntdef.h>

#include "minwindef.h"
#include "winnt.h"
#include "minwinbase.h"
#include "winbase.h"
#include "ntsimcrt.h" // 16-bit wide strings and Windows printf conversions

// Generic-text literal from <tchar.h>, for sources that use it with <windows.h> alone.
#include "tchar.h"

// As on Windows, <windows.h> brings in <winioctl.h> (CTL_CODE, METHOD_*, FILE_*_ACCESS) unless
// WIN32_LEAN_AND_MEAN: the book's clients build IOCTL codes with <windows.h> alone.
#ifndef WIN32_LEAN_AND_MEAN
#include "winioctl.h"
#endif
