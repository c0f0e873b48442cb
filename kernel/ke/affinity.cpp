// The DISPATCH model. A logical processor is a dispatch lock plus a host CPU: a thread at
// DISPATCH_LEVEL or above owns the dispatch lock of its logical CPU and is pinned to the host
// CPU behind it, so two DISPATCH-level sections (a spin lock holder, a DPC) never interleave on
// one processor, as on Windows. Logical CPU n runs on the n-th host CPU of the process's
// original affinity, modulo the number of such CPUs.
#include <sched.h>

#include <mutex>
#include <vector>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ke/ki.h"

namespace ntsim::ke {
namespace {

struct Processors {
    std::vector<int> hostCpus; // the process's allowed host CPUs at boot, ascending
    cpu_set_t original{};      // the process's affinity at boot
    std::mutex dispatchLock[MAXIMUM_PROC_PER_GROUP];
};

Processors& P() {
    // Never destroyed: threads may still lower IRQL during process exit.
    static Processors* p = [] {
        auto* q = new Processors;
        CPU_ZERO(&q->original);
        if (sched_getaffinity(0, sizeof(q->original), &q->original) == 0) {
            for (int c = 0; c < CPU_SETSIZE; ++c)
                if (CPU_ISSET(c, &q->original)) q->hostCpus.push_back(c);
        }
        if (q->hostCpus.empty()) {
            q->hostCpus.push_back(0);
            CPU_ZERO(&q->original);
            CPU_SET(0, &q->original);
        }
        return q;
    }();
    return *p;
}

KAFFINITY AllProcessors() {
    ULONG n = ProcessorCount();
    return n >= 64 ? ~KAFFINITY(0) : (KAFFINITY(1) << n) - 1;
}

// The logical CPU the thread is running on now, restricted to `mask` (never empty).
ULONG LogicalCpuNow(KAFFINITY mask) {
    Processors& p = P();
    int host = sched_getcpu();
    ULONG n = ProcessorCount();
    ULONG index = 0;
    for (size_t i = 0; i < p.hostCpus.size(); ++i)
        if (p.hostCpus[i] == host) index = ULONG(i);
    // Logical CPUs that map to this host CPU: index, index + hosts, index + 2*hosts...
    for (ULONG cpu = index % n; cpu < n; cpu += ULONG(p.hostCpus.size()))
        if (mask & (KAFFINITY(1) << cpu)) return cpu;
    for (ULONG cpu = 0; cpu < n; ++cpu)
        if (mask & (KAFFINITY(1) << cpu)) return cpu;
    return 0;
}

KAFFINITY EffectiveMask(const KiThread& t) {
    KAFFINITY mask = t.systemAffinity & AllProcessors();
    return mask ? mask : AllProcessors();
}

void PinToHost(int host) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(host, &set);
    sched_setaffinity(0, sizeof(set), &set);
}

} // namespace

int KiHostCpu(ULONG cpu) {
    Processors& p = P();
    return p.hostCpus[cpu % p.hostCpus.size()];
}

void KiApplyHostAffinity(KAFFINITY mask) {
    Processors& p = P();
    cpu_set_t set;
    if (!mask) {
        set = p.original;
    } else {
        CPU_ZERO(&set);
        for (ULONG cpu = 0; cpu < ProcessorCount(); ++cpu)
            if (mask & (KAFFINITY(1) << cpu)) CPU_SET(KiHostCpu(cpu), &set);
    }
    sched_setaffinity(0, sizeof(set), &set);
}

void KiAcquireProcessor(KiThread& t) {
    Processors& p = P();
    KAFFINITY mask = EffectiveMask(t);
    ULONG cpu = LogicalCpuNow(mask);
    // A thread cannot run on a processor that is at DISPATCH_LEVEL: if this one is busy, take
    // another free processor of the affinity (Windows would have scheduled the thread there);
    // if all are busy, wait for this one.
    if (!p.dispatchLock[cpu].try_lock()) {
        bool found = false;
        for (ULONG other = 0; other < ProcessorCount() && !found; ++other) {
            if (other == cpu || !(mask & (KAFFINITY(1) << other))) continue;
            if (p.dispatchLock[other].try_lock()) {
                cpu = other;
                found = true;
            }
        }
        if (!found) p.dispatchLock[cpu].lock();
    }
    t.dispatchCpu = cpu;
    t.holdsProcessor = true;
    if (!t.dpcThread) { // DPC threads are pinned for life
        t.pinned = sched_getaffinity(0, sizeof(t.savedHostMask), &t.savedHostMask) == 0;
        PinToHost(KiHostCpu(cpu));
    }
}

void KiReleaseProcessor(KiThread& t) {
    if (!t.holdsProcessor) return;
    ULONG cpu = t.dispatchCpu;
    t.holdsProcessor = false;
    P().dispatchLock[cpu].unlock();
    if (t.pinned) {
        t.pinned = false;
        sched_setaffinity(0, sizeof(t.savedHostMask), &t.savedHostMask);
    }
    KiKickDpcQueue(cpu);
}

ULONG CurrentProcessorNumber() {
    KiThread& t = KiCurrentThread();
    if (t.irql >= DISPATCH_LEVEL && t.holdsProcessor) return t.dispatchCpu;
    return LogicalCpuNow(EffectiveMask(t));
}

} // namespace ntsim::ke

using namespace ntsim::ke;

// Runs the thread only on the processors of `Affinity` (0: revert to the thread's own
// affinity) and returns the previous system affinity (0 when there was none).
extern "C" KAFFINITY NTAPI KeSetSystemAffinityThreadEx(KAFFINITY Affinity) {
    KiThread& t = KiCurrentThread();
    KAFFINITY previous = t.systemAffinity;
    KAFFINITY mask = Affinity & AllProcessors();
    t.systemAffinity = mask;
    if (t.irql < DISPATCH_LEVEL) {
        KiApplyHostAffinity(mask);
    } else if (t.pinned) {
        // At DISPATCH_LEVEL the thread stays where it is; the new set is what lowering restores.
        if (!mask) {
            t.savedHostMask = P().original;
        } else {
            CPU_ZERO(&t.savedHostMask);
            for (ULONG cpu = 0; cpu < ProcessorCount(); ++cpu)
                if (mask & (KAFFINITY(1) << cpu)) CPU_SET(KiHostCpu(cpu), &t.savedHostMask);
        }
    }
    return previous;
}
NTSIM_EXPORT(KeSetSystemAffinityThreadEx);

// Restores the affinity KeSetSystemAffinityThreadEx returned (0: the thread's own).
extern "C" VOID NTAPI KeRevertToUserAffinityThreadEx(KAFFINITY Affinity) {
    KeSetSystemAffinityThreadEx(Affinity);
}
NTSIM_EXPORT(KeRevertToUserAffinityThreadEx);

extern "C" VOID NTAPI KeSetSystemAffinityThread(KAFFINITY Affinity) {
    KeSetSystemAffinityThreadEx(Affinity);
}
NTSIM_EXPORT(KeSetSystemAffinityThread);

extern "C" VOID NTAPI KeRevertToUserAffinityThread(VOID) {
    KeSetSystemAffinityThreadEx(0);
}
NTSIM_EXPORT(KeRevertToUserAffinityThread);
