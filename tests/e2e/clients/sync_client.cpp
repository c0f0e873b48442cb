// The sync e2e client: synchronization objects shared by name between processes, mutex
// abandonment, user APCs and thread waits, through the Win32 calls a Windows program makes.
// One mode per run (argv[1]); prints what it observed ("ok ..." / "FAIL ...") and exits 0 when
// everything matched what Windows does.
#include <windows.h>
#include <winternl.h>
#include <ntstatus.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

int g_failures = 0;

void Check(bool ok, const char* what, unsigned long long value) {
    std::printf("%s %s (%llu)\n", ok ? "ok" : "FAIL", what, value);
    std::fflush(stdout);
    if (!ok) ++g_failures;
}

void Say(const char* line) {
    std::printf("%s\n", line);
    std::fflush(stdout);
}

// ---- semaphores ------------------------------------------------------------------------------

int SemaphoreOwner() {
    HANDLE sem = CreateSemaphoreW(nullptr, 0, 2, L"SyncE2eSem");
    Check(sem != nullptr && GetLastError() == ERROR_SUCCESS, "CreateSemaphore new", GetLastError());
    Say("ready");
    DWORD r = WaitForSingleObject(sem, 20000);
    Check(r == WAIT_OBJECT_0, "acquired the semaphore released by another process", r);
    // Count is 0 now (the other process released 1): 3 is past the maximum of 2.
    LONG previous = -1;
    BOOL ok = ReleaseSemaphore(sem, 3, &previous);
    Check(!ok && GetLastError() == ERROR_TOO_MANY_POSTS, "ReleaseSemaphore past the maximum",
          GetLastError());
    Check(ReleaseSemaphore(sem, 2, &previous) && previous == 0, "ReleaseSemaphore to the maximum",
          ULONG(previous));
    Check(!ReleaseSemaphore(sem, 0, nullptr) && GetLastError() == ERROR_INVALID_PARAMETER,
          "ReleaseSemaphore(0)", GetLastError());
    CloseHandle(sem);
    return g_failures;
}

int SemaphoreRelease() {
    // Created again by name: the existing object, ERROR_ALREADY_EXISTS.
    HANDLE again = CreateSemaphoreA(nullptr, 1, 1, "SyncE2eSem");
    Check(again != nullptr && GetLastError() == ERROR_ALREADY_EXISTS, "CreateSemaphore existing",
          GetLastError());
    HANDLE sem = OpenSemaphoreW(SEMAPHORE_MODIFY_STATE | SYNCHRONIZE, FALSE, L"Global\\SyncE2eSem");
    Check(sem != nullptr, "OpenSemaphore Global\\", GetLastError());
    LONG previous = -1;
    Check(ReleaseSemaphore(sem, 1, &previous) && previous == 0, "ReleaseSemaphore",
          ULONG(previous));
    // The same name as another type: ERROR_INVALID_HANDLE.
    HANDLE wrong = OpenEventW(EVENT_ALL_ACCESS, FALSE, L"SyncE2eSem");
    Check(!wrong && GetLastError() == ERROR_INVALID_HANDLE, "OpenEvent on a semaphore name",
          GetLastError());
    HANDLE wrongCreate = CreateMutexW(nullptr, FALSE, L"SyncE2eSem");
    Check(!wrongCreate && GetLastError() == ERROR_INVALID_HANDLE, "CreateMutex on a semaphore name",
          GetLastError());
    HANDLE missing = OpenSemaphoreW(SYNCHRONIZE, FALSE, L"SyncE2eNoSuchSemaphore");
    Check(!missing && GetLastError() == ERROR_FILE_NOT_FOUND, "OpenSemaphore missing",
          GetLastError());
    CloseHandle(sem);
    CloseHandle(again);
    return g_failures;
}

// ---- events ---------------------------------------------------------------------------------

int EventWait() {
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, L"SyncE2eEvent");
    Check(event != nullptr, "CreateEvent named", GetLastError());
    Say("ready");
    DWORD r = WaitForSingleObject(event, 20000);
    Check(r == WAIT_OBJECT_0, "event set by another process", r);
    CloseHandle(event);
    return g_failures;
}

int EventSet() {
    HANDLE event = OpenEventW(EVENT_MODIFY_STATE, FALSE, L"Local\\SyncE2eEvent");
    Check(event != nullptr, "OpenEvent Local\\", GetLastError());
    Check(SetEvent(event) != FALSE, "SetEvent", GetLastError());
    // Opened for EVENT_MODIFY_STATE only: waiting on it needs SYNCHRONIZE.
    DWORD r = WaitForSingleObject(event, 0);
    Check(r == WAIT_FAILED && GetLastError() == ERROR_ACCESS_DENIED, "wait without SYNCHRONIZE",
          GetLastError());
    CloseHandle(event);
    return g_failures;
}

// The driver's IoCreateNotificationEvent(L"\\BaseNamedObjects\\SyncE2eDriverEvent"), and the
// kernel's \KernelObjects events through the native API.
int DriverEvent() {
    HANDLE event = OpenEventW(SYNCHRONIZE | EVENT_MODIFY_STATE, FALSE, L"SyncE2eDriverEvent");
    Check(event != nullptr, "OpenEvent on the driver's event", GetLastError());
    Check(WaitForSingleObject(event, 0) == WAIT_OBJECT_0, "driver set it", 0);
    Check(ResetEvent(event) != FALSE, "ResetEvent", GetLastError());
    Check(WaitForSingleObject(event, 0) == WAIT_TIMEOUT, "reset from user mode", 0);
    CloseHandle(event);
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, L"\\KernelObjects\\LowMemoryCondition");
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, nullptr, nullptr);
    HANDLE low = nullptr;
    NTSTATUS status = NtOpenEvent(&low, SYNCHRONIZE, &oa);
    Check(status == STATUS_SUCCESS, "NtOpenEvent LowMemoryCondition", ULONG(status));
    DWORD r = WaitForSingleObject(low, 0);
    Check(r == WAIT_TIMEOUT || r == WAIT_OBJECT_0, "wait on LowMemoryCondition", r);
    CloseHandle(low);
    RtlInitUnicodeString(&name, L"\\KernelObjects\\HighMemoryCondition");
    HANDLE high = nullptr;
    status = NtOpenEvent(&high, SYNCHRONIZE, &oa);
    Check(status == STATUS_SUCCESS, "NtOpenEvent HighMemoryCondition", ULONG(status));
    Check(WaitForSingleObject(high, 0) == WAIT_OBJECT_0, "HighMemoryCondition is signalled", 0);
    CloseHandle(high);
    return g_failures;
}

// ---- mutexes ------------------------------------------------------------------------------

int MutexHold() {
    HANDLE mutex = CreateMutexW(nullptr, TRUE, L"Global\\SyncE2eMutex");
    Check(mutex != nullptr && GetLastError() == ERROR_SUCCESS, "CreateMutex owned", GetLastError());
    std::printf("owned pid %lu\n", GetCurrentProcessId());
    std::fflush(stdout);
    Sleep(INFINITE); // killed by the test while owning it
    return 1;
}

int MutexWait() {
    HANDLE mutex = OpenMutexW(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, L"SyncE2eMutex");
    Check(mutex != nullptr, "OpenMutex", GetLastError());
    Check(!ReleaseMutex(mutex) && GetLastError() == ERROR_NOT_OWNER, "ReleaseMutex by a non-owner",
          GetLastError());
    Check(WaitForSingleObject(mutex, 0) == WAIT_TIMEOUT, "owned by the other process", 0);
    Say("waiting");
    DWORD r = WaitForSingleObject(mutex, 20000);
    Check(r == WAIT_ABANDONED, "WAIT_ABANDONED after the owner was killed", r);
    // The abandoned mutex is now ours: recursion, then release as many times.
    Check(WaitForSingleObject(mutex, 0) == WAIT_OBJECT_0, "recursive acquire", 0);
    Check(ReleaseMutex(mutex) != FALSE, "ReleaseMutex 1", GetLastError());
    Check(ReleaseMutex(mutex) != FALSE, "ReleaseMutex 2", GetLastError());
    Check(!ReleaseMutex(mutex) && GetLastError() == ERROR_NOT_OWNER, "ReleaseMutex once too often",
          GetLastError());
    CloseHandle(mutex);
    return g_failures;
}

// Waits for another process (by its NT id) to end.
int ProcessWait(DWORD pid) {
    HANDLE process = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    Check(process != nullptr, "OpenProcess(SYNCHRONIZE)", GetLastError());
    DWORD code = 0;
    Check(GetExitCodeProcess(process, &code) && code == STILL_ACTIVE, "GetExitCodeProcess running",
          code);
    Say("waiting"); // the test kills the other process from here on
    DWORD r = WaitForSingleObject(process, 20000);
    Check(r == WAIT_OBJECT_0, "process handle signalled at exit", r);
    Check(GetExitCodeProcess(process, &code) && code != STILL_ACTIVE, "GetExitCodeProcess ended",
          code);
    CloseHandle(process);
    return g_failures;
}

// ---- APCs ---------------------------------------------------------------------------------

int g_apcCount = 0;
ULONG_PTR g_apcData[8];
DWORD g_apcThread[8];

void CALLBACK RecordApc(ULONG_PTR data) {
    if (g_apcCount < 8) {
        g_apcData[g_apcCount] = data;
        g_apcThread[g_apcCount] = GetCurrentThreadId();
    }
    ++g_apcCount;
}

struct Worker {
    volatile DWORD result = 0;
    volatile DWORD id = 0;
    HANDLE ready = nullptr;
};

DWORD WINAPI AlertableWorker(LPVOID p) {
    auto* w = static_cast<Worker*>(p);
    w->id = GetCurrentThreadId();
    SetEvent(w->ready);
    w->result = SleepEx(INFINITE, TRUE);
    return 77;
}

DWORD WINAPI ExitingWorker(LPVOID) {
    ExitThread(99);
}

int Apc() {
    const DWORD me = GetCurrentThreadId();
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    Check(QueueUserAPC(RecordApc, GetCurrentThread(), 42) != 0, "QueueUserAPC to self",
          GetLastError());
    // Non-alertable waits leave it queued.
    Sleep(20);
    Check(g_apcCount == 0, "Sleep does not run it", g_apcCount);
    Check(WaitForSingleObject(event, 10) == WAIT_TIMEOUT, "WaitForSingleObject times out", 0);
    Check(WaitForSingleObjectEx(event, 0, FALSE) == WAIT_TIMEOUT, "non-alertable Ex", 0);
    Check(SleepEx(10, FALSE) == 0 && g_apcCount == 0, "SleepEx(FALSE) does not run it", g_apcCount);
    // The alertable wait runs it, in this thread, and says so.
    DWORD r = SleepEx(INFINITE, TRUE);
    Check(r == WAIT_IO_COMPLETION, "SleepEx(INFINITE, TRUE) returns WAIT_IO_COMPLETION", r);
    Check(g_apcCount == 1 && g_apcData[0] == 42 && g_apcThread[0] == me,
          "the APC ran once in this thread with its data", g_apcData[0]);
    // Several, in order, through WaitForSingleObjectEx and WaitForMultipleObjectsEx.
    QueueUserAPC(RecordApc, GetCurrentThread(), 1);
    QueueUserAPC(RecordApc, GetCurrentThread(), 2);
    r = WaitForSingleObjectEx(event, INFINITE, TRUE);
    Check(r == WAIT_IO_COMPLETION && g_apcCount == 3 && g_apcData[1] == 1 && g_apcData[2] == 2,
          "WaitForSingleObjectEx alertable runs both in order", r);
    QueueUserAPC(RecordApc, GetCurrentThread(), 3);
    HANDLE handles[2] = {event, event};
    r = WaitForMultipleObjectsEx(2, handles, FALSE, INFINITE, TRUE);
    Check(r == WAIT_IO_COMPLETION && g_apcCount == 4, "WaitForMultipleObjectsEx alertable", r);
    // Nothing queued: an alertable wait ends normally.
    Check(SleepEx(10, TRUE) == 0, "SleepEx with no APC", 0);
    SetEvent(event);
    Check(WaitForSingleObjectEx(event, INFINITE, TRUE) == WAIT_OBJECT_0, "signalled wins", 0);
    // Another thread, by its CreateThread handle: the APC runs in that thread.
    Worker w;
    w.ready = CreateEventW(nullptr, FALSE, FALSE, nullptr);
    DWORD tid = 0;
    HANDLE thread = CreateThread(nullptr, 0, AlertableWorker, &w, 0, &tid);
    Check(thread != nullptr && tid != 0, "CreateThread", GetLastError());
    WaitForSingleObject(w.ready, 20000);
    Check(w.id == tid, "thread id from CreateThread", tid);
    DWORD code = 0;
    Check(GetExitCodeThread(thread, &code) && code == STILL_ACTIVE, "GetExitCodeThread running",
          code);
    Check(WaitForSingleObject(thread, 50) == WAIT_TIMEOUT, "thread still running", 0);
    Check(QueueUserAPC(RecordApc, thread, 7) != 0, "QueueUserAPC to the other thread",
          GetLastError());
    r = WaitForSingleObject(thread, 20000);
    Check(r == WAIT_OBJECT_0, "thread handle signalled when it ends", r);
    Check(w.result == WAIT_IO_COMPLETION, "its SleepEx returned WAIT_IO_COMPLETION", w.result);
    Check(GetExitCodeThread(thread, &code) && code == 77, "GetExitCodeThread: the return value",
          code);
    HANDLE exiting = CreateThread(nullptr, 0, ExitingWorker, nullptr, 0, nullptr);
    Check(WaitForSingleObject(exiting, 20000) == WAIT_OBJECT_0, "ExitThread ends the thread", 0);
    Check(GetExitCodeThread(exiting, &code) && code == 99, "GetExitCodeThread after ExitThread",
          code);
    CloseHandle(exiting);
    Check(GetExitCodeProcess(GetCurrentProcess(), &code) && code == STILL_ACTIVE,
          "GetExitCodeProcess of itself", code);
    Check(!GetExitCodeThread(event, &code) && GetLastError() == ERROR_INVALID_HANDLE,
          "GetExitCodeThread on an event", GetLastError());
    Check(g_apcCount == 5 && g_apcData[4] == 7 && g_apcThread[4] == tid,
          "the APC ran in the other thread", g_apcThread[4]);
    // By an OpenThread handle.
    Worker w2;
    w2.ready = CreateEventW(nullptr, FALSE, FALSE, nullptr);
    HANDLE thread2 = CreateThread(nullptr, 0, AlertableWorker, &w2, 0, nullptr);
    WaitForSingleObject(w2.ready, 20000);
    HANDLE opened = OpenThread(THREAD_SET_CONTEXT | SYNCHRONIZE, FALSE, w2.id);
    Check(opened != nullptr, "OpenThread", GetLastError());
    Check(QueueUserAPC(RecordApc, opened, 8) != 0, "QueueUserAPC by OpenThread handle",
          GetLastError());
    Check(WaitForSingleObject(opened, 20000) == WAIT_OBJECT_0, "OpenThread handle signalled", 0);
    Check(g_apcCount == 6 && g_apcData[5] == 8 && g_apcThread[5] == w2.id,
          "the APC ran in the opened thread", g_apcData[5]);
    // Bad handles.
    Check(!QueueUserAPC(RecordApc, event, 0) && GetLastError() == ERROR_INVALID_HANDLE,
          "QueueUserAPC on an event", GetLastError());
    Check(!QueueUserAPC(RecordApc, reinterpret_cast<HANDLE>(0x7770), 0) &&
              GetLastError() == ERROR_INVALID_HANDLE,
          "QueueUserAPC on a bad handle", GetLastError());
    Check(!OpenThread(SYNCHRONIZE, FALSE, 0x7FFFFFF0) && GetLastError() == ERROR_INVALID_PARAMETER,
          "OpenThread unknown id", GetLastError());
    Check(WaitForSingleObject(reinterpret_cast<HANDLE>(0x7770), 0) == WAIT_FAILED &&
              GetLastError() == ERROR_INVALID_HANDLE,
          "wait on a bad handle", GetLastError());
    CloseHandle(opened);
    CloseHandle(thread2);
    CloseHandle(thread);
    CloseHandle(w.ready);
    CloseHandle(w2.ready);
    CloseHandle(event);
    Check(g_apcCount == 6, "no APC ran twice", g_apcCount);
    return g_failures;
}

// Local objects in one process: the Win32 error codes.
int Local() {
    HANDLE sem = CreateSemaphoreW(nullptr, 1, 1, nullptr);
    Check(!ReleaseSemaphore(sem, 1, nullptr) && GetLastError() == ERROR_TOO_MANY_POSTS,
          "ReleaseSemaphore at the maximum", GetLastError());
    Check(!CreateSemaphoreW(nullptr, 2, 1, nullptr) && GetLastError() == ERROR_INVALID_PARAMETER,
          "CreateSemaphore initial > maximum", GetLastError());
    HANDLE mutex = CreateMutexW(nullptr, FALSE, nullptr);
    Check(!ReleaseMutex(mutex) && GetLastError() == ERROR_NOT_OWNER, "ReleaseMutex not owned",
          GetLastError());
    Check(!ReleaseMutex(sem) && GetLastError() == ERROR_INVALID_HANDLE,
          "ReleaseMutex on a semaphore", GetLastError());
    Check(!SetEvent(mutex) && GetLastError() == ERROR_INVALID_HANDLE, "SetEvent on a mutex",
          GetLastError());
    HANDLE both[2] = {sem, mutex};
    DWORD r = WaitForMultipleObjects(2, both, TRUE, 0);
    Check(r == WAIT_OBJECT_0, "WaitAll on a semaphore and a mutex", r);
    Check(ReleaseMutex(mutex) != FALSE, "ReleaseMutex after WaitAll", GetLastError());
    CloseHandle(sem);
    CloseHandle(mutex);
    return g_failures;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    const char* mode = argv[1];
    if (!std::strcmp(mode, "semowner")) return SemaphoreOwner();
    if (!std::strcmp(mode, "semrelease")) return SemaphoreRelease();
    if (!std::strcmp(mode, "eventwait")) return EventWait();
    if (!std::strcmp(mode, "eventset")) return EventSet();
    if (!std::strcmp(mode, "driverevent")) return DriverEvent();
    if (!std::strcmp(mode, "mutexhold")) return MutexHold();
    if (!std::strcmp(mode, "mutexwait")) return MutexWait();
    if (!std::strcmp(mode, "procwait") && argc > 2) return ProcessWait(DWORD(std::atoi(argv[2])));
    if (!std::strcmp(mode, "apc")) return Apc();
    if (!std::strcmp(mode, "local")) return Local();
    return 2;
}
