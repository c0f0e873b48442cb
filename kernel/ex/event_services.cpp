// Event system services (Nt/Zw Create/Open/Set/Reset/Clear/Pulse/Query Event) and the handle
// waits (Nt/Zw WaitForSingleObject/MultipleObjects).
//
// Event objects are KEVENT bodies of the Event object type, so ObReferenceObjectByHandle(...,
// *ExEventObjectType, ...) gives drivers the KEVENT. Nt* use the caller's previous mode (user
// pointers probed, handle access checked, UserMode waits); Zw* set KernelMode first.
#include "core/export.h"
#include "ex/ex.h"
#include "ke/ke.h"
#include "mm/mm.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "wdm.h"

namespace ntsim::ex {
namespace {

// ProbeForRead/Write as a status (user pointers only).
NTSTATUS Probe(KPROCESSOR_MODE mode, const void* p, SIZE_T length, ULONG alignment, bool write) {
    if (mode != UserMode || length == 0) return STATUS_SUCCESS;
    if (reinterpret_cast<ULONG_PTR>(p) & (alignment - 1)) return STATUS_DATATYPE_MISALIGNMENT;
    if (!mm::IsUserRange(p, length) || !mm::IsAccessible(p, length, write))
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

NTSTATUS CreateEvent(PHANDLE handle, ACCESS_MASK access, POBJECT_ATTRIBUTES attributes,
                     EVENT_TYPE type, BOOLEAN initialState) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    if (!handle) return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = Probe(mode, handle, sizeof(HANDLE), alignof(HANDLE), true);
    if (!NT_SUCCESS(status)) return status;
    if (type != NotificationEvent && type != SynchronizationEvent) return STATUS_INVALID_PARAMETER;
    PVOID body = nullptr;
    status = ob::CreateObject(ob::EventType(), attributes, sizeof(KEVENT), &body);
    if (!NT_SUCCESS(status)) return status;
    KeInitializeEvent(static_cast<PKEVENT>(body), type, initialState);
    HANDLE result = nullptr;
    // OBJ_OPENIF on an existing name: STATUS_OBJECT_NAME_EXISTS and a handle to that event.
    status = ob::InsertObject(body, access, attributes ? attributes->Attributes : 0, mode, &result);
    if (NT_SUCCESS(status)) *handle = result;
    return status;
}

NTSTATUS OpenEvent(PHANDLE handle, ACCESS_MASK access, POBJECT_ATTRIBUTES attributes) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    if (!handle) return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = Probe(mode, handle, sizeof(HANDLE), alignof(HANDLE), true);
    if (!NT_SUCCESS(status)) return status;
    if (!attributes || !attributes->ObjectName) return STATUS_OBJECT_NAME_INVALID;
    HANDLE result = nullptr;
    status = ob::OpenObjectByName(attributes, ob::EventType(), access, mode, nullptr, &result);
    if (NT_SUCCESS(status)) *handle = result;
    return status;
}

// Set/Reset/Pulse: `op` returns the previous state.
template <typename Op>
NTSTATUS ChangeEvent(HANDLE handle, PLONG previousState, ACCESS_MASK access, Op op) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    NTSTATUS status = STATUS_SUCCESS;
    if (previousState) status = Probe(mode, previousState, sizeof(LONG), alignof(LONG), true);
    if (!NT_SUCCESS(status)) return status;
    PVOID body = nullptr;
    status = ob::ReferenceHandle(handle, ob::EventType(), access, mode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    LONG previous = op(static_cast<PKEVENT>(body));
    ob::DereferenceObject(body);
    if (previousState) *previousState = previous;
    return STATUS_SUCCESS;
}

NTSTATUS QueryEvent(HANDLE handle, EVENT_INFORMATION_CLASS infoClass, PVOID info, ULONG length,
                    PULONG returnLength) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    if (infoClass != EventBasicInformation) return STATUS_INVALID_INFO_CLASS;
    if (length != sizeof(EVENT_BASIC_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
    if (!info) return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = Probe(mode, info, length, alignof(LONG), true);
    if (NT_SUCCESS(status) && returnLength)
        status = Probe(mode, returnLength, sizeof(ULONG), alignof(ULONG), true);
    if (!NT_SUCCESS(status)) return status;
    PVOID body = nullptr;
    status = ob::ReferenceHandle(handle, ob::EventType(), EVENT_QUERY_STATE, mode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    auto* event = static_cast<PKEVENT>(body);
    auto* out = static_cast<PEVENT_BASIC_INFORMATION>(info);
    out->EventType =
        event->Header.Type == EventNotificationObject ? NotificationEvent : SynchronizationEvent;
    out->EventState = KeReadStateEvent(event);
    ob::DereferenceObject(body);
    if (returnLength) *returnLength = sizeof(EVENT_BASIC_INFORMATION);
    return STATUS_SUCCESS;
}

NTSTATUS CaptureTimeout(KPROCESSOR_MODE mode, PLARGE_INTEGER timeout, LARGE_INTEGER* captured,
                        PLARGE_INTEGER* use) {
    *use = nullptr;
    if (!timeout) return STATUS_SUCCESS;
    NTSTATUS status = Probe(mode, timeout, sizeof(LARGE_INTEGER), alignof(ULONG), false);
    if (!NT_SUCCESS(status)) return status;
    *captured = *timeout;
    *use = captured;
    return STATUS_SUCCESS;
}

// References `handle` for SYNCHRONIZE and returns the object to wait on.
NTSTATUS ReferenceWaitObject(HANDLE handle, KPROCESSOR_MODE mode, PVOID* body, PVOID* waitObject) {
    NTSTATUS status = ob::ReferenceHandle(handle, nullptr, SYNCHRONIZE, mode, body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    *waitObject = ob::WaitObjectOf(*body);
    if (*waitObject) return STATUS_SUCCESS;
    ob::DereferenceObject(*body);
    return STATUS_OBJECT_TYPE_MISMATCH;
}

NTSTATUS WaitSingle(HANDLE handle, BOOLEAN alertable, PLARGE_INTEGER timeout) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    LARGE_INTEGER captured;
    PLARGE_INTEGER use;
    NTSTATUS status = CaptureTimeout(mode, timeout, &captured, &use);
    if (!NT_SUCCESS(status)) return status;
    PVOID body = nullptr, object = nullptr;
    status = ReferenceWaitObject(handle, mode, &body, &object);
    if (!NT_SUCCESS(status)) return status;
    status = KeWaitForSingleObject(object, UserRequest, mode, alertable, use);
    ob::DereferenceObject(body);
    return status;
}

NTSTATUS WaitMultiple(ULONG count, HANDLE handles[], WAIT_TYPE type, BOOLEAN alertable,
                      PLARGE_INTEGER timeout) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    if (count == 0 || count > MAXIMUM_WAIT_OBJECTS) return STATUS_INVALID_PARAMETER_1;
    if (type != WaitAll && type != WaitAny) return STATUS_INVALID_PARAMETER_3;
    if (!handles) return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = Probe(mode, handles, count * sizeof(HANDLE), alignof(HANDLE), false);
    if (!NT_SUCCESS(status)) return status;
    LARGE_INTEGER captured;
    PLARGE_INTEGER use;
    status = CaptureTimeout(mode, timeout, &captured, &use);
    if (!NT_SUCCESS(status)) return status;
    PVOID bodies[MAXIMUM_WAIT_OBJECTS];
    PVOID objects[MAXIMUM_WAIT_OBJECTS];
    ULONG referenced = 0;
    for (; referenced < count; ++referenced) {
        status = ReferenceWaitObject(handles[referenced], mode, &bodies[referenced],
                                     &objects[referenced]);
        if (!NT_SUCCESS(status)) break;
        // WaitAll on the same object twice cannot be satisfied atomically: NT refuses it.
        if (type == WaitAll)
            for (ULONG j = 0; j < referenced; ++j)
                if (objects[j] == objects[referenced]) status = STATUS_INVALID_PARAMETER_MIX;
        if (!NT_SUCCESS(status)) {
            ob::DereferenceObject(bodies[referenced]);
            break;
        }
    }
    if (NT_SUCCESS(status)) {
        KWAIT_BLOCK blocks[MAXIMUM_WAIT_OBJECTS];
        status = KeWaitForMultipleObjects(count, objects, type, UserRequest, mode, alertable, use,
                                          blocks);
    }
    for (ULONG i = 0; i < referenced; ++i)
        ob::DereferenceObject(bodies[i]);
    return status;
}

} // namespace
} // namespace ntsim::ex

using namespace ntsim;
using ntsim::ps::PreviousModeScope;

// ---- Nt*: the caller's previous mode ----

extern "C" NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                        BOOLEAN InitialState) {
    return ex::CreateEvent(EventHandle, DesiredAccess, ObjectAttributes, EventType, InitialState);
}
NTSIM_EXPORT(NtCreateEvent);

extern "C" NTSTATUS NTAPI NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes) {
    return ex::OpenEvent(EventHandle, DesiredAccess, ObjectAttributes);
}
NTSIM_EXPORT(NtOpenEvent);

extern "C" NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState) {
    return ex::ChangeEvent(EventHandle, PreviousState, EVENT_MODIFY_STATE,
                           [](PKEVENT e) { return KeSetEvent(e, 0, FALSE); });
}
NTSIM_EXPORT(NtSetEvent);

extern "C" NTSTATUS NTAPI NtResetEvent(HANDLE EventHandle, PLONG PreviousState) {
    return ex::ChangeEvent(EventHandle, PreviousState, EVENT_MODIFY_STATE,
                           [](PKEVENT e) { return KeResetEvent(e); });
}
NTSIM_EXPORT(NtResetEvent);

extern "C" NTSTATUS NTAPI NtClearEvent(HANDLE EventHandle) {
    return ex::ChangeEvent(EventHandle, nullptr, EVENT_MODIFY_STATE, [](PKEVENT e) {
        KeClearEvent(e);
        return LONG(0);
    });
}
NTSIM_EXPORT(NtClearEvent);

extern "C" NTSTATUS NTAPI NtPulseEvent(HANDLE EventHandle, PLONG PreviousState) {
    return ex::ChangeEvent(EventHandle, PreviousState, EVENT_MODIFY_STATE,
                           [](PKEVENT e) { return KePulseEvent(e, 0, FALSE); });
}
NTSIM_EXPORT(NtPulseEvent);

extern "C" NTSTATUS NTAPI NtQueryEvent(HANDLE EventHandle,
                                       EVENT_INFORMATION_CLASS EventInformationClass,
                                       PVOID EventInformation, ULONG EventInformationLength,
                                       PULONG ReturnLength) {
    return ex::QueryEvent(EventHandle, EventInformationClass, EventInformation,
                          EventInformationLength, ReturnLength);
}
NTSIM_EXPORT(NtQueryEvent);

extern "C" NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
                                                PLARGE_INTEGER Timeout) {
    return ex::WaitSingle(Handle, Alertable, Timeout);
}
NTSIM_EXPORT(NtWaitForSingleObject);

extern "C" NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG Count, HANDLE Handles[],
                                                   WAIT_TYPE WaitType, BOOLEAN Alertable,
                                                   PLARGE_INTEGER Timeout) {
    return ex::WaitMultiple(Count, Handles, WaitType, Alertable, Timeout);
}
NTSIM_EXPORT(NtWaitForMultipleObjects);

// ---- Zw*: previous mode KernelMode ----

extern "C" NTSTATUS NTAPI ZwCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                        BOOLEAN InitialState) {
    PreviousModeScope scope(KernelMode);
    return ex::CreateEvent(EventHandle, DesiredAccess, ObjectAttributes, EventType, InitialState);
}
NTSIM_EXPORT(ZwCreateEvent);

extern "C" NTSTATUS NTAPI ZwOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes) {
    PreviousModeScope scope(KernelMode);
    return ex::OpenEvent(EventHandle, DesiredAccess, ObjectAttributes);
}
NTSIM_EXPORT(ZwOpenEvent);

extern "C" NTSTATUS NTAPI ZwSetEvent(HANDLE EventHandle, PLONG PreviousState) {
    PreviousModeScope scope(KernelMode);
    return NtSetEvent(EventHandle, PreviousState);
}
NTSIM_EXPORT(ZwSetEvent);

extern "C" NTSTATUS NTAPI ZwResetEvent(HANDLE EventHandle, PLONG PreviousState) {
    PreviousModeScope scope(KernelMode);
    return NtResetEvent(EventHandle, PreviousState);
}
NTSIM_EXPORT(ZwResetEvent);

extern "C" NTSTATUS NTAPI ZwClearEvent(HANDLE EventHandle) {
    PreviousModeScope scope(KernelMode);
    return NtClearEvent(EventHandle);
}
NTSIM_EXPORT(ZwClearEvent);

extern "C" NTSTATUS NTAPI ZwPulseEvent(HANDLE EventHandle, PLONG PreviousState) {
    PreviousModeScope scope(KernelMode);
    return NtPulseEvent(EventHandle, PreviousState);
}
NTSIM_EXPORT(ZwPulseEvent);

extern "C" NTSTATUS NTAPI ZwQueryEvent(HANDLE EventHandle,
                                       EVENT_INFORMATION_CLASS EventInformationClass,
                                       PVOID EventInformation, ULONG EventInformationLength,
                                       PULONG ReturnLength) {
    PreviousModeScope scope(KernelMode);
    return NtQueryEvent(EventHandle, EventInformationClass, EventInformation,
                        EventInformationLength, ReturnLength);
}
NTSIM_EXPORT(ZwQueryEvent);

extern "C" NTSTATUS NTAPI ZwWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
                                                PLARGE_INTEGER Timeout) {
    PreviousModeScope scope(KernelMode);
    return NtWaitForSingleObject(Handle, Alertable, Timeout);
}
NTSIM_EXPORT(ZwWaitForSingleObject);

extern "C" NTSTATUS NTAPI ZwWaitForMultipleObjects(ULONG Count, HANDLE Handles[],
                                                   WAIT_TYPE WaitType, BOOLEAN Alertable,
                                                   PLARGE_INTEGER Timeout) {
    PreviousModeScope scope(KernelMode);
    return NtWaitForMultipleObjects(Count, Handles, WaitType, Alertable, Timeout);
}
NTSIM_EXPORT(ZwWaitForMultipleObjects);
