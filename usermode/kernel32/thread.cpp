// CreateThread, OpenThread, ExitThread and GetExitCodeThread/Process. A new thread is a Linux
// thread that connects to the kernel before its start routine runs, so it is an NT thread (with an
// NT thread id and an ETHREAD) from its first instruction on; its handle is opened by that id. The
// ETHREAD is signalled when the thread ends (WaitForSingleObject on the handle).
#include "kernel32/k32.h"

#include <limits.h>
#include <pthread.h>

#include <atomic>
#include <memory>

#include "ntdll/nt_sync.h"
#include "ntdll/ntdll_internal.h"

using namespace ntsim::k32;

namespace {

struct StartBlock {
    LPTHREAD_START_ROUTINE routine = nullptr;
    LPVOID parameter = nullptr;
    std::atomic<uint32_t> threadId{0}; // set by the new thread: its NT id, or kFailed
    std::atomic<bool> released{false}; // set by the creator once it holds the handle
};
constexpr uint32_t kFailed = ~0u;

// The block is shared by the creator and the new thread (each holds a reference while it may
// still notify the other), so neither frees it under the other's notify.
void* ThreadMain(void* p) {
    std::shared_ptr<StartBlock> block = std::move(*static_cast<std::shared_ptr<StartBlock>*>(p));
    delete static_cast<std::shared_ptr<StartBlock>*>(p);
    ULONG id = NtsimThreadId(); // connects this thread to the kernel
    block->threadId.store(id ? id : kFailed);
    block->threadId.notify_one();
    // The creator opens the handle first: a thread that ended could no longer be opened.
    block->released.wait(false);
    LPTHREAD_START_ROUTINE routine = block->routine;
    LPVOID parameter = block->parameter;
    block.reset();
    if (!id) return nullptr;
    ntsim::ntdll::ReportThreadExitCode(routine(parameter));
    return nullptr;
}

} // namespace

extern "C" HANDLE WINAPI OpenThread(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwThreadId) {
    CLIENT_ID cid{};
    cid.UniqueThread = reinterpret_cast<HANDLE>(ULONG_PTR(dwThreadId));
    // An unknown id is ERROR_INVALID_PARAMETER, as on Windows.
    return OpenByClientId(NtOpenThread, dwDesiredAccess, bInheritHandle, cid,
                          STATUS_INVALID_PARAMETER);
}

extern "C" HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                                      LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                                      DWORD dwCreationFlags, LPDWORD lpThreadId) {
    if (!lpStartAddress) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return nullptr;
    }
    if (dwCreationFlags & CREATE_SUSPENDED) { // no ResumeThread yet: refuse rather than run
        SetLastError(ERROR_NOT_SUPPORTED);
        return nullptr;
    }
    if (!NtsimThreadId()) { // no kernel: the thread could not be an NT thread
        SetLastNtError(STATUS_PORT_DISCONNECTED);
        return nullptr;
    }
    auto block = std::make_shared<StartBlock>();
    block->routine = lpStartAddress;
    block->parameter = lpParameter;
    auto* threadReference = new std::shared_ptr<StartBlock>(block);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (dwStackSize) {
        const SIZE_T minimum = SIZE_T(PTHREAD_STACK_MIN);
        pthread_attr_setstacksize(&attr, dwStackSize < minimum ? minimum : dwStackSize);
    }
    pthread_t thread;
    int error = pthread_create(&thread, &attr, ThreadMain, threadReference);
    pthread_attr_destroy(&attr);
    if (error) {
        delete threadReference;
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return nullptr;
    }
    block->threadId.wait(0);
    const uint32_t id = block->threadId.load();
    HANDLE handle = nullptr;
    DWORD lastError = ERROR_SUCCESS;
    if (id == kFailed) { // the thread could not connect: it ends without running the routine
        SetLastNtError(STATUS_PORT_DISCONNECTED);
        lastError = GetLastError();
    } else {
        handle = OpenThread(THREAD_ALL_ACCESS, InheritAttribute(lpThreadAttributes) != 0, id);
        lastError = GetLastError();
    }
    block->released.store(true);
    block->released.notify_one(); // the thread runs from here on
    if (!handle) {
        SetLastError(lastError);
        return nullptr;
    }
    if (lpThreadId) *lpThreadId = id;
    SetLastError(ERROR_SUCCESS);
    return handle;
}

// The thread reports its exit code, then ends; its kernel half detaches (and its thread object
// is signalled) as pthread_exit runs the thread-local destructors that close its connection.
extern "C" DECLSPEC_NORETURN VOID WINAPI ExitThread(DWORD dwExitCode) {
    ntsim::ntdll::ReportThreadExitCode(dwExitCode);
    pthread_exit(nullptr);
}

namespace {
BOOL QueryExitCode(HANDLE handle, LPDWORD exitCode) {
    ULONG status = 0;
    NTSTATUS result = ntsim::ntdll::QueryExitStatus(handle, &status);
    if (!NT_SUCCESS(result)) {
        SetLastNtError(result);
        return FALSE;
    }
    if (exitCode) *exitCode = status; // STILL_ACTIVE while it runs
    return TRUE;
}
} // namespace

extern "C" BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode) {
    return QueryExitCode(hThread, lpExitCode);
}

extern "C" BOOL WINAPI GetExitCodeProcess(HANDLE hProcess, LPDWORD lpExitCode) {
    return QueryExitCode(hProcess, lpExitCode);
}
