// printf-style formatting with the Windows kernel CRT's rules, shared by DbgPrint, the
// swprintf/_snwprintf family and the RtlStringCch/CbPrintf functions.
//
// Conversions (Windows semantics, LLP64):
//   %d %i %u %x %X %o %c  32-bit ints;  %ld %lu %lx are 32-bit too (long is 32-bit on Windows)
//   %lld %llu %llx, %I64d %I64u %I64x  64-bit;  %Id %Iu %Ix pointer-sized;  %I32d 32-bit
//   %hd %hu %hx 16-bit;  %hhd 8-bit;  %zu %zd size_t
//   %p     pointer as 16 uppercase hex digits, no 0x (as the Windows kernel prints it)
//   %s     narrow output: char string; wide output: WCHAR string
//   %S     the other width: narrow output: WCHAR string; wide output: char string
//   %ws %ls  WCHAR string;  %hs  char string;  %wc %lc %C  WCHAR char
//   %wZ    PUNICODE_STRING;  %Z  PANSI_STRING  (NULL or NULL Buffer prints "(null)")
//   %e %f %g %a  doubles; flags - + space # 0; width and precision, '*' included; %%
//   %n     not supported (writes nothing, consumes its argument)
// A NULL string pointer prints "(null)". Non-ASCII WCHARs convert to UTF-8 in narrow output.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <string>

#include "ntdef.h"

namespace ntsim::rtl {

// Writes at most capacity-1 characters and a terminating NUL (when capacity > 0); returns the
// number of characters the complete output needs, not counting the NUL (like vsnprintf).
size_t FormatNarrow(char* buffer, size_t capacity, const char* format, va_list args);
size_t FormatWide(WCHAR* buffer, size_t capacity, const WCHAR* format, va_list args);

std::string FormatNarrow(const char* format, va_list args);

} // namespace ntsim::rtl
