// Ke start-up: how many processors the kernel presents (KeNumberProcessors).
#include <sched.h>

#include <atomic>

#include "ke/ke.h"
#include "ke/ki.h"

namespace ntsim::ke {
namespace {
std::atomic<ULONG> g_processorCount{1};

ULONG AvailableCpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
    int n = CPU_COUNT(&set);
    return n > 0 ? ULONG(n) : 1;
}
} // namespace

void Initialize(ULONG processorCount) {
    ULONG n = processorCount ? processorCount : AvailableCpus();
    if (n > MAXIMUM_PROC_PER_GROUP) n = MAXIMUM_PROC_PER_GROUP; // one group, one KAFFINITY
    g_processorCount = n;
    KeNumberProcessors = CCHAR(n);
    KiInitializeDpcs();
    KiInitializeTimers();
}

void Shutdown() {}

ULONG ProcessorCount() {
    return g_processorCount;
}

} // namespace ntsim::ke
