// UTF-16 -> UTF-8, shared by the kernel (Rtl, debug and trace output) and the client runtime
// (printf of %ws strings): no kernel dependencies, so usermode compiles it too.
#pragma once

#include <cstddef>
#include <string>

namespace ntsim::rtl {

// Surrogate pairs become one code point; a lone surrogate becomes U+FFFD.
std::string Utf16ToUtf8(const char16_t* s, size_t count);

} // namespace ntsim::rtl
