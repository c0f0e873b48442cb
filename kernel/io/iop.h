// Private interface between the I/O manager's own files (not for other components: they use
// io/io.h). Names follow NT's Iop* internals.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <wdm.h>

#include "io/io.h"

namespace ntsim::io {

// Stop codes the I/O manager raises.
constexpr ULONG kBugCheckReferenceByPointer = 0x18;      // REFERENCE_BY_POINTER
constexpr ULONG kBugCheckNoMoreIrpStackLocations = 0x35; // NO_MORE_IRP_STACK_LOCATIONS
constexpr ULONG kBugCheckMultipleIrpComplete = 0x44;     // MULTIPLE_IRP_COMPLETE_REQUESTS
constexpr ULONG kBugCheckCancelStateInCompletedIrp = 0x48;
constexpr ULONG kBugCheckBadPoolCaller = 0xC2; // BAD_POOL_CALLER

// Pool tags (memory order as poolmon shows them).
constexpr ULONG kIrpTag = 0x20707249;          // "Irp "
constexpr ULONG kBufferTag = 0x66427249;       // "IrBf": system buffers of buffered I/O
constexpr ULONG kNameTag = 0x6D4E6F49;         // "IoNm": file/driver name strings
constexpr ULONG kCompletionExTag = 0x78436F49; // "IoCx": IoSetCompletionRoutineEx contexts

// Object types (valid after Initialize).
POBJECT_TYPE DeviceType();
POBJECT_TYPE DriverType();
POBJECT_TYPE FileType();

// ---- device objects -------------------------------------------------------------------------
// The device object extension: the public DEVOBJ_EXTENSION head, then the I/O manager's state.
struct DeviceExtension {
    DEVOBJ_EXTENSION pub;
    PDEVICE_OBJECT attachedTo; // the device this one is attached on top of (AttachedTo)
    bool deletePending;        // IoDeleteDevice was called: opens fail, memory stays
    bool unloadPending;        // its driver is being stopped (DOE_UNLOAD_PENDING): opens fail
};
DeviceExtension* ExtensionOf(PDEVICE_OBJECT device);
// A file object released its device (ReferenceCount already decremented): runs a deferred
// driver unload when that was the driver's last open (unload_pending.cpp).
void DeviceFileReleased(PDEVICE_OBJECT device);

// The device an IRP for a file object goes to: the top of the stack above its device.
PDEVICE_OBJECT TopOfStack(PDEVICE_OBJECT device);

// Guards device stacks (AttachedDevice links) and drivers' device lists.
void LockDatabase();
void UnlockDatabase();
struct DatabaseGuard {
    DatabaseGuard() { LockDatabase(); }
    ~DatabaseGuard() { UnlockDatabase(); }
    DatabaseGuard(const DatabaseGuard&) = delete;
    DatabaseGuard& operator=(const DatabaseGuard&) = delete;
};

// The default dispatch routine of every major function (IopInvalidDeviceRequest).
NTSTATUS InvalidDeviceRequest(PDEVICE_OBJECT device, PIRP irp);

// ---- IRP bookkeeping ------------------------------------------------------------------------
// What the I/O manager remembers about an IRP beyond its Windows fields.
struct IrpInfo {
    bool fileReferenced = false;   // drop a reference on OriginalFileObject at completion
    bool eventReferenced = false;  // UserEvent is an event object referenced from a handle
    bool hasCopyBackLimit = false; // buffered copy-back never exceeds the caller's buffer
    ULONG copyBackLimit = 0;
    bool threaded = false; // on its thread's pending-IRP list
    uint64_t serial = 0;   // tells a reused IRP address from the IRP it replaced
};

// Live IRPs (allocated or initialised, not yet freed).
void TrackIrp(PIRP irp);
bool IsLiveIrp(PIRP irp);
void UntrackIrp(PIRP irp);
// Copies of / updates to the per-IRP state. False for an unknown IRP.
bool GetIrpInfo(PIRP irp, IrpInfo* info);
void SetIrpInfo(PIRP irp, const IrpInfo& info);

// The requesting thread's pending-IRP list (Windows: ETHREAD.IrpList).
void QueueThreadIrp(PIRP irp);
void DequeueThreadIrp(PIRP irp);
// Snapshot of the pending IRPs of a thread (nullptr: every thread) on a file (nullptr: any).
struct PendingIrp {
    PIRP irp;
    uint64_t serial;
    PIO_STATUS_BLOCK userIosb; // Irp->UserIosb when the snapshot was taken (CancelIoEx match)
};
std::vector<PendingIrp> PendingIrps(PETHREAD thread, PFILE_OBJECT file);
size_t PendingIrpCount(PETHREAD thread, PFILE_OBJECT file);
// Cancels IRPs of a snapshot that are still the same live IRPs (IoFreeIrp waits meanwhile).
size_t CancelPendingIrps(const std::vector<PendingIrp>& irps);

// The I/O manager's half of completion (IopCompleteRequest): copy-back, IOSB, events, buffers,
// MDLs, references, thread list, and the IRP itself.
void CompleteIoManagerPart(PIRP irp);

// The I/O manager's per-thread lookaside (io_lookaside.cpp) for IRPs and system buffers: a pool
// block of `size` bytes with `tag` (contents undefined), and its release (any live pool block;
// a block that is not live bug checks as ExFreePool would).
PVOID AllocateIoBlock(SIZE_T size, ULONG tag);
void FreeIoBlock(PVOID block);

// ---- user buffers ---------------------------------------------------------------------------
// ProbeForRead/ProbeForWrite semantics as a status: STATUS_SUCCESS, STATUS_ACCESS_VIOLATION or
// STATUS_DATATYPE_MISALIGNMENT. Length 0 always succeeds.
NTSTATUS ProbeUserBuffer(const void* address, SIZE_T length, ULONG alignment, bool write);
// Copies without faulting: STATUS_ACCESS_VIOLATION when the memory is not accessible.
NTSTATUS SafeCopy(void* destination, const void* source, SIZE_T length);
// The same when one side is kernel memory the caller owns (a local, a pool block): only the
// requester's side is checked, which saves a system call per copy.
NTSTATUS SafeCopyToUser(void* userDestination, const void* kernelSource, SIZE_T length);
NTSTATUS SafeCopyFromUser(void* kernelDestination, const void* userSource, SIZE_T length);

// ---- file objects ---------------------------------------------------------------------------
// Private part allocated right after the FILE_OBJECT body.
struct FileExtension {
    bool created; // IRP_MJ_CREATE succeeded: CLEANUP/CLOSE are due
    bool cleanupSent;
    std::u16string name; // backing store of FileObject->FileName
};
FileExtension* ExtensionOf(PFILE_OBJECT file);

// The I/O manager's open packet (parse context of NtCreateFile / IoGetDeviceObjectPointer).
struct OpenPacket {
    CSHORT type = IO_TYPE_OPEN_PACKET;
    CSHORT size = sizeof(OpenPacket);
    KPROCESSOR_MODE previousMode = KernelMode;
    ULONG createDisposition = FILE_OPEN;
    ULONG createOptions = 0;
    ULONG fileAttributes = 0;
    ULONG shareAccess = 0;
    PVOID eaBuffer = nullptr;
    ULONG eaLength = 0;
    LARGE_INTEGER allocationSize{};
    // Results.
    bool driverCalled = false; // IRP_MJ_CREATE reached the driver (finalStatus is its answer)
    bool parsed = false;       // the parse procedure ran and created the file object
    NTSTATUS finalStatus = STATUS_SUCCESS;
    ULONG_PTR information = 0; // IoStatus.Information of the create (FILE_OPENED...)
};

// Sends a CLEANUP or CLOSE request for a file object and waits for it (handle close and
// last-reference paths). The driver's status is ignored, as Windows does.
void SendFileIrp(PFILE_OBJECT file, UCHAR majorFunction);

// Waits on an event for a synchronous request (KernelMode, not alertable).
void WaitForEvent(PKEVENT event);

// The Event object type (for event handles passed to the I/O services).
POBJECT_TYPE EventObjectType();

} // namespace ntsim::io
