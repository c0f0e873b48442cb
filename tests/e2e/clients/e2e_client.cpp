// The e2e test client: one mode per run (argv[1]); prints what it observed and exits 0 when
// everything matched what Windows does.
#include <windows.h>
#include <winioctl.h>
#include <winternl.h>
#include <ntstatus.h>
#include <atomic>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <unistd.h>
#include <vector>

#include "../../drivers/e2e_echo_ioctl.h"
#include "../../../usermode/ntdll/ntdll_internal.h"

namespace {

int g_failures = 0;

void Check(bool ok, const char* what, NTSTATUS status) {
    std::printf("%s %s (0x%08X)\n", ok ? "ok" : "FAIL", what, unsigned(status));
    if (!ok) ++g_failures;
}

NTSTATUS Open(HANDLE* h, ULONG options = FILE_SYNCHRONOUS_IO_NONALERT) {
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, L"\\??\\E2eEcho");
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, nullptr, nullptr);
    IO_STATUS_BLOCK iosb{};
    return NtOpenFile(h, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &oa, &iosb, 0, options);
}

NTSTATUS Ioctl(HANDLE h, ULONG code, const void* in, ULONG inLen, void* out, ULONG outLen,
               IO_STATUS_BLOCK* iosb, HANDLE event = nullptr) {
    return NtDeviceIoControlFile(h, event, nullptr, nullptr, iosb, code, const_cast<void*>(in),
                                 inLen, out, outLen);
}

int ModeIoctl() {
    HANDLE h = nullptr;
    NTSTATUS s = Open(&h);
    Check(NT_SUCCESS(s), "open \\??\\E2eEcho", s);
    if (!NT_SUCCESS(s)) return 1;
    const char message[] = "hello through the channel";
    struct {
        ULONG code;
        const char* name;
    } methods[] = {{IOCTL_ECHO_BUFFERED, "buffered"},
                   {IOCTL_ECHO_IN_DIRECT, "in-direct"},
                   {IOCTL_ECHO_OUT_DIRECT, "out-direct"},
                   {IOCTL_ECHO_NEITHER, "neither"}};
    for (auto& m : methods) {
        char out[64];
        std::memset(out, 0, sizeof(out));
        IO_STATUS_BLOCK iosb{};
        s = Ioctl(h, m.code, message, sizeof(message), out, sizeof(out), &iosb);
        bool ok = s == STATUS_SUCCESS && iosb.Status == STATUS_SUCCESS &&
                  iosb.Information == sizeof(message) && !std::strcmp(out, message);
        char what[64];
        std::snprintf(what, sizeof(what), "echo %s", m.name);
        Check(ok, what, s);
    }
    // A large transfer (bigger than a slot's data area) through direct I/O.
    std::vector<char> big(1 << 20), back(1 << 20);
    for (size_t i = 0; i < big.size(); ++i)
        big[i] = char(i * 7);
    IO_STATUS_BLOCK iosb{};
    s = Ioctl(h, IOCTL_ECHO_OUT_DIRECT, big.data(), ULONG(big.size()), back.data(),
              ULONG(back.size()), &iosb);
    Check(s == STATUS_SUCCESS && iosb.Information == big.size() && big == back, "echo 1 MiB", s);
    // Unknown IOCTL: the driver's STATUS_INVALID_DEVICE_REQUEST, ERROR_INVALID_FUNCTION.
    s = Ioctl(h, CTL_CODE(0x8000, 0x9FF, METHOD_BUFFERED, FILE_ANY_ACCESS), nullptr, 0, nullptr, 0,
              &iosb);
    Check(s == STATUS_INVALID_DEVICE_REQUEST && RtlNtStatusToDosError(s) == 1, "unknown ioctl", s);
    // Read and write.
    char buffer[100];
    s = NtReadFile(h, nullptr, nullptr, nullptr, &iosb, buffer, sizeof(buffer), nullptr, nullptr);
    Check(s == STATUS_SUCCESS && iosb.Information == 100 && buffer[0] == 'A' && buffer[27] == 'B',
          "read pattern", s);
    s = NtWriteFile(h, nullptr, nullptr, nullptr, &iosb, buffer, 50, nullptr, nullptr);
    Check(s == STATUS_SUCCESS && iosb.Information == 50, "write", s);
    s = NtClose(h);
    Check(s == STATUS_SUCCESS, "close", s);
    s = NtClose(h);
    Check(s == STATUS_INVALID_HANDLE, "close twice", s);
    return g_failures ? 1 : 0;
}

int ModeBadHandle() {
    IO_STATUS_BLOCK iosb{};
    char out[8];
    NTSTATUS s =
        Ioctl(reinterpret_cast<HANDLE>(0x1234), IOCTL_ECHO_BUFFERED, "x", 1, out, 8, &iosb);
    Check(s == STATUS_INVALID_HANDLE && RtlNtStatusToDosError(s) == ERROR_INVALID_HANDLE,
          "ioctl on a bad handle", s);
    s = NtClose(reinterpret_cast<HANDLE>(0x1234));
    Check(s == STATUS_INVALID_HANDLE, "close a bad handle", s);
    // An event handle is not a file.
    HANDLE event = nullptr;
    s = NtCreateEvent(&event, EVENT_ALL_ACCESS, nullptr, NotificationEvent, FALSE);
    Check(NT_SUCCESS(s), "create event", s);
    s = Ioctl(event, IOCTL_ECHO_BUFFERED, "x", 1, out, 8, &iosb);
    Check(s == STATUS_OBJECT_TYPE_MISMATCH, "ioctl on an event handle", s);
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, L"\\??\\NoSuchDevice");
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, nullptr, nullptr);
    HANDLE h = nullptr;
    s = NtOpenFile(&h, GENERIC_READ, &oa, &iosb, 0, 0);
    Check(s == STATUS_OBJECT_NAME_NOT_FOUND, "open a missing device", s);
    NtClose(event);
    return g_failures ? 1 : 0;
}

// Pends an IOCTL on an overlapped handle, then completes it (argv: "complete") or cancels it
// ("cancel"), or just waits to be killed ("hang").
int ModePend(const char* how) {
    HANDLE h = nullptr;
    NTSTATUS s = Open(&h, 0);
    Check(NT_SUCCESS(s), "open for overlapped I/O", s);
    HANDLE event = nullptr;
    s = NtCreateEvent(&event, EVENT_ALL_ACCESS, nullptr, NotificationEvent, FALSE);
    Check(NT_SUCCESS(s), "create event", s);
    IO_STATUS_BLOCK iosb{};
    iosb.Status = 0x12345678;
    s = Ioctl(h, IOCTL_ECHO_PEND, nullptr, 0, nullptr, 0, &iosb, event);
    Check(s == STATUS_PENDING, "ioctl pends", s);
    std::fflush(stdout);
    if (!std::strcmp(how, "hang")) {
        std::printf("pending\n");
        std::fflush(stdout);
        for (;;)
            pause();
    }
    NTSTATUS expected = STATUS_SUCCESS;
    if (!std::strcmp(how, "cancel")) {
        IO_STATUS_BLOCK cancelIosb{};
        s = NtCancelIoFile(h, &cancelIosb);
        Check(s == STATUS_SUCCESS, "cancel", s);
        expected = STATUS_CANCELLED;
    } else {
        // A second handle on another thread completes it.
        std::thread([&] {
            HANDLE h2 = nullptr;
            IO_STATUS_BLOCK i2{};
            NTSTATUS s2 = Open(&h2);
            if (NT_SUCCESS(s2))
                s2 = Ioctl(h2, IOCTL_ECHO_COMPLETE_PENDING, nullptr, 0, nullptr, 0, &i2);
            Check(s2 == STATUS_SUCCESS, "complete from another thread", s2);
            NtClose(h2);
        }).join();
    }
    s = NtWaitForSingleObject(event, FALSE, nullptr);
    Check(s == STATUS_SUCCESS, "wait for the event", s);
    Check(iosb.Status == expected, "IOSB status copied back", iosb.Status);
    NtClose(event);
    NtClose(h);
    return g_failures ? 1 : 0;
}

int ModeThreads() {
    std::vector<std::thread> threads;
    std::atomic<int> bad{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            HANDLE h = nullptr;
            if (!NT_SUCCESS(Open(&h))) {
                ++bad;
                return;
            }
            for (int i = 0; i < 200; ++i) {
                char out[16] = {};
                IO_STATUS_BLOCK iosb{};
                if (Ioctl(h, IOCTL_ECHO_BUFFERED, "0123456789", 11, out, 16, &iosb) !=
                        STATUS_SUCCESS ||
                    std::strcmp(out, "0123456789"))
                    ++bad;
            }
            NtClose(h);
        });
    for (auto& t : threads)
        t.join();
    Check(bad == 0, "4 threads x 200 ioctls", 0);
    Check(NtsimThreadId() != 0 && NtsimProcessId() % 4 == 0 && NtsimProcessId() > 4, "NT ids", 0);
    return g_failures ? 1 : 0;
}

int ModeNoKernel() {
    IO_STATUS_BLOCK iosb{};
    NTSTATUS s = NtClose(reinterpret_cast<HANDLE>(4));
    Check(s == STATUS_PORT_DISCONNECTED, "call without a kernel", s);
    (void)iosb;
    return g_failures ? 1 : 0;
}

int ModeEvents() {
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\E2eEvent");
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, 0, nullptr, nullptr);
    HANDLE e1 = nullptr, e2 = nullptr;
    NTSTATUS s = NtCreateEvent(&e1, EVENT_ALL_ACCESS, &oa, SynchronizationEvent, FALSE);
    Check(NT_SUCCESS(s), "create named event", s);
    s = NtOpenEvent(&e2, EVENT_ALL_ACCESS, &oa);
    Check(NT_SUCCESS(s), "open it by name", s);
    LARGE_INTEGER zero;
    zero.QuadPart = 0;
    s = NtWaitForSingleObject(e1, FALSE, &zero);
    Check(s == STATUS_TIMEOUT, "not signaled", s);
    LONG previous = -1;
    s = NtSetEvent(e2, &previous);
    Check(s == STATUS_SUCCESS && previous == 0, "set through the second handle", s);
    HANDLE both[2] = {e1, e2};
    s = NtWaitForMultipleObjects(2, both, WaitAny, FALSE, nullptr);
    Check(s == STATUS_WAIT_0, "wait any", s);
    s = NtWaitForSingleObject(e1, FALSE, &zero);
    Check(s == STATUS_TIMEOUT, "auto-reset", s);
    HANDLE dup = nullptr;
    s = NtDuplicateObject(reinterpret_cast<HANDLE>(LONG_PTR(-1)), e1,
                          reinterpret_cast<HANDLE>(LONG_PTR(-1)), &dup, 0, 0,
                          DUPLICATE_SAME_ACCESS);
    Check(NT_SUCCESS(s) && dup && dup != e1, "duplicate", s);
    NtClose(dup);
    NtClose(e1);
    NtClose(e2);
    return g_failures ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const char* mode = argv[1];
    if (!std::strcmp(mode, "ioctl")) return ModeIoctl();
    if (!std::strcmp(mode, "badhandle")) return ModeBadHandle();
    if (!std::strcmp(mode, "pend")) return ModePend(argc > 2 ? argv[2] : "complete");
    if (!std::strcmp(mode, "threads")) return ModeThreads();
    if (!std::strcmp(mode, "nokernel")) return ModeNoKernel();
    if (!std::strcmp(mode, "events")) return ModeEvents();
    if (!std::strcmp(mode, "pid")) {
        std::printf("pid %lu\n", static_cast<unsigned long>(NtsimProcessId()));
        return NtsimProcessId() ? 0 : 1;
    }
    return 2;
}
