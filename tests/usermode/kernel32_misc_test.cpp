// Last error, handles, events, waits, identity, DOS devices, lstrlen, modules.
#include <gtest/gtest.h>

#include <thread>

#include "fake_ntdll.h"
#include "kernel32/k32.h"
#include <ntddbeep.h>

namespace {

std::string Narrow(const wchar_t* s) {
    std::string out;
    for (; *s; ++s)
        out.push_back(*s < 0x80 ? char(*s) : '?');
    return out;
}

class Kernel32Test : public ::testing::Test {
protected:
    void SetUp() override { fake::Reset(); }
};

TEST_F(Kernel32Test, LastErrorIsPerThread) {
    SetLastError(42);
    DWORD other = 1;
    std::thread t([&] {
        other = GetLastError();
        SetLastError(7);
    });
    t.join();
    EXPECT_EQ(other, 0u);
    EXPECT_EQ(GetLastError(), 42u);
}

TEST_F(Kernel32Test, NtStatusMapping) {
    const std::pair<NTSTATUS, DWORD> cases[] = {
        {STATUS_SUCCESS, 0},
        {STATUS_OBJECT_NAME_NOT_FOUND, ERROR_FILE_NOT_FOUND},
        {STATUS_ACCESS_DENIED, ERROR_ACCESS_DENIED},
        {STATUS_INVALID_HANDLE, ERROR_INVALID_HANDLE},
        {STATUS_INVALID_PARAMETER, ERROR_INVALID_PARAMETER},
        {STATUS_INVALID_DEVICE_REQUEST, ERROR_INVALID_FUNCTION},
        {STATUS_BUFFER_TOO_SMALL, ERROR_INSUFFICIENT_BUFFER},
        {STATUS_INSUFFICIENT_RESOURCES, ERROR_NO_SYSTEM_RESOURCES},
        {STATUS_UNSUCCESSFUL, ERROR_GEN_FAILURE},
        {STATUS_PENDING, ERROR_IO_PENDING},
        {STATUS_CANCELLED, ERROR_OPERATION_ABORTED},
        {STATUS_INVALID_BUFFER_SIZE, ERROR_INVALID_USER_BUFFER},
    };
    for (auto& [status, error] : cases) {
        EXPECT_EQ(ntsim::k32::SetLastNtError(status), error) << std::hex << status;
        EXPECT_EQ(GetLastError(), error);
    }
}

TEST_F(Kernel32Test, CloseAndDuplicateHandle) {
    HANDLE h = reinterpret_cast<HANDLE>(0x40);
    EXPECT_TRUE(CloseHandle(h));
    EXPECT_EQ(fake::g_fake.closed, h);
    fake::g_fake.closeStatus = STATUS_INVALID_HANDLE;
    EXPECT_FALSE(CloseHandle(h));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
    fake::g_fake.closed = nullptr;
    EXPECT_TRUE(CloseHandle(GetCurrentProcess())); // pseudo handle: nothing to close
    EXPECT_EQ(fake::g_fake.closed, nullptr);

    HANDLE dup = nullptr;
    EXPECT_TRUE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &dup, 0, TRUE,
                                DUPLICATE_SAME_ACCESS));
    EXPECT_EQ(dup, reinterpret_cast<HANDLE>(0x44));
    EXPECT_EQ(fake::g_fake.duplicateOptions, ULONG(DUPLICATE_SAME_ACCESS));
    EXPECT_EQ(fake::g_fake.duplicateAttributes, ULONG(OBJ_INHERIT));
    fake::g_fake.duplicateStatus = STATUS_INVALID_HANDLE;
    EXPECT_FALSE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &dup, 0, FALSE, 0));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
}

TEST_F(Kernel32Test, IdentityAndPseudoHandles) {
    EXPECT_EQ(GetCurrentProcess(), reinterpret_cast<HANDLE>(LONG_PTR(-1)));
    EXPECT_EQ(GetCurrentThread(), reinterpret_cast<HANDLE>(LONG_PTR(-2)));
    EXPECT_EQ(GetCurrentProcessId(), 0x1234u); // from ntdll (faked)
    EXPECT_EQ(GetCurrentThreadId(), 0x5678u);
    EXPECT_NE(GetModuleHandleW(nullptr), nullptr);
    EXPECT_EQ(GetModuleHandleW(L"user32.dll"), nullptr);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_MOD_NOT_FOUND));
}

TEST_F(Kernel32Test, Events) {
    HANDLE e = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    EXPECT_NE(e, nullptr);
    EXPECT_EQ(fake::g_fake.eventType, NotificationEvent);
    EXPECT_EQ(fake::g_fake.eventInitial, FALSE);
    EXPECT_EQ(fake::g_fake.eventName, u"");

    SECURITY_ATTRIBUTES sa{sizeof(sa), nullptr, TRUE};
    e = CreateEventA(&sa, FALSE, TRUE, "MyEvent");
    EXPECT_NE(e, nullptr);
    EXPECT_EQ(GetLastError(), 0u);
    EXPECT_EQ(fake::g_fake.eventType, SynchronizationEvent);
    EXPECT_EQ(fake::g_fake.eventInitial, TRUE);
    EXPECT_EQ(fake::g_fake.eventName, u"\\BaseNamedObjects\\MyEvent");
    EXPECT_EQ(fake::g_fake.eventObjAttributes, ULONG(OBJ_INHERIT | OBJ_OPENIF));

    fake::g_fake.eventStatus = STATUS_OBJECT_NAME_EXISTS;
    EXPECT_NE(CreateEventW(nullptr, FALSE, FALSE, L"MyEvent"), nullptr);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_ALREADY_EXISTS));

    fake::g_fake.eventStatus = STATUS_OBJECT_NAME_NOT_FOUND;
    EXPECT_EQ(OpenEventW(EVENT_ALL_ACCESS, FALSE, L"Missing"), nullptr);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_FILE_NOT_FOUND));
    EXPECT_EQ(OpenEventW(EVENT_ALL_ACCESS, FALSE, nullptr), nullptr);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));

    fake::g_fake.eventStatus = STATUS_SUCCESS;
    EXPECT_TRUE(SetEvent(e));
    EXPECT_TRUE(ResetEvent(e));
    fake::g_fake.eventStatus = STATUS_INVALID_HANDLE;
    EXPECT_FALSE(SetEvent(e));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));
    EXPECT_FALSE(ResetEvent(e));
}

TEST_F(Kernel32Test, WaitResults) {
    HANDLE h = reinterpret_cast<HANDLE>(0x50);
    EXPECT_EQ(WaitForSingleObject(h, INFINITE), WAIT_OBJECT_0);
    EXPECT_FALSE(fake::g_fake.waitHadTimeout);
    fake::g_fake.waitStatus = STATUS_TIMEOUT;
    EXPECT_EQ(WaitForSingleObject(h, 250), DWORD(WAIT_TIMEOUT));
    EXPECT_TRUE(fake::g_fake.waitHadTimeout);
    EXPECT_EQ(fake::g_fake.waitTimeout, -2500000LL);
    fake::g_fake.waitStatus = STATUS_USER_APC;
    EXPECT_EQ(WaitForSingleObjectEx(h, 0, TRUE), DWORD(WAIT_IO_COMPLETION));
    EXPECT_TRUE(fake::g_fake.waitAlertable);
    fake::g_fake.waitStatus = STATUS_INVALID_HANDLE;
    EXPECT_EQ(WaitForSingleObject(h, 0), WAIT_FAILED);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_HANDLE));

    HANDLE hs[3] = {h, h, h};
    fake::g_fake.waitStatus = NTSTATUS(2);
    EXPECT_EQ(WaitForMultipleObjects(3, hs, FALSE, INFINITE), WAIT_OBJECT_0 + 2);
    EXPECT_EQ(fake::g_fake.waitType, WaitAny);
    EXPECT_EQ(fake::g_fake.waitCount, 3u);
    fake::g_fake.waitStatus = STATUS_ABANDONED_WAIT_0 + 1;
    EXPECT_EQ(WaitForMultipleObjects(3, hs, TRUE, 10), WAIT_ABANDONED_0 + 1);
    EXPECT_EQ(fake::g_fake.waitType, WaitAll);
    EXPECT_EQ(WaitForMultipleObjects(0, hs, TRUE, 10), WAIT_FAILED);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
    EXPECT_EQ(WaitForMultipleObjects(65, hs, TRUE, 10), WAIT_FAILED);
    EXPECT_EQ(WaitForMultipleObjects(2, nullptr, TRUE, 10), WAIT_FAILED);
}

TEST_F(Kernel32Test, SleepExAlertableReportsApcs) {
    fake::g_fake.delayStatus = STATUS_USER_APC;
    EXPECT_EQ(SleepEx(100, TRUE), DWORD(WAIT_IO_COMPLETION));
    EXPECT_EQ(fake::g_fake.delayInterval, -1000000LL);
    fake::g_fake.delayStatus = STATUS_SUCCESS;
    EXPECT_EQ(SleepEx(5, TRUE), 0u);
    EXPECT_EQ(SleepEx(0, FALSE), 0u); // non-alertable: no kernel call
    EXPECT_EQ(fake::g_fake.delayInterval, -50000LL);
    Sleep(1);
}

TEST_F(Kernel32Test, LogicalDrivesAndQueryDosDevice) {
    EXPECT_EQ(GetLogicalDrives(), 4u);
    wchar_t target[64];
    DWORD n = QueryDosDeviceW(L"C:", target, 64);
    EXPECT_EQ(n, 25u); // 23 characters and two NULs
    EXPECT_EQ(Narrow(target), "\\Device\\HarddiskVolume1");
    EXPECT_EQ(target[24], 0);
    EXPECT_EQ(QueryDosDeviceW(L"c:", target, 64), 25u);
    EXPECT_EQ(QueryDosDeviceW(L"C:", target, 24), 0u);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INSUFFICIENT_BUFFER));
    EXPECT_EQ(QueryDosDeviceW(L"D:", target, 64), 0u);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_FILE_NOT_FOUND));
    EXPECT_EQ(QueryDosDeviceW(nullptr, target, 64), 4u);
    EXPECT_EQ(Narrow(target), "C:");

    char narrow[64];
    EXPECT_EQ(QueryDosDeviceA("C:", narrow, sizeof(narrow)), 25u);
    EXPECT_STREQ(narrow, "\\Device\\HarddiskVolume1");
    EXPECT_EQ(QueryDosDeviceA("Booster", narrow, sizeof(narrow)), 0u);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_FILE_NOT_FOUND));
}

TEST_F(Kernel32Test, Lstrlen) {
    EXPECT_EQ(lstrlenW(L"Booster"), 7);
    EXPECT_EQ(lstrlenW(nullptr), 0);
    EXPECT_EQ(lstrlenA("abc"), 3);
    EXPECT_EQ(lstrlenA(nullptr), 0);
}

} // namespace

namespace {

TEST_F(Kernel32Test, BeepSendsTheToneToTheBeepDevice) {
    fake::g_fake.createStatus = STATUS_SUCCESS;
    EXPECT_TRUE(Beep(440, 1));
    EXPECT_EQ(fake::g_fake.createName, u"\\Device\\Beep");
    EXPECT_EQ(fake::g_fake.ioCode, ULONG(IOCTL_BEEP_SET));
    EXPECT_EQ(fake::g_fake.ioLength, sizeof(BEEP_SET_PARAMETERS));
    EXPECT_EQ(fake::g_fake.closed, reinterpret_cast<HANDLE>(0x44));

    fake::g_fake.createStatus = STATUS_OBJECT_NAME_NOT_FOUND;
    EXPECT_FALSE(Beep(440, 1));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_FILE_NOT_FOUND));
    fake::g_fake.createStatus = STATUS_SUCCESS;
    fake::g_fake.ioReturn = STATUS_INVALID_PARAMETER;
    EXPECT_FALSE(Beep(1, 1));
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
}

TEST(Kernel32DeathTest, ExitProcessExitsWithTheCode) {
    EXPECT_EXIT(ExitProcess(3), ::testing::ExitedWithCode(3), "");
}

} // namespace
