// FormatMessage: system texts, buffers, inserts, errors.
#include <gtest/gtest.h>

#include "fake_ntdll.h"

namespace {

std::string Narrow(const wchar_t* s) {
    std::string out;
    for (; *s; ++s)
        out.push_back(*s < 0x80 ? char(*s) : '?');
    return out;
}

std::string SystemText(DWORD id) {
    char buffer[512];
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
                             id, 0, buffer, sizeof(buffer), nullptr);
    return n ? std::string(buffer, n) : "<none>";
}

TEST(FormatMessageTest, CommonSystemErrors) {
    EXPECT_EQ(SystemText(2), "The system cannot find the file specified.\r\n");
    EXPECT_EQ(SystemText(5), "Access is denied.\r\n");
    EXPECT_EQ(SystemText(6), "The handle is invalid.\r\n");
    EXPECT_EQ(SystemText(31), "A device attached to the system is not functioning.\r\n");
    EXPECT_EQ(SystemText(87), "The parameter is incorrect.\r\n");
    EXPECT_EQ(SystemText(122), "The data area passed to a system call is too small.\r\n");
    EXPECT_EQ(SystemText(1), "Incorrect function.\r\n");
    EXPECT_EQ(SystemText(50), "The request is not supported.\r\n");
    EXPECT_EQ(SystemText(995), "The I/O operation has been aborted because of either a thread "
                               "exit or an application request.\r\n");
    EXPECT_EQ(SystemText(997), "Overlapped I/O operation is in progress.\r\n");
    EXPECT_EQ(SystemText(1450),
              "Insufficient system resources exist to complete the requested service.\r\n");
    EXPECT_EQ(SystemText(127), "The specified procedure could not be found.\r\n");
    EXPECT_EQ(SystemText(183), "Cannot create a file when that file already exists.\r\n");
    EXPECT_EQ(SystemText(193), "%1 is not a valid Win32 application.\r\n");
}

TEST(FormatMessageTest, UnknownIdAndLanguage) {
    char buffer[64];
    EXPECT_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, 0x12345, 0, buffer,
                             sizeof(buffer), nullptr),
              0u);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_MR_MID_NOT_FOUND));
    EXPECT_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, 2, 0x407 /* de-DE */, buffer,
                             sizeof(buffer), nullptr),
              0u);
    EXPECT_EQ(GetLastError(), 15105u); // ERROR_RESOURCE_LANG_NOT_FOUND
    EXPECT_NE(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, 2,
                             MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), buffer, sizeof(buffer),
                             nullptr),
              0u);
    EXPECT_EQ(FormatMessageA(0, nullptr, 2, 0, buffer, sizeof(buffer), nullptr), 0u);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
}

TEST(FormatMessageTest, WideAllocateBuffer) {
    LPWSTR text = nullptr;
    DWORD n = FormatMessageW(
        FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_IGNORE_INSERTS,
        nullptr, ERROR_ACCESS_DENIED, 0, reinterpret_cast<LPWSTR>(&text), 0, nullptr);
    ASSERT_EQ(n, 19u);
    ASSERT_NE(text, nullptr);
    EXPECT_EQ(Narrow(text), "Access is denied.\r\n");
    EXPECT_EQ(LocalFree(text), nullptr);
}

TEST(FormatMessageTest, BufferTooSmall) {
    wchar_t small[10];
    EXPECT_EQ(FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, 5, 0, small, 10, nullptr), 0u);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INSUFFICIENT_BUFFER));
    wchar_t exact[20];
    EXPECT_EQ(FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, 5, 0, exact, 20, nullptr), 19u);
}

TEST(FormatMessageTest, InsertsFromArrayAndVaList) {
    char buffer[128];
    DWORD_PTR args[] = {DWORD_PTR("app.exe")};
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ARGUMENT_ARRAY, nullptr,
                             193, 0, buffer, sizeof(buffer), reinterpret_cast<va_list*>(args));
    EXPECT_EQ(std::string(buffer, n), "app.exe is not a valid Win32 application.\r\n");

    DWORD_PTR mixed[] = {DWORD_PTR(L"wide"), 255, 42};
    wchar_t wbuffer[128];
    n = FormatMessageW(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY,
                       L"%1 %2!x! %3!d!%n100%% %0ignored", 0, 0, wbuffer, 128,
                       reinterpret_cast<va_list*>(mixed));
    EXPECT_EQ(Narrow(wbuffer), "wide ff 42\r\n100% ");
    EXPECT_EQ(n, 17u);

    auto viaVaList = [](char* out, DWORD size, const char* format, ...) {
        va_list args;
        va_start(args, format);
        DWORD r = FormatMessageA(FORMAT_MESSAGE_FROM_STRING, format, 0, 0, out, size, &args);
        va_end(args);
        return r;
    };
    n = viaVaList(buffer, sizeof(buffer), "%2-%1!u!", 7u, "second");
    EXPECT_EQ(std::string(buffer, n), "second-7");

    // Inserts without arguments are an error; IGNORE_INSERTS keeps them.
    EXPECT_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, 193, 0, buffer, sizeof(buffer),
                             nullptr),
              0u);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
}

TEST(FormatMessageTest, MaxWidthDropsLineBreaks) {
    char buffer[64];
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_MAX_WIDTH_MASK, nullptr, 5,
                             0, buffer, sizeof(buffer), nullptr);
    EXPECT_EQ(std::string(buffer, n), "Access is denied. "); // the text's line break: a space
}

TEST(FormatMessageTest, WidthWrapsAtWhiteSpaceAndKeepsHardBreaks) {
    char buffer[128];
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | 10, "aaa bbb ccc\r\ndd%neeeeeeeeeeeee f",
                             0, 0, buffer, sizeof(buffer), nullptr);
    EXPECT_EQ(std::string(buffer, n), "aaa bbb\r\nccc dd\r\neeeeeeeeeeeee\r\nf");
}

} // namespace
