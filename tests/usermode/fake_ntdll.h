// Test doubles for the ntdll system calls kernel32 uses: each records its arguments in
// g_fake and returns what the test scripted there.
#pragma once

#include <windows.h>
#include <winternl.h>
#include <ntstatus.h>

#include <functional>
#include <string>

namespace fake {

struct State {
    // NtCreateFile
    std::u16string createName;
    ULONG createObjAttributes = 0;
    ACCESS_MASK createAccess = 0;
    ULONG createShare = 0, createDisposition = 0, createOptions = 0, createFileAttributes = 0;
    NTSTATUS createStatus = STATUS_SUCCESS;
    ULONG_PTR createInformation = FILE_OPENED;
    // NtDeviceIoControlFile / NtReadFile / NtWriteFile
    HANDLE ioEvent = nullptr;
    PVOID ioApcContext = nullptr;
    PIO_STATUS_BLOCK ioIosb = nullptr;
    ULONG ioCode = 0;
    ULONG ioLength = 0;
    bool ioHadOffset = false;
    LONGLONG ioOffset = 0;
    NTSTATUS ioReturn = STATUS_SUCCESS;      // what the call returns
    NTSTATUS ioFinalStatus = STATUS_SUCCESS; // written to the IOSB (now, or at "completion")
    ULONG_PTR ioInformation = 0;
    // NtWaitForSingleObject: runs `onWait` (e.g. completes a pending request) then returns.
    HANDLE waitHandle = nullptr;
    bool waitAlertable = false;
    bool waitHadTimeout = false;
    LONGLONG waitTimeout = 0;
    NTSTATUS waitStatus = STATUS_SUCCESS;
    std::function<void()> onWait;
    int waitCalls = 0;
    // NtWaitForMultipleObjects
    ULONG waitCount = 0;
    WAIT_TYPE waitType = WaitAny;
    // Events
    std::u16string eventName;
    ULONG eventObjAttributes = 0;
    EVENT_TYPE eventType = NotificationEvent;
    BOOLEAN eventInitial = FALSE;
    NTSTATUS eventStatus = STATUS_SUCCESS;
    // NtClose / NtCancelIoFile(Ex) / NtDuplicateObject / NtDelayExecution
    HANDLE closed = nullptr;
    NTSTATUS closeStatus = STATUS_SUCCESS;
    PIO_STATUS_BLOCK cancelRequest = nullptr;
    NTSTATUS cancelStatus = STATUS_SUCCESS;
    ULONG duplicateOptions = 0;
    ULONG duplicateAttributes = 0;
    NTSTATUS duplicateStatus = STATUS_SUCCESS;
    NTSTATUS delayStatus = STATUS_SUCCESS;
    LONGLONG delayInterval = 0;
};

extern State g_fake;
void Reset();

} // namespace fake
