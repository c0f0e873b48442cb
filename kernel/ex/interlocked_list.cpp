// ExInterlocked* list and counter updates: each runs under the caller's KSPIN_LOCK with
// "interrupts off", modelled as HIGH_LEVEL, so they are callable at any IRQL and safe against
// an ISR using the same lock. The lock word is the ordinary KSPIN_LOCK protocol (Ke), so code
// that takes the same lock with KeAcquireSpinLock excludes these routines too.
#include "core/export.h"
#include "wdm.h"

namespace {

// Holds the spin lock at HIGH_LEVEL for the scope.
class InterlockedScope {
public:
    explicit InterlockedScope(PKSPIN_LOCK lock) : lock_(lock), old_(KfRaiseIrql(HIGH_LEVEL)) {
        KeAcquireSpinLockAtDpcLevel(lock_);
    }
    ~InterlockedScope() {
        KeReleaseSpinLockFromDpcLevel(lock_);
        KeLowerIrql(old_);
    }
    InterlockedScope(const InterlockedScope&) = delete;
    InterlockedScope& operator=(const InterlockedScope&) = delete;

private:
    PKSPIN_LOCK lock_;
    KIRQL old_;
};

} // namespace

// Returns the previous first entry, or NULL when the list was empty.
extern "C" PLIST_ENTRY NTAPI ExInterlockedInsertHeadList(PLIST_ENTRY ListHead,
                                                         PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock) {
    InterlockedScope scope(Lock);
    PLIST_ENTRY first = ListHead->Flink;
    ListEntry->Flink = first;
    ListEntry->Blink = ListHead;
    first->Blink = ListEntry;
    ListHead->Flink = ListEntry;
    return first == ListHead ? nullptr : first;
}
NTSIM_EXPORT(ExInterlockedInsertHeadList);

// Returns the previous last entry, or NULL when the list was empty.
extern "C" PLIST_ENTRY NTAPI ExInterlockedInsertTailList(PLIST_ENTRY ListHead,
                                                         PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock) {
    InterlockedScope scope(Lock);
    PLIST_ENTRY last = ListHead->Blink;
    ListEntry->Flink = ListHead;
    ListEntry->Blink = last;
    last->Flink = ListEntry;
    ListHead->Blink = ListEntry;
    return last == ListHead ? nullptr : last;
}
NTSIM_EXPORT(ExInterlockedInsertTailList);

extern "C" PLIST_ENTRY NTAPI ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock) {
    InterlockedScope scope(Lock);
    PLIST_ENTRY first = ListHead->Flink;
    if (first == ListHead) return nullptr;
    ListHead->Flink = first->Flink;
    first->Flink->Blink = ListHead;
    return first;
}
NTSIM_EXPORT(ExInterlockedRemoveHeadList);

// Returns the previous first entry (NULL when the list was empty).
extern "C" PSINGLE_LIST_ENTRY NTAPI ExInterlockedPushEntryList(PSINGLE_LIST_ENTRY ListHead,
                                                               PSINGLE_LIST_ENTRY ListEntry,
                                                               PKSPIN_LOCK Lock) {
    InterlockedScope scope(Lock);
    PSINGLE_LIST_ENTRY first = ListHead->Next;
    ListEntry->Next = first;
    ListHead->Next = ListEntry;
    return first;
}
NTSIM_EXPORT(ExInterlockedPushEntryList);

extern "C" PSINGLE_LIST_ENTRY NTAPI ExInterlockedPopEntryList(PSINGLE_LIST_ENTRY ListHead,
                                                              PKSPIN_LOCK Lock) {
    InterlockedScope scope(Lock);
    PSINGLE_LIST_ENTRY first = ListHead->Next;
    if (first) ListHead->Next = first->Next;
    return first;
}
NTSIM_EXPORT(ExInterlockedPopEntryList);

// Returns the value before the addition.
extern "C" ULONG NTAPI ExInterlockedAddUlong(PULONG Addend, ULONG Increment, PKSPIN_LOCK Lock) {
    InterlockedScope scope(Lock);
    ULONG old = *Addend;
    *Addend = old + Increment;
    return old;
}
NTSIM_EXPORT(ExInterlockedAddUlong);

extern "C" LARGE_INTEGER NTAPI ExInterlockedAddLargeInteger(PLARGE_INTEGER Addend,
                                                            LARGE_INTEGER Increment,
                                                            PKSPIN_LOCK Lock) {
    InterlockedScope scope(Lock);
    LARGE_INTEGER old = *Addend;
    Addend->QuadPart = old.QuadPart + Increment.QuadPart;
    return old;
}
NTSIM_EXPORT(ExInterlockedAddLargeInteger);
