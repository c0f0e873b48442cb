// Kernel-internal interface of the client channel (the "LPC" between client processes and the
// kernel): the socket server `ntsim boot` runs, and the system-call dispatcher it feeds.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "ntdef.h"
#include "lpc/protocol.h"

namespace ntsim::lpc {

// Registers the channel's control commands (ping, shutdown, driver.load, driver.unload,
// lpc.stats). Called by BootKernel.
void Initialize();

struct ServerOptions {
    std::string root;         // ROOT: the socket is ROOT/ntsim.sock
    bool allowOthers = false; // accept clients whose uid differs from the kernel's
};

// Creates and binds ROOT/ntsim.sock (0600) and starts serving clients and control
// connections. The kernel must be booted. On failure returns false with a message.
bool StartServer(const ServerOptions& options, std::string* error);
// Blocks until a "shutdown" control request (or RequestStop) arrives.
void WaitForStopRequest();
void RequestStop();
// Stops accepting, runs every connected client down (as if it had died) and removes the socket.
void StopServer();

// Connected client processes / threads (for tests and tools).
size_t ClientProcessCount();

// What a system call may touch of its client: the kernel's view of the client's arena.
struct ClientContext {
    uint8_t* arena = nullptr;
    uint64_t arenaSize = 0;
    const std::atomic<bool>* dead = nullptr; // set when the client went away: waits give up
};

// Runs one system call for the current (client) thread with previous mode UserMode. Every
// field of `request` is validated; bad input gives an error status, never a crash.
void DispatchSyscall(const ClientContext& client, const wire::Request& request, wire::Reply* reply);

} // namespace ntsim::lpc
