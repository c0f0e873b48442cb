// Exported file I/O system services. Zw* run as kernel-mode callers (handles and buffers are
// trusted); Nt* take the calling thread's previous mode, as a driver calling them on Windows
// gets.
#include "core/export.h"
#include "io/iop.h"
#include "ps/ps.h"

using namespace ntsim;

extern "C" NTSTATUS NTAPI ZwCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes,
                                       PIO_STATUS_BLOCK IoStatusBlock,
                                       PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                                       ULONG ShareAccess, ULONG CreateDisposition,
                                       ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength) {
    return io::NtCreateFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock,
                            AllocationSize, FileAttributes, ShareAccess, CreateDisposition,
                            CreateOptions, EaBuffer, EaLength, KernelMode);
}
NTSIM_EXPORT(ZwCreateFile);

extern "C" NTSTATUS NTAPI ZwOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                     POBJECT_ATTRIBUTES ObjectAttributes,
                                     PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess,
                                     ULONG OpenOptions) {
    return io::NtCreateFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, nullptr, 0,
                            ShareAccess, FILE_OPEN, OpenOptions, nullptr, 0, KernelMode);
}
NTSIM_EXPORT(ZwOpenFile);

extern "C" NTSTATUS NTAPI ZwReadFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                                     PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer,
                                     ULONG Length, PLARGE_INTEGER ByteOffset, PULONG Key) {
    return io::NtReadFile(FileHandle, Event, reinterpret_cast<PVOID>(ApcRoutine), ApcContext,
                          IoStatusBlock, Buffer, Length, ByteOffset, Key, KernelMode);
}
NTSIM_EXPORT(ZwReadFile);

extern "C" NTSTATUS NTAPI ZwWriteFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                                      PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                                      PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                                      PULONG Key) {
    return io::NtWriteFile(FileHandle, Event, reinterpret_cast<PVOID>(ApcRoutine), ApcContext,
                           IoStatusBlock, Buffer, Length, ByteOffset, Key, KernelMode);
}
NTSIM_EXPORT(ZwWriteFile);

extern "C" NTSTATUS NTAPI ZwDeviceIoControlFile(HANDLE FileHandle, HANDLE Event,
                                                PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                                                PIO_STATUS_BLOCK IoStatusBlock, ULONG IoControlCode,
                                                PVOID InputBuffer, ULONG InputBufferLength,
                                                PVOID OutputBuffer, ULONG OutputBufferLength) {
    return io::NtDeviceIoControlFile(FileHandle, Event, reinterpret_cast<PVOID>(ApcRoutine),
                                     ApcContext, IoStatusBlock, IoControlCode, InputBuffer,
                                     InputBufferLength, OutputBuffer, OutputBufferLength,
                                     KernelMode);
}
NTSIM_EXPORT(ZwDeviceIoControlFile);

extern "C" NTSTATUS NTAPI ZwFlushBuffersFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock) {
    return io::NtFlushBuffersFile(FileHandle, IoStatusBlock, KernelMode);
}
NTSIM_EXPORT(ZwFlushBuffersFile);

extern "C" NTSTATUS NTAPI NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes,
                                       PIO_STATUS_BLOCK IoStatusBlock,
                                       PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                                       ULONG ShareAccess, ULONG CreateDisposition,
                                       ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength) {
    return io::NtCreateFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock,
                            AllocationSize, FileAttributes, ShareAccess, CreateDisposition,
                            CreateOptions, EaBuffer, EaLength, ps::PreviousMode());
}
NTSIM_EXPORT(NtCreateFile);

extern "C" NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                     POBJECT_ATTRIBUTES ObjectAttributes,
                                     PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess,
                                     ULONG OpenOptions) {
    return io::NtCreateFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, nullptr, 0,
                            ShareAccess, FILE_OPEN, OpenOptions, nullptr, 0, ps::PreviousMode());
}
NTSIM_EXPORT(NtOpenFile);

extern "C" NTSTATUS NTAPI NtReadFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                                     PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer,
                                     ULONG Length, PLARGE_INTEGER ByteOffset, PULONG Key) {
    return io::NtReadFile(FileHandle, Event, reinterpret_cast<PVOID>(ApcRoutine), ApcContext,
                          IoStatusBlock, Buffer, Length, ByteOffset, Key, ps::PreviousMode());
}
NTSIM_EXPORT(NtReadFile);

extern "C" NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                                      PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                                      PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                                      PULONG Key) {
    return io::NtWriteFile(FileHandle, Event, reinterpret_cast<PVOID>(ApcRoutine), ApcContext,
                           IoStatusBlock, Buffer, Length, ByteOffset, Key, ps::PreviousMode());
}
NTSIM_EXPORT(NtWriteFile);

extern "C" NTSTATUS NTAPI NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event,
                                                PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                                                PIO_STATUS_BLOCK IoStatusBlock, ULONG IoControlCode,
                                                PVOID InputBuffer, ULONG InputBufferLength,
                                                PVOID OutputBuffer, ULONG OutputBufferLength) {
    return io::NtDeviceIoControlFile(FileHandle, Event, reinterpret_cast<PVOID>(ApcRoutine),
                                     ApcContext, IoStatusBlock, IoControlCode, InputBuffer,
                                     InputBufferLength, OutputBuffer, OutputBufferLength,
                                     ps::PreviousMode());
}
NTSIM_EXPORT(NtDeviceIoControlFile);
