// Private to kernel/ex: stop codes and Driver Verifier parameters shared by the executive's
// locks (fast mutexes, resources, executive spin locks, push locks).
#pragma once

#include <sched.h>

#include <atomic>

#include "ntdef.h"

namespace ntsim::ex {

inline constexpr ULONG kDriverVerifierViolation = 0xC4; // DRIVER_VERIFIER_DETECTED_VIOLATION
inline constexpr ULONG kResourceNotOwned = 0xE3;        // RESOURCE_NOT_OWNED
inline constexpr ULONG kSpinLockNotOwnedCode = 0x10;    // SPIN_LOCK_NOT_OWNED
inline constexpr ULONG kIrqlNotLessOrEqualCode = 0x0A;  // IRQL_NOT_LESS_OR_EQUAL

// 0xC4 first parameters (Microsoft's bug check 0xC4 reference).
inline constexpr ULONG_PTR kVerifierSelfDeadlock = 0x1000;      // resource
inline constexpr ULONG_PTR kVerifierUnacquiredRelease = 0x1007; // resource
inline constexpr ULONG_PTR kVerifierDeleteOwnedLock = 0x100B;   // lock, owner thread
inline constexpr ULONG_PTR kVerifierFastMutexIrql = 0x20005;    // IrqlExApcLte1: rule text
inline constexpr ULONG_PTR kVerifierExApcLte3 = 0x20007;        // IrqlExApcLte3: rule text

// Guards the bookkeeping of one lock (an ERESOURCE's owner table and counters). It is held for
// a few instructions only, never across a wait, so taking it is one compare-exchange and
// releasing it one store: the uncontended acquire/release of the lock it guards costs one
// atomic read-modify-write, where a std::mutex costs two plus a call into libpthread. A holder
// preempted by the host scheduler makes others yield rather than burn their time slice.
// BasicLockable: usable with std::lock_guard / std::unique_lock.
class StateLock {
public:
    void lock() {
        if (!locked_.exchange(true, std::memory_order_acquire)) return;
        LockContended();
    }
    void unlock() { locked_.store(false, std::memory_order_release); }

private:
    // Out of line, ms_abi: see NTSIM_KFAST (ke/ke.h).
    __attribute__((ms_abi, noinline)) void LockContended() {
        unsigned spins = 0;
        do {
            while (locked_.load(std::memory_order_relaxed)) {
                if (++spins % 64 == 0)
                    sched_yield();
                else
                    __builtin_ia32_pause();
            }
        } while (locked_.exchange(true, std::memory_order_acquire));
    }

    std::atomic<bool> locked_{false};
};

} // namespace ntsim::ex
