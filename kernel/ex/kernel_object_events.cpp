// The memory condition events of \KernelObjects (LowMemoryCondition, HighPagedPoolCondition,
// ...): permanent notification events created at boot that drivers open by name and wait on.
// ntsim has no memory pressure yet: the High* events start signalled and the Low*/Maximum*
// ones not; SetKernelObjectEvent lets tests (and a future memory monitor) drive them.
#include <map>
#include <mutex>

#include "ex/ex.h"
#include "ob/ob.h"
#include "wdm.h"

namespace ntsim::ex {
namespace {

struct ConditionEvent {
    const char16_t* name;
    bool initiallySignaled;
};
constexpr ConditionEvent kConditionEvents[] = {
    {u"LowMemoryCondition", false},       {u"HighMemoryCondition", true},
    {u"LowPagedPoolCondition", false},    {u"HighPagedPoolCondition", true},
    {u"LowNonPagedPoolCondition", false}, {u"HighNonPagedPoolCondition", true},
    {u"LowCommitCondition", false},       {u"HighCommitCondition", true},
    {u"MaximumCommitCondition", false},
};

std::mutex g_lock;
std::map<std::u16string, PKEVENT>* g_events = nullptr; // upcased name -> referenced event

} // namespace

void InitializeKernelObjectEvents() {
    std::lock_guard guard(g_lock);
    if (g_events) return;
    g_events = new std::map<std::u16string, PKEVENT>;
    for (const ConditionEvent& c : kConditionEvents) {
        std::u16string path = std::u16string(u"\\KernelObjects\\") + c.name;
        UNICODE_STRING name;
        name.Buffer = reinterpret_cast<PWCH>(path.data());
        name.Length = name.MaximumLength = USHORT(path.size() * sizeof(WCHAR));
        OBJECT_ATTRIBUTES attributes;
        InitializeObjectAttributes(&attributes, &name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE,
                                   nullptr, nullptr);
        PVOID body = nullptr;
        if (!NT_SUCCESS(ob::CreateObject(ob::EventType(), &attributes, sizeof(KEVENT), &body)))
            continue;
        KeInitializeEvent(static_cast<PKEVENT>(body), NotificationEvent, c.initiallySignaled);
        // No handle: the creation reference stays with this table for the kernel's lifetime.
        if (!NT_SUCCESS(
                ob::InsertObject(body, EVENT_ALL_ACCESS, OBJ_PERMANENT, KernelMode, nullptr)))
            continue;
        (*g_events)[ob::Upcase(c.name)] = static_cast<PKEVENT>(body);
    }
}

PKEVENT KernelObjectEvent(const std::u16string& name) {
    std::lock_guard guard(g_lock);
    if (!g_events) return nullptr;
    auto it = g_events->find(ob::Upcase(name));
    return it == g_events->end() ? nullptr : it->second;
}

NTSTATUS SetKernelObjectEvent(const std::u16string& name, bool signaled) {
    PKEVENT event = KernelObjectEvent(name);
    if (!event) return STATUS_OBJECT_NAME_NOT_FOUND;
    if (signaled)
        KeSetEvent(event, 0, FALSE);
    else
        KeClearEvent(event);
    return STATUS_SUCCESS;
}

} // namespace ntsim::ex
