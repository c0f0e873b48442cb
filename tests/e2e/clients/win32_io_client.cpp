// The Win32 I/O e2e client: drives the w32io test driver with the calls the book's clients use
// (CreateFile, ReadFile, WriteFile, DeviceIoControl, overlapped I/O, CancelIo(Ex),
// DuplicateHandle, OpenProcess) and checks return values, bytes and GetLastError(). One mode
// per run (argv[1]); prints one line per check and exits 0 when every check matched Windows.
#include <windows.h>
#include <winioctl.h>
#include <winternl.h> // FILE_OPEN... (what the driver sees of the disposition)
#include <ntstatus.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "../../drivers/w32io_ioctl.h"

namespace {

int g_failures = 0;

void Check(bool ok, const char* what, DWORD error = 0) {
    std::printf("%s %s (error %lu)\n", ok ? "ok" : "FAIL", what, static_cast<unsigned long>(error));
    if (!ok) ++g_failures;
}

// Checks a call that must fail with `expected` as its last error.
void CheckFails(BOOL result, DWORD expected, const char* what) {
    DWORD error = GetLastError();
    Check(!result && error == expected, what, error);
}

HANDLE Open(const wchar_t* name = L"\\\\.\\W32Io", DWORD access = GENERIC_READ | GENERIC_WRITE,
            DWORD flags = 0, DWORD disposition = OPEN_EXISTING,
            DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE) {
    return CreateFileW(name, access, share, nullptr, disposition, flags, nullptr);
}

W32IO_STATS Stats(HANDLE h) {
    W32IO_STATS stats{};
    DWORD bytes = 0;
    if (!DeviceIoControl(h, IOCTL_W32IO_STATS, nullptr, 0, &stats, sizeof(stats), &bytes,
                         nullptr) ||
        bytes != sizeof(stats)) {
        Check(false, "stats ioctl", GetLastError());
    }
    return stats;
}

bool Echo(HANDLE h) {
    char in[] = "ping", out[8] = {};
    DWORD bytes = 0;
    return DeviceIoControl(h, IOCTL_W32IO_ECHO, in, sizeof(in), out, sizeof(out), &bytes,
                           nullptr) &&
           bytes == sizeof(in) && !std::strcmp(out, "ping");
}

// ---- 1. CreateFile ------------------------------------------------------------------------

int ModeOpen() {
    HANDLE stats = Open();
    Check(stats != INVALID_HANDLE_VALUE, "open \\\\.\\W32Io", GetLastError());
    if (stats == INVALID_HANDLE_VALUE) return 1;
    // Every prefix form reaches \??\W32Io.
    const wchar_t* names[] = {L"\\\\.\\W32Io", L"\\\\?\\W32Io", L"\\??\\W32Io", L"//./W32Io",
                              L"\\\\.\\w32io"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); ++i) {
        LONG before = Stats(stats).Creates;
        HANDLE h = Open(names[i]);
        char what[64];
        std::snprintf(what, sizeof(what), "open name form %zu", i);
        Check(h != INVALID_HANDLE_VALUE && Stats(stats).Creates == before + 1 && Echo(h), what,
              GetLastError());
        CloseHandle(h);
    }
    HANDLE a = CreateFileA("\\\\.\\W32Io", GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0, nullptr);
    Check(a != INVALID_HANDLE_VALUE && Echo(a), "CreateFileA \\\\.\\W32Io", GetLastError());
    CloseHandle(a);
    // Missing devices and bad names.
    HANDLE missing = Open(L"\\\\.\\NoSuchDeviceHere");
    Check(missing == INVALID_HANDLE_VALUE && GetLastError() == ERROR_FILE_NOT_FOUND,
          "missing device -> ERROR_FILE_NOT_FOUND", GetLastError());
    missing =
        CreateFileA("\\\\.\\NoSuchDeviceHere", GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0, nullptr);
    Check(missing == INVALID_HANDLE_VALUE && GetLastError() == ERROR_FILE_NOT_FOUND,
          "missing device (A) -> ERROR_FILE_NOT_FOUND", GetLastError());
    HANDLE bad = CreateFileW(nullptr, GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0, nullptr);
    Check(bad == INVALID_HANDLE_VALUE && GetLastError() == ERROR_INVALID_PARAMETER,
          "NULL name -> ERROR_INVALID_PARAMETER", GetLastError());
    bad = CreateFileW(L"\\\\.\\W32Io", GENERIC_READ, 0, nullptr, 0, 0, nullptr);
    Check(bad == INVALID_HANDLE_VALUE && GetLastError() == ERROR_INVALID_PARAMETER,
          "disposition 0 -> ERROR_INVALID_PARAMETER", GetLastError());

    // Disposition, share mode and access reach the driver's IRP_MJ_CREATE.
    struct {
        DWORD win32;
        ULONG nt;
    } dispositions[] = {{OPEN_EXISTING, FILE_OPEN},
                        {CREATE_NEW, FILE_CREATE},
                        {CREATE_ALWAYS, FILE_OVERWRITE_IF},
                        {OPEN_ALWAYS, FILE_OPEN_IF}};
    for (auto& d : dispositions) {
        HANDLE h = Open(L"\\\\.\\W32Io", GENERIC_READ | GENERIC_WRITE, 0, d.win32, FILE_SHARE_READ);
        DWORD error = GetLastError();
        W32IO_STATS s = Stats(stats);
        char what[80];
        std::snprintf(what, sizeof(what), "disposition %lu -> %lu", (unsigned long)d.win32,
                      (unsigned long)d.nt);
        Check(h != INVALID_HANDLE_VALUE && s.LastCreateDisposition == d.nt &&
                  s.LastCreateShare == FILE_SHARE_READ,
              what, error);
        // The driver answered FILE_OPENED: OPEN_ALWAYS says the file already existed.
        if (d.win32 == OPEN_ALWAYS)
            Check(error == ERROR_ALREADY_EXISTS, "OPEN_ALWAYS -> ERROR_ALREADY_EXISTS", error);
        if (d.win32 == OPEN_EXISTING)
            Check(error == ERROR_SUCCESS, "OPEN_EXISTING -> last error 0", error);
        CloseHandle(h);
    }
    // Access: a read-only handle reads but cannot write or send a write-access IOCTL.
    HANDLE ro = Open(L"\\\\.\\W32Io", GENERIC_READ);
    W32IO_STATS s = Stats(stats);
    Check(ro != INVALID_HANDLE_VALUE && (s.LastCreateAccess & FILE_READ_DATA) &&
              !(s.LastCreateAccess & FILE_WRITE_DATA),
          "GENERIC_READ -> FILE_READ_DATA only", GetLastError());
    char buffer[8];
    DWORD bytes = 0;
    Check(ReadFile(ro, buffer, sizeof(buffer), &bytes, nullptr) && bytes == 8 && buffer[0] == 'a',
          "read on a read-only handle", GetLastError());
    CheckFails(WriteFile(ro, buffer, sizeof(buffer), &bytes, nullptr), ERROR_ACCESS_DENIED,
               "write on a read-only handle -> ERROR_ACCESS_DENIED");
    CheckFails(DeviceIoControl(ro, IOCTL_W32IO_WRITE_ONLY, nullptr, 0, nullptr, 0, &bytes, nullptr),
               ERROR_ACCESS_DENIED, "FILE_WRITE_ACCESS ioctl on a read-only handle");
    Check(Echo(ro), "FILE_ANY_ACCESS ioctl on a read-only handle");
    CloseHandle(ro);
    HANDLE wo = Open(L"\\\\.\\W32Io", GENERIC_WRITE);
    Check(DeviceIoControl(wo, IOCTL_W32IO_WRITE_ONLY, nullptr, 0, nullptr, 0, &bytes, nullptr),
          "FILE_WRITE_ACCESS ioctl on a write handle", GetLastError());
    CheckFails(ReadFile(wo, buffer, sizeof(buffer), &bytes, nullptr), ERROR_ACCESS_DENIED,
               "read on a write-only handle -> ERROR_ACCESS_DENIED");
    CloseHandle(wo);

    // Exclusive device: one open at a time.
    HANDLE first = Open(L"\\\\.\\W32IoExcl");
    Check(first != INVALID_HANDLE_VALUE, "open the exclusive device", GetLastError());
    HANDLE second = Open(L"\\\\.\\W32IoExcl");
    Check(second == INVALID_HANDLE_VALUE && GetLastError() == ERROR_ACCESS_DENIED,
          "second open of an exclusive device -> ERROR_ACCESS_DENIED", GetLastError());
    Check(Echo(first), "the first handle keeps working");
    HANDLE dup = nullptr;
    Check(DuplicateHandle(GetCurrentProcess(), first, GetCurrentProcess(), &dup, 0, FALSE,
                          DUPLICATE_SAME_ACCESS) &&
              Echo(dup),
          "a duplicate of the exclusive handle works", GetLastError());
    CloseHandle(first);
    second = Open(L"\\\\.\\W32IoExcl");
    Check(second == INVALID_HANDLE_VALUE && GetLastError() == ERROR_ACCESS_DENIED,
          "still refused while a duplicate is open", GetLastError());
    CloseHandle(dup);
    second = Open(L"\\\\.\\W32IoExcl");
    Check(second != INVALID_HANDLE_VALUE && Echo(second), "open again after the close",
          GetLastError());
    CloseHandle(second);
    CloseHandle(stats);
    return g_failures ? 1 : 0;
}

// ---- 2. synchronous I/O -------------------------------------------------------------------

int ModeSync() {
    HANDLE h = Open();
    Check(h != INVALID_HANDLE_VALUE, "open", GetLastError());
    if (h == INVALID_HANDLE_VALUE) return 1;
    char buffer[100];
    DWORD bytes = 12345;
    Check(ReadFile(h, buffer, sizeof(buffer), &bytes, nullptr) && bytes == 100 &&
              buffer[0] == 'a' && buffer[27] == 'b',
          "ReadFile 100 bytes", GetLastError());
    Check(WriteFile(h, buffer, 60, &bytes, nullptr) && bytes == 60, "WriteFile 60 bytes",
          GetLastError());
    Check(WriteFile(h, buffer, 0, &bytes, nullptr) && bytes == 0, "WriteFile 0 bytes",
          GetLastError());
    char in[] = "echo me", out[32] = {};
    Check(DeviceIoControl(h, IOCTL_W32IO_ECHO, in, sizeof(in), out, sizeof(out), &bytes, nullptr) &&
              bytes == sizeof(in) && !std::strcmp(out, in),
          "DeviceIoControl echo", GetLastError());
    // Errors the driver returns, mapped.
    CheckFails(DeviceIoControl(h, CTL_CODE(W32IO_DEVICE, 0x9FF, METHOD_BUFFERED, FILE_ANY_ACCESS),
                               nullptr, 0, nullptr, 0, &bytes, nullptr),
               ERROR_INVALID_FUNCTION, "unknown IOCTL -> ERROR_INVALID_FUNCTION");
    CheckFails(DeviceIoControl(h, IOCTL_W32IO_NEED16, nullptr, 0, out, 8, &bytes, nullptr),
               ERROR_INSUFFICIENT_BUFFER, "short buffer -> ERROR_INSUFFICIENT_BUFFER");
    Check(DeviceIoControl(h, IOCTL_W32IO_NEED16, nullptr, 0, out, 16, &bytes, nullptr) &&
              bytes == 16 && out[15] == '6',
          "16-byte buffer", GetLastError());
    std::memset(out, 0, sizeof(out));
    bytes = 0;
    BOOL r = DeviceIoControl(h, IOCTL_W32IO_OVERFLOW, nullptr, 0, out, 16, &bytes, nullptr);
    DWORD error = GetLastError();
    Check(!r && error == ERROR_MORE_DATA && bytes == 4 && out[3] == 'O' && out[4] == 0,
          "STATUS_BUFFER_OVERFLOW -> ERROR_MORE_DATA with the partial bytes", error);
    // NULL buffers with a length: the probe fails.
    CheckFails(DeviceIoControl(h, IOCTL_W32IO_ECHO, nullptr, 8, out, 8, &bytes, nullptr),
               ERROR_NOACCESS, "NULL input buffer with a length -> ERROR_NOACCESS");
    CheckFails(DeviceIoControl(h, IOCTL_W32IO_ECHO, in, 8, nullptr, 8, &bytes, nullptr),
               ERROR_NOACCESS, "NULL output buffer with a length -> ERROR_NOACCESS");
    CheckFails(ReadFile(h, nullptr, 10, &bytes, nullptr), ERROR_NOACCESS,
               "ReadFile into NULL -> ERROR_NOACCESS");
    Check(DeviceIoControl(h, IOCTL_W32IO_ECHO, nullptr, 0, nullptr, 0, &bytes, nullptr) &&
              bytes == 0,
          "NULL buffers of length 0", GetLastError());
    CheckFails(DeviceIoControl(h, IOCTL_W32IO_ECHO, in, 8, out, 8, nullptr, nullptr),
               ERROR_INVALID_PARAMETER, "no lpBytesReturned without OVERLAPPED");
    // Bad handles.
    HANDLE junk = reinterpret_cast<HANDLE>(ULONG_PTR(0x1234));
    CheckFails(ReadFile(junk, buffer, 10, &bytes, nullptr), ERROR_INVALID_HANDLE,
               "ReadFile on a bad handle -> ERROR_INVALID_HANDLE");
    CheckFails(WriteFile(junk, buffer, 10, &bytes, nullptr), ERROR_INVALID_HANDLE,
               "WriteFile on a bad handle -> ERROR_INVALID_HANDLE");
    CheckFails(DeviceIoControl(junk, IOCTL_W32IO_ECHO, in, 8, out, 8, &bytes, nullptr),
               ERROR_INVALID_HANDLE, "DeviceIoControl on a bad handle -> ERROR_INVALID_HANDLE");
    CheckFails(
        DeviceIoControl(INVALID_HANDLE_VALUE, IOCTL_W32IO_ECHO, in, 8, out, 8, &bytes, nullptr),
        ERROR_INVALID_HANDLE, "DeviceIoControl on INVALID_HANDLE_VALUE");
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    CheckFails(DeviceIoControl(event, IOCTL_W32IO_ECHO, in, 8, out, 8, &bytes, nullptr),
               ERROR_INVALID_HANDLE, "DeviceIoControl on an event handle -> ERROR_INVALID_HANDLE");
    CloseHandle(event);
    // A driver that pends on a synchronous handle: DeviceIoControl waits for the completion.
    std::memset(out, 0, sizeof(out));
    Check(DeviceIoControl(h, IOCTL_W32IO_PEND_TIMED, nullptr, 0, out, 10, &bytes, nullptr) &&
              bytes == 10 && out[0] == 'T' && out[9] == 'T' && out[10] == 0,
          "pending request on a synchronous handle is waited for", GetLastError());
    // The same from several threads at once, one after the other in the driver.
    Check(CloseHandle(h), "CloseHandle", GetLastError());
    CheckFails(CloseHandle(h), ERROR_INVALID_HANDLE, "CloseHandle twice -> ERROR_INVALID_HANDLE");
    return g_failures ? 1 : 0;
}

// ---- 3. overlapped I/O --------------------------------------------------------------------

int ModeOverlapped() {
    HANDLE h = Open(L"\\\\.\\W32Io", GENERIC_READ | GENERIC_WRITE, FILE_FLAG_OVERLAPPED);
    HANDLE control = Open(); // a synchronous handle to complete and count requests
    Check(h != INVALID_HANDLE_VALUE && control != INVALID_HANDLE_VALUE, "open both handles",
          GetLastError());
    if (h == INVALID_HANDLE_VALUE || control == INVALID_HANDLE_VALUE) return 1;
    const LONG cancelledBefore = Stats(control).Cancelled;
    DWORD bytes = 0;
    ULONG completed = 0;

    // Pend, look at it while pending, complete it from the other handle.
    OVERLAPPED ov{};
    ov.hEvent = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    char out[24] = {};
    CheckFails(DeviceIoControl(h, IOCTL_W32IO_PEND, nullptr, 0, out, 12, nullptr, &ov),
               ERROR_IO_PENDING, "overlapped IOCTL -> FALSE + ERROR_IO_PENDING");
    CheckFails(GetOverlappedResult(h, &ov, &bytes, FALSE), ERROR_IO_INCOMPLETE,
               "GetOverlappedResult(FALSE) while pending -> ERROR_IO_INCOMPLETE");
    Check(WaitForSingleObject(ov.hEvent, 0) == WAIT_TIMEOUT, "the event is not signalled yet");
    Check(Stats(control).Pending == 1, "the driver holds it");
    Check(DeviceIoControl(control, IOCTL_W32IO_COMPLETE_ALL, nullptr, 0, &completed,
                          sizeof(completed), &bytes, nullptr) &&
              completed == 1,
          "complete it from another handle", GetLastError());
    Check(WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0, "the event is signalled");
    bytes = 0;
    Check(GetOverlappedResult(h, &ov, &bytes, FALSE) && bytes == 12 && out[0] == 'P' &&
              out[11] == 'P' && out[12] == 0,
          "GetOverlappedResult after completion: bytes and data", GetLastError());

    // GetOverlappedResult(TRUE) waits while another thread completes the request.
    ResetEvent(ov.hEvent);
    std::memset(out, 0, sizeof(out));
    CheckFails(DeviceIoControl(h, IOCTL_W32IO_PEND, nullptr, 0, out, 5, nullptr, &ov),
               ERROR_IO_PENDING, "second overlapped IOCTL pends");
    std::thread completer([&] {
        Sleep(100);
        ULONG n = 0;
        DWORD b = 0;
        DeviceIoControl(control, IOCTL_W32IO_COMPLETE_ALL, nullptr, 0, &n, sizeof(n), &b, nullptr);
    });
    bytes = 0;
    Check(GetOverlappedResult(h, &ov, &bytes, TRUE) && bytes == 5 && out[4] == 'P',
          "GetOverlappedResult(TRUE) waits for the completion", GetLastError());
    completer.join();

    // A request with no event: GetOverlappedResult waits on the file handle.
    OVERLAPPED plain{};
    std::memset(out, 0, sizeof(out));
    CheckFails(DeviceIoControl(h, IOCTL_W32IO_PEND, nullptr, 0, out, 3, nullptr, &plain),
               ERROR_IO_PENDING, "overlapped IOCTL without an event pends");
    std::thread completer2([&] {
        Sleep(50);
        ULONG n = 0;
        DWORD b = 0;
        DeviceIoControl(control, IOCTL_W32IO_COMPLETE_ALL, nullptr, 0, &n, sizeof(n), &b, nullptr);
    });
    Check(GetOverlappedResult(h, &plain, &bytes, TRUE) && bytes == 3 && out[2] == 'P',
          "GetOverlappedResult(TRUE) on the file handle", GetLastError());
    completer2.join();

    // CancelIoEx(h, &ov) cancels that request only; CancelIo(h) the rest.
    OVERLAPPED ov1{}, ov2{};
    ov1.hEvent = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    ov2.hEvent = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    char out1[4], out2[4];
    CheckFails(DeviceIoControl(h, IOCTL_W32IO_PEND, nullptr, 0, out1, 4, nullptr, &ov1),
               ERROR_IO_PENDING, "first of two pends");
    CheckFails(DeviceIoControl(h, IOCTL_W32IO_PEND, nullptr, 0, out2, 4, nullptr, &ov2),
               ERROR_IO_PENDING, "second of two pends");
    Check(CancelIoEx(h, &ov1), "CancelIoEx(h, &ov1)", GetLastError());
    Check(WaitForSingleObject(ov1.hEvent, 5000) == WAIT_OBJECT_0, "ov1's event is signalled");
    CheckFails(GetOverlappedResult(h, &ov1, &bytes, TRUE), ERROR_OPERATION_ABORTED,
               "cancelled request -> ERROR_OPERATION_ABORTED");
    CheckFails(GetOverlappedResult(h, &ov2, &bytes, FALSE), ERROR_IO_INCOMPLETE,
               "the other request is still pending");
    CheckFails(CancelIoEx(h, &ov1), ERROR_NOT_FOUND,
               "CancelIoEx of a finished request -> ERROR_NOT_FOUND");
    CheckFails(CancelIoEx(reinterpret_cast<HANDLE>(ULONG_PTR(0x7770)), &ov1), ERROR_INVALID_HANDLE,
               "CancelIoEx on a bad handle -> ERROR_INVALID_HANDLE");
    CheckFails(CancelIo(reinterpret_cast<HANDLE>(ULONG_PTR(0x7770))), ERROR_INVALID_HANDLE,
               "CancelIo on a bad handle -> ERROR_INVALID_HANDLE");
    Check(CancelIo(h), "CancelIo(h)", GetLastError());
    CheckFails(GetOverlappedResult(h, &ov2, &bytes, TRUE), ERROR_OPERATION_ABORTED,
               "CancelIo cancelled the other one");
    Check(Stats(control).Cancelled == cancelledBefore + 2 && Stats(control).Pending == 0,
          "the driver's cancel routine ran twice");
    // CancelIoEx(h, NULL): every request on the handle.
    ResetEvent(ov1.hEvent);
    CheckFails(DeviceIoControl(h, IOCTL_W32IO_PEND, nullptr, 0, out1, 4, nullptr, &ov1),
               ERROR_IO_PENDING, "pend again");
    Check(CancelIoEx(h, nullptr), "CancelIoEx(h, NULL)", GetLastError());
    CheckFails(GetOverlappedResult(h, &ov1, &bytes, TRUE), ERROR_OPERATION_ABORTED,
               "CancelIoEx(h, NULL) cancelled it");
    CheckFails(CancelIoEx(h, nullptr), ERROR_NOT_FOUND, "nothing left to cancel");

    // An overlapped request the driver completes at once returns TRUE.
    OVERLAPPED now{};
    now.hEvent = ov.hEvent;
    ResetEvent(now.hEvent);
    char data[10];
    bytes = 0;
    Check(ReadFile(h, data, sizeof(data), &bytes, &now) && bytes == 10 && data[9] == 'j' &&
              WaitForSingleObject(now.hEvent, 0) == WAIT_OBJECT_0,
          "overlapped ReadFile completed at once: TRUE, bytes, event set", GetLastError());
    CheckFails(GetOverlappedResult(h, nullptr, &bytes, FALSE), ERROR_INVALID_PARAMETER,
               "GetOverlappedResult(NULL)");

    CloseHandle(ov.hEvent);
    CloseHandle(ov1.hEvent);
    CloseHandle(ov2.hEvent);
    CloseHandle(h);
    CloseHandle(control);
    return g_failures ? 1 : 0;
}

// ---- 4. DuplicateHandle -------------------------------------------------------------------

int ModeDup() {
    HANDLE control = Open();
    HANDLE h = Open();
    Check(h != INVALID_HANDLE_VALUE && control != INVALID_HANDLE_VALUE, "open", GetLastError());
    W32IO_STATS base = Stats(control);
    HANDLE dup = nullptr;
    Check(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &dup, 0, FALSE,
                          DUPLICATE_SAME_ACCESS) &&
              dup && dup != h,
          "DuplicateHandle in the same process", GetLastError());
    Check(Stats(control).Creates == base.Creates, "no IRP_MJ_CREATE for a duplicate");
    Check(Echo(dup), "the duplicate works");
    Check(CloseHandle(h), "close the original");
    W32IO_STATS s = Stats(control);
    Check(s.Cleanups == base.Cleanups && s.Closes == base.Closes,
          "no CLEANUP while the duplicate is open");
    Check(Echo(dup), "the duplicate still works");
    Check(CloseHandle(dup), "close the duplicate");
    s = Stats(control);
    Check(s.Cleanups == base.Cleanups + 1 && s.Closes == base.Closes + 1 && s.Errors == 0,
          "CLEANUP and CLOSE once with the last handle");

    // Reduced access, DUPLICATE_CLOSE_SOURCE.
    h = Open();
    HANDLE ro = nullptr;
    Check(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &ro, GENERIC_READ, FALSE, 0),
          "duplicate with GENERIC_READ", GetLastError());
    char buffer[4];
    DWORD bytes = 0;
    CheckFails(WriteFile(ro, buffer, 4, &bytes, nullptr), ERROR_ACCESS_DENIED,
               "write through the read-only duplicate");
    Check(ReadFile(ro, buffer, 4, &bytes, nullptr) && bytes == 4, "read through it");
    HANDLE moved = nullptr;
    Check(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &moved, 0, FALSE,
                          DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE),
          "DUPLICATE_CLOSE_SOURCE", GetLastError());
    CheckFails(CloseHandle(h), ERROR_INVALID_HANDLE, "the source handle is gone");
    Check(WriteFile(moved, buffer, 4, &bytes, nullptr) && bytes == 4, "the moved handle writes");
    CloseHandle(ro);
    CloseHandle(moved);
    HANDLE none = nullptr;
    CheckFails(DuplicateHandle(GetCurrentProcess(), reinterpret_cast<HANDLE>(ULONG_PTR(0x7770)),
                               GetCurrentProcess(), &none, 0, FALSE, DUPLICATE_SAME_ACCESS),
               ERROR_INVALID_HANDLE, "duplicate a bad handle -> ERROR_INVALID_HANDLE");
    s = Stats(control);
    Check(s.Creates - base.Creates == 1 && s.Cleanups == base.Cleanups + 2 &&
              s.Closes == base.Closes + 2 && s.Errors == 0,
          "one create, one cleanup and close per file object");
    CloseHandle(control);
    return g_failures ? 1 : 0;
}

// Cross-process duplication. The parent starts a second copy of this client ("dupchild"),
// gives it a handle to its file object and takes one of the child's away from it.
bool ReadLine(int fd, std::string* line) {
    line->clear();
    char c;
    while (read(fd, &c, 1) == 1) {
        if (c == '\n') return true;
        *line += c;
    }
    return false;
}

void WriteLine(int fd, const std::string& line) {
    std::string s = line + "\n";
    (void)!write(fd, s.data(), s.size());
}

int ModeDupChild() {
    HANDLE own = Open();
    if (own == INVALID_HANDLE_VALUE) return 3;
    std::printf("child %lu %llu\n", static_cast<unsigned long>(GetCurrentProcessId()),
                static_cast<unsigned long long>(reinterpret_cast<ULONG_PTR>(own)));
    std::fflush(stdout);
    std::string line;
    if (!ReadLine(0, &line) || line.rfind("dup ", 0) != 0) return 4;
    auto given = reinterpret_cast<HANDLE>(ULONG_PTR(std::strtoull(line.c_str() + 4, nullptr, 10)));
    Check(Echo(given), "child: the handle the parent duplicated into us works");
    Check(CloseHandle(given), "child: close it");
    std::printf("used\n");
    std::fflush(stdout);
    if (!ReadLine(0, &line) || line != "stolen") return 5;
    char buffer[4];
    DWORD bytes;
    CheckFails(ReadFile(own, buffer, 4, &bytes, nullptr), ERROR_INVALID_HANDLE,
               "child: the handle the parent closed with DUPLICATE_CLOSE_SOURCE is gone");
    return g_failures ? 1 : 0;
}

int ModeCrossDup() {
    int toChild[2], fromChild[2];
    if (pipe(toChild) || pipe(fromChild)) return 3;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(toChild[0], 0);
        dup2(fromChild[1], 1);
        close(toChild[1]);
        close(fromChild[0]);
        char self[4096];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        if (n <= 0) _exit(90);
        self[n] = 0;
        execl(self, self, "dupchild", static_cast<char*>(nullptr));
        _exit(91);
    }
    close(toChild[0]);
    close(fromChild[1]);
    std::string line;
    unsigned long childPid = 0;
    unsigned long long childHandle = 0;
    if (!ReadLine(fromChild[0], &line) ||
        std::sscanf(line.c_str(), "child %lu %llu", &childPid, &childHandle) != 2) {
        Check(false, ("child hello: " + line).c_str());
        return 1;
    }
    HANDLE control = Open();
    W32IO_STATS base = Stats(control);
    HANDLE process = OpenProcess(PROCESS_DUP_HANDLE, FALSE, childPid);
    Check(process != nullptr, "OpenProcess(PROCESS_DUP_HANDLE, child)", GetLastError());
    HANDLE noSuch = OpenProcess(PROCESS_DUP_HANDLE, FALSE, 0x7FFFFFF0);
    Check(noSuch == nullptr && GetLastError() == ERROR_INVALID_PARAMETER,
          "OpenProcess of a missing process -> ERROR_INVALID_PARAMETER", GetLastError());
    HANDLE limited = OpenProcess(SYNCHRONIZE, FALSE, childPid);
    Check(limited != nullptr, "OpenProcess(SYNCHRONIZE, child)", GetLastError());

    HANDLE h = Open();
    HANDLE inChild = nullptr;
    CheckFails(
        DuplicateHandle(GetCurrentProcess(), h, limited, &inChild, 0, FALSE, DUPLICATE_SAME_ACCESS),
        ERROR_ACCESS_DENIED, "duplicate into a process handle without PROCESS_DUP_HANDLE");
    Check(DuplicateHandle(GetCurrentProcess(), h, process, &inChild, 0, FALSE,
                          DUPLICATE_SAME_ACCESS) &&
              inChild,
          "DuplicateHandle into the child", GetLastError());
    WriteLine(toChild[1], "dup " + std::to_string(static_cast<unsigned long long>(
                                       reinterpret_cast<ULONG_PTR>(inChild))));
    // The child's check lines come first.
    bool used = false;
    while (!used && ReadLine(fromChild[0], &line)) {
        used = line == "used";
        if (!used) std::printf("%s\n", line.c_str());
    }
    Check(used, "the child used the duplicated handle");
    W32IO_STATS s = Stats(control);
    Check(s.Creates == base.Creates + 1 && s.Cleanups == base.Cleanups,
          "the child's close sent no CLEANUP: our handle is still open");
    // Take the child's own handle away from it.
    HANDLE stolen = nullptr;
    Check(DuplicateHandle(process, reinterpret_cast<HANDLE>(ULONG_PTR(childHandle)),
                          GetCurrentProcess(), &stolen, 0, FALSE,
                          DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE) &&
              Echo(stolen),
          "DuplicateHandle out of the child with DUPLICATE_CLOSE_SOURCE", GetLastError());
    WriteLine(toChild[1], "stolen");
    int status = 0;
    waitpid(pid, &status, 0);
    // The child's output, for the log.
    char buffer[512];
    ssize_t n;
    while ((n = read(fromChild[0], buffer, sizeof(buffer) - 1)) > 0) {
        buffer[n] = 0;
        std::fputs(buffer, stdout);
    }
    Check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child's checks passed");
    s = Stats(control);
    Check(s.Cleanups == base.Cleanups && s.Errors == 0,
          "the child's exit sent no CLEANUP for the file object we hold");
    CloseHandle(stolen);
    CloseHandle(h);
    s = Stats(control);
    Check(s.Cleanups == base.Cleanups + 2 && s.Closes == base.Closes + 2 && s.Errors == 0,
          "both file objects cleaned up and closed once");
    CloseHandle(process);
    CloseHandle(limited);
    CloseHandle(control);
    return g_failures ? 1 : 0;
}

// ---- 5. completion routines (user APCs) ---------------------------------------------------

struct RoutineCall {
    int count = 0;
    DWORD error = 0xFFFFFFFF;
    DWORD bytes = 0;
    LPOVERLAPPED overlapped = nullptr;
    DWORD thread = 0;
} g_routine;

VOID CALLBACK OnComplete(DWORD error, DWORD bytes, LPOVERLAPPED overlapped) {
    g_routine.count++;
    g_routine.error = error;
    g_routine.bytes = bytes;
    g_routine.overlapped = overlapped;
    g_routine.thread = GetCurrentThreadId();
}

struct ApcCall {
    int count = 0;
    PVOID context = nullptr;
    PIO_STATUS_BLOCK iosb = nullptr;
    NTSTATUS status = 0;
} g_apc;

VOID NTAPI OnIoApc(PVOID context, PIO_STATUS_BLOCK iosb, ULONG) {
    g_apc.count++;
    g_apc.context = context;
    g_apc.iosb = iosb;
    g_apc.status = iosb->Status;
}

int ModeApc() {
    HANDLE h = Open(L"\\\\.\\W32Io", GENERIC_READ | GENERIC_WRITE, FILE_FLAG_OVERLAPPED);
    HANDLE control = Open();
    Check(h != INVALID_HANDLE_VALUE && control != INVALID_HANDLE_VALUE, "open", GetLastError());
    if (h == INVALID_HANDLE_VALUE || control == INVALID_HANDLE_VALUE) return 1;
    // ReadFileEx: the driver completes at once; the routine waits for an alertable wait.
    OVERLAPPED ov{};
    char data[16] = {};
    Check(ReadFileEx(h, data, 10, &ov, OnComplete), "ReadFileEx", GetLastError());
    Sleep(50);
    Check(g_routine.count == 0, "the routine does not run in a non-alertable Sleep");
    DWORD r = SleepEx(2000, TRUE);
    Check(r == WAIT_IO_COMPLETION && g_routine.count == 1 && g_routine.error == 0 &&
              g_routine.bytes == 10 && g_routine.overlapped == &ov &&
              g_routine.thread == GetCurrentThreadId() && data[0] == 'a' && data[9] == 'j',
          "SleepEx(alertable) runs the completion routine: WAIT_IO_COMPLETION", r);
    Check(SleepEx(0, TRUE) == 0, "nothing more queued");
    OVERLAPPED wov{};
    Check(WriteFileEx(h, data, 7, &wov, OnComplete) && SleepEx(2000, TRUE) == WAIT_IO_COMPLETION &&
              g_routine.count == 2 && g_routine.bytes == 7 && g_routine.overlapped == &wov,
          "WriteFileEx + SleepEx", GetLastError());
    CheckFails(ReadFileEx(reinterpret_cast<HANDLE>(ULONG_PTR(0x1234)), data, 4, &ov, OnComplete),
               ERROR_INVALID_HANDLE, "ReadFileEx on a bad handle");
    CheckFails(ReadFileEx(h, data, 4, &ov, nullptr), ERROR_INVALID_PARAMETER,
               "ReadFileEx without a routine");
    Check(SleepEx(0, TRUE) == 0 && g_routine.count == 2, "a failed call queues no routine");

    // NtDeviceIoControlFile with an APC routine, pending until another handle completes it.
    IO_STATUS_BLOCK iosb{};
    char out[4];
    NTSTATUS s = NtDeviceIoControlFile(h, nullptr, OnIoApc, &iosb, &iosb, IOCTL_W32IO_PEND, nullptr,
                                       0, out, sizeof(out));
    Check(s == STATUS_PENDING, "NtDeviceIoControlFile with an APC routine pends", s);
    Check(SleepEx(0, TRUE) == 0 && g_apc.count == 0, "no APC while it is pending");
    std::thread completer([&] {
        Sleep(50);
        ULONG n = 0;
        DWORD b = 0;
        DeviceIoControl(control, IOCTL_W32IO_COMPLETE_ALL, nullptr, 0, &n, sizeof(n), &b, nullptr);
    });
    r = SleepEx(5000, TRUE);
    completer.join();
    Check(r == WAIT_IO_COMPLETION && g_apc.count == 1 && g_apc.context == &iosb &&
              g_apc.iosb == &iosb && g_apc.status == STATUS_SUCCESS && iosb.Information == 4 &&
              out[3] == 'P',
          "the APC routine ran with its context and IOSB", r);
    // Cancelled: the routine still runs, with STATUS_CANCELLED.
    s = NtDeviceIoControlFile(h, nullptr, OnIoApc, &iosb, &iosb, IOCTL_W32IO_PEND, nullptr, 0, out,
                              sizeof(out));
    Check(s == STATUS_PENDING && CancelIo(h), "pend and CancelIo", s);
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    r = WaitForSingleObjectEx(event, 5000, TRUE);
    Check(r == WAIT_IO_COMPLETION && g_apc.count == 2 && g_apc.status == STATUS_CANCELLED,
          "WaitForSingleObjectEx(alertable) runs the cancelled request's APC", r);
    CloseHandle(event);
    CloseHandle(h);
    CloseHandle(control);
    return g_failures ? 1 : 0;
}

// ---- 6. killed with a request pending and a duplicated handle -----------------------------

int ModeHang() {
    HANDLE h = Open(L"\\\\.\\W32Io", GENERIC_READ | GENERIC_WRITE, FILE_FLAG_OVERLAPPED);
    HANDLE dup = nullptr;
    DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &dup, 0, FALSE,
                    DUPLICATE_SAME_ACCESS);
    HANDLE other = Open();
    OVERLAPPED ov{};
    ov.hEvent = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    char out[8];
    BOOL r = DeviceIoControl(dup, IOCTL_W32IO_PEND, nullptr, 0, out, 8, nullptr, &ov);
    if (r || GetLastError() != ERROR_IO_PENDING || other == INVALID_HANDLE_VALUE) return 1;
    std::printf("pending\n");
    std::fflush(stdout);
    for (;;)
        pause();
}

// "thread start": the driver starts a system thread, prints "tid N"; "thread stop" ends it.
int ModeThread(const char* how) {
    HANDLE h = Open();
    if (h == INVALID_HANDLE_VALUE) return 1;
    DWORD bytes = 0;
    ULONG tid = 0;
    BOOL ok = !std::strcmp(how, "start") ? DeviceIoControl(h, IOCTL_W32IO_START_THREAD, nullptr, 0,
                                                           &tid, sizeof(tid), &bytes, nullptr)
                                         : DeviceIoControl(h, IOCTL_W32IO_STOP_THREAD, nullptr, 0,
                                                           nullptr, 0, &bytes, nullptr);
    Check(ok, how, GetLastError());
    if (tid) std::printf("tid %lu\n", static_cast<unsigned long>(tid));
    CloseHandle(h);
    return g_failures ? 1 : 0;
}

// Prints the driver's counters: "stats creates cleanups closes errors pending cancelled".
int ModeStats() {
    HANDLE h = Open();
    if (h == INVALID_HANDLE_VALUE) return 1;
    W32IO_STATS s = Stats(h);
    CloseHandle(h);
    std::printf("stats %ld %ld %ld %ld %ld %ld\n", long(s.Creates), long(s.Cleanups),
                long(s.Closes), long(s.Errors), long(s.Pending), long(s.Cancelled));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const char* mode = argv[1];
    if (!std::strcmp(mode, "open")) return ModeOpen();
    if (!std::strcmp(mode, "sync")) return ModeSync();
    if (!std::strcmp(mode, "overlapped")) return ModeOverlapped();
    if (!std::strcmp(mode, "dup")) return ModeDup();
    if (!std::strcmp(mode, "crossdup")) return ModeCrossDup();
    if (!std::strcmp(mode, "dupchild")) return ModeDupChild();
    if (!std::strcmp(mode, "hang")) return ModeHang();
    if (!std::strcmp(mode, "apc")) return ModeApc();
    if (!std::strcmp(mode, "thread")) return ModeThread(argc > 2 ? argv[2] : "start");
    if (!std::strcmp(mode, "stats")) return ModeStats();
    return 2;
}
