// ReadFileEx / WriteFileEx against the fake ntdll: parameter checks, the request issued (no
// event, the OVERLAPPED as IOSB and its offset), and failures mapped to Win32 errors.
#include <gtest/gtest.h>

#include "fake_ntdll.h"

namespace {

const HANDLE kFile = reinterpret_cast<HANDLE>(0x44);

VOID CALLBACK Routine(DWORD, DWORD, LPOVERLAPPED) {}

class IoExTest : public ::testing::Test {
protected:
    void SetUp() override { fake::Reset(); }
};

TEST_F(IoExTest, NeedsOverlappedAndRoutine) {
    char buffer[8];
    OVERLAPPED ov{};
    SetLastError(0);
    EXPECT_FALSE(ReadFileEx(kFile, buffer, 8, nullptr, Routine));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
    EXPECT_FALSE(WriteFileEx(kFile, buffer, 8, &ov, nullptr));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
    EXPECT_EQ(fake::g_fake.ioIosb, nullptr) << "nothing was issued";
}

TEST_F(IoExTest, IssuesAnOverlappedRequestWithoutEvent) {
    char buffer[8];
    OVERLAPPED ov{};
    ov.Offset = 0x10;
    ov.OffsetHigh = 1;
    ov.hEvent = reinterpret_cast<HANDLE>(0x80); // the caller's: not signalled by ReadFileEx
    fake::g_fake.ioReturn = STATUS_PENDING;
    EXPECT_TRUE(ReadFileEx(kFile, buffer, 8, &ov, Routine));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_SUCCESS));
    EXPECT_EQ(fake::g_fake.ioEvent, nullptr);
    EXPECT_EQ(fake::g_fake.ioIosb, reinterpret_cast<PIO_STATUS_BLOCK>(&ov));
    EXPECT_EQ(fake::g_fake.ioApcContext, reinterpret_cast<PVOID>(&Routine));
    EXPECT_TRUE(fake::g_fake.ioHadOffset);
    EXPECT_EQ(fake::g_fake.ioOffset, 0x100000010LL);
    EXPECT_EQ(ov.Internal, ULONG_PTR(STATUS_PENDING));
    fake::g_fake.ioReturn = STATUS_SUCCESS;
    EXPECT_TRUE(WriteFileEx(kFile, buffer, 8, &ov, Routine));
}

TEST_F(IoExTest, ImmediateFailureIsMapped) {
    char buffer[8];
    OVERLAPPED ov{};
    fake::g_fake.ioReturn = STATUS_INVALID_HANDLE;
    EXPECT_FALSE(ReadFileEx(kFile, buffer, 8, &ov, Routine));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
    fake::g_fake.ioReturn = STATUS_ACCESS_DENIED;
    EXPECT_FALSE(WriteFileEx(kFile, buffer, 8, &ov, Routine));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
}

} // namespace
