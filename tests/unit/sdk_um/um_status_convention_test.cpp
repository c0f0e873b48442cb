// WIN32_NO_STATUS: windows.h without its status codes, then every code from ntstatus.h, as
// native-API clients do on Windows. Also the ANSI generic-text names (no UNICODE here).
#include <gtest/gtest.h>

#include <type_traits>

#undef UNICODE
#undef _UNICODE
#define WIN32_NO_STATUS
#include <um/windows.h>
#ifdef STATUS_PENDING
#error "WIN32_NO_STATUS: windows.h must not define status codes"
#endif
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <um/winternl.h>

namespace {

TEST(SdkUmStatus, Win32NoStatusThenNtstatusGivesEveryCode) {
    EXPECT_EQ(STATUS_PENDING, 0x103);
    EXPECT_EQ(STATUS_INFO_LENGTH_MISMATCH, (NTSTATUS)0xC0000004);
    EXPECT_EQ(STATUS_SUCCESS, 0);
    // The WAIT_* results do not depend on the status codes being defined.
    EXPECT_EQ(WAIT_OBJECT_0, 0u);
    EXPECT_EQ(WAIT_ABANDONED, 0x80u);
}

TEST(SdkUmStatus, AnsiGenericTextNamesWithoutUnicode) {
    static_assert(std::is_same_v<TCHAR, char>);
    static_assert(std::is_same_v<decltype(&CreateFile), decltype(&CreateFileA)>);
    static_assert(std::is_same_v<decltype(&LoadLibrary), decltype(&LoadLibraryA)>);
    static_assert(std::is_same_v<STARTUPINFO, STARTUPINFOA>);
    EXPECT_EQ(sizeof(TEXT("ab")), 3u);
    EXPECT_EQ(sizeof(_T("ab")), 3u);
}

} // namespace
