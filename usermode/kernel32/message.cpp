// FormatMessageW/A (system messages and FROM_STRING, with insert processing) and the local
// heap functions its ALLOCATE_BUFFER result is freed with.
//
// Insert syntax (as Windows): %1..%99 optionally followed by !printf-format! (default !s!),
// %0 ends the message without a newline, %n is "\r\n", %r "\r", %t a tab, %b and "% " a space,
// %% %. %! the character itself. Arguments are pointer-sized values, from a DWORD_PTR array
// (FORMAT_MESSAGE_ARGUMENT_ARRAY) or read in order from the va_list. A line width
// (FORMAT_MESSAGE_MAX_WIDTH_MASK bits) turns the text's own line breaks into spaces; a width
// below 255 then wraps lines at white space (never inside a word); %n breaks are always kept.
#include "kernel32/k32.h"

#include <cstdlib>
#include <vector>

#include "rtl/format.h"

using namespace ntsim::k32;

namespace {

constexpr DWORD kErrorResourceTypeNotFound = 1813;
constexpr DWORD kErrorResourceLangNotFound = 15105;
constexpr DWORD kMaxInsert = 99;

// Formats one insert; `spec` is the printf conversion without '%'.
size_t FormatInsertNarrow(char* buffer, size_t capacity, const char* format, ...) {
    va_list args;
    va_start(args, format);
    size_t n = ntsim::rtl::FormatNarrow(buffer, capacity, format, args);
    va_end(args);
    return n;
}
size_t FormatInsertWide(WCHAR* buffer, size_t capacity, const WCHAR* format, ...) {
    va_list args;
    va_start(args, format);
    size_t n = ntsim::rtl::FormatWide(buffer, capacity, format, args);
    va_end(args);
    return n;
}

std::u16string FormatInsert(const std::string& spec, ULONG_PTR value, bool wide) {
    std::string format = "%" + spec;
    if (wide) {
        std::u16string wformat(format.begin(), format.end());
        auto* f = reinterpret_cast<const WCHAR*>(wformat.c_str());
        size_t n = FormatInsertWide(nullptr, 0, f, value);
        std::u16string out(n + 1, u'\0');
        FormatInsertWide(reinterpret_cast<WCHAR*>(out.data()), n + 1, f, value);
        out.resize(n);
        return out;
    }
    size_t n = FormatInsertNarrow(nullptr, 0, format.c_str(), value);
    std::string out(n + 1, '\0');
    FormatInsertNarrow(out.data(), n + 1, format.c_str(), value);
    out.resize(n);
    return Utf8ToUtf16(out.c_str());
}

// Parses "%N" at text[i] (i at the digit); returns N (0 if none) and advances i past it.
DWORD ParseInsertNumber(const std::u16string& text, size_t& i) {
    DWORD n = 0;
    int digits = 0;
    while (i < text.size() && digits < 2 && text[i] >= u'0' && text[i] <= u'9') {
        n = n * 10 + DWORD(text[i] - u'0');
        ++i;
        ++digits;
    }
    return n;
}

DWORD HighestInsert(const std::u16string& text) {
    DWORD highest = 0;
    for (size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != u'%') continue;
        ++i;
        if (text[i] >= u'1' && text[i] <= u'9') {
            size_t j = i;
            highest = std::max(highest, ParseInsertNumber(text, j));
            i = j - 1;
        }
    }
    return highest;
}

// Expands the inserts and escapes of `text`. Returns ERROR_SUCCESS or an error.
DWORD ExpandMessage(const std::u16string& text, DWORD flags, const ULONG_PTR* argv, bool wide,
                    std::u16string& out) {
    bool softenLineBreaks = flags & FORMAT_MESSAGE_MAX_WIDTH_MASK;
    bool ignoreInserts = flags & FORMAT_MESSAGE_IGNORE_INSERTS;
    for (size_t i = 0; i < text.size(); ++i) {
        char16_t c = text[i];
        if (softenLineBreaks && (c == u'\r' || c == u'\n')) {
            if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n') ++i;
            out.push_back(u' ');
            continue;
        }
        if (c != u'%' || ignoreInserts) {
            out.push_back(c);
            continue;
        }
        if (i + 1 >= text.size()) { // a lone trailing '%'
            out.push_back(c);
            break;
        }
        char16_t e = text[++i];
        switch (e) {
        case u'0':
            return ERROR_SUCCESS; // end of message, no newline
        case u'n':
            out += u"\r\n";
            continue;
        case u'r':
            out.push_back(u'\r');
            continue;
        case u't':
            out.push_back(u'\t');
            continue;
        case u'b':
        case u' ':
            out.push_back(u' ');
            continue;
        default:
            break;
        }
        if (e < u'1' || e > u'9') { // %% %. %! and anything else: the character itself
            out.push_back(e);
            continue;
        }
        DWORD n = ParseInsertNumber(text, i);
        std::string spec = "s";
        if (i < text.size() && text[i] == u'!') {
            size_t end = text.find(u'!', i + 1);
            if (end == std::u16string::npos) return ERROR_INVALID_PARAMETER;
            spec.clear();
            for (size_t k = i + 1; k < end; ++k)
                spec.push_back(char(text[k]));
            i = end + 1;
        }
        --i; // the loop's ++i
        if (!argv) return ERROR_INVALID_PARAMETER;
        out += FormatInsert(spec, argv[n - 1], wide);
    }
    return ERROR_SUCCESS;
}

// Wraps every line (between "\r\n"s) longer than `width` at its spaces.
std::u16string WrapLines(const std::u16string& text, size_t width) {
    std::u16string out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find(u"\r\n", start);
        std::u16string line = text.substr(start, end == std::u16string::npos ? end : end - start);
        size_t column = 0;
        size_t pos = 0;
        while (pos < line.size()) {
            size_t wordEnd = line.find(u' ', pos);
            if (wordEnd == std::u16string::npos) wordEnd = line.size();
            size_t wordLength = wordEnd - pos;
            if (column > 0 && column + 1 + wordLength > width) {
                out += u"\r\n";
                column = 0;
            } else if (column > 0 || pos > 0) {
                out.push_back(u' ');
                ++column;
            }
            out.append(line, pos, wordLength);
            column += wordLength;
            pos = wordEnd + 1;
        }
        if (end == std::u16string::npos) break;
        out += u"\r\n";
        start = end + 2;
    }
    return out;
}

// The common part of both entry points; `text` is the message source, in UTF-16.
DWORD BuildMessage(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                   va_list* Arguments, bool wide, std::u16string& out) {
    std::u16string text;
    if (dwFlags & FORMAT_MESSAGE_FROM_STRING) {
        if (!lpSource) return ERROR_INVALID_PARAMETER;
        if (wide)
            text = reinterpret_cast<const char16_t*>(lpSource);
        else
            text = Utf8ToUtf16(static_cast<const char*>(lpSource));
    } else if ((dwFlags & FORMAT_MESSAGE_FROM_SYSTEM) &&
               (!(dwFlags & FORMAT_MESSAGE_FROM_HMODULE) || !lpSource)) {
        DWORD primary = dwLanguageId & 0x3FF;
        if (primary != LANG_NEUTRAL && primary != 0x09 /* LANG_ENGLISH */)
            return kErrorResourceLangNotFound;
        const char16_t* message = SystemMessageText(dwMessageId);
        if (!message) return ERROR_MR_MID_NOT_FOUND;
        text = message;
    } else if (dwFlags & FORMAT_MESSAGE_FROM_HMODULE) {
        return kErrorResourceTypeNotFound; // modules carry no message tables here
    } else {
        return ERROR_INVALID_PARAMETER;
    }

    std::vector<ULONG_PTR> values;
    const ULONG_PTR* argv = nullptr;
    if (!(dwFlags & FORMAT_MESSAGE_IGNORE_INSERTS) && Arguments) {
        if (dwFlags & FORMAT_MESSAGE_ARGUMENT_ARRAY) {
            argv = reinterpret_cast<const ULONG_PTR*>(Arguments);
        } else {
            DWORD count = std::min(HighestInsert(text), kMaxInsert);
            va_list copy;
            va_copy(copy, *Arguments);
            for (DWORD i = 0; i < count; ++i)
                values.push_back(va_arg(copy, ULONG_PTR));
            va_end(copy);
            if (count) argv = values.data();
        }
    }
    DWORD error = ExpandMessage(text, dwFlags, argv, wide, out);
    DWORD width = dwFlags & FORMAT_MESSAGE_MAX_WIDTH_MASK;
    if (error == ERROR_SUCCESS && width != 0 && width != FORMAT_MESSAGE_MAX_WIDTH_MASK)
        out = WrapLines(out, width);
    return error;
}

// Stores `units` (count characters, plus a NUL) as FormatMessage returns them.
template <typename Ch>
DWORD StoreMessage(DWORD dwFlags, const Ch* units, size_t count, void* lpBuffer, DWORD nSize) {
    if (dwFlags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
        if (!lpBuffer) {
            SetLastError(ERROR_INVALID_PARAMETER);
            return 0;
        }
        size_t capacity = std::max<size_t>(count + 1, nSize);
        auto* block = static_cast<Ch*>(LocalAlloc(LMEM_FIXED, capacity * sizeof(Ch)));
        if (!block) {
            SetLastError(ERROR_NOT_ENOUGH_MEMORY);
            return 0;
        }
        std::copy(units, units + count, block);
        block[count] = 0;
        *static_cast<Ch**>(lpBuffer) = block;
        return DWORD(count);
    }
    if (!lpBuffer || count + 1 > nSize) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    auto* out = static_cast<Ch*>(lpBuffer);
    std::copy(units, units + count, out);
    out[count] = 0;
    return DWORD(count);
}

} // namespace

extern "C" DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                                       DWORD dwLanguageId, LPWSTR lpBuffer, DWORD nSize,
                                       va_list* Arguments) {
    std::u16string message;
    DWORD error =
        BuildMessage(dwFlags, lpSource, dwMessageId, dwLanguageId, Arguments, true, message);
    if (error != ERROR_SUCCESS) {
        SetLastError(error);
        return 0;
    }
    return StoreMessage(dwFlags, reinterpret_cast<const WCHAR*>(message.c_str()), message.size(),
                        lpBuffer, nSize);
}

extern "C" DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                                       DWORD dwLanguageId, LPSTR lpBuffer, DWORD nSize,
                                       va_list* Arguments) {
    std::u16string message;
    DWORD error =
        BuildMessage(dwFlags, lpSource, dwMessageId, dwLanguageId, Arguments, false, message);
    if (error != ERROR_SUCCESS) {
        SetLastError(error);
        return 0;
    }
    std::string narrow = Utf16ToUtf8(message.c_str(), message.size());
    return StoreMessage(dwFlags, narrow.c_str(), narrow.size(), lpBuffer, nSize);
}

// The local heap is the C heap; only fixed blocks exist (no LMEM_MOVEABLE handles).
extern "C" HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes) {
    if (uFlags & ~UINT(LMEM_ZEROINIT)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return nullptr;
    }
    void* block =
        (uFlags & LMEM_ZEROINIT) ? calloc(1, uBytes ? uBytes : 1) : malloc(uBytes ? uBytes : 1);
    if (!block) SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return block;
}

extern "C" HLOCAL WINAPI LocalFree(HLOCAL hMem) {
    free(hMem);
    return nullptr;
}
