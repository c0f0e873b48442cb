// The system-call dispatcher: turns a client's Request (offsets into its arena) into calls of
// the kernel's system services with previous mode UserMode. The request was copied out of
// shared memory by the caller, so its fields cannot change under us; buffers stay in the arena
// (drivers see real shared bytes), names are copied into kernel memory before use.
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include <wdm.h>

#include "io/io.h"
#include "lpc/lpc.h"
#include "ob/ob.h"
#include "ps/ps.h"

namespace ntsim::lpc {
namespace {

using wire::kNullOffset;

constexpr ULONG kMaxNameBytes = 0xFFFE;   // UNICODE_STRING limit
constexpr ULONG kMaxWaitObjects = 64;     // MAXIMUM_WAIT_OBJECTS
constexpr LONGLONG kWaitSlice = -500'000; // 50 ms: waits recheck whether the client is gone

// OBJ_* a client may pass: OBJ_KERNEL_HANDLE is kernel-only and OBJ_PERMANENT needs a
// privilege clients do not hold; both are dropped.
constexpr ULONG kUserObjectAttributes =
    OBJ_INHERIT | OBJ_EXCLUSIVE | OBJ_CASE_INSENSITIVE | OBJ_OPENIF | OBJ_OPENLINK;

// Resolves (offset, length) to a kernel pointer inside the arena; false if any byte is outside.
bool ArenaRange(const ClientContext& c, uint64_t offset, uint64_t length, void** out) {
    if (offset == kNullOffset) { // NULL: the service decides whether NULL is allowed
        *out = nullptr;
        return true;
    }
    if (offset > c.arenaSize || length > c.arenaSize - offset) return false;
    *out = c.arena + offset;
    return true;
}

template <typename T> bool ArenaObject(const ClientContext& c, uint64_t offset, T** out) {
    void* p = nullptr;
    if (offset == kNullOffset) {
        *out = nullptr;
        return true;
    }
    if (!ArenaRange(c, offset, sizeof(T), &p)) return false;
    *out = static_cast<T*>(p);
    return true;
}

HANDLE ToHandle(uint64_t value) {
    return reinterpret_cast<HANDLE>(static_cast<ULONG_PTR>(value));
}
uint64_t FromHandle(HANDLE h) {
    return reinterpret_cast<ULONG_PTR>(h);
}

// A client's object name, captured into kernel memory.
struct CapturedAttributes {
    std::u16string name;
    UNICODE_STRING unicode{};
    OBJECT_ATTRIBUTES attributes{};
};

NTSTATUS CaptureAttributes(const ClientContext& c, uint64_t nameOff, uint64_t nameBytes,
                           uint64_t attributes, uint64_t root, CapturedAttributes* out,
                           bool nameRequired) {
    if (nameOff == kNullOffset) {
        if (nameRequired || nameBytes) return STATUS_OBJECT_NAME_INVALID;
    } else {
        if (nameBytes > kMaxNameBytes || (nameBytes & 1)) return STATUS_OBJECT_NAME_INVALID;
        void* p = nullptr;
        if (!ArenaRange(c, nameOff, nameBytes, &p)) return STATUS_ACCESS_VIOLATION;
        out->name.resize(nameBytes / 2);
        std::memcpy(out->name.data(), p, nameBytes);
    }
    if (attributes > 0xFFFFFFFFull) return STATUS_INVALID_PARAMETER;
    out->unicode.Buffer = reinterpret_cast<PWCH>(out->name.data());
    out->unicode.Length = static_cast<USHORT>(out->name.size() * 2);
    out->unicode.MaximumLength = out->unicode.Length;
    InitializeObjectAttributes(&out->attributes, nameOff == kNullOffset ? nullptr : &out->unicode,
                               static_cast<ULONG>(attributes) & kUserObjectAttributes,
                               ToHandle(root), nullptr);
    return STATUS_SUCCESS;
}

bool FitsUlong(uint64_t v) {
    return v <= 0xFFFFFFFFull;
}

NTSTATUS CreateFile(const ClientContext& c, const wire::Request& r, wire::Reply* reply) {
    CapturedAttributes oa;
    NTSTATUS status = CaptureAttributes(c, r.a[1], r.a[2], r.a[3], r.a[4], &oa, true);
    if (!NT_SUCCESS(status)) return status;
    LARGE_INTEGER* allocation = nullptr;
    PVOID ea = nullptr;
    IO_STATUS_BLOCK* iosb = nullptr;
    if (!ArenaObject(c, r.a[5], &allocation) || !ArenaRange(c, r.a[10], r.a[11], &ea) ||
        !ArenaObject(c, r.a[12], &iosb))
        return STATUS_ACCESS_VIOLATION;
    if (!FitsUlong(r.a[0]) || !FitsUlong(r.a[6]) || !FitsUlong(r.a[7]) || !FitsUlong(r.a[8]) ||
        !FitsUlong(r.a[9]) || !FitsUlong(r.a[11]))
        return STATUS_INVALID_PARAMETER;
    HANDLE handle = nullptr;
    status = io::NtCreateFile(&handle, ACCESS_MASK(r.a[0]), &oa.attributes, iosb, allocation,
                              ULONG(r.a[6]), ULONG(r.a[7]), ULONG(r.a[8]), ULONG(r.a[9]), ea,
                              ULONG(r.a[11]), UserMode);
    reply->v[0] = FromHandle(handle);
    return status;
}

NTSTATUS DeviceIoControl(const ClientContext& c, const wire::Request& r) {
    PVOID in = nullptr, out = nullptr;
    IO_STATUS_BLOCK* iosb = nullptr;
    if (!FitsUlong(r.a[2]) || !FitsUlong(r.a[4]) || !FitsUlong(r.a[6]))
        return STATUS_INVALID_PARAMETER;
    if (!ArenaRange(c, r.a[3], r.a[4], &in) || !ArenaRange(c, r.a[5], r.a[6], &out) ||
        !ArenaObject(c, r.a[7], &iosb) || !iosb)
        return STATUS_ACCESS_VIOLATION;
    return io::NtDeviceIoControlFile(ToHandle(r.a[0]), ToHandle(r.a[1]), nullptr,
                                     reinterpret_cast<PVOID>(r.a[8]), iosb, ULONG(r.a[2]), in,
                                     ULONG(r.a[4]), out, ULONG(r.a[6]), UserMode);
}

NTSTATUS ReadWrite(const ClientContext& c, const wire::Request& r, bool write) {
    PVOID buffer = nullptr;
    LARGE_INTEGER* offset = nullptr;
    ULONG* key = nullptr;
    IO_STATUS_BLOCK* iosb = nullptr;
    if (!FitsUlong(r.a[3])) return STATUS_INVALID_PARAMETER;
    if (!ArenaRange(c, r.a[2], r.a[3], &buffer) || !ArenaObject(c, r.a[4], &offset) ||
        !ArenaObject(c, r.a[5], &key) || !ArenaObject(c, r.a[6], &iosb) || !iosb)
        return STATUS_ACCESS_VIOLATION;
    auto fn = write ? io::NtWriteFile : io::NtReadFile;
    return fn(ToHandle(r.a[0]), ToHandle(r.a[1]), nullptr, reinterpret_cast<PVOID>(r.a[7]), iosb,
              buffer, ULONG(r.a[3]), offset, key, UserMode);
}

// The object a wait on `body` waits for: the object itself if it is a dispatcher object, the
// file object's event for a file (as NtWaitForSingleObject on a file handle does).
PVOID WaitTarget(PVOID body) {
    POBJECT_TYPE type = ob::TypeOf(body);
    if (type == *IoFileObjectType) return &static_cast<PFILE_OBJECT>(body)->Event;
    if (ob::InfoOf(type).waitable) return body;
    return nullptr;
}

// Waits in slices so a client that dies while its thread waits is noticed.
template <typename WaitFn>
NTSTATUS SlicedWait(const ClientContext& c, bool hasTimeout, LONGLONG timeout, WaitFn wait) {
    using Clock = std::chrono::steady_clock;
    if (hasTimeout && timeout > 0) {
        // Absolute system time: turn it into a relative one now.
        LARGE_INTEGER now;
        KeQuerySystemTime(&now);
        timeout = now.QuadPart >= timeout ? 0 : now.QuadPart - timeout;
    }
    const bool infinite = !hasTimeout;
    const auto deadline = Clock::now() + std::chrono::nanoseconds(infinite ? 0 : -timeout * 100);
    for (;;) {
        LARGE_INTEGER slice;
        if (infinite) {
            slice.QuadPart = kWaitSlice;
        } else {
            auto left =
                std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - Clock::now());
            LONGLONG left100 = left.count() > 0 ? left.count() / 100 : 0;
            slice.QuadPart = -std::min<LONGLONG>(left100, -kWaitSlice);
        }
        NTSTATUS status = wait(&slice);
        if (status != STATUS_TIMEOUT) return status;
        if (c.dead && c.dead->load()) return STATUS_THREAD_IS_TERMINATING;
        if (!infinite && Clock::now() >= deadline) return STATUS_TIMEOUT;
    }
}

NTSTATUS WaitSingle(const ClientContext& c, const wire::Request& r) {
    PVOID body = nullptr;
    NTSTATUS status =
        ob::ReferenceHandle(ToHandle(r.a[0]), nullptr, SYNCHRONIZE, UserMode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    PVOID target = WaitTarget(body);
    if (!target) {
        ob::DereferenceObject(body);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    const BOOLEAN alertable = r.a[1] ? TRUE : FALSE;
    status = SlicedWait(c, r.a[2] != 0, static_cast<LONGLONG>(r.a[3]), [&](PLARGE_INTEGER t) {
        return KeWaitForSingleObject(target, UserRequest, UserMode, alertable, t);
    });
    ob::DereferenceObject(body);
    return status;
}

NTSTATUS WaitMultiple(const ClientContext& c, const wire::Request& r) {
    const uint64_t count = r.a[0];
    if (count == 0 || count > kMaxWaitObjects) return STATUS_INVALID_PARAMETER_1;
    if (r.a[2] > 1) return STATUS_INVALID_PARAMETER_3;
    void* p = nullptr;
    if (!ArenaRange(c, r.a[1], count * sizeof(uint64_t), &p) || !p) return STATUS_ACCESS_VIOLATION;
    std::vector<uint64_t> handles(count);
    std::memcpy(handles.data(), p, count * sizeof(uint64_t));
    std::vector<PVOID> bodies, targets;
    NTSTATUS status = STATUS_SUCCESS;
    for (uint64_t h : handles) {
        PVOID body = nullptr;
        status = ob::ReferenceHandle(ToHandle(h), nullptr, SYNCHRONIZE, UserMode, &body, nullptr);
        if (!NT_SUCCESS(status)) break;
        bodies.push_back(body);
        PVOID target = WaitTarget(body);
        if (!target) {
            status = STATUS_OBJECT_TYPE_MISMATCH;
            break;
        }
        targets.push_back(target);
    }
    if (NT_SUCCESS(status)) {
        std::vector<KWAIT_BLOCK> blocks(count);
        const WAIT_TYPE type = r.a[2] ? WaitAll : WaitAny;
        const BOOLEAN alertable = r.a[3] ? TRUE : FALSE;
        status = SlicedWait(c, r.a[4] != 0, static_cast<LONGLONG>(r.a[5]), [&](PLARGE_INTEGER t) {
            return KeWaitForMultipleObjects(ULONG(count), targets.data(), type, UserRequest,
                                            UserMode, alertable, t, blocks.data());
        });
    }
    for (PVOID body : bodies)
        ob::DereferenceObject(body);
    return status;
}

NTSTATUS CreateEvent(const ClientContext& c, const wire::Request& r, wire::Reply* reply) {
    CapturedAttributes oa;
    NTSTATUS status = CaptureAttributes(c, r.a[1], r.a[2], r.a[3], r.a[4], &oa, false);
    if (!NT_SUCCESS(status)) return status;
    if (r.a[5] > SynchronizationEvent) return STATUS_INVALID_PARAMETER;
    if (!FitsUlong(r.a[0])) return STATUS_INVALID_PARAMETER;
    PVOID body = nullptr;
    status = ob::CreateObject(ob::EventType(), &oa.attributes, sizeof(KEVENT), &body);
    if (!NT_SUCCESS(status)) return status;
    KeInitializeEvent(static_cast<PKEVENT>(body), static_cast<EVENT_TYPE>(r.a[5]),
                      r.a[6] ? TRUE : FALSE);
    HANDLE handle = nullptr;
    status =
        ob::InsertObject(body, ACCESS_MASK(r.a[0]), oa.attributes.Attributes, UserMode, &handle);
    reply->v[0] = FromHandle(handle);
    return status;
}

NTSTATUS OpenEvent(const ClientContext& c, const wire::Request& r, wire::Reply* reply) {
    CapturedAttributes oa;
    NTSTATUS status = CaptureAttributes(c, r.a[1], r.a[2], r.a[3], r.a[4], &oa, true);
    if (!NT_SUCCESS(status)) return status;
    if (!FitsUlong(r.a[0])) return STATUS_INVALID_PARAMETER;
    HANDLE handle = nullptr;
    status = ob::OpenObjectByName(&oa.attributes, ob::EventType(), ACCESS_MASK(r.a[0]), UserMode,
                                  nullptr, &handle);
    reply->v[0] = FromHandle(handle);
    return status;
}

NTSTATUS SetOrResetEvent(const wire::Request& r, wire::Reply* reply, bool set) {
    PVOID body = nullptr;
    NTSTATUS status = ob::ReferenceHandle(ToHandle(r.a[0]), ob::EventType(), EVENT_MODIFY_STATE,
                                          UserMode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    auto* event = static_cast<PKEVENT>(body);
    reply->v[0] = static_cast<uint64_t>(set ? KeSetEvent(event, IO_NO_INCREMENT, FALSE)
                                            : KeResetEvent(event));
    ob::DereferenceObject(body);
    return STATUS_SUCCESS;
}

NTSTATUS Duplicate(const wire::Request& r, wire::Reply* reply) {
    // Same-process duplication only; a kernel handle is never reachable from user mode.
    HANDLE source = ToHandle(r.a[0]);
    if (ob::IsKernelHandle(source) || !FitsUlong(r.a[1]) || !FitsUlong(r.a[2]) ||
        !FitsUlong(r.a[3]))
        return STATUS_INVALID_HANDLE;
    PVOID body = nullptr;
    NTSTATUS status = ob::ReferenceHandle(source, nullptr, 0, UserMode, &body, nullptr);
    if (!NT_SUCCESS(status)) return status;
    ob::DereferenceObject(body);
    HANDLE target = nullptr;
    status = ZwDuplicateObject(NtCurrentProcess(), source, NtCurrentProcess(), &target,
                               ACCESS_MASK(r.a[1]), ULONG(r.a[2]) & kUserObjectAttributes,
                               ULONG(r.a[3]));
    reply->v[0] = FromHandle(target);
    return status;
}

} // namespace

void DispatchSyscall(const ClientContext& c, const wire::Request& r, wire::Reply* reply) {
    *reply = {};
    ps::PreviousModeScope user(UserMode);
    NTSTATUS status;
    switch (r.service) {
    case wire::kSvcCreateFile:
        status = CreateFile(c, r, reply);
        break;
    case wire::kSvcDeviceIoControlFile:
        status = DeviceIoControl(c, r);
        break;
    case wire::kSvcReadFile:
        status = ReadWrite(c, r, false);
        break;
    case wire::kSvcWriteFile:
        status = ReadWrite(c, r, true);
        break;
    case wire::kSvcFlushBuffersFile: {
        IO_STATUS_BLOCK* iosb = nullptr;
        status = ArenaObject(c, r.a[1], &iosb) && iosb
                     ? io::NtFlushBuffersFile(ToHandle(r.a[0]), iosb, UserMode)
                     : STATUS_ACCESS_VIOLATION;
        break;
    }
    case wire::kSvcCancelIoFile: {
        IO_STATUS_BLOCK* iosb = nullptr;
        status = ArenaObject(c, r.a[2], &iosb) && iosb
                     ? io::NtCancelIoFile(ToHandle(r.a[0]), iosb, r.a[1] != 0)
                     : STATUS_ACCESS_VIOLATION;
        break;
    }
    case wire::kSvcClose:
        status = ob::IsKernelHandle(ToHandle(r.a[0])) ? STATUS_INVALID_HANDLE
                                                      : NtClose(ToHandle(r.a[0]));
        break;
    case wire::kSvcDuplicateObject:
        status = Duplicate(r, reply);
        break;
    case wire::kSvcWaitForSingleObject:
        status = WaitSingle(c, r);
        break;
    case wire::kSvcWaitForMultipleObjects:
        status = WaitMultiple(c, r);
        break;
    case wire::kSvcCreateEvent:
        status = CreateEvent(c, r, reply);
        break;
    case wire::kSvcOpenEvent:
        status = OpenEvent(c, r, reply);
        break;
    case wire::kSvcSetEvent:
        status = SetOrResetEvent(r, reply, true);
        break;
    case wire::kSvcResetEvent:
        status = SetOrResetEvent(r, reply, false);
        break;
    case wire::kSvcDelayExecution: {
        const BOOLEAN alertable = r.a[0] ? TRUE : FALSE;
        status = SlicedWait(c, true, static_cast<LONGLONG>(r.a[1]), [&](PLARGE_INTEGER t) {
            NTSTATUS s = KeDelayExecutionThread(UserMode, alertable, t);
            return s == STATUS_SUCCESS ? STATUS_TIMEOUT : s; // a slice elapsed: go on
        });
        if (status == STATUS_TIMEOUT) status = STATUS_SUCCESS; // the delay elapsed
        break;
    }
    default:
        status = STATUS_INVALID_SYSTEM_SERVICE;
        break;
    }
    reply->status = status;
}

} // namespace ntsim::lpc
