#include "core/boot.h"

#include <mutex>

#include "ntstatus.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "ke/ke.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "io/io.h"
#include "ldr/ldr.h"

namespace ntsim {
namespace {
std::mutex g_bootLock;
bool g_booted = false;
} // namespace

NTSTATUS BootKernel(const BootOptions& options) {
    std::lock_guard lock(g_bootLock);
    if (g_booted) return STATUS_SUCCESS;
    // Order matters: pools first (everything allocates), then the dispatcher, the object
    // manager (types, namespace), processes (System, Idle), debug output, the I/O manager.
    ex::Initialize();
    ke::Initialize(options.processorCount);
    ob::Initialize();
    ps::Initialize();
    dbg::Initialize(); // debug records carry the NT ids of the emitting thread: needs Ps
    io::Initialize();
    ldr::Initialize();
    g_booted = true;
    return STATUS_SUCCESS;
}

bool KernelIsBooted() {
    std::lock_guard lock(g_bootLock);
    return g_booted;
}

void ShutdownKernel() {
    std::lock_guard lock(g_bootLock);
    if (!g_booted) return;
    ldr::Shutdown();
    io::Shutdown();
    g_booted = false;
}

} // namespace ntsim
