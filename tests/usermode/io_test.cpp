// ReadFile/WriteFile/DeviceIoControl, synchronous and overlapped, against the fake ntdll.
#include <gtest/gtest.h>

#include "fake_ntdll.h"

namespace {

const HANDLE kFile = reinterpret_cast<HANDLE>(0x44);
const HANDLE kEvent = reinterpret_cast<HANDLE>(0x80);
constexpr DWORD kIoctl = 0x80222000;

class IoTest : public ::testing::Test {
protected:
    void SetUp() override { fake::Reset(); }
};

TEST_F(IoTest, SynchronousIoctlReturnsInformation) {
    fake::g_fake.ioInformation = 12;
    char in[4] = {}, out[16];
    DWORD returned = 99;
    EXPECT_TRUE(
        DeviceIoControl(kFile, kIoctl, in, sizeof(in), out, sizeof(out), &returned, nullptr));
    EXPECT_EQ(returned, 12u);
    EXPECT_EQ(fake::g_fake.ioCode, kIoctl);
    EXPECT_EQ(fake::g_fake.ioLength, 4u);
    EXPECT_EQ(fake::g_fake.ioEvent, nullptr);
}

TEST_F(IoTest, SynchronousFailureMapsStatus) {
    DWORD returned = 99;
    fake::g_fake.ioReturn = STATUS_INVALID_DEVICE_REQUEST;
    EXPECT_FALSE(DeviceIoControl(kFile, kIoctl, nullptr, 0, nullptr, 0, &returned, nullptr));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_FUNCTION));
    EXPECT_EQ(returned, 0u);
    fake::g_fake.ioReturn = STATUS_BUFFER_TOO_SMALL;
    EXPECT_FALSE(DeviceIoControl(kFile, kIoctl, nullptr, 0, nullptr, 0, &returned, nullptr));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INSUFFICIENT_BUFFER));
    // A warning still reports the bytes transferred.
    fake::g_fake.ioReturn = STATUS_BUFFER_OVERFLOW;
    fake::g_fake.ioFinalStatus = STATUS_BUFFER_OVERFLOW;
    fake::g_fake.ioInformation = 8;
    EXPECT_FALSE(DeviceIoControl(kFile, kIoctl, nullptr, 0, nullptr, 0, &returned, nullptr));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_MORE_DATA));
    EXPECT_EQ(returned, 8u);
    // lpBytesReturned is required without an OVERLAPPED.
    EXPECT_FALSE(DeviceIoControl(kFile, kIoctl, nullptr, 0, nullptr, 0, nullptr, nullptr));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
}

TEST_F(IoTest, SynchronousPendingWaitsOnTheFile) {
    fake::g_fake.ioReturn = STATUS_PENDING;
    fake::g_fake.onWait = [] {
        fake::g_fake.ioIosb->Status = STATUS_SUCCESS;
        fake::g_fake.ioIosb->Information = 5;
    };
    char buffer[8];
    DWORD read = 0;
    EXPECT_TRUE(ReadFile(kFile, buffer, sizeof(buffer), &read, nullptr));
    EXPECT_EQ(read, 5u);
    EXPECT_EQ(fake::g_fake.waitHandle, kFile);
    EXPECT_FALSE(fake::g_fake.ioHadOffset);
}

TEST_F(IoTest, ReadAtEndOfFileSucceedsWithZeroBytes) {
    fake::g_fake.ioReturn = STATUS_END_OF_FILE;
    char buffer[8];
    DWORD read = 7;
    EXPECT_TRUE(ReadFile(kFile, buffer, sizeof(buffer), &read, nullptr));
    EXPECT_EQ(read, 0u);
    OVERLAPPED ov{};
    EXPECT_FALSE(ReadFile(kFile, buffer, sizeof(buffer), nullptr, &ov));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_HANDLE_EOF));
}

TEST_F(IoTest, WriteReportsBytesWritten) {
    fake::g_fake.ioInformation = 3;
    DWORD written = 0;
    EXPECT_TRUE(WriteFile(kFile, "abc", 3, &written, nullptr));
    EXPECT_EQ(written, 3u);
    fake::g_fake.ioReturn = STATUS_INVALID_HANDLE;
    EXPECT_FALSE(WriteFile(kFile, "abc", 3, &written, nullptr));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
}

TEST_F(IoTest, OverlappedPendingThenGetOverlappedResult) {
    fake::g_fake.ioReturn = STATUS_PENDING;
    OVERLAPPED ov{};
    ov.hEvent = kEvent;
    ov.Offset = 0x10;
    ov.OffsetHigh = 1;
    char buffer[8];
    EXPECT_FALSE(ReadFile(kFile, buffer, sizeof(buffer), nullptr, &ov));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_IO_PENDING));
    EXPECT_EQ(ov.Internal, ULONG_PTR(STATUS_PENDING));
    EXPECT_FALSE(HasOverlappedIoCompleted(&ov));
    EXPECT_EQ(fake::g_fake.ioIosb, reinterpret_cast<PIO_STATUS_BLOCK>(&ov));
    EXPECT_EQ(fake::g_fake.ioEvent, kEvent);
    EXPECT_EQ(fake::g_fake.ioApcContext, &ov);
    EXPECT_TRUE(fake::g_fake.ioHadOffset);
    EXPECT_EQ(fake::g_fake.ioOffset, 0x100000010LL);

    DWORD n = 99;
    EXPECT_FALSE(GetOverlappedResult(kFile, &ov, &n, FALSE));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_IO_INCOMPLETE));
    EXPECT_EQ(fake::g_fake.waitCalls, 0);

    // The "kernel" completes the request while we wait on the event.
    fake::g_fake.onWait = [&] {
        ov.InternalHigh = 6;
        ov.Internal = STATUS_SUCCESS;
    };
    EXPECT_TRUE(GetOverlappedResult(kFile, &ov, &n, TRUE));
    EXPECT_TRUE(HasOverlappedIoCompleted(&ov));
    EXPECT_EQ(n, 6u);
    EXPECT_EQ(fake::g_fake.waitHandle, kEvent);
    EXPECT_FALSE(fake::g_fake.waitHadTimeout);
}

TEST_F(IoTest, OverlappedIoctlCompletedImmediatelyAndCancelled) {
    OVERLAPPED ov{};
    ov.hEvent = reinterpret_cast<HANDLE>(ULONG_PTR(kEvent) | 1); // "no port" bit is dropped
    fake::g_fake.ioInformation = 4;
    DWORD returned = 0;
    EXPECT_TRUE(DeviceIoControl(kFile, kIoctl, nullptr, 0, nullptr, 0, &returned, &ov));
    EXPECT_EQ(returned, 4u);
    EXPECT_EQ(fake::g_fake.ioEvent, kEvent);

    // Cancelled: the request completes with STATUS_CANCELLED -> ERROR_OPERATION_ABORTED.
    ov.Internal = ULONG_PTR(STATUS_CANCELLED);
    ov.InternalHigh = 0;
    DWORD n = 1;
    EXPECT_FALSE(GetOverlappedResult(kFile, &ov, &n, TRUE));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_OPERATION_ABORTED));
    EXPECT_EQ(n, 0u);
    EXPECT_FALSE(GetOverlappedResult(kFile, nullptr, &n, TRUE));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
}

TEST_F(IoTest, OverlappedImmediateFailure) {
    fake::g_fake.ioReturn = STATUS_INVALID_PARAMETER;
    OVERLAPPED ov{};
    DWORD returned = 0;
    EXPECT_FALSE(DeviceIoControl(kFile, kIoctl, nullptr, 0, nullptr, 0, &returned, &ov));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
}

TEST_F(IoTest, CancelIoAndCancelIoEx) {
    EXPECT_TRUE(CancelIo(kFile));
    OVERLAPPED ov{};
    EXPECT_TRUE(CancelIoEx(kFile, &ov));
    EXPECT_EQ(fake::g_fake.cancelRequest, reinterpret_cast<PIO_STATUS_BLOCK>(&ov));
    fake::g_fake.cancelStatus = STATUS_NOT_FOUND;
    EXPECT_FALSE(CancelIoEx(kFile, nullptr));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_NOT_FOUND));
    EXPECT_EQ(fake::g_fake.cancelRequest, nullptr);
    fake::g_fake.cancelStatus = STATUS_INVALID_HANDLE;
    EXPECT_FALSE(CancelIo(kFile));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
}

} // namespace
