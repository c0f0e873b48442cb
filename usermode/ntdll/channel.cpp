// Connection of the client process and its threads to the kernel.
//
// The process connects from a constructor at start-up (its main thread's connection); every
// other thread connects on its first system call. A call writes the request into the thread's
// slot, wakes the kernel thread with a futex if it sleeps, polls briefly, then sleeps on the
// slot's futex until the reply is there. A kernel that has gone away is noticed (the socket reports
// end-of-file) and calls fail with STATUS_PORT_DISCONNECTED.
#include "channel.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <ntstatus.h>

#include "lpc/root.h"
#include "lpc/spin_wait.h"
#include "ntdll_internal.h"

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace ntsim::ntdll {
namespace {

using namespace lpc::wire;

// ThreadSanitizer cannot see the synchronisation the kernel provides: it lives in another
// process and answers through the shared arena and futexes. A thread that waits for another
// thread's exit or event learns of it from the reply in its own slot, and a slot freed by an
// exited thread is handed to a new one over a different socket. Model a system call the way
// the kernel orders it: posting a request releases what the thread did so far, a reply
// acquires what every earlier request released (one object stands for the kernel).
#if defined(__SANITIZE_THREAD__)
char g_kernelOrder;
void ReleaseToKernel() {
    __tsan_release(&g_kernelOrder);
}
void AcquireFromKernel() {
    __tsan_acquire(&g_kernelOrder);
}
#else
void ReleaseToKernel() {}
void AcquireFromKernel() {}
#endif

struct ProcessState {
    std::mutex lock;
    bool attempted = false;
    bool connected = false;
    bool warned = false;
    NTSTATUS error = STATUS_PORT_DISCONNECTED;
    std::string root;
    pid_t linuxPid = 0;
    uint64_t cookie = 0;
    uint8_t* arena = nullptr;
    ULONG processId = 0;
    bool exitReported = false;
};
// Never destroyed: thread-exit code runs after static destructors may have started.
ProcessState& Process() {
    static ProcessState* state = new ProcessState;
    return *state;
}

struct ThreadChannel {
    int fd = -1;
    SlotHeader* slot = nullptr;
    uint32_t slotIndex = 0;
    ULONG threadId = 0;
    bool broken = false;
    bool main = false;
    lpc::AdaptiveSpin spin; // polling for the reply before sleeping
    ~ThreadChannel();
};
thread_local ThreadChannel t_channel;

int ConnectSocket(const std::string& root) {
    std::string path = lpc::SocketPath(root);
    sockaddr_un addr{};
    if (path.size() >= sizeof(addr.sun_path)) return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

// Receives the hello reply and, for a process hello, the arena's file descriptor.
bool ReceiveReply(int fd, HelloReply* reply, int* passedFd) {
    iovec iov{reply, sizeof(*reply)};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t n;
    do {
        n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);
    } while (n < 0 && errno == EINTR);
    if (n != ssize_t(sizeof(*reply))) return false;
    *passedFd = -1;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            std::memcpy(passedFd, CMSG_DATA(c), sizeof(int));
    return true;
}

// Connects the calling thread: kind kHelloProcess for the process's first connection.
NTSTATUS ConnectThread(ProcessState& p, uint32_t kind) {
    int fd = ConnectSocket(p.root);
    if (fd < 0) return STATUS_PORT_DISCONNECTED;
    Hello hello{kHelloMagic, kProtocolVersion, kind, uint32_t(syscall(SYS_gettid)), p.cookie};
    HelloReply reply{};
    int arenaFd = -1;
    if (send(fd, &hello, sizeof(hello), MSG_NOSIGNAL) != ssize_t(sizeof(hello)) ||
        !ReceiveReply(fd, &reply, &arenaFd)) {
        close(fd);
        return STATUS_PORT_DISCONNECTED;
    }
    AcquireFromKernel(); // the slot may have been an exited thread's
    if (!NT_SUCCESS(reply.status)) {
        if (arenaFd >= 0) close(arenaFd);
        close(fd);
        return reply.status;
    }
    if (kind == kHelloProcess) {
        if (arenaFd < 0 || reply.arenaSize != kArenaSize) {
            if (arenaFd >= 0) close(arenaFd);
            close(fd);
            return STATUS_PORT_DISCONNECTED;
        }
        // Same address as the kernel's mapping if that range is free here too, so pointers a
        // driver sees (METHOD_NEITHER) are the ones the client passed.
        void* want = reinterpret_cast<void*>(reply.kernelArenaAddress);
        void* base = mmap(want, kArenaSize, PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_NORESERVE | MAP_FIXED_NOREPLACE, arenaFd, 0);
        if (base != MAP_FAILED && base != want) {
            munmap(base, kArenaSize);
            base = MAP_FAILED;
        }
        if (base == MAP_FAILED)
            base = mmap(nullptr, kArenaSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
                        arenaFd, 0);
        close(arenaFd);
        if (base == MAP_FAILED) {
            close(fd);
            return STATUS_NO_MEMORY;
        }
        p.arena = static_cast<uint8_t*>(base);
        p.cookie = reply.processCookie;
        p.processId = ULONG(reply.processId);
    } else if (arenaFd >= 0) {
        close(arenaFd);
    }
    if (reply.slotIndex >= kMaxSlots) {
        close(fd);
        return STATUS_PORT_DISCONNECTED;
    }
    t_channel.fd = fd;
    t_channel.slotIndex = reply.slotIndex;
    t_channel.slot = reinterpret_cast<SlotHeader*>(p.arena + reply.slotIndex * kSlotStride);
    t_channel.threadId = ULONG(reply.threadId);
    t_channel.broken = false;
    return STATUS_SUCCESS;
}

void ForkChild();

NTSTATUS ConnectProcessLocked(ProcessState& p) {
    if (p.attempted) return p.connected ? STATUS_SUCCESS : p.error;
    p.attempted = true;
    const char* env = std::getenv("NTSIM_ROOT");
    p.root = lpc::ResolveRoot(env && *env ? std::optional<std::string>(env) : std::nullopt);
    p.linuxPid = getpid();
    p.cookie = 0;
    NTSTATUS status = ConnectThread(p, kHelloProcess);
    p.connected = NT_SUCCESS(status);
    p.error = status;
    if (p.connected) t_channel.main = true;
    return status;
}

void Warn(ProcessState& p) {
    if (p.warned) return;
    p.warned = true;
    if (p.error == STATUS_ACCESS_DENIED)
        std::fprintf(stderr,
                     "ntsim: the kernel at %s refused this process (a different user; the "
                     "kernel must be booted with --allow-others)\n",
                     p.root.c_str());
    else
        std::fprintf(stderr,
                     "ntsim: no kernel running at %s (start one with `ntsim boot`); system "
                     "calls fail with STATUS_PORT_DISCONNECTED\n",
                     p.root.c_str());
}

// The calling thread's channel, connecting it if needed; nullptr (and *status) on failure.
ThreadChannel* Channel(NTSTATUS* status) {
    if (t_channel.slot && !t_channel.broken) return &t_channel;
    ProcessState& p = Process();
    std::lock_guard guard(p.lock);
    if (p.linuxPid && p.linuxPid != getpid()) ForkChild();
    *status = ConnectProcessLocked(p);
    if (NT_SUCCESS(*status) && !t_channel.slot && !t_channel.broken)
        *status = ConnectThread(p, kHelloThread);
    if (t_channel.broken) *status = STATUS_PORT_DISCONNECTED;
    if (!NT_SUCCESS(*status)) {
        if (*status == STATUS_PORT_DISCONNECTED || *status == STATUS_ACCESS_DENIED) Warn(p);
        return nullptr;
    }
    return &t_channel;
}

// True while the kernel end of the socket is still open.
bool KernelAlive(int fd) {
    pollfd pfd{fd, POLLIN | POLLRDHUP, 0};
    if (poll(&pfd, 1, 0) <= 0) return true;
    return !(pfd.revents & (POLLHUP | POLLRDHUP | POLLERR));
}

void FutexWake(std::atomic<uint32_t>* word) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE, 1, nullptr, nullptr, 0);
}

NTSTATUS CallOn(ThreadChannel& ch, const Request& request, Reply* reply) {
    SlotHeader* slot = ch.slot;
    std::memcpy(&slot->request, &request, sizeof(request));
    ReleaseToKernel();
    slot->state.store(kSlotRequest, std::memory_order_seq_cst);
    // The kernel thread is woken only if it sleeps (see SlotHeader): a polling one sees the
    // request without a system call.
    if (slot->kernelSleeping.load(std::memory_order_seq_cst)) FutexWake(&slot->state);
    // A short poll first (lpc/spin_wait.h): a quick reply then costs no sleep and no wake-up.
    ch.spin.Poll([&] { return slot->state.load(std::memory_order_acquire) == kSlotReply; });
    for (;;) {
        uint32_t state = slot->state.load(std::memory_order_acquire);
        if (state == kSlotReply) break;
        timespec ts{0, 200'000'000};
        slot->clientSleeping.store(1, std::memory_order_seq_cst);
        if (slot->state.load(std::memory_order_seq_cst) == state)
            syscall(SYS_futex, reinterpret_cast<uint32_t*>(&slot->state), FUTEX_WAIT, state, &ts,
                    nullptr, 0);
        slot->clientSleeping.store(0, std::memory_order_relaxed);
        if (slot->state.load(std::memory_order_acquire) != kSlotReply && !KernelAlive(ch.fd)) {
            AcquireFromKernel();
            ch.broken = true;
            *reply = {};
            reply->status = STATUS_PORT_DISCONNECTED;
            return reply->status;
        }
    }
    AcquireFromKernel();
    std::memcpy(reply, &slot->reply, sizeof(*reply));
    slot->state.store(kSlotIdle, std::memory_order_relaxed);
    ReleaseToKernel(); // this thread's reads of its slot end here (it may be reused later)
    return reply->status;
}

ThreadChannel::~ThreadChannel() {
    if (fd < 0) return;
    if (slot && !broken && Process().linuxPid == getpid()) {
        Reply reply;
        Request request{};
        if (main && !Process().exitReported) {
            request.service = kSvcProcessExit;
            request.a[0] = 0;
            CallOn(*this, request, &reply);
        }
        request = {};
        request.service = kSvcThreadExit;
        CallOn(*this, request, &reply);
    }
    close(fd);
    fd = -1;
    slot = nullptr;
}

// In a forked child: the parent's connection and arena are not ours. Forget them; the child
// connects as a new process on its first call.
void ForkChild() {
    ProcessState& p = Process();
    if (p.arena) munmap(p.arena, kArenaSize);
    if (t_channel.fd >= 0) close(t_channel.fd);
    t_channel = ThreadChannel{};
    t_channel.fd = -1;
    p.arena = nullptr;
    p.attempted = false;
    p.connected = false;
    p.warned = false;
    p.cookie = 0;
    p.processId = 0;
    p.linuxPid = getpid();
    p.exitReported = false;
}

void AtForkChild() {
    // The mutex may have been held by another parent thread at fork: re-create the state.
    ProcessState& p = Process();
    new (&p.lock) std::mutex;
    ForkChild();
}

__attribute__((constructor)) void ConnectAtStartup() {
    pthread_atfork(nullptr, nullptr, AtForkChild);
    ProcessState& p = Process();
    std::lock_guard guard(p.lock);
    ConnectProcessLocked(p);
}

} // namespace

NTSTATUS Call(const Request& request, Reply* reply) {
    NTSTATUS status;
    ThreadChannel* ch = Channel(&status);
    if (!ch) {
        *reply = {};
        reply->status = status;
        return status;
    }
    return CallOn(*ch, request, reply);
}

uint8_t* ArenaBase() {
    return Process().arena;
}

uint64_t ArenaOffsetOf(const void* p, size_t size) {
    uint8_t* base = Process().arena;
    auto* b = static_cast<const uint8_t*>(p);
    if (!base || !p || b < base || size > kArenaSize || uint64_t(b - base) > kArenaSize - size)
        return kNullOffset;
    return uint64_t(b - base);
}

uint8_t* SlotData(uint64_t* offset) {
    *offset = uint64_t(t_channel.slotIndex) * kSlotStride + kSlotHeaderSize;
    return reinterpret_cast<uint8_t*>(t_channel.slot) + kSlotHeaderSize;
}

} // namespace ntsim::ntdll

ULONG NtsimProcessId() {
    NTSTATUS status;
    ntsim::ntdll::Channel(&status);
    return ntsim::ntdll::Process().processId;
}

ULONG NtsimThreadId() {
    NTSTATUS status;
    auto* ch = ntsim::ntdll::Channel(&status);
    return ch ? ch->threadId : 0;
}

void NtsimReportExitCode(ULONG exitCode) {
    using namespace ntsim::lpc::wire;
    Request request{};
    request.service = kSvcProcessExit;
    request.a[0] = exitCode;
    Reply reply;
    if (NT_SUCCESS(ntsim::ntdll::Call(request, &reply)))
        ntsim::ntdll::Process().exitReported = true;
}
