// Executive resources (ERESOURCE): reader/writer locks with recursive ownership.
//
// The driver's ERESOURCE holds the visible state (Flag, OwnerEntry = exclusive owner, waiter
// counts, ActiveEntries); the rest lives in a ResourceState allocated by
// ExInitializeResourceLite: the shared-waiter semaphore (ERESOURCE.SharedWaiters points at it),
// the exclusive-waiter event (ERESOURCE.ExclusiveWaiters), the shared-owner table
// (ERESOURCE.OwnerTable) and a StateLock guarding all of it: an uncontended acquire or release
// is one atomic exchange plus a few plain updates; only a thread that must wait touches the
// dispatcher (semaphore / event).
//
// Hand-off as on Windows: a release that frees the resource grants it to the waiters before
// waking them (all shared waiters after an exclusive release, otherwise one exclusive waiter),
// so a woken thread never competes again. A granted but not yet running waiter is "pending".
// New shared requests wait while exclusive waiters exist (ExAcquireResourceSharedLite,
// ExAcquireSharedWaitForExclusive) unless the caller already owns the resource;
// ExAcquireSharedStarveExclusive ignores exclusive waiters.
//
// Checks: acquisition above APC_LEVEL -> 0xC4/0x20007 (IrqlExApcLte3); exclusive request by a
// shared owner with Wait = TRUE (a certain self-deadlock) -> 0xC4/0x1000; release by a thread
// that does not own it -> RESOURCE_NOT_OWNED 0xE3 (resource, thread, owner table, 0); deleting
// an owned resource -> 0xC4/0x100B (resource, owner thread); using a resource that was never
// initialised or was deleted -> 0xC4/0x1002. Not checked: that normal kernel APCs are disabled
// (critical region) around the Lite calls, until the APC component keeps that state.
#include <algorithm>
#include <mutex>
#include <new>

#include "wdm.h"

#include "core/export.h"
#include "dbg/dbg.h"
#include "ex/ex.h"
#include "ex/ex_locks.h"
#include "ke/ke.h"

namespace ntsim::ex {
namespace {

constexpr ULONG_PTR kVerifierUninitializedResource = 0x1002;

// The shared owners (OWNER_ENTRY.OwnerCount = recursion), in no particular order: a plain
// array, so adding and removing an owner are a few stores with no library call (see
// NTSIM_KFAST); only growing the array allocates.
class SharedOwners {
public:
    SharedOwners() = default;
    SharedOwners(const SharedOwners&) = delete;
    SharedOwners& operator=(const SharedOwners&) = delete;
    ~SharedOwners() { delete[] entries_; }

    bool empty() const { return count_ == 0; }
    size_t size() const { return count_; }
    OWNER_ENTRY* data() { return entries_; }
    OWNER_ENTRY* begin() { return entries_; }
    OWNER_ENTRY* end() { return entries_ + count_; }
    OWNER_ENTRY& operator[](size_t i) { return entries_[i]; }
    OWNER_ENTRY& back() { return entries_[count_ - 1]; }
    void clear() { count_ = 0; }

    void push_back(const OWNER_ENTRY& e) {
        if (count_ == capacity_) Grow();
        entries_[count_++] = e;
    }
    // The last entry takes the place of the removed one (no self-copy: the entry was just
    // written by the acquire, and reading it back whole would stall on store forwarding).
    void remove(OWNER_ENTRY* e) {
        OWNER_ENTRY* last = &entries_[count_ - 1];
        if (e != last) *e = *last;
        --count_;
    }

private:
    __attribute__((ms_abi, noinline)) void Grow() {
        size_t capacity = capacity_ ? capacity_ * 2 : 4;
        auto* bigger = new OWNER_ENTRY[capacity];
        for (size_t i = 0; i < count_; ++i)
            bigger[i] = entries_[i];
        delete[] entries_;
        entries_ = bigger;
        capacity_ = capacity;
    }

    OWNER_ENTRY* entries_ = nullptr;
    size_t count_ = 0;
    size_t capacity_ = 0;
};

struct ResourceState {
    KSEMAPHORE sharedWaiters; // first: ERESOURCE.SharedWaiters points here
    KEVENT exclusiveWaiters;  // synchronization event: wakes one granted exclusive waiter
    StateLock lock;
    ULONG exclusiveCount = 0;      // recursion count of the exclusive owner
    SharedOwners shared;           // shared owners (OwnerCount = recursion)
    ULONG pendingShared = 0;       // granted to woken shared waiters not yet running
    bool pendingExclusive = false; // granted to a woken exclusive waiter not yet running
};

// Every initialised resource, linked through ERESOURCE.SystemResourcesList (`!locks`).
std::mutex gResourcesLock;
LIST_ENTRY gResources = {&gResources, &gResources};
size_t gResourceCount = 0;

const char kApcLte3Rule[] = "ExAcquireResource*Lite should only be called at IRQL <= APC_LEVEL.";

NTSIM_KFAST ResourceState& StateOf(PERESOURCE r) {
    auto* s = static_cast<ResourceState*>(r ? r->SharedWaiters : nullptr);
    if (!s || r->ExclusiveWaiters != &s->exclusiveWaiters)
        ke::BugCheckFast(kDriverVerifierViolation, kVerifierUninitializedResource,
                         reinterpret_cast<ULONG_PTR>(r));
    return *s;
}

NTSIM_KFAST ERESOURCE_THREAD Me() {
    return reinterpret_cast<ERESOURCE_THREAD>(ke::FastLockOwnerIdentity());
}

bool Exclusive(PERESOURCE r) {
    return r->Flag & ResourceOwnedExclusive;
}

bool Unowned(PERESOURCE r, const ResourceState& s) {
    return !Exclusive(r) && s.shared.empty() && s.pendingShared == 0;
}

OWNER_ENTRY* FindShared(ResourceState& s, ERESOURCE_THREAD thread) {
    for (auto& e : s.shared)
        if (e.OwnerThread == thread) return &e;
    return nullptr;
}

// Mirrors the state into the fields debuggers and drivers look at.
void Publish(PERESOURCE r, ResourceState& s) {
    r->OwnerEntry.OwnerCount = Exclusive(r) ? s.exclusiveCount : 0;
    if (!Exclusive(r)) r->OwnerEntry.OwnerThread = 0;
    r->OwnerTable = s.shared.empty() ? nullptr : s.shared.data();
    ULONG entries = ULONG(s.shared.size()) + s.pendingShared + (Exclusive(r) ? 1 : 0);
    r->ActiveEntries = entries;
    r->ActiveCount = SHORT(entries);
}

void SetExclusiveOwner(PERESOURCE r, ResourceState& s, ERESOURCE_THREAD thread) {
    r->Flag |= ResourceOwnedExclusive;
    r->OwnerEntry.OwnerThread = thread;
    s.exclusiveCount = 1;
}

void AddShared(ResourceState& s, ERESOURCE_THREAD thread) {
    OWNER_ENTRY e{};
    e.OwnerThread = thread;
    e.OwnerCount = 1;
    s.shared.push_back(e);
}

void RemoveShared(ResourceState& s, OWNER_ENTRY* e) {
    s.shared.remove(e);
}

// Before sleeping, a thread that cannot have the resource retries a little: holders of a
// resource usually release it within a few hundred nanoseconds (Windows spins too, on
// multiprocessors), and a hand-off to a sleeping waiter costs a context switch each time.
constexpr int kSpinRounds = 32;

inline void SpinBriefly() {
    for (int i = 0; i < 8; ++i)
        __builtin_ia32_pause();
}

// With the state lock held and the resource free: hands it to waiters, shared first when
// `sharedFirst` (after an exclusive release), else one exclusive waiter first.
NTSIM_KFAST void GrantWaiters(PERESOURCE r, ResourceState& s, bool sharedFirst) {
    auto grantShared = [&] {
        ULONG n = r->NumberOfSharedWaiters;
        r->NumberOfSharedWaiters = 0;
        s.pendingShared += n;
        KeReleaseSemaphore(&s.sharedWaiters, 0, LONG(n), FALSE);
    };
    auto grantExclusive = [&] {
        r->NumberOfExclusiveWaiters--;
        r->Flag |= ResourceOwnedExclusive;
        r->OwnerEntry.OwnerThread = 0; // the woken thread puts itself here
        s.exclusiveCount = 1;
        s.pendingExclusive = true;
        KeSetEvent(&s.exclusiveWaiters, 0, FALSE);
    };
    if (sharedFirst && r->NumberOfSharedWaiters)
        grantShared();
    else if (r->NumberOfExclusiveWaiters)
        grantExclusive();
    else if (r->NumberOfSharedWaiters)
        grantShared();
}

// The caller's owner identity, after checking its IRQL (both read inline from Ke's state).
NTSIM_KFAST ERESOURCE_THREAD CheckedCaller(PERESOURCE r) {
    KIRQL irql = ke::FastCurrentIrql();
    ERESOURCE_THREAD me = Me();
    if (irql > APC_LEVEL)
        ke::BugCheckFast(kDriverVerifierViolation, kVerifierExApcLte3,
                         reinterpret_cast<ULONG_PTR>(kApcLte3Rule), reinterpret_cast<ULONG_PTR>(r));
    return me;
}

NTSIM_KFAST void WaitOn(PVOID object) {
    KeWaitForSingleObject(object, Executive, KernelMode, FALSE, nullptr);
}

enum class SharedPolicy { YieldToExclusive, StarveExclusive };

// The fast paths below take the state lock by hand, never with a guard object, and stop the
// kernel only after releasing it: with no destructor to run during unwinding there is no
// landing pad, whose System V call (_Unwind_Resume) would make these ms_abi routines save and
// restore xmm6-xmm15 on every call.

// With the state lock held: takes a shared hold for `me` if the policy allows it now.
__attribute__((always_inline)) inline bool
TrySharedLocked(PERESOURCE r, ResourceState& s, ERESOURCE_THREAD me, SharedPolicy policy) {
    if (Exclusive(r)) {
        if (r->OwnerEntry.OwnerThread != me) return false;
        s.exclusiveCount++; // the exclusive owner recurses
        Publish(r, s);
        return true;
    }
    if (OWNER_ENTRY* e = FindShared(s, me)) {
        e->OwnerCount = e->OwnerCount + 1;
        return true;
    }
    if (Unowned(r, s) || policy == SharedPolicy::StarveExclusive ||
        r->NumberOfExclusiveWaiters == 0) {
        AddShared(s, me);
        Publish(r, s);
        return true;
    }
    return false;
}

// Inlined into each export (one call less on the fast path).
__attribute__((always_inline)) inline BOOLEAN AcquireShared(PERESOURCE r, BOOLEAN wait,
                                                            SharedPolicy policy) {
    ERESOURCE_THREAD me = CheckedCaller(r);
    ResourceState& s = StateOf(r);
    for (int round = 0;; SpinBriefly(), ++round) {
        s.lock.lock();
        if (TrySharedLocked(r, s, me, policy)) {
            s.lock.unlock();
            return TRUE;
        }
        if (!wait || round < kSpinRounds) { // spins with the state lock released
            s.lock.unlock();
            if (!wait) return FALSE;
            continue;
        }
        r->NumberOfSharedWaiters++;
        r->ContentionCount++;
        s.lock.unlock();
        break;
    }
    WaitOn(&s.sharedWaiters);
    s.lock.lock();
    s.pendingShared--;
    AddShared(s, me);
    Publish(r, s);
    s.lock.unlock();
    return TRUE;
}

// With the state lock held: one release by `thread`; false if it holds no share of it.
__attribute__((always_inline)) inline bool ReleaseLocked(PERESOURCE r, ResourceState& s,
                                                         ERESOURCE_THREAD thread) {
    if (Exclusive(r)) {
        if (s.pendingExclusive || r->OwnerEntry.OwnerThread != thread) return false;
        if (--s.exclusiveCount == 0) {
            r->Flag &= ~ResourceOwnedExclusive;
            r->OwnerEntry.OwnerThread = 0;
            GrantWaiters(r, s, true);
        }
        Publish(r, s);
        return true;
    }
    OWNER_ENTRY* e = FindShared(s, thread);
    if (!e) return false;
    ULONG count = e->OwnerCount; // a bit field: read once, written only while recursing
    if (count > 1) e->OwnerCount = count - 1;
    if (count == 1) {
        RemoveShared(s, e);
        if (s.shared.empty() && s.pendingShared == 0 &&
            (r->NumberOfSharedWaiters || r->NumberOfExclusiveWaiters))
            GrantWaiters(r, s, false);
    }
    Publish(r, s);
    return true;
}

__attribute__((always_inline)) inline void Release(PERESOURCE r, ERESOURCE_THREAD thread) {
    ResourceState& s = StateOf(r);
    s.lock.lock();
    bool owned = ReleaseLocked(r, s, thread);
    s.lock.unlock();
    if (!owned)
        ke::BugCheckFast(kResourceNotOwned, reinterpret_cast<ULONG_PTR>(r), thread,
                         reinterpret_cast<ULONG_PTR>(r->OwnerTable), 0);
}

void EnterCritical() {
    KeEnterCriticalRegion();
}
void LeaveCritical() {
    KeLeaveCriticalRegion();
}

} // namespace

size_t ActiveResourceCount() {
    std::lock_guard guard(gResourcesLock);
    return gResourceCount;
}

} // namespace ntsim::ex

using namespace ntsim::ex;

extern "C" NTSTATUS NTAPI ExInitializeResourceLite(PERESOURCE Resource) {
    auto* s = new (std::nothrow) ResourceState;
    if (!s) return STATUS_INSUFFICIENT_RESOURCES;
    KeInitializeSemaphore(&s->sharedWaiters, 0, 0x7FFFFFFF);
    KeInitializeEvent(&s->exclusiveWaiters, SynchronizationEvent, FALSE);
    *Resource = ERESOURCE{};
    Resource->SharedWaiters = &s->sharedWaiters;
    Resource->ExclusiveWaiters = &s->exclusiveWaiters;
    Resource->Address = __builtin_return_address(0);
    std::lock_guard guard(gResourcesLock);
    LIST_ENTRY* e = &Resource->SystemResourcesList;
    e->Flink = &gResources;
    e->Blink = gResources.Blink;
    gResources.Blink->Flink = e;
    gResources.Blink = e;
    ++gResourceCount;
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(ExInitializeResourceLite);

// Resets an initialised, unowned resource to its initial state.
extern "C" NTSTATUS NTAPI ExReinitializeResourceLite(PERESOURCE Resource) {
    ResourceState& s = StateOf(Resource);
    std::lock_guard guard(s.lock);
    if (!Unowned(Resource, s) || s.pendingExclusive)
        ntsim::ke::BugCheckFast(kDriverVerifierViolation, kVerifierDeleteOwnedLock,
                                reinterpret_cast<ULONG_PTR>(Resource),
                                Exclusive(Resource)
                                    ? Resource->OwnerEntry.OwnerThread
                                    : (s.shared.empty() ? 0 : s.shared[0].OwnerThread));
    s.shared.clear();
    s.exclusiveCount = 0;
    Resource->Flag = 0;
    Resource->ContentionCount = 0;
    Publish(Resource, s);
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(ExReinitializeResourceLite);

extern "C" NTSTATUS NTAPI ExDeleteResourceLite(PERESOURCE Resource) {
    ResourceState& s = StateOf(Resource);
    {
        std::lock_guard guard(s.lock);
        if (!Unowned(Resource, s) || s.pendingExclusive || Resource->NumberOfExclusiveWaiters ||
            Resource->NumberOfSharedWaiters)
            ntsim::ke::BugCheckFast(kDriverVerifierViolation, kVerifierDeleteOwnedLock,
                                    reinterpret_cast<ULONG_PTR>(Resource),
                                    Exclusive(Resource)
                                        ? Resource->OwnerEntry.OwnerThread
                                        : (s.shared.empty() ? 0 : s.shared[0].OwnerThread));
    }
    {
        std::lock_guard guard(gResourcesLock);
        LIST_ENTRY* e = &Resource->SystemResourcesList;
        e->Blink->Flink = e->Flink;
        e->Flink->Blink = e->Blink;
        e->Flink = e->Blink = nullptr;
        --gResourceCount;
    }
    Resource->SharedWaiters = nullptr;
    Resource->ExclusiveWaiters = nullptr;
    Resource->OwnerTable = nullptr;
    delete &s;
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(ExDeleteResourceLite);

extern "C" BOOLEAN NTAPI ExAcquireResourceExclusiveLite(PERESOURCE Resource, BOOLEAN Wait) {
    ERESOURCE_THREAD me = CheckedCaller(Resource);
    ResourceState& s = StateOf(Resource);
    for (int round = 0;; SpinBriefly(), ++round) {
        s.lock.lock(); // by hand: see TrySharedLocked
        if (Unowned(Resource, s)) {
            SetExclusiveOwner(Resource, s, me);
            Publish(Resource, s);
            s.lock.unlock();
            return TRUE;
        }
        if (Exclusive(Resource) && Resource->OwnerEntry.OwnerThread == me) {
            s.exclusiveCount++;
            Publish(Resource, s);
            s.lock.unlock();
            return TRUE;
        }
        // A shared owner asking for exclusive access waits for itself forever.
        bool selfDeadlock = Wait && FindShared(s, me);
        if (!Wait || selfDeadlock || round < kSpinRounds) { // spins with the state lock released
            s.lock.unlock();
            if (selfDeadlock)
                ntsim::ke::BugCheckFast(kDriverVerifierViolation, kVerifierSelfDeadlock,
                                        reinterpret_cast<ULONG_PTR>(Resource));
            if (!Wait) return FALSE;
            continue;
        }
        Resource->NumberOfExclusiveWaiters++;
        Resource->ContentionCount++;
        s.lock.unlock();
        break;
    }
    WaitOn(&s.exclusiveWaiters);
    s.lock.lock();
    s.pendingExclusive = false;
    Resource->OwnerEntry.OwnerThread = me;
    Publish(Resource, s);
    s.lock.unlock();
    return TRUE;
}
NTSIM_EXPORT(ExAcquireResourceExclusiveLite);

extern "C" BOOLEAN NTAPI ExAcquireResourceSharedLite(PERESOURCE Resource, BOOLEAN Wait) {
    return AcquireShared(Resource, Wait, SharedPolicy::YieldToExclusive);
}
NTSIM_EXPORT(ExAcquireResourceSharedLite);

extern "C" BOOLEAN NTAPI ExAcquireSharedStarveExclusive(PERESOURCE Resource, BOOLEAN Wait) {
    return AcquireShared(Resource, Wait, SharedPolicy::StarveExclusive);
}
NTSIM_EXPORT(ExAcquireSharedStarveExclusive);

extern "C" BOOLEAN NTAPI ExAcquireSharedWaitForExclusive(PERESOURCE Resource, BOOLEAN Wait) {
    return AcquireShared(Resource, Wait, SharedPolicy::YieldToExclusive);
}
NTSIM_EXPORT(ExAcquireSharedWaitForExclusive);

// The exclusive owner keeps its recursion count as shared ownership; shared waiters join it.
extern "C" VOID NTAPI ExConvertExclusiveToSharedLite(PERESOURCE Resource) {
    ResourceState& s = StateOf(Resource);
    std::lock_guard guard(s.lock);
    ERESOURCE_THREAD me = Me();
    if (!Exclusive(Resource) || s.pendingExclusive || Resource->OwnerEntry.OwnerThread != me)
        ntsim::ke::BugCheckFast(kResourceNotOwned, reinterpret_cast<ULONG_PTR>(Resource), me,
                                reinterpret_cast<ULONG_PTR>(Resource->OwnerTable), 0);
    ULONG count = s.exclusiveCount;
    Resource->Flag &= ~ResourceOwnedExclusive;
    Resource->OwnerEntry.OwnerThread = 0;
    s.exclusiveCount = 0;
    AddShared(s, me);
    s.shared.back().OwnerCount = count;
    if (Resource->NumberOfSharedWaiters) {
        ULONG n = Resource->NumberOfSharedWaiters;
        Resource->NumberOfSharedWaiters = 0;
        s.pendingShared += n;
        KeReleaseSemaphore(&s.sharedWaiters, 0, LONG(n), FALSE);
    }
    Publish(Resource, s);
}
NTSIM_EXPORT(ExConvertExclusiveToSharedLite);

extern "C" BOOLEAN NTAPI ExIsResourceAcquiredExclusiveLite(PERESOURCE Resource) {
    ResourceState& s = StateOf(Resource);
    std::lock_guard guard(s.lock);
    return Exclusive(Resource) && !s.pendingExclusive && Resource->OwnerEntry.OwnerThread == Me();
}
NTSIM_EXPORT(ExIsResourceAcquiredExclusiveLite);

// How many times the caller holds the resource (either mode); 0 when it does not.
extern "C" ULONG NTAPI ExIsResourceAcquiredSharedLite(PERESOURCE Resource) {
    ResourceState& s = StateOf(Resource);
    std::lock_guard guard(s.lock);
    ERESOURCE_THREAD me = Me();
    if (Exclusive(Resource))
        return !s.pendingExclusive && Resource->OwnerEntry.OwnerThread == me ? s.exclusiveCount : 0;
    OWNER_ENTRY* e = FindShared(s, me);
    return e ? ULONG(e->OwnerCount) : 0;
}
NTSIM_EXPORT(ExIsResourceAcquiredSharedLite);

extern "C" ULONG NTAPI ExGetExclusiveWaiterCount(PERESOURCE Resource) {
    ResourceState& s = StateOf(Resource);
    std::lock_guard guard(s.lock);
    return Resource->NumberOfExclusiveWaiters;
}
NTSIM_EXPORT(ExGetExclusiveWaiterCount);

extern "C" ULONG NTAPI ExGetSharedWaiterCount(PERESOURCE Resource) {
    ResourceState& s = StateOf(Resource);
    std::lock_guard guard(s.lock);
    return Resource->NumberOfSharedWaiters;
}
NTSIM_EXPORT(ExGetSharedWaiterCount);

extern "C" VOID NTAPI ExReleaseResourceLite(PERESOURCE Resource) {
    Release(Resource, Me());
}
NTSIM_EXPORT(ExReleaseResourceLite);

extern "C" VOID NTAPI ExReleaseResourceForThreadLite(PERESOURCE Resource,
                                                     ERESOURCE_THREAD ResourceThreadId) {
    Release(Resource, ResourceThreadId);
}
NTSIM_EXPORT(ExReleaseResourceForThreadLite);

// Hands the caller's ownership to an owner pointer (low two bits set) so that another thread
// can release it with ExReleaseResourceForThreadLite(Resource, OwnerPointer).
extern "C" VOID NTAPI ExSetResourceOwnerPointer(PERESOURCE Resource, PVOID OwnerPointer) {
    ResourceState& s = StateOf(Resource);
    std::lock_guard guard(s.lock);
    ERESOURCE_THREAD me = Me();
    auto pointer = reinterpret_cast<ERESOURCE_THREAD>(OwnerPointer);
    if (Exclusive(Resource) && !s.pendingExclusive && Resource->OwnerEntry.OwnerThread == me) {
        Resource->OwnerEntry.OwnerThread = pointer;
        return;
    }
    OWNER_ENTRY* e = FindShared(s, me);
    if (!e)
        ntsim::ke::BugCheckFast(kResourceNotOwned, reinterpret_cast<ULONG_PTR>(Resource), me,
                                reinterpret_cast<ULONG_PTR>(Resource->OwnerTable), 0);
    e->OwnerThread = pointer;
}
NTSIM_EXPORT(ExSetResourceOwnerPointer);

extern "C" ERESOURCE_THREAD NTAPI ExGetCurrentResourceThread(VOID) {
    return Me();
}
NTSIM_EXPORT(ExGetCurrentResourceThread);

// The combined calls return the thread's Win32Thread pointer, NULL for every ntsim thread.
extern "C" PVOID NTAPI ExEnterCriticalRegionAndAcquireResourceExclusive(PERESOURCE Resource) {
    EnterCritical();
    ExAcquireResourceExclusiveLite(Resource, TRUE);
    return nullptr;
}
NTSIM_EXPORT(ExEnterCriticalRegionAndAcquireResourceExclusive);

extern "C" PVOID NTAPI ExEnterCriticalRegionAndAcquireResourceShared(PERESOURCE Resource) {
    EnterCritical();
    ExAcquireResourceSharedLite(Resource, TRUE);
    return nullptr;
}
NTSIM_EXPORT(ExEnterCriticalRegionAndAcquireResourceShared);

extern "C" PVOID NTAPI ExEnterCriticalRegionAndAcquireSharedWaitForExclusive(PERESOURCE Resource) {
    EnterCritical();
    ExAcquireSharedWaitForExclusive(Resource, TRUE);
    return nullptr;
}
NTSIM_EXPORT(ExEnterCriticalRegionAndAcquireSharedWaitForExclusive);

extern "C" VOID NTAPI ExReleaseResourceAndLeaveCriticalRegion(PERESOURCE Resource) {
    ExReleaseResourceLite(Resource);
    LeaveCritical();
}
NTSIM_EXPORT(ExReleaseResourceAndLeaveCriticalRegion);
