// The system-call dispatcher: turns a client's Request (offsets into its arena) into calls of
// the kernel's system services with previous mode UserMode. The request was copied out of
// shared memory by the caller, so its fields cannot change under us; buffers stay in the arena
// (drivers see real shared bytes), names are copied into kernel memory before use.
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include <wdm.h>

#include "ex/ex.h"
#include "io/io.h"
#include "ke/ke.h"
#include "lpc/lpc.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "se/se.h"

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
    return io::NtDeviceIoControlFile(ToHandle(r.a[0]), ToHandle(r.a[1]),
                                     reinterpret_cast<PVOID>(r.a[9]),
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
    return fn(ToHandle(r.a[0]), ToHandle(r.a[1]), reinterpret_cast<PVOID>(r.a[8]),
              reinterpret_cast<PVOID>(r.a[7]), iosb, buffer, ULONG(r.a[3]), offset, key, UserMode);
}

// Waits in slices so a client that dies while its thread waits is noticed. `wait` gets the
// slice as a relative timeout (100 ns units).
template <typename WaitFn>
NTSTATUS SlicedWait(const ClientContext& c, bool hasTimeout, LONGLONG timeout, WaitFn wait) {
    using Clock = std::chrono::steady_clock;
    if (hasTimeout && timeout > 0) {
        // Absolute system time: turn it into a relative one now.
        LARGE_INTEGER now;
        KeQuerySystemTime(&now);
        timeout = now.QuadPart >= timeout ? 0 : now.QuadPart - timeout;
    }
    // A relative timeout too long to add to the clock (SleepEx(INFINITE) passes the most
    // negative one) waits forever.
    const bool infinite = !hasTimeout || timeout < -(INT64_MAX / 200);
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

// The waits, event, semaphore and mutant services are the executive's (kernel/ex), called with
// the arguments captured here and previous mode UserMode: one implementation for drivers'
// Zw*/Nt* calls and clients.
NTSTATUS WaitSingle(const ClientContext& c, const wire::Request& r) {
    const HANDLE handle = ToHandle(r.a[0]);
    const BOOLEAN alertable = r.a[1] ? TRUE : FALSE;
    return SlicedWait(c, r.a[2] != 0, static_cast<LONGLONG>(r.a[3]), [&](PLARGE_INTEGER t) {
        return ex::WaitForSingleHandle(handle, alertable, t, UserMode);
    });
}

NTSTATUS WaitMultiple(const ClientContext& c, const wire::Request& r) {
    const uint64_t count = r.a[0];
    if (count == 0 || count > kMaxWaitObjects) return STATUS_INVALID_PARAMETER_1;
    if (r.a[2] > 1) return STATUS_INVALID_PARAMETER_3;
    void* p = nullptr;
    if (!ArenaRange(c, r.a[1], count * sizeof(uint64_t), &p) || !p) return STATUS_ACCESS_VIOLATION;
    HANDLE handles[kMaxWaitObjects];
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t h;
        std::memcpy(&h, static_cast<uint8_t*>(p) + i * sizeof(h), sizeof(h));
        handles[i] = ToHandle(h);
    }
    const WAIT_TYPE type = r.a[2] ? WaitAll : WaitAny;
    const BOOLEAN alertable = r.a[3] ? TRUE : FALSE;
    return SlicedWait(c, r.a[4] != 0, static_cast<LONGLONG>(r.a[5]), [&](PLARGE_INTEGER t) {
        return ex::WaitForMultipleHandles(ULONG(count), handles, type, alertable, t, UserMode);
    });
}

NTSTATUS DelayExecution(const ClientContext& c, const wire::Request& r) {
    const BOOLEAN alertable = r.a[0] ? TRUE : FALSE;
    NTSTATUS status = SlicedWait(c, true, static_cast<LONGLONG>(r.a[1]), [&](PLARGE_INTEGER t) {
        NTSTATUS s = ex::DelayExecution(alertable, t, UserMode);
        return s == STATUS_SUCCESS ? STATUS_TIMEOUT : s; // a slice elapsed: go on
    });
    return status == STATUS_TIMEOUT ? STATUS_SUCCESS : status; // the delay elapsed
}

// Create/Open of a named object: arguments 0 access, 1-4 the name and attributes.
template <typename Fn>
NTSTATUS CreateOrOpen(const ClientContext& c, const wire::Request& r, wire::Reply* reply,
                      bool nameRequired, Fn fn) {
    CapturedAttributes oa;
    NTSTATUS status = CaptureAttributes(c, r.a[1], r.a[2], r.a[3], r.a[4], &oa, nameRequired);
    if (!NT_SUCCESS(status)) return status;
    if (!FitsUlong(r.a[0])) return STATUS_INVALID_PARAMETER;
    HANDLE handle = nullptr;
    status = fn(ACCESS_MASK(r.a[0]), &oa.attributes, &handle);
    reply->v[0] = FromHandle(handle);
    return status;
}

NTSTATUS CreateEvent(const ClientContext& c, const wire::Request& r, wire::Reply* reply) {
    if (r.a[5] > SynchronizationEvent) return STATUS_INVALID_PARAMETER;
    return CreateOrOpen(c, r, reply, false,
                        [&](ACCESS_MASK access, POBJECT_ATTRIBUTES oa, HANDLE* h) {
                            return ex::CreateEventObject(h, access, oa, ULONG(r.a[5]),
                                                         r.a[6] ? TRUE : FALSE, UserMode);
                        });
}

NTSTATUS OpenEvent(const ClientContext& c, const wire::Request& r, wire::Reply* reply) {
    return CreateOrOpen(c, r, reply, true,
                        [&](ACCESS_MASK access, POBJECT_ATTRIBUTES oa, HANDLE* h) {
                            return ex::OpenEventObject(h, access, oa, UserMode);
                        });
}

NTSTATUS ChangeEvent(const wire::Request& r, wire::Reply* reply, ex::EventOperation operation) {
    LONG previous = 0;
    NTSTATUS status = ex::ChangeEventObject(ToHandle(r.a[0]), operation, &previous, UserMode);
    reply->v[0] = static_cast<uint64_t>(previous);
    return status;
}

// A LONG argument: the low 32 bits, sign-extended values accepted too.
bool ToLong(uint64_t v, LONG* out) {
    const auto s = static_cast<int64_t>(v);
    if (s >= INT32_MIN && s <= INT32_MAX) {
        *out = LONG(s);
        return true;
    }
    if (v <= 0xFFFFFFFFull) {
        *out = LONG(uint32_t(v));
        return true;
    }
    return false;
}

NTSTATUS CreateSemaphore(const ClientContext& c, const wire::Request& r, wire::Reply* reply) {
    LONG initial, maximum;
    if (!ToLong(r.a[5], &initial) || !ToLong(r.a[6], &maximum)) return STATUS_INVALID_PARAMETER;
    return CreateOrOpen(
        c, r, reply, false, [&](ACCESS_MASK access, POBJECT_ATTRIBUTES oa, HANDLE* h) {
            return ex::CreateSemaphoreObject(h, access, oa, initial, maximum, UserMode);
        });
}

NTSTATUS ReleaseSemaphore(const wire::Request& r, wire::Reply* reply) {
    LONG count, previous = 0;
    if (!ToLong(r.a[1], &count)) return STATUS_INVALID_PARAMETER;
    NTSTATUS status = ex::ReleaseSemaphoreObject(ToHandle(r.a[0]), count, &previous, UserMode);
    reply->v[0] = static_cast<uint64_t>(previous);
    return status;
}

NTSTATUS QuerySemaphore(const wire::Request& r, wire::Reply* reply) {
    LONG current = 0, maximum = 0;
    NTSTATUS status = ex::QuerySemaphoreObject(ToHandle(r.a[0]), &current, &maximum, UserMode);
    reply->v[0] = static_cast<uint64_t>(current);
    reply->v[1] = static_cast<uint64_t>(maximum);
    return status;
}

NTSTATUS CreateMutant(const ClientContext& c, const wire::Request& r, wire::Reply* reply) {
    return CreateOrOpen(
        c, r, reply, false, [&](ACCESS_MASK access, POBJECT_ATTRIBUTES oa, HANDLE* h) {
            return ex::CreateMutantObject(h, access, oa, r.a[5] ? TRUE : FALSE, UserMode);
        });
}

NTSTATUS ReleaseMutant(const wire::Request& r, wire::Reply* reply) {
    LONG previous = 0;
    NTSTATUS status = ex::ReleaseMutantObject(ToHandle(r.a[0]), &previous, UserMode);
    reply->v[0] = static_cast<uint64_t>(previous);
    return status;
}

NTSTATUS QueryMutant(const wire::Request& r, wire::Reply* reply) {
    LONG current = 0;
    BOOLEAN owned = FALSE, abandoned = FALSE;
    NTSTATUS status =
        ex::QueryMutantObject(ToHandle(r.a[0]), &current, &owned, &abandoned, UserMode);
    reply->v[0] = static_cast<uint64_t>(current);
    reply->v[1] = owned;
    reply->v[2] = abandoned;
    return status;
}

NTSTATUS QueueApcThread(const wire::Request& r) {
    if (!r.a[1]) return STATUS_INVALID_PARAMETER;
    auto value = [](uint64_t v) { return reinterpret_cast<PVOID>(static_cast<ULONG_PTR>(v)); };
    return ex::QueueApcThreadObject(ToHandle(r.a[0]), value(r.a[1]), value(r.a[2]), value(r.a[3]),
                                    value(r.a[4]), UserMode);
}

// One of the calling thread's user APCs, for its runtime to call (the return to user mode).
NTSTATUS DequeueUserApc(wire::Reply* reply) {
    ke::UserApcCall call;
    if (!ke::DequeueUserApc(&call)) return STATUS_SUCCESS; // v0 stays 0: none left
    auto value = [](PVOID p) { return static_cast<uint64_t>(reinterpret_cast<ULONG_PTR>(p)); };
    reply->v[0] = 1;
    reply->v[1] = value(reinterpret_cast<PVOID>(call.normalRoutine));
    reply->v[2] = value(call.normalContext);
    reply->v[3] = value(call.systemArgument1);
    reply->v[4] = value(call.systemArgument2);
    return STATUS_SUCCESS;
}

// GetExitCodeThread / GetExitCodeProcess: the exit status of a thread or process handle
// (STATUS_PENDING, i.e. STILL_ACTIVE, while it runs).
NTSTATUS QueryExitStatus(const wire::Request& r, wire::Reply* reply) {
    const HANDLE handle = ToHandle(r.a[0]);
    PVOID body = nullptr;
    NTSTATUS status = ob::ReferenceHandle(
        handle, ps::ThreadType(), THREAD_QUERY_LIMITED_INFORMATION, UserMode, &body, nullptr);
    if (NT_SUCCESS(status)) {
        reply->v[0] = uint32_t(ps::ThreadExitStatus(static_cast<PETHREAD>(body)));
    } else if (status == STATUS_OBJECT_TYPE_MISMATCH) {
        status = ob::ReferenceHandle(handle, ps::ProcessType(), PROCESS_QUERY_LIMITED_INFORMATION,
                                     UserMode, &body, nullptr);
        if (NT_SUCCESS(status))
            reply->v[0] = uint32_t(ps::ProcessExitStatus(static_cast<PEPROCESS>(body)));
    }
    if (body) ob::DereferenceObject(body);
    return status;
}

// NtOpenThread by client id: the caller's own threads, and other processes' threads of the same
// user (any as SYSTEM); others only for SYNCHRONIZE / THREAD_QUERY_LIMITED_INFORMATION.
NTSTATUS OpenThread(const wire::Request& r, wire::Reply* reply) {
    if (!FitsUlong(r.a[0]) || !FitsUlong(r.a[1])) return STATUS_INVALID_PARAMETER;
    PETHREAD thread = nullptr;
    if (!NT_SUCCESS(ps::LookupThread(ToHandle(r.a[2]), &thread))) return STATUS_INVALID_CID;
    ACCESS_MASK access = ob::MapGenericAccess(ps::ThreadType(), ACCESS_MASK(r.a[0]));
    if (access & MAXIMUM_ALLOWED) access = (access & ~MAXIMUM_ALLOWED) | THREAD_ALL_ACCESS;
    constexpr ACCESS_MASK kAnyone = SYNCHRONIZE | THREAD_QUERY_LIMITED_INFORMATION;
    NTSTATUS status = STATUS_SUCCESS;
    PEPROCESS process = ps::ProcessOf(thread);
    if (process != ps::CurrentProcess() && (access & ~kAnyone)) {
        se::TokenPtr caller = se::CurrentToken();
        se::TokenPtr owner = se::ProcessToken(process);
        const bool sameUser =
            caller && owner && se::EqualSid(caller->user.data(), owner->user.data());
        if (!(caller && caller->systemToken) && !sameUser) status = STATUS_ACCESS_DENIED;
    }
    HANDLE handle = nullptr;
    if (NT_SUCCESS(status))
        status = ob::CreateHandle(ps::CurrentProcess(), thread, access, ULONG(r.a[1]) & OBJ_INHERIT,
                                  &handle);
    ob::DereferenceObject(thread);
    reply->v[0] = FromHandle(handle);
    return status;
}

// NtDuplicateObject from user mode: the source and target are process handles with
// PROCESS_DUP_HANDLE (the pseudo handle -1 is the caller); the source handle is one of the
// source process's user handles. Without DUPLICATE_SAME_ACCESS the new handle may not have more
// access than the source handle grants. DUPLICATE_CLOSE_SOURCE closes the source handle
// whatever the outcome, as Windows documents.
constexpr ULONG kDuplicateOptions = DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ACCESS | 0x4;

NTSTATUS Duplicate(const wire::Request& r, wire::Reply* reply) {
    const HANDLE source = ToHandle(r.a[0]);
    if (!FitsUlong(r.a[1]) || !FitsUlong(r.a[2]) || !FitsUlong(r.a[3]))
        return STATUS_INVALID_PARAMETER;
    const ULONG options = ULONG(r.a[3]);
    if (options & ~kDuplicateOptions) return STATUS_INVALID_PARAMETER;
    const bool wantTarget = r.a[6] != 0;
    PVOID sourceProcess = nullptr, targetProcess = nullptr;
    NTSTATUS status = ob::ReferenceHandle(ToHandle(r.a[4]), ps::ProcessType(), PROCESS_DUP_HANDLE,
                                          UserMode, &sourceProcess, nullptr);
    if (!NT_SUCCESS(status)) return status;
    const bool sourceIsCaller = sourceProcess == ps::CurrentProcess();
    auto closeSource = [&] {
        if (!(options & DUPLICATE_CLOSE_SOURCE)) return;
        if (sourceIsCaller)
            ob::CloseHandle(source, UserMode);
        else
            ob::CloseHandleInProcess(static_cast<PEPROCESS>(sourceProcess), source);
    };
    PVOID object = nullptr;
    ACCESS_MASK granted = 0;
    status = sourceIsCaller ? ob::ReferenceHandle(source, nullptr, 0, UserMode, &object, &granted)
                            : ob::ReferenceHandleInProcess(static_cast<PEPROCESS>(sourceProcess),
                                                           source, &object, &granted);
    if (NT_SUCCESS(status) && wantTarget)
        status = ob::ReferenceHandle(ToHandle(r.a[5]), ps::ProcessType(), PROCESS_DUP_HANDLE,
                                     UserMode, &targetProcess, nullptr);
    if (NT_SUCCESS(status) && wantTarget) {
        ACCESS_MASK access = granted;
        if (!(options & DUPLICATE_SAME_ACCESS)) {
            access = ob::MapGenericAccess(ob::TypeOf(object), ACCESS_MASK(r.a[1]));
            if (access & ~granted) status = STATUS_ACCESS_DENIED;
        }
        HANDLE target = nullptr;
        if (NT_SUCCESS(status))
            status = ob::CreateHandle(static_cast<PEPROCESS>(targetProcess), object, access,
                                      ULONG(r.a[2]) & OBJ_INHERIT, &target);
        reply->v[0] = FromHandle(target);
    }
    if (object) ob::DereferenceObject(object);
    if (targetProcess) ob::DereferenceObject(targetProcess);
    closeSource();
    ob::DereferenceObject(sourceProcess);
    return status;
}

// NtOpenProcess by client id. A caller may open its own user's processes (and any process when
// it runs as SYSTEM); others only for SYNCHRONIZE / PROCESS_QUERY_LIMITED_INFORMATION.
NTSTATUS OpenProcess(const wire::Request& r, wire::Reply* reply) {
    if (!FitsUlong(r.a[0]) || !FitsUlong(r.a[1])) return STATUS_INVALID_PARAMETER;
    PEPROCESS process = nullptr;
    NTSTATUS status = ps::LookupProcess(ToHandle(r.a[2]), &process);
    if (!NT_SUCCESS(status)) return STATUS_INVALID_CID;
    ACCESS_MASK access = ob::MapGenericAccess(ps::ProcessType(), ACCESS_MASK(r.a[0]));
    if (access & MAXIMUM_ALLOWED) access = (access & ~MAXIMUM_ALLOWED) | PROCESS_ALL_ACCESS;
    constexpr ACCESS_MASK kAnyone = SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION;
    se::TokenPtr caller = se::CurrentToken();
    se::TokenPtr owner = se::ProcessToken(process);
    const bool sameUser = caller && owner && se::EqualSid(caller->user.data(), owner->user.data());
    if (!(caller && caller->systemToken) && !sameUser && (access & ~kAnyone))
        status = STATUS_ACCESS_DENIED;
    HANDLE handle = nullptr;
    if (NT_SUCCESS(status))
        status = ob::CreateHandle(ps::CurrentProcess(), process, access,
                                  ULONG(r.a[1]) & OBJ_INHERIT, &handle);
    ob::DereferenceObject(process);
    reply->v[0] = FromHandle(handle);
    return status;
}

// CancelIo (a[1] 0), CancelIoEx(h, NULL) (1) or CancelIoEx(h, &overlapped) (2: a[3] is the
// arena IOSB of the request to cancel).
NTSTATUS CancelIo(const ClientContext& c, const wire::Request& r) {
    IO_STATUS_BLOCK* iosb = nullptr;
    IO_STATUS_BLOCK* request = nullptr;
    if (!ArenaObject(c, r.a[2], &iosb) || !iosb) return STATUS_ACCESS_VIOLATION;
    switch (r.a[1]) {
    case 0:
        return io::NtCancelIoFile(ToHandle(r.a[0]), iosb, false);
    case 1:
        return io::NtCancelIoFileEx(ToHandle(r.a[0]), nullptr, iosb);
    case 2:
        if (r.a[3] == kNullOffset) {
            // The runtime knows no such pending request: only the handle is checked.
            PVOID file = nullptr;
            NTSTATUS status = ob::ReferenceHandle(ToHandle(r.a[0]), *IoFileObjectType, 0, UserMode,
                                                  &file, nullptr);
            if (!NT_SUCCESS(status)) return status;
            ob::DereferenceObject(file);
            return STATUS_NOT_FOUND;
        }
        if (!ArenaObject(c, r.a[3], &request) || !request) return STATUS_ACCESS_VIOLATION;
        return io::NtCancelIoFileEx(ToHandle(r.a[0]), request, iosb);
    default:
        return STATUS_INVALID_PARAMETER;
    }
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
    case wire::kSvcCancelIoFile:
        status = CancelIo(c, r);
        break;
    case wire::kSvcClose:
        status = ob::IsKernelHandle(ToHandle(r.a[0])) ? STATUS_INVALID_HANDLE
                                                      : NtClose(ToHandle(r.a[0]));
        break;
    case wire::kSvcDuplicateObject:
        status = Duplicate(r, reply);
        break;
    case wire::kSvcOpenProcess:
        status = OpenProcess(r, reply);
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
        status = ChangeEvent(r, reply, ex::EventOperation::Set);
        break;
    case wire::kSvcResetEvent:
        status = ChangeEvent(r, reply, ex::EventOperation::Reset);
        break;
    case wire::kSvcDelayExecution:
        status = DelayExecution(c, r);
        break;
    case wire::kSvcCreateSemaphore:
        status = CreateSemaphore(c, r, reply);
        break;
    case wire::kSvcOpenSemaphore:
        status =
            CreateOrOpen(c, r, reply, true, [](ACCESS_MASK a, POBJECT_ATTRIBUTES oa, HANDLE* h) {
                return ex::OpenSemaphoreObject(h, a, oa, UserMode);
            });
        break;
    case wire::kSvcReleaseSemaphore:
        status = ReleaseSemaphore(r, reply);
        break;
    case wire::kSvcQuerySemaphore:
        status = QuerySemaphore(r, reply);
        break;
    case wire::kSvcCreateMutant:
        status = CreateMutant(c, r, reply);
        break;
    case wire::kSvcOpenMutant:
        status =
            CreateOrOpen(c, r, reply, true, [](ACCESS_MASK a, POBJECT_ATTRIBUTES oa, HANDLE* h) {
                return ex::OpenMutantObject(h, a, oa, UserMode);
            });
        break;
    case wire::kSvcReleaseMutant:
        status = ReleaseMutant(r, reply);
        break;
    case wire::kSvcQueryMutant:
        status = QueryMutant(r, reply);
        break;
    case wire::kSvcQueueApcThread:
        status = QueueApcThread(r);
        break;
    case wire::kSvcTestAlert:
        status = ex::TestAlert(UserMode);
        break;
    case wire::kSvcDequeueUserApc:
        status = DequeueUserApc(reply);
        break;
    case wire::kSvcOpenThread:
        status = OpenThread(r, reply);
        break;
    case wire::kSvcPulseEvent:
        status = ChangeEvent(r, reply, ex::EventOperation::Pulse);
        break;
    case wire::kSvcReportThreadExitCode:
        if (FitsUlong(r.a[0])) {
            ps::ReportThreadExitCode(ps::CurrentThread(), NTSTATUS(uint32_t(r.a[0])));
            status = STATUS_SUCCESS;
        } else {
            status = STATUS_INVALID_PARAMETER;
        }
        break;
    case wire::kSvcQueryExitStatus:
        status = QueryExitStatus(r, reply);
        break;
    default:
        status = STATUS_INVALID_SYSTEM_SERVICE;
        break;
    }
    reply->status = status;
}

} // namespace ntsim::lpc
