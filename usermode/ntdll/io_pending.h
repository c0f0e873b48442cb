// Staging of one I/O request's buffers and IOSB through the arena, and the requests that
// returned STATUS_PENDING whose results still have to be copied back.
#pragma once

#include <windows.h>
#include <winternl.h>

#include <cstdint>

namespace ntsim::ntdll {

struct Buffer {
    void* user = nullptr;  // the caller's buffer
    void* arena = nullptr; // where the kernel sees it (== user if it already was in the arena)
    size_t length = 0;
    uint64_t offset = ~0ull; // kNullOffset for NULL
    bool owned = false;      // arena is a heap block of ours
    bool copyBack = false;   // the kernel may write it: copy back at completion
};

struct PendingIo {
    static constexpr int kBuffers = 3;
    PIO_STATUS_BLOCK userIosb = nullptr;
    IO_STATUS_BLOCK* arenaIosb = nullptr;
    uint64_t iosbOffset = ~0ull;
    Buffer buffers[kBuffers];

    // Allocates the arena IOSB (its Status preset to STATUS_PENDING: the kernel overwrites it
    // when the request completes).
    bool Begin(PIO_STATUS_BLOCK iosb);
    bool Stage(int index, void* user, size_t length, bool copyIn, bool copyBack);
    // After the call: copies back and frees now, or (STATUS_PENDING) queues the request.
    void Finish(NTSTATUS status);
    void Abandon(); // frees without copying back
    bool Completed() const;
    void CopyBackAndFree();
};

// Copies back and frees every queued request that has completed. Called after waits and
// before new I/O.
void ReapCompletedIo();

// The arena offset of the kernel's IOSB of the pending request whose caller IOSB (OVERLAPPED)
// is `userIosb`; ~0 (kNullOffset) when no such request is pending.
uint64_t PendingIosbOffset(const IO_STATUS_BLOCK* userIosb);

} // namespace ntsim::ntdll
