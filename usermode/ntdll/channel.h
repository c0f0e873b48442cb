// The client end of the channel to the kernel (see kernel/lpc/protocol.h).
#pragma once

#include <ntdef.h>

#include <cstddef>
#include <cstdint>

#include "lpc/protocol.h"

namespace ntsim::ntdll {

// Makes one system call from the calling thread (connecting the thread, and the process, on
// first use). Returns reply->status, or STATUS_PORT_DISCONNECTED without a kernel.
NTSTATUS Call(const lpc::wire::Request& request, lpc::wire::Reply* reply);

// The arena as this process maps it (nullptr when not connected).
uint8_t* ArenaBase();
// Offset of p inside the arena if [p, p + size) lies in it, else kNullOffset.
uint64_t ArenaOffsetOf(const void* p, size_t size);

// Arena heap (kHeapOffset..kArenaSize): blocks for staged buffers and IOSBs.
void* HeapAllocate(size_t size);
void HeapFree(void* p);

// The calling thread's slot data area (names, handle arrays): valid until its next call.
uint8_t* SlotData(uint64_t* offset);

} // namespace ntsim::ntdll
