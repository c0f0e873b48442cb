// Cancellation: the cancel spin lock, IoCancelIrp, CancelIo (NtCancelIoFile) and the rundown of
// a terminating thread's pending IRPs.
#include <chrono>
#include <thread>

#include "core/callout.h"
#include "core/export.h"
#include "dbg/dbg.h"
#include "io/iop.h"
#include "ob/ob.h"
#include "ps/ps.h"

namespace ntsim::io {
namespace {

KSPIN_LOCK g_cancelLock = 0;

// How long rundown waits for cancelled IRPs to complete before giving up on them (Windows
// waits five minutes, then disassociates them from the thread and logs an error).
constexpr auto kRundownWait = std::chrono::minutes(5);

// Waits (polling, like Windows' 10 ms delay loop) until no IRP of `thread` on `file` is pending.
bool WaitForPendingIrps(PETHREAD thread, PFILE_OBJECT file, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (PendingIrpCount(thread, file) != 0) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

} // namespace

void CancelThreadIrps(PETHREAD thread) {
    if (!thread) return;
    CancelPendingIrps(PendingIrps(thread, nullptr));
    if (!WaitForPendingIrps(thread, nullptr,
                            std::chrono::duration_cast<std::chrono::milliseconds>(kRundownWait))) {
        for (const PendingIrp& pending : PendingIrps(thread, nullptr)) {
            PIRP irp = pending.irp;
            dbg::LogKernelMessage(dbg::Severity::Error,
                                  "I/O rundown: IRP %p of a terminating thread was not completed "
                                  "after cancellation; disassociated from the thread",
                                  static_cast<void*>(irp));
            DequeueThreadIrp(irp);
            irp->Tail.Overlay.Thread = nullptr;
        }
    }
}

namespace {
void ReportCancelIosb(PIO_STATUS_BLOCK ioStatusBlock, KPROCESSOR_MODE mode) {
    if (!ioStatusBlock) return;
    IO_STATUS_BLOCK result{};
    result.Status = STATUS_SUCCESS;
    if (mode == UserMode) {
        SafeCopy(ioStatusBlock, &result, sizeof result);
    } else {
        *ioStatusBlock = result;
    }
}
} // namespace

NTSTATUS NtCancelIoFileEx(HANDLE fileHandle, PIO_STATUS_BLOCK requestToCancel,
                          PIO_STATUS_BLOCK ioStatusBlock) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    if (mode == UserMode && ioStatusBlock) {
        NTSTATUS probe =
            ProbeUserBuffer(ioStatusBlock, sizeof(IO_STATUS_BLOCK), alignof(ULONG), true);
        if (!NT_SUCCESS(probe)) return probe;
    }
    PVOID body = nullptr;
    NTSTATUS status = ob::ReferenceHandle(fileHandle, FileType(), 0, mode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    auto file = static_cast<PFILE_OBJECT>(body);
    std::vector<PendingIrp> irps;
    for (const PendingIrp& p : PendingIrps(nullptr, file))
        if (!requestToCancel || p.userIosb == requestToCancel) irps.push_back(p);
    const size_t cancelled = CancelPendingIrps(irps);
    ob::DereferenceObject(file);
    if (cancelled == 0) return STATUS_NOT_FOUND;
    ReportCancelIosb(ioStatusBlock, mode);
    return STATUS_SUCCESS;
}

NTSTATUS NtCancelIoFile(HANDLE fileHandle, PIO_STATUS_BLOCK ioStatusBlock, bool allThreads) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    if (mode == UserMode && ioStatusBlock) {
        NTSTATUS probe =
            ProbeUserBuffer(ioStatusBlock, sizeof(IO_STATUS_BLOCK), alignof(ULONG), true);
        if (!NT_SUCCESS(probe)) return probe;
    }
    PVOID body = nullptr;
    NTSTATUS status = ob::ReferenceHandle(fileHandle, FileType(), 0, mode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    auto file = static_cast<PFILE_OBJECT>(body);
    PETHREAD thread = allThreads ? nullptr : ps::CurrentThread();
    auto irps = PendingIrps(thread, file);
    CancelPendingIrps(irps);
    // CancelIo waits for the calling thread's requests to finish; CancelIoEx does not.
    if (!allThreads) WaitForPendingIrps(thread, file, std::chrono::milliseconds(INT32_MAX));
    ob::DereferenceObject(file);
    if (allThreads && irps.empty()) return STATUS_NOT_FOUND;
    if (ioStatusBlock) {
        IO_STATUS_BLOCK result{};
        result.Status = STATUS_SUCCESS;
        if (mode == UserMode) {
            SafeCopy(ioStatusBlock, &result, sizeof result);
        } else {
            *ioStatusBlock = result;
        }
    }
    return STATUS_SUCCESS;
}

} // namespace ntsim::io

using namespace ntsim;

extern "C" VOID NTAPI IoAcquireCancelSpinLock(PKIRQL Irql) {
    *Irql = KeAcquireSpinLockRaiseToDpc(&io::g_cancelLock);
}
NTSIM_EXPORT(IoAcquireCancelSpinLock);

extern "C" VOID NTAPI IoReleaseCancelSpinLock(KIRQL Irql) {
    KeReleaseSpinLock(&io::g_cancelLock, Irql);
}
NTSIM_EXPORT(IoReleaseCancelSpinLock);

// Marks the IRP cancelled and, if it holds a cancel routine, calls it with the cancel spin
// lock held (the routine releases it with Irp->CancelIrql). TRUE if a routine was called.
extern "C" BOOLEAN NTAPI IoCancelIrp(PIRP Irp) {
    KIRQL irql;
    IoAcquireCancelSpinLock(&irql);
    Irp->Cancel = TRUE;
    PDRIVER_CANCEL routine = IoSetCancelRoutine(Irp, nullptr);
    if (!routine) {
        IoReleaseCancelSpinLock(irql);
        return FALSE;
    }
    if (Irp->CurrentLocation > Irp->StackCount)
        dbg::BugCheck(io::kBugCheckCancelStateInCompletedIrp, reinterpret_cast<ULONG_PTR>(Irp),
                      reinterpret_cast<ULONG_PTR>(routine));
    Irp->CancelIrql = irql;
    CallDriverRoutine(routine, IoGetCurrentIrpStackLocation(Irp)->DeviceObject, Irp);
    return TRUE;
}
NTSIM_EXPORT(IoCancelIrp);
