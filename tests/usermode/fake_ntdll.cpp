// Fake ntdll (see fake_ntdll.h). These definitions satisfy kernel32's references, so the real
// ntdll objects of the library are not linked into this test.
#include "fake_ntdll.h"

#include "ntdll/ntdll_internal.h"

namespace fake {
State g_fake;
void Reset() {
    g_fake = State{};
}
} // namespace fake

using fake::g_fake;

namespace {
const HANDLE kFakeFile = reinterpret_cast<HANDLE>(0x44);
const HANDLE kFakeEvent = reinterpret_cast<HANDLE>(0x48);

std::u16string NameOf(POBJECT_ATTRIBUTES oa) {
    if (!oa || !oa->ObjectName) return u"";
    return std::u16string(reinterpret_cast<const char16_t*>(oa->ObjectName->Buffer),
                          oa->ObjectName->Length / sizeof(WCHAR));
}

NTSTATUS RecordIo(HANDLE event, PVOID apcContext, PIO_STATUS_BLOCK iosb, ULONG code, ULONG length,
                  PLARGE_INTEGER offset) {
    g_fake.ioEvent = event;
    g_fake.ioApcContext = apcContext;
    g_fake.ioIosb = iosb;
    g_fake.ioCode = code;
    g_fake.ioLength = length;
    g_fake.ioHadOffset = offset != nullptr;
    g_fake.ioOffset = offset ? offset->QuadPart : 0;
    if (g_fake.ioReturn != STATUS_PENDING && !NT_ERROR(g_fake.ioReturn)) {
        iosb->Status = g_fake.ioFinalStatus;
        iosb->Information = g_fake.ioInformation;
    }
    return g_fake.ioReturn;
}
} // namespace

ULONG NtsimProcessId() {
    return 0x1234;
}
ULONG NtsimThreadId() {
    return 0x5678;
}
void NtsimReportExitCode(ULONG) {}
// The fake calls write the caller's IOSB directly: nothing is staged to copy back.
void NtsimReapCompletedIo() {}

extern "C" NTSTATUS NTAPI NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes,
                                       PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER,
                                       ULONG FileAttributes, ULONG ShareAccess,
                                       ULONG CreateDisposition, ULONG CreateOptions, PVOID, ULONG) {
    g_fake.createName = NameOf(ObjectAttributes);
    g_fake.createObjAttributes = ObjectAttributes->Attributes;
    g_fake.createAccess = DesiredAccess;
    g_fake.createShare = ShareAccess;
    g_fake.createDisposition = CreateDisposition;
    g_fake.createOptions = CreateOptions;
    g_fake.createFileAttributes = FileAttributes;
    if (!NT_SUCCESS(g_fake.createStatus)) return g_fake.createStatus;
    IoStatusBlock->Status = g_fake.createStatus;
    IoStatusBlock->Information = g_fake.createInformation;
    *FileHandle = kFakeFile;
    return g_fake.createStatus;
}

extern "C" NTSTATUS NTAPI NtDeviceIoControlFile(HANDLE, HANDLE Event, PIO_APC_ROUTINE,
                                                PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                                                ULONG IoControlCode, PVOID, ULONG InputBufferLength,
                                                PVOID, ULONG) {
    return RecordIo(Event, ApcContext, IoStatusBlock, IoControlCode, InputBufferLength, nullptr);
}

extern "C" NTSTATUS NTAPI NtReadFile(HANDLE, HANDLE Event, PIO_APC_ROUTINE, PVOID ApcContext,
                                     PIO_STATUS_BLOCK IoStatusBlock, PVOID, ULONG Length,
                                     PLARGE_INTEGER ByteOffset, PULONG) {
    return RecordIo(Event, ApcContext, IoStatusBlock, 0, Length, ByteOffset);
}

extern "C" NTSTATUS NTAPI NtWriteFile(HANDLE, HANDLE Event, PIO_APC_ROUTINE, PVOID ApcContext,
                                      PIO_STATUS_BLOCK IoStatusBlock, PVOID, ULONG Length,
                                      PLARGE_INTEGER ByteOffset, PULONG) {
    return RecordIo(Event, ApcContext, IoStatusBlock, 0, Length, ByteOffset);
}

extern "C" NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
                                                PLARGE_INTEGER Timeout) {
    ++g_fake.waitCalls;
    g_fake.waitHandle = Handle;
    g_fake.waitAlertable = Alertable;
    g_fake.waitHadTimeout = Timeout != nullptr;
    g_fake.waitTimeout = Timeout ? Timeout->QuadPart : 0;
    if (g_fake.onWait) g_fake.onWait();
    return g_fake.waitStatus;
}

extern "C" NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG Count, HANDLE[], WAIT_TYPE WaitType,
                                                   BOOLEAN Alertable, PLARGE_INTEGER Timeout) {
    ++g_fake.waitCalls;
    g_fake.waitCount = Count;
    g_fake.waitType = WaitType;
    g_fake.waitAlertable = Alertable;
    g_fake.waitHadTimeout = Timeout != nullptr;
    g_fake.waitTimeout = Timeout ? Timeout->QuadPart : 0;
    return g_fake.waitStatus;
}

extern "C" NTSTATUS NTAPI NtClose(HANDLE Handle) {
    g_fake.closed = Handle;
    return g_fake.closeStatus;
}

extern "C" NTSTATUS NTAPI NtCancelIoFile(HANDLE, PIO_STATUS_BLOCK) {
    return g_fake.cancelStatus;
}

extern "C" NTSTATUS NTAPI NtCancelIoFileEx(HANDLE, PIO_STATUS_BLOCK IoRequestToCancel,
                                           PIO_STATUS_BLOCK) {
    g_fake.cancelRequest = IoRequestToCancel;
    return g_fake.cancelStatus;
}

extern "C" NTSTATUS NTAPI NtDuplicateObject(HANDLE, HANDLE SourceHandle, HANDLE,
                                            PHANDLE TargetHandle, ACCESS_MASK,
                                            ULONG HandleAttributes, ULONG Options) {
    g_fake.duplicateOptions = Options;
    g_fake.duplicateAttributes = HandleAttributes;
    if (NT_SUCCESS(g_fake.duplicateStatus) && TargetHandle)
        *TargetHandle = reinterpret_cast<HANDLE>(reinterpret_cast<ULONG_PTR>(SourceHandle) + 4);
    return g_fake.duplicateStatus;
}

extern "C" NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK,
                                        POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                        BOOLEAN InitialState) {
    g_fake.eventName = NameOf(ObjectAttributes);
    g_fake.eventObjAttributes = ObjectAttributes ? ObjectAttributes->Attributes : 0;
    g_fake.eventType = EventType;
    g_fake.eventInitial = InitialState;
    if (NT_SUCCESS(g_fake.eventStatus)) *EventHandle = kFakeEvent;
    return g_fake.eventStatus;
}

extern "C" NTSTATUS NTAPI NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK,
                                      POBJECT_ATTRIBUTES ObjectAttributes) {
    g_fake.eventName = NameOf(ObjectAttributes);
    if (NT_SUCCESS(g_fake.eventStatus)) *EventHandle = kFakeEvent;
    return g_fake.eventStatus;
}

extern "C" NTSTATUS NTAPI NtSetEvent(HANDLE, PLONG) {
    return g_fake.eventStatus;
}
extern "C" NTSTATUS NTAPI NtResetEvent(HANDLE, PLONG) {
    return g_fake.eventStatus;
}
extern "C" NTSTATUS NTAPI NtPulseEvent(HANDLE, PLONG) { // kernel32's PulseEvent (event.cpp)
    return g_fake.eventStatus;
}

extern "C" NTSTATUS NTAPI NtDelayExecution(BOOLEAN, PLARGE_INTEGER DelayInterval) {
    g_fake.delayInterval = DelayInterval->QuadPart;
    return g_fake.delayStatus;
}
