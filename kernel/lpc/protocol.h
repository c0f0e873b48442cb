// The wire format between a client process (usermode/ntdll) and the kernel (kernel/lpc).
//
// Shared by both sides, so it uses fixed-size integers only. Every client thread owns one
// connection (a Unix stream socket to ROOT/ntsim.sock) and one request slot inside the
// client's shared arena (a memfd mapped in both processes). A system call is: the client
// writes a Request into its slot, sets `state` to kSlotRequest and futex-wakes it; its kernel
// thread runs the service, writes the Reply and sets kSlotReply. Buffers travel as offsets
// into the arena (kNullOffset for NULL); the kernel checks every offset and length. The socket
// only carries the hello exchange (and the arena's file descriptor); its end-of-file is how the
// kernel learns that the client thread or process has gone.
#pragma once

#include <atomic>
#include <cstdint>

namespace ntsim::lpc::wire {

constexpr uint32_t kHelloMagic = 0x4353544E; // "NTSC"
constexpr uint32_t kProtocolVersion = 1;

enum HelloKind : uint32_t {
    kHelloProcess = 1, // first connection of a process (its main thread)
    kHelloThread = 2,  // another thread of an already connected process
};

struct Hello {
    uint32_t magic;
    uint32_t version;
    uint32_t kind;
    uint32_t linuxTid;      // the connecting Linux thread (gettid): its priority follows NT's
    uint64_t processCookie; // kHelloThread: the cookie the process hello returned
};

struct HelloReply {
    int32_t status; // NTSTATUS
    uint32_t slotIndex;
    uint64_t processId; // NT ids
    uint64_t threadId;
    uint64_t processCookie;
    uint64_t arenaSize;
    uint64_t kernelArenaAddress; // where the kernel mapped it: map at the same address if free
};

// Arena layout: slot i occupies [i * kSlotStride, (i + 1) * kSlotStride): a 4 KiB header page
// with the state word, request and reply, then the slot's data area (names, small buffers).
// Everything from kHeapOffset on is the client's heap for I/O buffers and IOSBs that must live
// until an asynchronous request completes.
constexpr uint64_t kSlotStride = 256 * 1024;
constexpr uint32_t kMaxSlots = 256;
constexpr uint64_t kSlotHeaderSize = 4096;
constexpr uint64_t kSlotDataSize = kSlotStride - kSlotHeaderSize;
constexpr uint64_t kHeapOffset = kSlotStride * kMaxSlots; // 64 MiB of slots
constexpr uint64_t kHeapSize = 448ull * 1024 * 1024;
constexpr uint64_t kArenaSize = kHeapOffset + kHeapSize; // 512 MiB, sparse
constexpr uint64_t kNullOffset = ~0ull;

enum SlotState : uint32_t {
    kSlotIdle = 0,
    kSlotRequest = 1,
    kSlotReply = 2,
};

enum Service : uint32_t {
    kSvcNone = 0,
    kSvcCreateFile,          // NtCreateFile / NtOpenFile
    kSvcDeviceIoControlFile, // also internal=0 only
    kSvcReadFile,
    kSvcWriteFile,
    kSvcFlushBuffersFile,
    kSvcCancelIoFile, // a[1]: 0 CancelIo, 1 every request on the file, 2 one request
    kSvcClose,
    kSvcDuplicateObject,
    kSvcWaitForSingleObject,
    kSvcWaitForMultipleObjects,
    kSvcCreateEvent,
    kSvcOpenEvent,
    kSvcSetEvent,
    kSvcResetEvent,
    kSvcThreadExit,  // the client thread is ending: its kernel half detaches
    kSvcProcessExit, // a[0]: exit code; the process is about to exit normally
    kSvcDelayExecution,
    kSvcOpenProcess, // NtOpenProcess by client id (io)
    // sync: semaphores, mutants, user APCs, threads
    kSvcCreateSemaphore,
    kSvcOpenSemaphore,
    kSvcReleaseSemaphore,
    kSvcQuerySemaphore,
    kSvcCreateMutant,
    kSvcOpenMutant,
    kSvcReleaseMutant,
    kSvcQueryMutant,
    kSvcQueueApcThread,
    kSvcTestAlert,
    kSvcDequeueUserApc, // the calling thread runs its user APCs: one per call
    kSvcOpenThread,
    kSvcPulseEvent,
    kSvcReportThreadExitCode, // the calling thread's exit code (it is about to end)
    kSvcQueryExitStatus,      // of a thread or process handle (GetExitCodeThread/Process)
    kSvcCount,
};

constexpr uint32_t kRequestArgs = 16;
constexpr uint32_t kReplyValues = 6;

struct Request {
    uint32_t service;
    uint32_t reserved;
    uint64_t a[kRequestArgs];
};

struct Reply {
    int32_t status; // NTSTATUS
    uint32_t reserved;
    uint64_t v[kReplyValues];
};

// Both sides poll `state` briefly, then sleep on it with FUTEX_WAIT. A side about to sleep sets
// its *Sleeping word first (and clears it when it wakes); the other side makes the FUTEX_WAKE
// system call only when that word is set, so a round trip between two polling threads costs no
// system call. (Sequentially consistent store-then-load on both sides: one of them sees the
// other's store, so no wake-up is lost.)
struct SlotHeader {
    std::atomic<uint32_t> state;
    std::atomic<uint32_t> kernelSleeping; // the kernel thread waits for a request
    std::atomic<uint32_t> clientSleeping; // the client thread waits for the reply
    uint32_t reserved[13];
    Request request;
    uint8_t pad[512 - 64 - sizeof(Request)];
    Reply reply;
};
static_assert(sizeof(SlotHeader) <= kSlotHeaderSize);
static_assert(__builtin_offsetof(SlotHeader, request) == 64);
static_assert(__builtin_offsetof(SlotHeader, kernelSleeping) == 4);
static_assert(__builtin_offsetof(SlotHeader, clientSleeping) == 8);
static_assert(std::atomic<uint32_t>::is_always_lock_free);

// Argument layout of each service (indices into Request::a):
// CreateFile: 0 access, 1 nameOff, 2 nameBytes, 3 objAttributes, 4 rootDirectory,
//   5 allocationSizeOff, 6 fileAttributes, 7 shareAccess, 8 disposition, 9 options,
//   10 eaOff, 11 eaLength, 12 iosbOff. Reply v0 handle.
// DeviceIoControlFile: 0 handle, 1 event, 2 code, 3 inOff, 4 inLen, 5 outOff, 6 outLen,
//   7 iosbOff, 8 apcContext, 9 apcRoutine (client address, 0: none).
// ReadFile/WriteFile: 0 handle, 1 event, 2 bufOff, 3 length, 4 byteOffsetOff, 5 keyOff,
//   6 iosbOff, 7 apcContext, 8 apcRoutine. A completion APC is queued to the calling thread
//   as a user APC (routine, apcContext, arena IOSB, 0) when the request completes.
// FlushBuffersFile: 0 handle, 1 iosbOff. CancelIoFile: 0 handle, 1 which (0 the calling
//   thread's requests, 1 every request on the file, 2 the one whose arena IOSB is at a[3]),
//   2 iosbOff, 3 requestIosbOff (which = 2; kNullOffset: the runtime has no such pending
//   request, only the handle is checked and the answer is STATUS_NOT_FOUND).
// Close: 0 handle. DuplicateObject: 0 sourceHandle, 1 desiredAccess, 2 attributes,
//   3 options, 4 sourceProcessHandle, 5 targetProcessHandle, 6 wantTarget (0: TargetHandle
//   NULL, only DUPLICATE_CLOSE_SOURCE happens); v0 the handle in the target process.
// OpenProcess: 0 desiredAccess, 1 objAttributes (OBJ_INHERIT), 2 processId; v0 handle.
// WaitForSingleObject: 0 handle, 1 alertable, 2 hasTimeout, 3 timeout (LARGE_INTEGER).
// WaitForMultipleObjects: 0 count, 1 handlesOff, 2 waitAll, 3 alertable, 4 hasTimeout,
//   5 timeout.
// CreateEvent: 0 access, 1 nameOff (kNullOffset: unnamed), 2 nameBytes, 3 objAttributes,
//   4 rootDirectory, 5 eventType, 6 initialState; v0 handle.
// OpenEvent: 0 access, 1 nameOff, 2 nameBytes, 3 objAttributes, 4 rootDirectory; v0 handle.
// SetEvent / ResetEvent: 0 handle; v0 previous state.
// DelayExecution: 0 alertable, 1 interval (LARGE_INTEGER, negative = relative).
// An alertable wait or delay that returns STATUS_USER_APC leaves the thread's user APCs
// pending: the client then calls DequeueUserApc until v0 is 0 and runs each one.
// CreateSemaphore: 0 access, 1 nameOff, 2 nameBytes, 3 objAttributes, 4 rootDirectory,
//   5 initialCount, 6 maximumCount (LONG); v0 handle.
// OpenSemaphore / OpenMutant: 0 access, 1 nameOff, 2 nameBytes, 3 objAttributes,
//   4 rootDirectory; v0 handle.
// ReleaseSemaphore: 0 handle, 1 releaseCount (LONG); v0 previous count.
// QuerySemaphore: 0 handle; v0 current count, v1 maximum count.
// CreateMutant: 0 access, 1 nameOff, 2 nameBytes, 3 objAttributes, 4 rootDirectory,
//   5 initialOwner; v0 handle.
// ReleaseMutant: 0 handle; v0 previous count (LONG). QueryMutant: 0 handle; v0 current count
//   (LONG), v1 owned by caller, v2 abandoned.
// QueueApcThread: 0 thread handle, 1 routine, 2 argument1, 3 argument2, 4 argument3 (client
//   addresses/values, handed back by DequeueUserApc).
// TestAlert: no arguments (STATUS_ALERTED or STATUS_SUCCESS).
// DequeueUserApc: v0 1 if an APC was dequeued, v1 routine, v2 argument1 (NormalContext),
//   v3 argument2 (SystemArgument1), v4 argument3 (SystemArgument2).
// OpenThread: 0 desiredAccess, 1 objAttributes (OBJ_INHERIT), 2 threadId; v0 handle.
// PulseEvent: 0 handle; v0 previous state.
// ReportThreadExitCode: 0 exit code (DWORD). QueryExitStatus: 0 thread or process handle;
//   v0 its exit status (STATUS_PENDING = STILL_ACTIVE while it runs).

} // namespace ntsim::lpc::wire
