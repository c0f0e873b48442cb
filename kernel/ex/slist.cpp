// Interlocked singly linked lists (SLIST_HEADER / SLIST_ENTRY), x64 flavour.
//
// The header keeps the x64 encoding Windows uses (Depth:16, Sequence:48 in the first quadword;
// NextEntry = first entry >> 4 in the second), so a driver or debugger reading it sees what it
// would on Windows. Instead of a 16-byte compare-exchange, each update holds one of a set of
// locks chosen by the header's address: simple, ABA-free, and the depth check plus push of a
// lookaside free is one atomic step.
#include <array>
#include <mutex>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ex/ex_internal.h"

namespace ntsim::ex {
namespace {

std::mutex& StripeFor(const void* head) {
    static std::array<std::mutex, 64> stripes;
    auto key = reinterpret_cast<uintptr_t>(head) >> 4;
    return stripes[(key ^ (key >> 6)) % stripes.size()];
}

PSLIST_ENTRY FirstEntry(const SLIST_HEADER* head) {
    return reinterpret_cast<PSLIST_ENTRY>(uintptr_t(head->HeaderX64.NextEntry) << 4);
}

void SetFirstEntry(PSLIST_HEADER head, PSLIST_ENTRY entry) {
    head->HeaderX64.NextEntry = reinterpret_cast<uintptr_t>(entry) >> 4;
}

// Called with the stripe held.
PSLIST_ENTRY PushLocked(PSLIST_HEADER head, PSLIST_ENTRY entry) {
    PSLIST_ENTRY first = FirstEntry(head);
    entry->Next = first;
    SetFirstEntry(head, entry);
    head->HeaderX64.Depth = head->HeaderX64.Depth + 1;
    head->HeaderX64.Sequence = head->HeaderX64.Sequence + 1;
    return first;
}

void CheckAlignment(PSLIST_ENTRY entry) {
    // x64 SLIST entries must be 16-byte aligned: the header drops the low 4 bits, so Windows
    // would later hand back a different pointer. Say so now; then behave as Windows does.
    if (reinterpret_cast<uintptr_t>(entry) & 0xF)
        dbg::LogKernelMessage(dbg::Severity::Error,
                              "SLIST entry %p is not 16-byte aligned; the list will lose its "
                              "low address bits",
                              static_cast<void*>(entry));
}

} // namespace

void SListInitialize(PSLIST_HEADER head) {
    std::lock_guard guard(StripeFor(head));
    head->Alignment = 0;
    head->Region = 0;
}

PSLIST_ENTRY SListPush(PSLIST_HEADER head, PSLIST_ENTRY entry) {
    CheckAlignment(entry);
    std::lock_guard guard(StripeFor(head));
    return PushLocked(head, entry);
}

bool SListPushIfBelow(PSLIST_HEADER head, PSLIST_ENTRY entry, USHORT limit) {
    CheckAlignment(entry);
    std::lock_guard guard(StripeFor(head));
    if (head->HeaderX64.Depth >= limit) return false;
    PushLocked(head, entry);
    return true;
}

PSLIST_ENTRY SListPop(PSLIST_HEADER head) {
    std::lock_guard guard(StripeFor(head));
    PSLIST_ENTRY first = FirstEntry(head);
    if (first == nullptr) return nullptr;
    SetFirstEntry(head, first->Next);
    head->HeaderX64.Depth = head->HeaderX64.Depth - 1;
    head->HeaderX64.Sequence = head->HeaderX64.Sequence + 1;
    return first;
}

PSLIST_ENTRY SListFlush(PSLIST_HEADER head) {
    std::lock_guard guard(StripeFor(head));
    PSLIST_ENTRY first = FirstEntry(head);
    SetFirstEntry(head, nullptr);
    head->HeaderX64.Depth = 0;
    return first;
}

USHORT SListDepth(PSLIST_HEADER head) {
    std::lock_guard guard(StripeFor(head));
    return USHORT(head->HeaderX64.Depth);
}

} // namespace ntsim::ex

using namespace ntsim::ex;

extern "C" VOID NTAPI InitializeSListHead(PSLIST_HEADER SListHead) {
    SListInitialize(SListHead);
}
NTSIM_EXPORT(InitializeSListHead);

extern "C" PSLIST_ENTRY NTAPI ExpInterlockedPushEntrySList(PSLIST_HEADER ListHead,
                                                           PSLIST_ENTRY ListEntry) {
    return SListPush(ListHead, ListEntry);
}
NTSIM_EXPORT(ExpInterlockedPushEntrySList);

extern "C" PSLIST_ENTRY NTAPI ExpInterlockedPopEntrySList(PSLIST_HEADER ListHead) {
    return SListPop(ListHead);
}
NTSIM_EXPORT(ExpInterlockedPopEntrySList);

extern "C" PSLIST_ENTRY NTAPI ExpInterlockedFlushSList(PSLIST_HEADER ListHead) {
    return SListFlush(ListHead);
}
NTSIM_EXPORT(ExpInterlockedFlushSList);

extern "C" USHORT NTAPI ExQueryDepthSList(PSLIST_HEADER SListHead) {
    return SListDepth(SListHead);
}
NTSIM_EXPORT(ExQueryDepthSList);
