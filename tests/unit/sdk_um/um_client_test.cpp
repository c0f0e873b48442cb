// The client SDK headers compile together with the C headers clients use, with UNICODE (as
// ntsim_add_client builds clients), and give Windows' values and x64 layouts. The APIs have no
// implementation in this executable, so calls appear only in unevaluated or uninstantiated code.
#include <gtest/gtest.h>

#include <type_traits>

#ifndef UNICODE
#define UNICODE
#endif
#ifndef _UNICODE
#define _UNICODE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <um/Windows.h>
#include <um/winternl.h>
#include <um/winioctl.h>
#include <um/ntddbeep.h>

namespace {

// The book's beep client (§4.2), as a client would write it. A template never instantiated:
// g++ still checks every non-dependent call against the declarations.
template <int Unused> int BeepClientMain(int argc, const char* argv[]) {
    printf("beep [<frequency> <duration_in_msec>]\n");
    int freq = 800, duration = 1000;
    if (argc > 2) {
        freq = atoi(argv[1]);
        duration = atoi(argv[2]);
    }
    HANDLE hFile;
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, L"\\Device\\Beep");
    InitializeObjectAttributes(&attr, &name, OBJ_CASE_INSENSITIVE, nullptr, nullptr);
    IO_STATUS_BLOCK ioStatus;
    NTSTATUS status = ::NtOpenFile(&hFile, GENERIC_WRITE, &attr, &ioStatus, 0, 0);
    if (NT_SUCCESS(status)) {
        BEEP_SET_PARAMETERS params;
        params.Frequency = freq;
        params.Duration = duration;
        DWORD bytes;
        printf("Playing freq: %u, duration: %u\n", freq, duration);
        ::DeviceIoControl(hFile, IOCTL_BEEP_SET, &params, sizeof(params), nullptr, 0, &bytes,
                          nullptr);
        ::Sleep(duration);
        ::CloseHandle(hFile);
    } else {
        printf("Failed in NtOpenFile (status=0x%X)\n", (unsigned)status);
    }
    return 0;
}

DWORD WINAPI ThreadProc(LPVOID) {
    return 0;
}
VOID CALLBACK ApcProc(ULONG_PTR) {}

// Other client patterns of the book: CreateFile on a symbolic link, overlapped I/O, threads.
template <int Unused> int OtherClientPatterns() {
    HANDLE h = CreateFile(L"\\\\.\\Booster", GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr);
    if (h == INVALID_HANDLE_VALUE) return (int)GetLastError();
    OVERLAPPED ov = {};
    ov.hEvent = CreateEvent(nullptr, TRUE, FALSE, nullptr);
    BYTE buffer[64];
    DWORD bytes = 0;
    if (!ReadFile(h, buffer, sizeof(buffer), &bytes, &ov) && GetLastError() == ERROR_IO_PENDING)
        GetOverlappedResult(h, &ov, &bytes, TRUE);
    if (WaitForSingleObject(ov.hEvent, INFINITE) != WAIT_OBJECT_0) CancelIoEx(h, &ov);
    HANDLE t = CreateThread(nullptr, 0, ThreadProc, nullptr, CREATE_SUSPENDED, nullptr);
    SetThreadPriority(t, THREAD_PRIORITY_TIME_CRITICAL);
    QueueUserAPC(ApcProc, t, 0);
    ResumeThread(t);
    HANDLE objs[] = {t, ov.hEvent};
    WaitForMultipleObjects(_countof(objs), objs, TRUE, INFINITE);
    STARTUPINFO si = {sizeof(si)};
    PROCESS_INFORMATION pi;
    WCHAR cmd[] = L"notepad";
    CreateProcess(nullptr, cmd, nullptr, nullptr, FALSE, 0, nullptr, nullptr, &si, &pi);
    LPWSTR text = nullptr;
    FormatMessage(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM, nullptr, 5, 0,
                  (LPWSTR)&text, 0, nullptr);
    LocalFree(text);
    FILETIME ft;
    SYSTEMTIME st;
    GetSystemTimeAsFileTime(&ft);
    FileTimeToLocalFileTime(&ft, &ft);
    FileTimeToSystemTime(&ft, &st);
    LARGE_INTEGER counter;
    QueryPerformanceCounter(&counter);
    HMODULE mod = LoadLibrary(L"kernel32.dll");
    auto fn = (DWORD(WINAPI*)())GetProcAddress(mod, "GetTickCount");
    ZeroMemory(buffer, sizeof(buffer));
    CloseHandle(t);
    CloseHandle(h);
    return fn ? (int)fn() : 0;
}

TEST(SdkUm, GenericTextNamesAreWideWithUnicode) {
    static_assert(std::is_same_v<TCHAR, WCHAR>);
    static_assert(std::is_same_v<_TCHAR, wchar_t>);
    static_assert(std::is_same_v<decltype(&CreateFile), decltype(&CreateFileW)>);
    static_assert(std::is_same_v<decltype(&CreateEvent), decltype(&CreateEventW)>);
    static_assert(std::is_same_v<STARTUPINFO, STARTUPINFOW>);
    EXPECT_EQ(sizeof(TEXT("ab")), 3 * sizeof(WCHAR));
    EXPECT_EQ(sizeof(_T("ab")), 3 * sizeof(WCHAR));
    EXPECT_EQ(_countof(L"abc"), 4u);
}

TEST(SdkUm, BaseTypesAreLlp64) {
    EXPECT_EQ(sizeof(DWORD), 4u);
    EXPECT_EQ(sizeof(LONG), 4u);
    EXPECT_EQ(sizeof(BOOL), 4u);
    EXPECT_EQ(sizeof(WORD), 2u);
    EXPECT_EQ(sizeof(WCHAR), 2u);
    EXPECT_EQ(sizeof(HANDLE), 8u);
    EXPECT_EQ(sizeof(ULONG_PTR), 8u);
    EXPECT_EQ(sizeof(LARGE_INTEGER), 8u);
    EXPECT_EQ(INVALID_HANDLE_VALUE, (HANDLE)(LONG_PTR)-1);
    EXPECT_EQ(MAX_PATH, 260);
}

TEST(SdkUm, StructureLayoutsAreX64) {
    EXPECT_EQ(sizeof(OVERLAPPED), 0x20u);
    EXPECT_EQ(offsetof(OVERLAPPED, Offset), 0x10u);
    EXPECT_EQ(offsetof(OVERLAPPED, OffsetHigh), 0x14u);
    EXPECT_EQ(offsetof(OVERLAPPED, hEvent), 0x18u);
    EXPECT_EQ(sizeof(SECURITY_ATTRIBUTES), 0x18u);
    EXPECT_EQ(sizeof(FILETIME), 8u);
    EXPECT_EQ(sizeof(SYSTEMTIME), 16u);
    EXPECT_EQ(offsetof(SYSTEMTIME, wMilliseconds), 14u);
    EXPECT_EQ(sizeof(STARTUPINFOW), 0x68u);
    EXPECT_EQ(sizeof(PROCESS_INFORMATION), 0x18u);
    EXPECT_EQ(sizeof(IO_STATUS_BLOCK), 0x10u);
    EXPECT_EQ(sizeof(SYSTEM_PROCESS_INFORMATION), 0x100u);
    EXPECT_EQ(offsetof(SYSTEM_PROCESS_INFORMATION, UniqueProcessId), 0x50u);
    EXPECT_EQ(sizeof(BEEP_SET_PARAMETERS), 8u);
    EXPECT_EQ(sizeof(UNICODE_STRING), 16u);
    EXPECT_EQ(sizeof(OBJECT_ATTRIBUTES), 0x30u);
}

TEST(SdkUm, ConstantsHaveWindowsValues) {
    EXPECT_EQ(GENERIC_READ, 0x80000000u);
    EXPECT_EQ(GENERIC_WRITE, 0x40000000u);
    EXPECT_EQ(GENERIC_ALL, 0x10000000u);
    EXPECT_EQ(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, 7);
    EXPECT_EQ(CREATE_NEW, 1);
    EXPECT_EQ(OPEN_EXISTING, 3);
    EXPECT_EQ(TRUNCATE_EXISTING, 5);
    EXPECT_EQ(FILE_ATTRIBUTE_NORMAL, 0x80);
    EXPECT_EQ(FILE_FLAG_OVERLAPPED, 0x40000000u);
    EXPECT_EQ(INFINITE, 0xFFFFFFFFu);
    EXPECT_EQ(WAIT_OBJECT_0, 0u);
    EXPECT_EQ(WAIT_ABANDONED_0, 0x80u);
    EXPECT_EQ(WAIT_IO_COMPLETION, 0xC0u);
    EXPECT_EQ(WAIT_TIMEOUT, 258);
    EXPECT_EQ(WAIT_FAILED, 0xFFFFFFFFu);
    EXPECT_EQ(STILL_ACTIVE, 0x103u);
    EXPECT_EQ(FORMAT_MESSAGE_ALLOCATE_BUFFER, 0x100);
    EXPECT_EQ(FORMAT_MESSAGE_FROM_SYSTEM, 0x1000);
    EXPECT_EQ(FORMAT_MESSAGE_IGNORE_INSERTS, 0x200);
    EXPECT_EQ(THREAD_PRIORITY_LOWEST, -2);
    EXPECT_EQ(THREAD_PRIORITY_BELOW_NORMAL, -1);
    EXPECT_EQ(THREAD_PRIORITY_ABOVE_NORMAL, 1);
    EXPECT_EQ(THREAD_PRIORITY_HIGHEST, 2);
    EXPECT_EQ(THREAD_PRIORITY_TIME_CRITICAL, 15);
    EXPECT_EQ(THREAD_PRIORITY_IDLE, -15);
    EXPECT_EQ(CREATE_SUSPENDED, 4);
    EXPECT_EQ(CREATE_NEW_CONSOLE, 0x10);
    EXPECT_EQ(HIGH_PRIORITY_CLASS, 0x80);
    EXPECT_EQ(PROCESS_TERMINATE, 1);
    EXPECT_EQ(PROCESS_ALL_ACCESS, 0x1FFFFF);
    EXPECT_EQ(THREAD_ALL_ACCESS, 0x1FFFFF);
    EXPECT_EQ(SYNCHRONIZE, 0x100000);
    EXPECT_EQ(FILE_ALL_ACCESS, 0x1F01FF);
    EXPECT_EQ(FILE_GENERIC_READ, 0x120089);
    EXPECT_EQ(FILE_GENERIC_WRITE, 0x120116);
    EXPECT_EQ(MEM_COMMIT | MEM_RESERVE, 0x3000);
    EXPECT_EQ(PAGE_READWRITE, 4);
    EXPECT_EQ(OBJ_CASE_INSENSITIVE, 0x40);
    EXPECT_EQ(FILE_OPEN, 1);
    EXPECT_EQ(FILE_SYNCHRONOUS_IO_NONALERT, 0x20);
    EXPECT_EQ(FILE_NON_DIRECTORY_FILE, 0x40);
    EXPECT_EQ(FILE_OPENED, 1);
    EXPECT_EQ(SystemProcessInformation, 5);
}

TEST(SdkUm, IoctlCodesMatchTheSpec) {
    EXPECT_EQ(IOCTL_BEEP_SET, 0x00010000u);
    EXPECT_EQ(CTL_CODE(0x8022, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS), 0x80222000u);
    EXPECT_EQ(CTL_CODE(0x8022, 0x801, METHOD_NEITHER, FILE_ANY_ACCESS), 0x80222007u);
    EXPECT_EQ(CTL_CODE(0x8003, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS), 0x80032000u);
    EXPECT_EQ(CTL_CODE(0x8003, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS), 0x80032004u);
    EXPECT_EQ(CTL_CODE(FILE_DEVICE_CONSOLE, 5, METHOD_OUT_DIRECT, FILE_ANY_ACCESS), 0x00500016u);
    EXPECT_EQ(CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_IN_DIRECT, FILE_READ_ACCESS),
              0x00226001u);
    EXPECT_EQ(FILE_DEVICE_BEEP, 1);
}

TEST(SdkUm, BeepInterface) {
    EXPECT_EQ(BEEP_FREQUENCY_MINIMUM, 0x25);
    EXPECT_EQ(BEEP_FREQUENCY_MAXIMUM, 0x7FFF);
    EXPECT_STREQ(DD_BEEP_DEVICE_NAME, "\\Device\\Beep");
    const WCHAR* wide = DD_BEEP_DEVICE_NAME_U;
    std::string narrow;
    for (; *wide; ++wide)
        narrow.push_back(static_cast<char>(*wide));
    EXPECT_EQ(narrow, "\\Device\\Beep");
    EXPECT_EQ(sizeof(DD_BEEP_DEVICE_NAME_U), 13 * sizeof(WCHAR));
}

TEST(SdkUm, MemoryMacrosWork) {
    char a[8] = "abcdefg";
    char b[8];
    CopyMemory(b, a, sizeof(a));
    EXPECT_EQ(memcmp(a, b, sizeof(a)), 0);
    ZeroMemory(a, sizeof(a));
    EXPECT_EQ(a[3], 0);
    FillMemory(a, 2, 'x');
    EXPECT_EQ(a[1], 'x');
    EXPECT_TRUE(RtlEqualMemory(a, "xx", 2));
}

TEST(SdkUm, WinntStatusSubsetIsPresentWithoutNtstatus) {
    EXPECT_EQ(STATUS_PENDING, 0x103);
    EXPECT_EQ(STATUS_ACCESS_VIOLATION, (NTSTATUS)0xC0000005);
    EXPECT_EQ(STATUS_TIMEOUT, 0x102);
#ifdef STATUS_INFO_LENGTH_MISMATCH
    ADD_FAILURE() << "windows.h must not define the full ntstatus.h set";
#endif
}

} // namespace
