// Private to kernel/ex: stop codes and Driver Verifier parameters shared by the executive's
// locks (fast mutexes, resources, executive spin locks, push locks).
#pragma once

#include "ntdef.h"

namespace ntsim::ex {

inline constexpr ULONG kDriverVerifierViolation = 0xC4; // DRIVER_VERIFIER_DETECTED_VIOLATION
inline constexpr ULONG kResourceNotOwned = 0xE3;        // RESOURCE_NOT_OWNED
inline constexpr ULONG kSpinLockNotOwnedCode = 0x10;    // SPIN_LOCK_NOT_OWNED
inline constexpr ULONG kIrqlNotLessOrEqualCode = 0x0A;  // IRQL_NOT_LESS_OR_EQUAL

// 0xC4 first parameters (Microsoft's bug check 0xC4 reference).
inline constexpr ULONG_PTR kVerifierSelfDeadlock = 0x1000;      // resource
inline constexpr ULONG_PTR kVerifierUnexpectedThread = 0x1004;  // resource, owner, current thread
inline constexpr ULONG_PTR kVerifierUnacquiredRelease = 0x1007; // resource
inline constexpr ULONG_PTR kVerifierDeleteOwnedLock = 0x100B;   // lock, owner thread
inline constexpr ULONG_PTR kVerifierFastMutexIrql = 0x20005;    // IrqlExApcLte1: rule text
inline constexpr ULONG_PTR kVerifierExApcLte3 = 0x20007;        // IrqlExApcLte3: rule text

} // namespace ntsim::ex
