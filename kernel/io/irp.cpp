// IRP allocation, initialisation, the live-IRP registry (double completion and double free
// detection), the per-thread pending-IRP lists, and IofCallDriver.
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "core/callout.h"
#include "core/export.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "io/iop.h"
#include "ps/ps.h"

namespace ntsim::io {
namespace {

std::mutex g_irpLock;
// Held while cancelling a snapshot of pending IRPs; IoFreeIrp takes it so that an IRP being
// cancelled cannot be freed under the canceller (the cancel routine may complete it: recursive).
std::recursive_mutex g_cancelPinLock;
uint64_t g_nextSerial = 0;
std::unordered_map<PIRP, IrpInfo>& Irps() {
    static auto* irps = new std::unordered_map<PIRP, IrpInfo>; // used until process exit
    return *irps;
}

} // namespace

void TrackIrp(PIRP irp) {
    std::lock_guard guard(g_irpLock);
    IrpInfo info;
    info.serial = ++g_nextSerial;
    Irps()[irp] = info;
}

bool IsLiveIrp(PIRP irp) {
    std::lock_guard guard(g_irpLock);
    return Irps().count(irp) != 0;
}

void UntrackIrp(PIRP irp) {
    std::lock_guard guard(g_irpLock);
    Irps().erase(irp);
}

bool GetIrpInfo(PIRP irp, IrpInfo* info) {
    std::lock_guard guard(g_irpLock);
    auto it = Irps().find(irp);
    if (it == Irps().end()) return false;
    *info = it->second;
    return true;
}

void SetIrpInfo(PIRP irp, const IrpInfo& info) {
    std::lock_guard guard(g_irpLock);
    auto it = Irps().find(irp);
    if (it != Irps().end()) {
        uint64_t serial = it->second.serial;
        it->second = info;
        it->second.serial = serial;
    }
}

void QueueThreadIrp(PIRP irp) {
    std::lock_guard guard(g_irpLock);
    auto it = Irps().find(irp);
    if (it != Irps().end()) it->second.threaded = true;
}

void DequeueThreadIrp(PIRP irp) {
    std::lock_guard guard(g_irpLock);
    auto it = Irps().find(irp);
    if (it != Irps().end()) it->second.threaded = false;
}

std::vector<PendingIrp> PendingIrps(PETHREAD thread, PFILE_OBJECT file) {
    std::vector<PendingIrp> result;
    std::lock_guard guard(g_irpLock);
    for (auto& [irp, info] : Irps()) {
        if (!info.threaded) continue;
        if (thread && irp->Tail.Overlay.Thread != thread) continue;
        if (file && irp->Tail.Overlay.OriginalFileObject != file) continue;
        result.push_back({irp, info.serial, irp->UserIosb});
    }
    return result;
}

size_t CancelPendingIrps(const std::vector<PendingIrp>& irps) {
    std::lock_guard pin(g_cancelPinLock);
    size_t cancelled = 0;
    for (const PendingIrp& p : irps) {
        {
            std::lock_guard guard(g_irpLock);
            auto it = Irps().find(p.irp);
            if (it == Irps().end() || it->second.serial != p.serial) continue;
        }
        IoCancelIrp(p.irp);
        ++cancelled;
    }
    return cancelled;
}

size_t PendingIrpCount(PETHREAD thread, PFILE_OBJECT file) {
    return PendingIrps(thread, file).size();
}

} // namespace ntsim::io

using namespace ntsim;

extern "C" VOID NTAPI IoInitializeIrp(PIRP Irp, USHORT PacketSize, CCHAR StackSize) {
    std::memset(Irp, 0, PacketSize);
    Irp->Type = IO_TYPE_IRP;
    Irp->Size = PacketSize;
    Irp->StackCount = StackSize;
    Irp->CurrentLocation = CHAR(StackSize + 1);
    Irp->ThreadListEntry.Flink = Irp->ThreadListEntry.Blink = &Irp->ThreadListEntry;
    Irp->Tail.Overlay.CurrentStackLocation =
        reinterpret_cast<PIO_STACK_LOCATION>(reinterpret_cast<char*>(Irp) + sizeof(IRP)) +
        StackSize;
    if (!io::IsLiveIrp(Irp)) io::TrackIrp(Irp);
}
NTSIM_EXPORT(IoInitializeIrp);

extern "C" PIRP NTAPI IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota) {
    if (StackSize < 1) return nullptr;
    const USHORT size = IoSizeOfIrp(StackSize);
    auto irp = static_cast<PIRP>(io::AllocateIoBlock(size, io::kIrpTag));
    if (!irp) return nullptr;
    IoInitializeIrp(irp, size, StackSize);
    if (ChargeQuota) irp->AllocationFlags |= IRP_QUOTA_CHARGED;
    return irp;
}
NTSIM_EXPORT(IoAllocateIrp);

// Freeing an IRP that is not live (already freed) is a pool double free.
extern "C" VOID NTAPI IoFreeIrp(PIRP Irp) {
    if (!Irp || !io::IsLiveIrp(Irp) || Irp->Type != IO_TYPE_IRP)
        dbg::BugCheck(io::kBugCheckBadPoolCaller, 7, 0, reinterpret_cast<ULONG_PTR>(Irp), 0);
    std::lock_guard pin(io::g_cancelPinLock);
    io::UntrackIrp(Irp);
    Irp->Type = 0;
    io::FreeIoBlock(Irp);
}
NTSIM_EXPORT(IoFreeIrp);

// Reinitialises a completed IRP for another request, keeping its allocation flags.
extern "C" VOID NTAPI IoReuseIrp(PIRP Irp, NTSTATUS Iostatus) {
    UCHAR allocationFlags = Irp->AllocationFlags;
    IoInitializeIrp(Irp, Irp->Size, Irp->StackCount);
    io::SetIrpInfo(Irp, io::IrpInfo{});
    Irp->IoStatus.Status = Iostatus;
    Irp->AllocationFlags = allocationFlags;
}
NTSIM_EXPORT(IoReuseIrp);

// Moves to the next stack location, makes it the target device's, and calls the dispatch
// routine of its major function.
extern "C" NTSTATUS NTAPI IofCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    Irp->CurrentLocation--;
    if (Irp->CurrentLocation <= 0)
        dbg::BugCheck(io::kBugCheckNoMoreIrpStackLocations, reinterpret_cast<ULONG_PTR>(Irp));
    PIO_STACK_LOCATION stack = --Irp->Tail.Overlay.CurrentStackLocation;
    stack->DeviceObject = DeviceObject;
    PDRIVER_DISPATCH dispatch =
        stack->MajorFunction <= IRP_MJ_MAXIMUM_FUNCTION
            ? DeviceObject->DriverObject->MajorFunction[stack->MajorFunction]
            : io::InvalidDeviceRequest;
    return CallDriverRoutine(dispatch, DeviceObject, Irp);
}
NTSIM_EXPORT(IofCallDriver);

extern "C" PEPROCESS NTAPI IoGetRequestorProcess(PIRP Irp) {
    PETHREAD thread = Irp ? Irp->Tail.Overlay.Thread : nullptr;
    return thread ? ps::ProcessOf(thread) : nullptr;
}
NTSIM_EXPORT(IoGetRequestorProcess);

extern "C" ULONG NTAPI IoGetRequestorProcessId(PIRP Irp) {
    PEPROCESS process = IoGetRequestorProcess(Irp);
    return process ? HandleToULong(ps::ProcessId(process)) : 0;
}
NTSIM_EXPORT(IoGetRequestorProcessId);

// Synchronous: the file is synchronous or the API waits, unless it is asynchronous paging I/O.
extern "C" BOOLEAN NTAPI IoIsOperationSynchronous(PIRP Irp) {
    PFILE_OBJECT file = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    const bool syncFile = file && (file->Flags & FO_SYNCHRONOUS_IO);
    const bool syncRequest =
        syncFile || (Irp->Flags & IRP_SYNCHRONOUS_API) || (Irp->Flags & IRP_SYNCHRONOUS_PAGING_IO);
    const bool asyncPaging =
        (Irp->Flags & IRP_PAGING_IO) && !(Irp->Flags & IRP_SYNCHRONOUS_PAGING_IO);
    return syncRequest && !asyncPaging;
}
NTSIM_EXPORT(IoIsOperationSynchronous);

extern "C" PGENERIC_MAPPING NTAPI IoGetFileObjectGenericMapping(VOID) {
    static GENERIC_MAPPING mapping = {FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE,
                                      FILE_ALL_ACCESS};
    return &mapping;
}
NTSIM_EXPORT(IoGetFileObjectGenericMapping);
