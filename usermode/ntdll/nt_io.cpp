// File and device I/O system calls: NtCreateFile, NtOpenFile, NtDeviceIoControlFile,
// NtReadFile, NtWriteFile, NtFlushBuffersFile, NtCancelIoFile(Ex).
//
// Buffers outside the arena are staged through arena heap blocks (copied in before the call,
// copied back after it), so the kernel and drivers work on real shared bytes. The IOSB the
// kernel writes is an arena copy too. A request that returns STATUS_PENDING keeps its blocks
// until it completes: the copies back happen when the thread next waits (io_pending.cpp).
#include <cstring>

#include <ntstatus.h>

#include "channel.h"
#include "io_pending.h"
#include "ntdll_internal.h"

using namespace ntsim::lpc::wire;
using ntsim::ntdll::PendingIo;

namespace {

uint64_t H(HANDLE h) {
    return reinterpret_cast<ULONG_PTR>(h);
}

// A completion routine in flight. The kernel queues the user APC (IoCompletionApc, record) to
// the requesting thread when the request completes; the thread runs it in an alertable wait,
// after the request's results have been copied back to the caller's IOSB and buffers.
struct CompletionApc {
    PIO_APC_ROUTINE routine;
    PVOID context;
    PIO_STATUS_BLOCK iosb;
};

VOID NTAPI IoCompletionApc(PVOID record, PVOID, PVOID) {
    auto* apc = static_cast<CompletionApc*>(record);
    ntsim::ntdll::ReapCompletedIo();
    apc->routine(apc->context, apc->iosb, 0);
    delete apc;
}

// The (routine, context) pair the kernel gets for a caller's completion routine.
struct ApcArguments {
    CompletionApc* record = nullptr;
    uint64_t routine = 0;
    uint64_t context = 0;

    ApcArguments(PIO_APC_ROUTINE apcRoutine, PVOID apcContext, PIO_STATUS_BLOCK iosb) {
        context = reinterpret_cast<ULONG_PTR>(apcContext);
        if (!apcRoutine) return;
        record = new CompletionApc{apcRoutine, apcContext, iosb};
        routine = reinterpret_cast<ULONG_PTR>(&IoCompletionApc);
        context = reinterpret_cast<ULONG_PTR>(record);
    }
    // A request that failed at once queues no APC: the record goes now.
    void Finish(NTSTATUS status) {
        if (record && NT_ERROR(status)) delete record;
        record = nullptr;
    }
};

// The object name into the thread's slot data area (after `used` bytes), with its length.
bool PutName(const OBJECT_ATTRIBUTES* oa, uint64_t* offset, uint64_t* bytes, size_t used = 0) {
    const UNICODE_STRING* name = oa->ObjectName;
    if (!name) {
        *offset = kNullOffset;
        *bytes = 0;
        return true;
    }
    if (name->Length > name->MaximumLength || (name->Length & 1) || (name->Length && !name->Buffer))
        return false;
    uint64_t base;
    uint8_t* data = ntsim::ntdll::SlotData(&base);
    std::memcpy(data + used, name->Buffer, name->Length);
    *offset = base + used;
    *bytes = name->Length;
    return true;
}

NTSTATUS Transfer(uint32_t service, HANDLE file, HANDLE event, PIO_APC_ROUTINE apcRoutine,
                  PVOID apcContext, PIO_STATUS_BLOCK iosb, PVOID buffer, ULONG length,
                  PLARGE_INTEGER byteOffset, PULONG key, bool read) {
    if (!iosb) return STATUS_ACCESS_VIOLATION;
    ntsim::ntdll::ReapCompletedIo();
    PendingIo op;
    if (!op.Begin(iosb) || !op.Stage(0, buffer, length, true, read) ||
        !op.Stage(1, byteOffset, byteOffset ? sizeof(LARGE_INTEGER) : 0, true, false) ||
        !op.Stage(2, key, key ? sizeof(ULONG) : 0, true, false)) {
        op.Abandon();
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Request r{};
    r.service = service;
    r.a[0] = H(file);
    r.a[1] = H(event);
    r.a[2] = op.buffers[0].offset;
    r.a[3] = length;
    r.a[4] = op.buffers[1].offset;
    r.a[5] = op.buffers[2].offset;
    r.a[6] = op.iosbOffset;
    ApcArguments apc(apcRoutine, apcContext, iosb);
    r.a[7] = apc.context;
    r.a[8] = apc.routine;
    Reply reply;
    NTSTATUS status = ntsim::ntdll::Call(r, &reply);
    op.Finish(status);
    apc.Finish(status);
    return status;
}

} // namespace

extern "C" NTSTATUS NTAPI NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes,
                                       PIO_STATUS_BLOCK IoStatusBlock,
                                       PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                                       ULONG ShareAccess, ULONG CreateDisposition,
                                       ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength) {
    if (!FileHandle || !ObjectAttributes || !IoStatusBlock) return STATUS_ACCESS_VIOLATION;
    if (ObjectAttributes->Length != sizeof(OBJECT_ATTRIBUTES)) return STATUS_INVALID_PARAMETER;
    PendingIo op;
    if (!op.Begin(IoStatusBlock) ||
        !op.Stage(0, AllocationSize, AllocationSize ? sizeof(LARGE_INTEGER) : 0, true, false) ||
        !op.Stage(1, EaBuffer, EaLength, true, false)) {
        op.Abandon();
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Request r{};
    r.service = kSvcCreateFile;
    // Connects the thread first: the name goes into its slot.
    NTSTATUS status = STATUS_SUCCESS;
    uint64_t nameOff, nameBytes;
    if (!ntsim::ntdll::ArenaBase() || !NtsimThreadId()) {
        op.Abandon();
        return STATUS_PORT_DISCONNECTED;
    }
    if (!PutName(ObjectAttributes, &nameOff, &nameBytes)) {
        op.Abandon();
        return STATUS_OBJECT_NAME_INVALID;
    }
    r.a[0] = DesiredAccess;
    r.a[1] = nameOff;
    r.a[2] = nameBytes;
    r.a[3] = ObjectAttributes->Attributes;
    r.a[4] = H(ObjectAttributes->RootDirectory);
    r.a[5] = op.buffers[0].offset;
    r.a[6] = FileAttributes;
    r.a[7] = ShareAccess;
    r.a[8] = CreateDisposition;
    r.a[9] = CreateOptions;
    r.a[10] = op.buffers[1].offset;
    r.a[11] = EaLength;
    r.a[12] = op.iosbOffset;
    Reply reply;
    status = ntsim::ntdll::Call(r, &reply);
    op.Finish(status);
    if (NT_SUCCESS(status)) *FileHandle = reinterpret_cast<HANDLE>(reply.v[0]);
    return status;
}

extern "C" NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                     POBJECT_ATTRIBUTES ObjectAttributes,
                                     PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess,
                                     ULONG OpenOptions) {
    return NtCreateFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, nullptr, 0,
                        ShareAccess, FILE_OPEN, OpenOptions, nullptr, 0);
}

extern "C" NTSTATUS NTAPI NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event,
                                                PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                                                PIO_STATUS_BLOCK IoStatusBlock, ULONG IoControlCode,
                                                PVOID InputBuffer, ULONG InputBufferLength,
                                                PVOID OutputBuffer, ULONG OutputBufferLength) {
    if (!IoStatusBlock) return STATUS_ACCESS_VIOLATION;
    ntsim::ntdll::ReapCompletedIo();
    PendingIo op;
    if (!op.Begin(IoStatusBlock) || !op.Stage(0, InputBuffer, InputBufferLength, true, false) ||
        !op.Stage(1, OutputBuffer, OutputBufferLength, true, true)) {
        op.Abandon();
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Request r{};
    r.service = kSvcDeviceIoControlFile;
    r.a[0] = H(FileHandle);
    r.a[1] = H(Event);
    r.a[2] = IoControlCode;
    r.a[3] = op.buffers[0].offset;
    r.a[4] = InputBufferLength;
    r.a[5] = op.buffers[1].offset;
    r.a[6] = OutputBufferLength;
    r.a[7] = op.iosbOffset;
    ApcArguments apc(ApcRoutine, ApcContext, IoStatusBlock);
    r.a[8] = apc.context;
    r.a[9] = apc.routine;
    Reply reply;
    NTSTATUS status = ntsim::ntdll::Call(r, &reply);
    op.Finish(status);
    apc.Finish(status);
    return status;
}

extern "C" NTSTATUS NTAPI NtReadFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                                     PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer,
                                     ULONG Length, PLARGE_INTEGER ByteOffset, PULONG Key) {
    return Transfer(kSvcReadFile, FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, Buffer,
                    Length, ByteOffset, Key, true);
}

extern "C" NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                                      PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                                      PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                                      PULONG Key) {
    return Transfer(kSvcWriteFile, FileHandle, Event, ApcRoutine, ApcContext, IoStatusBlock, Buffer,
                    Length, ByteOffset, Key, false);
}

extern "C" NTSTATUS NTAPI NtFlushBuffersFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock) {
    if (!IoStatusBlock) return STATUS_ACCESS_VIOLATION;
    PendingIo op;
    if (!op.Begin(IoStatusBlock)) return STATUS_INSUFFICIENT_RESOURCES;
    Request r{};
    r.service = kSvcFlushBuffersFile;
    r.a[0] = H(FileHandle);
    r.a[1] = op.iosbOffset;
    Reply reply;
    NTSTATUS status = ntsim::ntdll::Call(r, &reply);
    op.Finish(status);
    return status;
}

namespace {
// which: 0 CancelIo, 1 every request on the file, 2 the request at requestOffset.
NTSTATUS Cancel(HANDLE file, PIO_STATUS_BLOCK iosb, uint64_t which, uint64_t requestOffset) {
    if (!iosb) return STATUS_ACCESS_VIOLATION;
    PendingIo op;
    if (!op.Begin(iosb)) return STATUS_INSUFFICIENT_RESOURCES;
    Request r{};
    r.service = kSvcCancelIoFile;
    r.a[0] = H(file);
    r.a[1] = which;
    r.a[2] = op.iosbOffset;
    r.a[3] = requestOffset;
    Reply reply;
    NTSTATUS status = ntsim::ntdll::Call(r, &reply);
    op.Finish(status);
    ntsim::ntdll::ReapCompletedIo();
    return status;
}
} // namespace

extern "C" NTSTATUS NTAPI NtCancelIoFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock) {
    return Cancel(FileHandle, IoStatusBlock, 0, kNullOffset);
}

// IoRequestToCancel is the caller's IOSB (the OVERLAPPED); the kernel knows the request by the
// arena IOSB it writes, so the pending request is looked up here first.
extern "C" NTSTATUS NTAPI NtCancelIoFileEx(HANDLE FileHandle, PIO_STATUS_BLOCK IoRequestToCancel,
                                           PIO_STATUS_BLOCK IoStatusBlock) {
    if (!IoRequestToCancel) return Cancel(FileHandle, IoStatusBlock, 1, kNullOffset);
    // Not pending here: the kernel still checks the handle (STATUS_NOT_FOUND or its error).
    return Cancel(FileHandle, IoStatusBlock, 2, ntsim::ntdll::PendingIosbOffset(IoRequestToCancel));
}
