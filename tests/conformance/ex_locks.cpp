// ex.fast_mutex, ex.resource, ex.spin_locks, ex.push_locks, ex.interlocked_list: the executive's
// locks as a driver sees them (single-threaded: IRQL effects, ownership queries, recursion,
// layouts the WDK macros read).
#include "kmt.h"

#include <fltKernel.h>

KMT_TEST("ex.fast_mutex", TestFastMutex);
KMT_TEST("ex.resource", TestResource);
KMT_TEST("ex.spin_locks", TestExSpinLocks);
KMT_TEST("ex.push_locks", TestPushLocks);
KMT_TEST("ex.interlocked_list", TestInterlockedList);

namespace {
FAST_MUTEX g_FastMutex; // drivers keep these in non-paged globals
ERESOURCE g_Resource;
KGUARDED_MUTEX g_GuardedMutex;
} // namespace

void TestFastMutex(void) {
    ExInitializeFastMutex(&g_FastMutex);
    ok_eq_int(g_FastMutex.Count, FM_LOCK_BIT);
    ok_eq_uint(KeGetCurrentIrql(), PASSIVE_LEVEL);
    ExAcquireFastMutex(&g_FastMutex);
    ok_eq_uint(KeGetCurrentIrql(), APC_LEVEL);
    ok_eq_ptr(g_FastMutex.Owner, (PVOID)ExGetCurrentResourceThread());
    ok_eq_uint(g_FastMutex.OldIrql, PASSIVE_LEVEL);
    ExReleaseFastMutex(&g_FastMutex);
    ok_eq_uint(KeGetCurrentIrql(), PASSIVE_LEVEL);
    ok_eq_int(g_FastMutex.Count, FM_LOCK_BIT);

    ok_eq_bool(ExTryToAcquireFastMutex(&g_FastMutex), TRUE);
    ok_eq_uint(KeGetCurrentIrql(), APC_LEVEL);
    ExReleaseFastMutex(&g_FastMutex);

    KeEnterCriticalRegion();
    ExAcquireFastMutexUnsafe(&g_FastMutex);
    ok_eq_uint(KeGetCurrentIrql(), PASSIVE_LEVEL);
    ExReleaseFastMutexUnsafe(&g_FastMutex);
    KeLeaveCriticalRegion();

    KeInitializeGuardedMutex(&g_GuardedMutex);
    KeAcquireGuardedMutex(&g_GuardedMutex);
    ok_eq_bool(KeAreAllApcsDisabled(), TRUE); // a guarded region
    ok_eq_uint(KeGetCurrentIrql(), PASSIVE_LEVEL);
    KeReleaseGuardedMutex(&g_GuardedMutex);
    ok_eq_bool(KeAreAllApcsDisabled(), FALSE);
}

void TestResource(void) {
    ok_eq_status(ExInitializeResourceLite(&g_Resource), STATUS_SUCCESS);
    KeEnterCriticalRegion();
    ok_eq_bool(ExAcquireResourceExclusiveLite(&g_Resource, TRUE), TRUE);
    ok_eq_bool(ExIsResourceAcquiredExclusiveLite(&g_Resource), TRUE);
    ok_eq_bool(ExAcquireResourceSharedLite(&g_Resource, FALSE), TRUE); // exclusive owner
    ok_eq_uint(ExIsResourceAcquiredSharedLite(&g_Resource), 2);
    ok_eq_hex(g_Resource.Flag & ResourceOwnedExclusive, ResourceOwnedExclusive);
    ExReleaseResourceLite(&g_Resource);
    ExConvertExclusiveToSharedLite(&g_Resource);
    ok_eq_bool(ExIsResourceAcquiredExclusiveLite(&g_Resource), FALSE);
    ok_eq_uint(ExIsResourceAcquiredSharedLite(&g_Resource), 1);
    ExReleaseResourceLite(&g_Resource);
    ok_eq_uint(ExIsResourceAcquiredSharedLite(&g_Resource), 0);
    ok_eq_uint(ExGetExclusiveWaiterCount(&g_Resource), 0);
    ok_eq_uint(ExGetSharedWaiterCount(&g_Resource), 0);
    KeLeaveCriticalRegion();

    ExEnterCriticalRegionAndAcquireResourceShared(&g_Resource);
    ok_eq_bool(KeAreApcsDisabled(), TRUE);
    ok_eq_uint(ExIsResourceAcquiredSharedLite(&g_Resource), 1);
    ExReleaseResourceAndLeaveCriticalRegion(&g_Resource);
    ok_eq_bool(KeAreApcsDisabled(), FALSE);
    ok_eq_status(ExDeleteResourceLite(&g_Resource), STATUS_SUCCESS);
}

void TestExSpinLocks(void) {
    EX_SPIN_LOCK lock = 0;
    KIRQL old = ExAcquireSpinLockShared(&lock);
    ok_eq_uint(old, PASSIVE_LEVEL);
    ok_eq_uint(KeGetCurrentIrql(), DISPATCH_LEVEL);
    ok_eq_bool(ExTryConvertSharedSpinLockExclusive(&lock), TRUE);
    ExReleaseSpinLockExclusive(&lock, old);
    ok_eq_uint(KeGetCurrentIrql(), PASSIVE_LEVEL);
    ok_eq_int(lock, 0);
}

void TestPushLocks(void) {
    EX_PUSH_LOCK lock;
    FltInitializePushLock(&lock);
    FltAcquirePushLockShared(&lock);
    FltAcquirePushLockShared(&lock); // readers share
    FltReleasePushLock(&lock);
    FltReleasePushLock(&lock);
    FltAcquirePushLockExclusive(&lock);
    ok_eq_bool(KeAreApcsDisabled(), TRUE);
    FltReleasePushLock(&lock);
    ok_eq_bool(KeAreApcsDisabled(), FALSE);
    FltDeletePushLock(&lock);
    ok_eq_hex64(lock, 0);
}

void TestInterlockedList(void) {
    LIST_ENTRY head, a, b;
    KSPIN_LOCK lock;
    KeInitializeSpinLock(&lock);
    InitializeListHead(&head);
    ok_eq_ptr(ExInterlockedInsertTailList(&head, &a, &lock), NULL);
    ok_eq_ptr(ExInterlockedInsertHeadList(&head, &b, &lock), &a);
    ok_eq_ptr(ExInterlockedRemoveHeadList(&head, &lock), &b);
    ok_eq_ptr(ExInterlockedRemoveHeadList(&head, &lock), &a);
    ok_eq_ptr(ExInterlockedRemoveHeadList(&head, &lock), NULL);
    ok_eq_bool(IsListEmpty(&head), TRUE);
    ULONG counter = 40;
    ok_eq_uint(ExInterlockedAddUlong(&counter, 2, &lock), 40);
    ok_eq_uint(counter, 42);
    ok_eq_uint(KeGetCurrentIrql(), PASSIVE_LEVEL);
}
