// Including <ntstatus.h> after <windows.h> without WIN32_NO_STATUS: the shared codes are defined
// identically, so this compiles cleanly with -Werror (no macro redefinition warnings).
#include <gtest/gtest.h>

#include <um/windows.h>
#include <ntstatus.h>

namespace {

TEST(SdkUmStatus, WindowsThenNtstatusWithoutWin32NoStatus) {
    EXPECT_EQ(STATUS_TIMEOUT, 0x102);
    EXPECT_EQ(STATUS_OBJECT_NAME_NOT_FOUND, (NTSTATUS)0xC0000034);
}

} // namespace
