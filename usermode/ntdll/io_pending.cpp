// Requests in flight: their arena copies live until the kernel has written the final IOSB.
#include "io_pending.h"

#include <atomic>
#include <cstring>
#include <mutex>
#include <vector>

#include <ntstatus.h>

#include "channel.h"
#include "ntdll_internal.h"

namespace ntsim::ntdll {
namespace {

struct PendingList {
    std::mutex lock;
    std::vector<PendingIo> ops;
};
PendingList& Pending() {
    static PendingList* list = new PendingList;
    return *list;
}

NTSTATUS ReadStatus(const IO_STATUS_BLOCK* iosb) {
    return __atomic_load_n(&iosb->Status, __ATOMIC_ACQUIRE);
}

} // namespace

bool PendingIo::Begin(PIO_STATUS_BLOCK iosb) {
    userIosb = iosb;
    arenaIosb = static_cast<IO_STATUS_BLOCK*>(HeapAllocate(sizeof(IO_STATUS_BLOCK)));
    if (!arenaIosb) {
        // Not connected: the call itself reports it.
        if (!ArenaBase()) {
            iosbOffset = ~0ull;
            return true;
        }
        return false;
    }
    arenaIosb->Status = STATUS_PENDING;
    arenaIosb->Information = 0;
    iosbOffset = ArenaOffsetOf(arenaIosb, sizeof(IO_STATUS_BLOCK));
    return true;
}

bool PendingIo::Stage(int index, void* user, size_t length, bool copyIn, bool copyBack) {
    Buffer& b = buffers[index];
    b.user = user;
    b.length = length;
    b.copyBack = copyBack;
    if (!user) return true;
    uint64_t inArena = ArenaOffsetOf(user, length);
    if (inArena != ~0ull) { // already shared: no copy
        b.arena = user;
        b.offset = inArena;
        return true;
    }
    if (!ArenaBase()) return true; // not connected: the call fails anyway
    b.arena = HeapAllocate(length);
    if (!b.arena) return false;
    b.owned = true;
    b.offset = ArenaOffsetOf(b.arena, length);
    // Output buffers are copied in too: a driver using direct or neither I/O sees the caller's
    // bytes, and the bytes it does not write come back unchanged.
    if (copyIn && length) std::memcpy(b.arena, user, length);
    return true;
}

bool PendingIo::Completed() const {
    return !arenaIosb || ReadStatus(arenaIosb) != STATUS_PENDING;
}

void PendingIo::CopyBackAndFree() {
    for (Buffer& b : buffers) {
        if (b.owned) {
            if (b.copyBack && b.length) std::memcpy(b.user, b.arena, b.length);
            HeapFree(b.arena);
        }
        b = Buffer{};
    }
    if (arenaIosb) {
        // Written by the kernel only when the request completed through the I/O manager; an
        // early failure leaves the caller's IOSB untouched, as on Windows.
        if (ReadStatus(arenaIosb) != STATUS_PENDING && userIosb) *userIosb = *arenaIosb;
        HeapFree(arenaIosb);
        arenaIosb = nullptr;
    }
}

void PendingIo::Abandon() {
    for (Buffer& b : buffers) {
        if (b.owned) HeapFree(b.arena);
        b = Buffer{};
    }
    HeapFree(arenaIosb);
    arenaIosb = nullptr;
}

void PendingIo::Finish(NTSTATUS status) {
    if (status == STATUS_PENDING && arenaIosb) {
        if (Completed()) { // already done by the time we look
            CopyBackAndFree();
            return;
        }
        PendingList& list = Pending();
        std::lock_guard guard(list.lock);
        list.ops.push_back(*this);
        arenaIosb = nullptr;
        for (Buffer& b : buffers)
            b = Buffer{};
        return;
    }
    CopyBackAndFree();
}

void ReapCompletedIo() {
    PendingList& list = Pending();
    std::lock_guard guard(list.lock);
    for (auto it = list.ops.begin(); it != list.ops.end();) {
        if (it->Completed()) {
            it->CopyBackAndFree();
            it = list.ops.erase(it);
        } else {
            ++it;
        }
    }
}

} // namespace ntsim::ntdll

void NtsimReapCompletedIo() {
    ntsim::ntdll::ReapCompletedIo();
}

namespace ntsim::ntdll {

uint64_t PendingIosbOffset(const IO_STATUS_BLOCK* userIosb) {
    ReapCompletedIo();
    PendingList& list = Pending();
    std::lock_guard guard(list.lock);
    for (const PendingIo& op : list.ops)
        if (op.userIosb == userIosb && !op.Completed()) return op.iosbOffset;
    return ~0ull;
}

} // namespace ntsim::ntdll
