// Kernel-internal interface of the I/O manager (used by Ldr, the lpc system-call layer and
// tools; drivers use the exported Io* APIs in sdk/include/km/io.h).
#pragma once

#include <string>
#include <vector>

#include "ntdef.h"
#include "km/types.h"

typedef NTSTATUS DRIVER_INITIALIZE_FN(PDRIVER_OBJECT, PUNICODE_STRING);
typedef struct _FILE_OBJECT FILE_OBJECT;

namespace ntsim::io {

void Initialize(); // Device, Driver, File, IoCompletion types; \Device, \Driver; built-ins
void Shutdown();

// Creates \Driver\<serviceName> (every MajorFunction set to the invalid-device-request
// handler, DriverName, DriverExtension->ServiceKeyName, HardwareDatabase), referenced.
NTSTATUS CreateDriverObject(const std::u16string& serviceName, PDRIVER_OBJECT* driver);
// Runs DriverEntry in the calling (system) thread at PASSIVE_LEVEL through CallDriverRoutine,
// then clears DO_DEVICE_INITIALIZING on the devices it created.
NTSTATUS CallDriverEntry(PDRIVER_OBJECT driver, DRIVER_INITIALIZE_FN* entry,
                         const std::u16string& registryPath);
// Removes \Driver\<name> and drops the creator's reference (after DriverUnload or a failed
// DriverEntry).
void DeleteDriverObject(PDRIVER_OBJECT driver);
// The driver's devices, in its DeviceObject list order.
std::vector<PDEVICE_OBJECT> DevicesOf(PDRIVER_OBJECT driver);

// The I/O system services. previousMode is UserMode for requests from client processes (the
// lpc layer) and KernelMode for the Zw* exports; it decides probing and buffer rules exactly as
// on Windows. They return what NtXxx returns on Windows (the dispatch status for synchronous
// I/O, or the final IOSB status when a synchronous request pended).
NTSTATUS NtCreateFile(PHANDLE fileHandle, ACCESS_MASK desiredAccess,
                      POBJECT_ATTRIBUTES objectAttributes, PIO_STATUS_BLOCK ioStatusBlock,
                      PLARGE_INTEGER allocationSize, ULONG fileAttributes, ULONG shareAccess,
                      ULONG createDisposition, ULONG createOptions, PVOID eaBuffer, ULONG eaLength,
                      KPROCESSOR_MODE previousMode);
NTSTATUS NtDeviceIoControlFile(HANDLE fileHandle, HANDLE event, PVOID apcRoutine, PVOID apcContext,
                               PIO_STATUS_BLOCK ioStatusBlock, ULONG ioControlCode,
                               PVOID inputBuffer, ULONG inputBufferLength, PVOID outputBuffer,
                               ULONG outputBufferLength, KPROCESSOR_MODE previousMode,
                               bool internal = false);
NTSTATUS NtReadFile(HANDLE fileHandle, HANDLE event, PVOID apcRoutine, PVOID apcContext,
                    PIO_STATUS_BLOCK ioStatusBlock, PVOID buffer, ULONG length,
                    PLARGE_INTEGER byteOffset, PULONG key, KPROCESSOR_MODE previousMode);
NTSTATUS NtWriteFile(HANDLE fileHandle, HANDLE event, PVOID apcRoutine, PVOID apcContext,
                     PIO_STATUS_BLOCK ioStatusBlock, PVOID buffer, ULONG length,
                     PLARGE_INTEGER byteOffset, PULONG key, KPROCESSOR_MODE previousMode);
NTSTATUS NtFlushBuffersFile(HANDLE fileHandle, PIO_STATUS_BLOCK ioStatusBlock,
                            KPROCESSOR_MODE previousMode);
// Cancels the calling thread's pending IRPs on a file (CancelIo) or every IRP on it
// (CancelIoEx with no OVERLAPPED).
NTSTATUS NtCancelIoFile(HANDLE fileHandle, PIO_STATUS_BLOCK ioStatusBlock, bool allThreads);
// NtCancelIoFileEx: every request on the file from any thread of any process (requestToCancel
// NULL) or the requests whose IOSB is requestToCancel; STATUS_NOT_FOUND when none is pending.
// Does not wait for the cancelled requests to complete.
NTSTATUS NtCancelIoFileEx(HANDLE fileHandle, PIO_STATUS_BLOCK requestToCancel,
                          PIO_STATUS_BLOCK ioStatusBlock);

// ---- additions (booster: stopping a driver that has open files) ----
// As IopUnloadDriver does: marks every device of the driver unload-pending (new opens fail with
// STATUS_NO_SUCH_DEVICE) and returns true if none is open, so DriverUnload may run now. If some
// device is still open, the unload is deferred: when the last file object of the driver's
// devices goes, the handler set below is called with the driver (on the releasing thread).
bool PrepareDriverUnload(PDRIVER_OBJECT driver);
void SetDeferredUnloadHandler(void (*handler)(PDRIVER_OBJECT driver));
// Forgets a deferred unload (shutdown finishes it itself); false if none was pending.
bool CancelDeferredUnload(PDRIVER_OBJECT driver);

// Pending IRPs issued by a thread (rundown cancels them).
void CancelThreadIrps(PETHREAD thread);

} // namespace ntsim::io
