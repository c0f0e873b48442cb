// IoCreateNotificationEvent / IoCreateSynchronizationEvent: open-or-create a named event for a
// driver and hand back both the KEVENT and a kernel handle (the pointer stays valid while the
// handle is open).
#include <string>

#include "core/export.h"
#include "ob/ob.h"
#include "wdm.h"

namespace {

PKEVENT CreateNamedEvent(PUNICODE_STRING eventName, PHANDLE eventHandle, EVENT_TYPE type) {
    if (!eventName || !eventHandle || !eventName->Buffer || eventName->Length == 0) return nullptr;
    // Names not starting at the root live where user-mode named events do.
    std::u16string name = ntsim::ob::ToU16(eventName);
    if (name[0] != u'\\') name = u"\\BaseNamedObjects\\" + name;
    UNICODE_STRING fullName;
    fullName.Buffer = reinterpret_cast<PWCH>(name.data());
    fullName.Length = USHORT(name.size() * sizeof(WCHAR));
    fullName.MaximumLength = fullName.Length;
    if (name.size() * sizeof(WCHAR) > 0xFFFE) return nullptr;
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, &fullName,
                               OBJ_OPENIF | OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, nullptr,
                               nullptr);
    HANDLE handle = nullptr;
    // A new event starts signalled (as on Windows); an existing one keeps its state and type.
    NTSTATUS status = ZwCreateEvent(&handle, EVENT_ALL_ACCESS, &attributes, type, TRUE);
    if (!NT_SUCCESS(status)) return nullptr;
    PVOID event = nullptr;
    status = ObReferenceObjectByHandle(handle, 0, *ExEventObjectType, KernelMode, &event, nullptr);
    if (!NT_SUCCESS(status)) {
        ZwClose(handle);
        return nullptr;
    }
    ObDereferenceObject(event); // the handle keeps it alive
    *eventHandle = handle;
    return static_cast<PKEVENT>(event);
}

} // namespace

extern "C" PKEVENT NTAPI IoCreateNotificationEvent(PUNICODE_STRING EventName, PHANDLE EventHandle) {
    return CreateNamedEvent(EventName, EventHandle, NotificationEvent);
}
NTSIM_EXPORT(IoCreateNotificationEvent);

extern "C" PKEVENT NTAPI IoCreateSynchronizationEvent(PUNICODE_STRING EventName,
                                                      PHANDLE EventHandle) {
    return CreateNamedEvent(EventName, EventHandle, SynchronizationEvent);
}
NTSIM_EXPORT(IoCreateSynchronizationEvent);
