// Event system services (Nt/Zw Create/Open/Set/Reset/Clear/Pulse/Query Event) and the handle
// waits (Nt/Zw WaitForSingleObject/MultipleObjects).
//
// Event objects are KEVENT bodies of the Event object type, so ObReferenceObjectByHandle(...,
// *ExEventObjectType, ...) gives drivers the KEVENT. Nt* use the caller's previous mode (user
// pointers probed, handle access checked, UserMode waits); Zw* set KernelMode first.
#include <cstring>
#include "core/export.h"
#include "ex/ex.h"
#include "ex/sync_services.h"
#include "ke/ke.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "wdm.h"

namespace ntsim::ex {

NTSTATUS CreateEventObject(HANDLE* handle, ACCESS_MASK access, const OBJECT_ATTRIBUTES* attributes,
                           ULONG type, BOOLEAN initialState, KPROCESSOR_MODE mode) {
    if (type != NotificationEvent && type != SynchronizationEvent) return STATUS_INVALID_PARAMETER;
    return CreateSyncObject(
        ob::EventType(), sizeof(KEVENT), handle, access, attributes, mode, [&](PVOID body) {
            KeInitializeEvent(static_cast<PKEVENT>(body), EVENT_TYPE(type), initialState);
        });
}

NTSTATUS OpenEventObject(HANDLE* handle, ACCESS_MASK access, const OBJECT_ATTRIBUTES* attributes,
                         KPROCESSOR_MODE mode) {
    return OpenSyncObject(ob::EventType(), handle, access, attributes, mode);
}

NTSTATUS ChangeEventObject(HANDLE handle, EventOperation operation, LONG* previousState,
                           KPROCESSOR_MODE mode) {
    PVOID body = nullptr;
    NTSTATUS status =
        ob::ReferenceHandle(handle, ob::EventType(), EVENT_MODIFY_STATE, mode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    auto* event = static_cast<PKEVENT>(body);
    LONG previous = 0;
    switch (operation) {
    case EventOperation::Set:
        previous = KeSetEvent(event, IO_NO_INCREMENT, FALSE);
        break;
    case EventOperation::Reset:
        previous = KeResetEvent(event);
        break;
    case EventOperation::Clear:
        KeClearEvent(event);
        break;
    case EventOperation::Pulse:
        previous = KePulseEvent(event, IO_NO_INCREMENT, FALSE);
        break;
    }
    ob::DereferenceObject(body);
    if (previousState) *previousState = previous;
    return STATUS_SUCCESS;
}

namespace {

NTSTATUS QueryEvent(HANDLE handle, EVENT_INFORMATION_CLASS infoClass, PVOID info, ULONG length,
                    PULONG returnLength) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    NTSTATUS status = ProbeBasicQuery(mode, infoClass == EventBasicInformation, info, length,
                                      sizeof(EVENT_BASIC_INFORMATION), returnLength);
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

// References `handle` for SYNCHRONIZE and returns the object to wait on.
NTSTATUS ReferenceWaitObject(HANDLE handle, KPROCESSOR_MODE mode, PVOID* body, PVOID* waitObject) {
    NTSTATUS status = ob::ReferenceHandle(handle, nullptr, SYNCHRONIZE, mode, body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    *waitObject = ob::WaitObjectOf(*body);
    if (*waitObject) return STATUS_SUCCESS;
    ob::DereferenceObject(*body);
    return STATUS_OBJECT_TYPE_MISMATCH;
}

} // namespace

NTSTATUS WaitForSingleHandle(HANDLE handle, BOOLEAN alertable, const LARGE_INTEGER* timeout,
                             KPROCESSOR_MODE mode) {
    PVOID body = nullptr, object = nullptr;
    NTSTATUS status = ReferenceWaitObject(handle, mode, &body, &object);
    if (!NT_SUCCESS(status)) return status;
    LARGE_INTEGER copy;
    if (timeout) copy = *timeout;
    status = KeWaitForSingleObject(object, UserRequest, mode, alertable, timeout ? &copy : nullptr);
    ob::DereferenceObject(body);
    return status;
}

NTSTATUS WaitForMultipleHandles(ULONG count, const HANDLE* handles, WAIT_TYPE type,
                                BOOLEAN alertable, const LARGE_INTEGER* timeout,
                                KPROCESSOR_MODE mode) {
    if (count == 0 || count > MAXIMUM_WAIT_OBJECTS) return STATUS_INVALID_PARAMETER_1;
    if (type != WaitAll && type != WaitAny) return STATUS_INVALID_PARAMETER_3;
    PVOID bodies[MAXIMUM_WAIT_OBJECTS];
    PVOID objects[MAXIMUM_WAIT_OBJECTS];
    ULONG referenced = 0;
    NTSTATUS status = STATUS_SUCCESS;
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
        LARGE_INTEGER copy;
        if (timeout) copy = *timeout;
        status = KeWaitForMultipleObjects(count, objects, type, UserRequest, mode, alertable,
                                          timeout ? &copy : nullptr, blocks);
    }
    for (ULONG i = 0; i < referenced; ++i)
        ob::DereferenceObject(bodies[i]);
    return status;
}

} // namespace ntsim::ex

using namespace ntsim;
using ntsim::ps::PreviousModeScope;

// ---- Nt*: the caller's previous mode ----

namespace {
// The caller's EVENT_TYPE bits, valid or not (see CreateEventObject): read as an integer.
ULONG RawEventType(const EVENT_TYPE& type) {
    ULONG raw;
    static_assert(sizeof(raw) == sizeof(type));
    std::memcpy(&raw, &type, sizeof(raw));
    return raw;
}

NTSTATUS CreateEventService(PHANDLE handle, ACCESS_MASK access, POBJECT_ATTRIBUTES attributes,
                            ULONG type, BOOLEAN initialState) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    return ex::ReturnHandle(mode, handle, [&](HANDLE* h) {
        return ex::CreateEventObject(h, access, attributes, type, initialState, mode);
    });
}
} // namespace

extern "C" NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                        BOOLEAN InitialState) {
    return CreateEventService(EventHandle, DesiredAccess, ObjectAttributes, RawEventType(EventType),
                              InitialState);
}
NTSIM_EXPORT(NtCreateEvent);

extern "C" NTSTATUS NTAPI NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    return ex::ReturnHandle(mode, EventHandle, [&](HANDLE* h) {
        return ex::OpenEventObject(h, DesiredAccess, ObjectAttributes, mode);
    });
}
NTSIM_EXPORT(NtOpenEvent);

extern "C" NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    return ex::ReturnLong(mode, PreviousState, [&](LONG* previous) {
        return ex::ChangeEventObject(EventHandle, ex::EventOperation::Set, previous, mode);
    });
}
NTSIM_EXPORT(NtSetEvent);

extern "C" NTSTATUS NTAPI NtResetEvent(HANDLE EventHandle, PLONG PreviousState) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    return ex::ReturnLong(mode, PreviousState, [&](LONG* previous) {
        return ex::ChangeEventObject(EventHandle, ex::EventOperation::Reset, previous, mode);
    });
}
NTSIM_EXPORT(NtResetEvent);

extern "C" NTSTATUS NTAPI NtClearEvent(HANDLE EventHandle) {
    return ex::ChangeEventObject(EventHandle, ex::EventOperation::Clear, nullptr,
                                 ps::PreviousMode());
}
NTSIM_EXPORT(NtClearEvent);

extern "C" NTSTATUS NTAPI NtPulseEvent(HANDLE EventHandle, PLONG PreviousState) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    return ex::ReturnLong(mode, PreviousState, [&](LONG* previous) {
        return ex::ChangeEventObject(EventHandle, ex::EventOperation::Pulse, previous, mode);
    });
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
    KPROCESSOR_MODE mode = ps::PreviousMode();
    LARGE_INTEGER captured;
    const LARGE_INTEGER* timeout;
    NTSTATUS status = ex::CaptureTimeout(mode, Timeout, &captured, &timeout);
    if (!NT_SUCCESS(status)) return status;
    return ex::WaitForSingleHandle(Handle, Alertable, timeout, mode);
}
NTSIM_EXPORT(NtWaitForSingleObject);

extern "C" NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG Count, HANDLE Handles[],
                                                   WAIT_TYPE WaitType, BOOLEAN Alertable,
                                                   PLARGE_INTEGER Timeout) {
    KPROCESSOR_MODE mode = ps::PreviousMode();
    if (Count == 0 || Count > MAXIMUM_WAIT_OBJECTS) return STATUS_INVALID_PARAMETER_1;
    if (WaitType != WaitAll && WaitType != WaitAny) return STATUS_INVALID_PARAMETER_3;
    if (!Handles) return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = ex::ProbeUser(mode, Handles, Count * sizeof(HANDLE), alignof(HANDLE), false);
    if (!NT_SUCCESS(status)) return status;
    HANDLE captured[MAXIMUM_WAIT_OBJECTS];
    for (ULONG i = 0; i < Count; ++i)
        captured[i] = Handles[i];
    LARGE_INTEGER capturedTimeout;
    const LARGE_INTEGER* timeout;
    status = ex::CaptureTimeout(mode, Timeout, &capturedTimeout, &timeout);
    if (!NT_SUCCESS(status)) return status;
    return ex::WaitForMultipleHandles(Count, captured, WaitType, Alertable, timeout, mode);
}
NTSIM_EXPORT(NtWaitForMultipleObjects);

// ---- Zw*: previous mode KernelMode ----

extern "C" NTSTATUS NTAPI ZwCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                        BOOLEAN InitialState) {
    PreviousModeScope scope(KernelMode);
    return CreateEventService(EventHandle, DesiredAccess, ObjectAttributes, RawEventType(EventType),
                              InitialState);
}
NTSIM_EXPORT(ZwCreateEvent);

extern "C" NTSTATUS NTAPI ZwOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes) {
    PreviousModeScope scope(KernelMode);
    return NtOpenEvent(EventHandle, DesiredAccess, ObjectAttributes);
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
