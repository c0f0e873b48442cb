#include "core/boot.h"

#include <mutex>

#include "ntstatus.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "ke/ke.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "io/io.h"
#include "hal/hal.h"
#include "ldr/ldr.h"
#include "lpc/lpc.h"
#include "cm/cm.h"
#include "cm/services.h"
#include "dbg/dbg_control.h"
#include "ob/ob_control.h"
#include "ps/ps_control.h"

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
    ex::InitializeKernelObjectEvents(); // \KernelObjects events: needs Ob
    dbg::Initialize(); // debug records carry the NT ids of the emitting thread: needs Ps
    // The registry (Key objects: needs Ob) feeds the Debug Print Filter before drivers print.
    // No root (unit tests): an in-memory hive.
    cm::Initialize(options.root.empty() ? std::string() : options.root + "/registry.db");
    io::Initialize();
    ldr::Initialize();
    hal::Initialize(options.root); // built-in \Driver\Beep: \Device\Beep renders to ROOT/audio
    lpc::Initialize(); // control commands (the socket server is started by `ntsim boot`)
    cm::RegisterControlHandlers(); // sc.*, reg.*
    dbg::RegisterDbgviewControl(); // the `ntsim dbgview`, `ps` and `obj` views
    ps::RegisterPsControl();
    ob::RegisterObjControl();
    // Boot, system and auto-start drivers, once everything they may call is up. A failing
    // driver is logged and the boot goes on, as with ErrorControl = 1 (normal).
    cm::StartAutoServices();
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
    hal::Shutdown(); // after the drivers that may still be beeping
    io::Shutdown();
    cm::Shutdown();
    g_booted = false;
}

} // namespace ntsim
