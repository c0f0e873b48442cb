// ReadFile, WriteFile, DeviceIoControl, GetOverlappedResult, CancelIo(Ex).
//
// Synchronous calls (no OVERLAPPED) wait for a pending request on the file handle itself, as
// Windows does for a file opened without FILE_FLAG_OVERLAPPED. Overlapped calls use the
// OVERLAPPED as the IO_STATUS_BLOCK (Internal = Status, InternalHigh = Information) and return
// FALSE with ERROR_IO_PENDING while the request is in progress.
#include "kernel32/k32.h"

#include <atomic>

#include "ntdll/ntdll_internal.h"

using namespace ntsim::k32;

namespace {

PIO_STATUS_BLOCK AsIosb(LPOVERLAPPED overlapped) {
    static_assert(sizeof(IO_STATUS_BLOCK) == 2 * sizeof(ULONG_PTR));
    return reinterpret_cast<PIO_STATUS_BLOCK>(overlapped);
}

// The event to signal: a set low bit only means "no completion-port packet" (no ports here).
HANDLE OverlappedEvent(LPOVERLAPPED overlapped) {
    return reinterpret_cast<HANDLE>(reinterpret_cast<ULONG_PTR>(overlapped->hEvent) &
                                    ~ULONG_PTR(1));
}

// The request's status, written by the kernel half while we look at it.
NTSTATUS OverlappedStatus(LPOVERLAPPED overlapped) {
    return NTSTATUS(std::atomic_ref<ULONG_PTR>(overlapped->Internal).load());
}

LARGE_INTEGER OverlappedOffset(LPOVERLAPPED overlapped) {
    LARGE_INTEGER offset;
    offset.LowPart = overlapped->Offset;
    offset.HighPart = LONG(overlapped->OffsetHigh);
    return offset;
}

// Result of a synchronous request: waits when it pended, reports Information even for
// warnings (STATUS_BUFFER_OVERFLOW: FALSE + ERROR_MORE_DATA with the partial byte count).
BOOL CompleteSynchronous(HANDLE file, NTSTATUS status, IO_STATUS_BLOCK& iosb, LPDWORD transferred,
                         bool endOfFileIsSuccess) {
    if (status == STATUS_PENDING) {
        status = NtWaitForSingleObject(file, FALSE, nullptr);
        if (NT_SUCCESS(status)) status = iosb.Status;
    }
    if (NT_SUCCESS(status)) {
        if (transferred) *transferred = DWORD(iosb.Information);
        return TRUE;
    }
    if (endOfFileIsSuccess && status == STATUS_END_OF_FILE) {
        if (transferred) *transferred = 0;
        return TRUE;
    }
    if (!NT_ERROR(status) && transferred) *transferred = DWORD(iosb.Information);
    SetLastNtError(status);
    return FALSE;
}

// Result of an overlapped request that has been issued.
BOOL CompleteOverlapped(NTSTATUS status, LPOVERLAPPED overlapped, LPDWORD transferred) {
    if (NT_SUCCESS(status) && status != STATUS_PENDING) {
        if (transferred) *transferred = DWORD(overlapped->InternalHigh);
        return TRUE;
    }
    SetLastNtError(status); // STATUS_PENDING -> ERROR_IO_PENDING
    return FALSE;
}

using NtTransferFn = NTSTATUS(NTAPI*)(HANDLE, HANDLE, PIO_APC_ROUTINE, PVOID, PIO_STATUS_BLOCK,
                                      PVOID, ULONG, PLARGE_INTEGER, PULONG);

BOOL Transfer(NtTransferFn call, HANDLE file, PVOID buffer, DWORD length, LPDWORD transferred,
              LPOVERLAPPED overlapped, bool isRead) {
    if (transferred) *transferred = 0;
    if (overlapped) {
        overlapped->Internal = ULONG_PTR(STATUS_PENDING);
        overlapped->InternalHigh = 0;
        LARGE_INTEGER offset = OverlappedOffset(overlapped);
        NTSTATUS status = call(file, OverlappedEvent(overlapped), nullptr, overlapped,
                               AsIosb(overlapped), buffer, length, &offset, nullptr);
        if (isRead && status == STATUS_END_OF_FILE) {
            SetLastError(ERROR_HANDLE_EOF);
            return FALSE;
        }
        return CompleteOverlapped(status, overlapped, transferred);
    }
    if (!transferred) { // only optional with an OVERLAPPED
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    IO_STATUS_BLOCK iosb{};
    NTSTATUS status =
        call(file, nullptr, nullptr, nullptr, &iosb, buffer, length, nullptr, nullptr);
    return CompleteSynchronous(file, status, iosb, transferred, isRead);
}

NTSTATUS NTAPI NtWriteFileConst(HANDLE file, HANDLE event, PIO_APC_ROUTINE apc, PVOID context,
                                PIO_STATUS_BLOCK iosb, PVOID buffer, ULONG length,
                                PLARGE_INTEGER offset, PULONG key) {
    return NtWriteFile(file, event, apc, context, iosb, buffer, length, offset, key);
}

} // namespace

extern "C" BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped) {
    return Transfer(&NtReadFile, hFile, lpBuffer, nNumberOfBytesToRead, lpNumberOfBytesRead,
                    lpOverlapped, true);
}

extern "C" BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                 LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped) {
    return Transfer(&NtWriteFileConst, hFile, const_cast<LPVOID>(lpBuffer), nNumberOfBytesToWrite,
                    lpNumberOfBytesWritten, lpOverlapped, false);
}

extern "C" BOOL WINAPI DeviceIoControl(HANDLE hDevice, DWORD dwIoControlCode, LPVOID lpInBuffer,
                                       DWORD nInBufferSize, LPVOID lpOutBuffer,
                                       DWORD nOutBufferSize, LPDWORD lpBytesReturned,
                                       LPOVERLAPPED lpOverlapped) {
    // File-system control codes would go to NtFsControlFile; there are no file systems here,
    // so every code is a device control.
    if (lpOverlapped) {
        lpOverlapped->Internal = ULONG_PTR(STATUS_PENDING);
        lpOverlapped->InternalHigh = 0;
        NTSTATUS status = NtDeviceIoControlFile(
            hDevice, OverlappedEvent(lpOverlapped), nullptr, lpOverlapped, AsIosb(lpOverlapped),
            dwIoControlCode, lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize);
        return CompleteOverlapped(status, lpOverlapped, lpBytesReturned);
    }
    if (!lpBytesReturned) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *lpBytesReturned = 0;
    IO_STATUS_BLOCK iosb{};
    NTSTATUS status =
        NtDeviceIoControlFile(hDevice, nullptr, nullptr, nullptr, &iosb, dwIoControlCode,
                              lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize);
    return CompleteSynchronous(hDevice, status, iosb, lpBytesReturned, false);
}

extern "C" BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                           LPDWORD lpNumberOfBytesTransferred, BOOL bWait) {
    if (!lpOverlapped || !lpNumberOfBytesTransferred) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    // The kernel writes the result into the request's arena IOSB; it reaches the OVERLAPPED
    // when the runtime collects completed requests (after waits, and here).
    NtsimReapCompletedIo();
    if (OverlappedStatus(lpOverlapped) == STATUS_PENDING) {
        if (!bWait) {
            SetLastError(ERROR_IO_INCOMPLETE);
            return FALSE;
        }
        HANDLE waitOn = OverlappedEvent(lpOverlapped);
        NTSTATUS status = NtWaitForSingleObject(waitOn ? waitOn : hFile, FALSE, nullptr);
        if (!NT_SUCCESS(status)) {
            SetLastNtError(status);
            return FALSE;
        }
    }
    *lpNumberOfBytesTransferred = DWORD(lpOverlapped->InternalHigh);
    NTSTATUS status = OverlappedStatus(lpOverlapped);
    if (NT_SUCCESS(status) && status != STATUS_PENDING) return TRUE;
    SetLastNtError(status);
    return FALSE;
}

extern "C" BOOL WINAPI CancelIo(HANDLE hFile) {
    IO_STATUS_BLOCK iosb{};
    NTSTATUS status = NtCancelIoFile(hFile, &iosb);
    if (!NT_SUCCESS(status)) {
        SetLastNtError(status);
        return FALSE;
    }
    return TRUE;
}

// lpOverlapped NULL: every request of the file issued by this process; else that one request
// (ERROR_NOT_FOUND when it is not pending).
extern "C" BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped) {
    IO_STATUS_BLOCK iosb{};
    NTSTATUS status = NtCancelIoFileEx(hFile, lpOverlapped ? AsIosb(lpOverlapped) : nullptr, &iosb);
    if (!NT_SUCCESS(status)) {
        SetLastNtError(status);
        return FALSE;
    }
    return TRUE;
}

namespace {

// The APC routine of ReadFileEx/WriteFileEx: turns the IOSB (the OVERLAPPED) into the
// completion routine's (error, bytes, overlapped).
VOID NTAPI IoCompletionToRoutine(PVOID context, PIO_STATUS_BLOCK iosb, ULONG) {
    auto routine = reinterpret_cast<LPOVERLAPPED_COMPLETION_ROUTINE>(context);
    auto* overlapped = reinterpret_cast<LPOVERLAPPED>(iosb);
    NTSTATUS status = NTSTATUS(overlapped->Internal);
    DWORD error = NT_SUCCESS(status) ? ERROR_SUCCESS : RtlNtStatusToDosError(status);
    routine(error, DWORD(overlapped->InternalHigh), overlapped);
}

// ReadFileEx/WriteFileEx: an overlapped transfer whose completion queues the routine to this
// thread instead of signalling an event (hEvent is the caller's to use).
BOOL TransferEx(NtTransferFn call, HANDLE file, PVOID buffer, DWORD length, LPOVERLAPPED overlapped,
                LPOVERLAPPED_COMPLETION_ROUTINE routine) {
    if (!overlapped || !routine) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    overlapped->Internal = ULONG_PTR(STATUS_PENDING);
    overlapped->InternalHigh = 0;
    LARGE_INTEGER offset = OverlappedOffset(overlapped);
    NTSTATUS status = call(file, nullptr, &IoCompletionToRoutine, reinterpret_cast<PVOID>(routine),
                           AsIosb(overlapped), buffer, length, &offset, nullptr);
    if (NT_ERROR(status)) {
        SetLastNtError(status);
        return FALSE;
    }
    // Success or pending: the routine runs in a later alertable wait either way. A warning
    // (STATUS_BUFFER_OVERFLOW...) is reported through the routine too, as Windows does.
    SetLastError(ERROR_SUCCESS);
    return TRUE;
}

} // namespace

extern "C" BOOL WINAPI ReadFileEx(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                  LPOVERLAPPED lpOverlapped,
                                  LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
    return TransferEx(&NtReadFile, hFile, lpBuffer, nNumberOfBytesToRead, lpOverlapped,
                      lpCompletionRoutine);
}

extern "C" BOOL WINAPI WriteFileEx(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                   LPOVERLAPPED lpOverlapped,
                                   LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
    return TransferEx(&NtWriteFileConst, hFile, const_cast<LPVOID>(lpBuffer), nNumberOfBytesToWrite,
                      lpOverlapped, lpCompletionRoutine);
}
