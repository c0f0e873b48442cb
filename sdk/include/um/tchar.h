// Generic-text mappings (ntsim SDK subset of <tchar.h>): _T/_TEXT literals and _TCHAR, wide with
// _UNICODE, narrow otherwise. The generic CRT names (_tprintf, _tmain...) are not provided:
// their wide forms would need the 32-bit-wchar_t functions of glibc.
#pragma once

#ifdef _UNICODE
#define __T(x) L##x
typedef wchar_t _TCHAR;
typedef wchar_t _TSCHAR;
typedef wchar_t _TUCHAR;
#else
#define __T(x) x
typedef char _TCHAR;
typedef signed char _TSCHAR;
typedef unsigned char _TUCHAR;
#endif
#ifndef _T
#define _T(x) __T(x)
#endif
#ifndef _TEXT
#define _TEXT(x) __T(x)
#endif
