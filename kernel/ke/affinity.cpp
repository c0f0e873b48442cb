// The DISPATCH model. A logical processor is a dispatch lock plus a host CPU: a thread at
// DISPATCH_LEVEL or above owns the dispatch lock of its logical CPU and is pinned to the host
// CPU behind it, so two DISPATCH-level sections (a spin lock holder, a DPC) never interleave on
// one processor, as on Windows. Logical CPU n runs on the n-th host CPU of the process's
// original affinity, modulo the number of such CPUs.
//
// Lazy unpin: changing the host affinity costs two system calls (~µs), far more than the spin
// lock it protects. So a thread that lowers below DISPATCH_LEVEL stays pinned to its host CPU,
// and raising again on the same host CPU costs no system call at all (a pinned thread is known
// to run on pinnedHost: not even sched_getcpu). The thread's own affinity comes back only when
// it matters: when it goes to sleep in a wait (KiWait), when it changes its system affinity
// (KeSetSystemAffinityThreadEx / KeRevertToUserAffinityThreadEx), and when it leaves the
// kernel (RestoreThreadAffinity).
//
// The pinning is also what makes the dispatch lock cheap: only threads running on a
// processor's host CPU ever touch its lock word, so it is changed with CPU-local operations
// (dispatch_lock.h, cpu_local.h) instead of locked instructions.
#include <sched.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ke/ki.h"
#include "ke/ki_irql.h"

namespace ntsim::ke {

KiDispatchLock* g_kiDispatchLocks;  // P(), once built: read by the fast paths (no init guard)
KiDispatchLock g_kiNoLazyProcessor; // never owned: raising through it always takes the slow path

namespace {

struct Processors {
    std::vector<int> hostCpus;  // the process's allowed host CPUs at boot, ascending
    int hostIndex[CPU_SETSIZE]; // host CPU -> its index in hostCpus (0 when not allowed)
    cpu_set_t original{};       // the process's affinity at boot
    KiDispatchLock dispatchLock[MAXIMUM_PROC_PER_GROUP]; // logical CPU n: host hostCpus[n % size]
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
        for (int& index : q->hostIndex)
            index = 0;
        for (size_t i = 0; i < q->hostCpus.size(); ++i)
            q->hostIndex[q->hostCpus[i]] = int(i);
        for (ULONG cpu = 0; cpu < MAXIMUM_PROC_PER_GROUP; ++cpu)
            q->dispatchLock[cpu].SetHost(q->hostCpus[cpu % q->hostCpus.size()]);
        __atomic_store_n(&g_kiDispatchLocks, &q->dispatchLock[0], __ATOMIC_RELEASE);
        return q;
    }();
    return *p;
}

KAFFINITY AllProcessors() {
    ULONG n = ProcessorCount();
    return n >= 64 ? ~KAFFINITY(0) : (KAFFINITY(1) << n) - 1;
}

// The host CPU the thread runs on: a pinned thread cannot be anywhere else (no vDSO call).
int HostCpuNow(const KiThread& t) {
    return t.pinnedHost >= 0 ? t.pinnedHost : sched_getcpu();
}

// The logical CPU behind host CPU `host`, restricted to `mask` (never empty).
ULONG LogicalCpuOn(int host, KAFFINITY mask) {
    Processors& p = P();
    ULONG n = ProcessorCount();
    ULONG index = host >= 0 && host < CPU_SETSIZE ? ULONG(p.hostIndex[host]) : 0;
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

KiDispatchLock& KiProcessorDispatchLock(ULONG cpu) {
    return P().dispatchLock[cpu];
}

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

namespace {

// Runs the thread on `host` from now on (lazy pin: kept after lowering).
void PinTo(KiThread& t, int host) {
    if (t.pinnedHost == host) return;
    // First pinning since the thread's own affinity applied: remember that affinity.
    if (t.pinnedHost < 0 && sched_getaffinity(0, sizeof(t.savedHostMask), &t.savedHostMask) != 0)
        t.savedHostMask = P().original;
    PinToHost(host);
    t.pinnedHost = host;
}

constexpr long kActiveOffset = offsetof(KiThread, holdsProcessor); // read by takeovers

// Makes `cpu` the thread's processor: gives back the one it kept lazily, pins to cpu's host.
void SwitchTo(KiThread& t, ULONG cpu) {
    if (t.dispatchCpu != cpu) {
        KiDisownProcessor(t);
        t.dispatchCpu = cpu;
    }
    PinTo(t, P().dispatchLock[cpu].Host());
    KiRefreshLazyProcessor(t);
}

// Tries `cpu`'s dispatch lock from its host CPU (moving the thread there first).
bool TryProcessor(KiThread& t, ULONG cpu) {
    SwitchTo(t, cpu);
    t.holdsProcessor = true; // before the claim: a thread taking the processor over reads it
    if (P().dispatchLock[cpu].TryAcquire(KiDispatchTag(t), kActiveOffset)) return true;
    t.holdsProcessor = false;
    return false;
}

} // namespace

void KiRefreshLazyProcessor(KiThread& t) {
    KiDispatchLock* locks = __atomic_load_n(&g_kiDispatchLocks, __ATOMIC_ACQUIRE);
    bool allowed = !t.systemAffinity || ((t.systemAffinity >> t.dispatchCpu) & 1);
    // Eager locks (no rseq) are never kept: the inline paths then always call Ke, whose lowering
    // gives the processor back.
    t.lazyProcessor = locks && KiDispatchLock::Lazy() && t.pinnedHost >= 0 && allowed
                          ? &locks[t.dispatchCpu]
                          : &g_kiNoLazyProcessor;
}

void KiDisownProcessor(KiThread& t) {
    if (t.holdsProcessor || t.pinnedHost < 0) return;
    KiDispatchLock& lock = P().dispatchLock[t.dispatchCpu];
    // Only a thread pinned to the lock's host can own it (it gives it back before moving).
    if (t.pinnedHost == lock.Host()) lock.Release(KiDispatchTag(t));
}

void KiAcquireProcessor(KiThread& t) {
    Processors& p = P();
    KAFFINITY mask = EffectiveMask(t);
    ULONG cpu = LogicalCpuOn(HostCpuNow(t), mask);
    // A thread cannot run on a processor that is at DISPATCH_LEVEL: if this one is busy, take
    // another free processor of the affinity (Windows would have scheduled the thread there);
    // if all are busy, wait for this one.
    if (!TryProcessor(t, cpu)) {
        bool found = false;
        for (ULONG other = 0; other < ProcessorCount() && !found; ++other) {
            if (other == cpu || !(mask & (KAFFINITY(1) << other))) continue;
            // Tried from its host: a lazy owner there may be taken over (dispatch_lock.h).
            if (TryProcessor(t, other)) {
                cpu = other;
                found = true;
            }
        }
        if (!found) {
            SwitchTo(t, cpu);
            t.holdsProcessor = true;
            p.dispatchLock[cpu].Acquire(KiDispatchTag(t), kActiveOffset);
        }
    }
    t.holdsProcessor = true;
}

void KiReleaseProcessor(KiThread& t) {
    KiReleaseProcessorInline(t);
}

void KiRestoreHostAffinity(KiThread& t) {
    // DPC threads keep the single CPU they were started on.
    if (t.pinnedHost < 0 || t.holdsProcessor || t.dpcThread) return;
    KiDisownProcessor(t); // before leaving the CPU
    t.pinnedHost = -1;
    KiRefreshLazyProcessor(t);
    sched_setaffinity(0, sizeof(t.savedHostMask), &t.savedHostMask);
}

ULONG CurrentProcessorNumber() {
    KiThread& t = KiCurrentThread();
    if (t.irql >= DISPATCH_LEVEL && t.holdsProcessor) return t.dispatchCpu;
    return LogicalCpuOn(HostCpuNow(t), EffectiveMask(t));
}

void RestoreThreadAffinity() {
    KiRestoreHostAffinity(KiCurrentThread());
}

void StartOnAllProcessors() {
    KiApplyHostAffinity(0);
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
        KiDisownProcessor(t);      // before leaving the CPU
        KiApplyHostAffinity(mask); // replaces a lazy pin too
        t.pinnedHost = -1;
    } else if (t.pinnedHost >= 0) {
        // At DISPATCH_LEVEL the thread stays where it is; the new set is what lowering restores.
        if (!mask) {
            t.savedHostMask = P().original;
        } else {
            CPU_ZERO(&t.savedHostMask);
            for (ULONG cpu = 0; cpu < ProcessorCount(); ++cpu)
                if (mask & (KAFFINITY(1) << cpu)) CPU_SET(KiHostCpu(cpu), &t.savedHostMask);
        }
    }
    KiRefreshLazyProcessor(t);
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
