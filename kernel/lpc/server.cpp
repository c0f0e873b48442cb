// The kernel end of the channel: ROOT/ntsim.sock, one kernel thread per client thread.
//
// Every accepted connection gets its own thread. A control connection (first byte '{') runs one
// control command. A client connection sends a Hello: the first one of a process creates its
// EPROCESS and shared arena; every connection becomes a client thread's kernel half (attached
// to the client's process), serving requests from its slot until the client thread ends. A
// monitor thread watches every client socket: end-of-file means the thread or process went
// away, even in the middle of a request, and starts its rundown.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <wdm.h>

#include "dbg/dbg.h"
#include "io/io.h"
#include "ke/ke.h"
#include "lpc/control.h"
#include "lpc/lpc.h"
#include "lpc/root.h"
#include "lpc/spin_wait.h"
#include "mm/mm.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "se/se.h"

namespace ntsim::lpc {
namespace {

using namespace wire;

constexpr NTSTATUS kKilledExitStatus = 1; // a client that died without ExitProcess

void FutexWake(std::atomic<uint32_t>* word) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE, INT32_MAX, nullptr, nullptr,
            0);
}
void FutexWait(std::atomic<uint32_t>* word, uint32_t expected, long timeoutNs) {
    timespec ts{timeoutNs / 1'000'000'000, timeoutNs % 1'000'000'000};
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAIT, expected, &ts, nullptr, 0);
}

struct ClientProcess {
    pid_t linuxPid = 0;
    uid_t uid = 0;
    PEPROCESS process = nullptr; // referenced
    uint64_t cookie = 0;
    int memfd = -1;
    uint8_t* arena = nullptr;
    std::mutex lock;
    std::vector<bool> slotUsed = std::vector<bool>(kMaxSlots, false);
    int connections = 0;
    NTSTATUS exitStatus = kKilledExitStatus;
    bool exitStatusKnown = false;
};

struct Connection {
    int fd = -1;
    std::shared_ptr<ClientProcess> client;
    uint32_t slot = 0;
    SlotHeader* header = nullptr;
    std::atomic<bool> dead{false};
    std::atomic<bool> busy{false};
    std::atomic<bool> finished{false};
    // header and thread are written by the connection's worker under Server::lock, because
    // MarkDead reads them under it from other threads (the monitor, StopServer).
    PETHREAD thread = nullptr; // referenced while the connection lives
    std::thread worker;
    std::atomic<bool> control{false}; // read by StopServer while the worker sets it
};

struct Server {
    ServerOptions options;
    int listenFd = -1;
    int lockFd = -1;
    int stopFd = -1;  // eventfd: wakes the listener and the monitor
    int epollFd = -1; // client sockets
    std::thread listener;
    std::thread monitor;
    std::mutex lock; // connections, processes, cancellers, epoll registrations
    std::list<std::shared_ptr<Connection>> connections;
    std::map<int, std::shared_ptr<Connection>> watched; // fd -> connection
    std::map<uint64_t, std::shared_ptr<ClientProcess>> processes;
    std::list<std::thread> cancellers;
    std::atomic<bool> stopping{false};
    std::mutex stopLock;
    std::condition_variable stopCv;
    bool stopRequested = false;
};

Server* g_server = nullptr;
std::mutex g_serverLock;

// ---- small socket helpers -----------------------------------------------------------------

bool RecvAll(int fd, void* data, size_t size) {
    auto* p = static_cast<uint8_t*>(data);
    while (size) {
        ssize_t n = recv(fd, p, size, 0);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            return false;
        }
        p += n;
        size -= size_t(n);
    }
    return true;
}

bool SendAll(int fd, const void* data, size_t size) {
    auto* p = static_cast<const uint8_t*>(data);
    while (size) {
        ssize_t n = send(fd, p, size, MSG_NOSIGNAL);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            return false;
        }
        p += n;
        size -= size_t(n);
    }
    return true;
}

bool SendWithFd(int fd, const void* data, size_t size, int passFd) {
    iovec iov{const_cast<void*>(data), size};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &passFd, sizeof(int));
    return sendmsg(fd, &msg, MSG_NOSIGNAL) == ssize_t(size);
}

std::u16string ImageNameOf(pid_t pid) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
    std::string name = ec ? std::string("unknown") : target.filename().string();
    if (name.size() > 10 && name.ends_with(" (deleted)")) name.resize(name.size() - 10);
    return std::u16string(name.begin(), name.end()); // Linux names here are ASCII in practice
}

pid_t ParentPidOf(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string content((std::istreambuf_iterator<char>(stat)), {});
    auto close = content.rfind(')');
    if (close == std::string::npos) return 0;
    char state = 0;
    int ppid = 0;
    if (sscanf(content.c_str() + close + 1, " %c %d", &state, &ppid) != 2) return 0;
    return ppid;
}

// ---- control connections ------------------------------------------------------------------

class SocketStream : public ControlStream {
public:
    explicit SocketStream(int fd) : fd_(fd) {}
    bool Write(const nlohmann::json& message) override {
        std::string line = nlohmann::json{{"stream", message}}.dump() + "\n";
        return SendAll(fd_, line.data(), line.size());
    }

private:
    int fd_;
};

void ServeControl(int fd) {
    std::string text;
    char buffer[4096];
    constexpr size_t kMaxRequest = 1 << 20;
    while (text.find('\n') == std::string::npos && text.size() < kMaxRequest) {
        ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        text.append(buffer, size_t(n));
    }
    nlohmann::json reply;
    nlohmann::json request = nlohmann::json::parse(text.substr(0, text.find('\n')), nullptr, false);
    if (request.is_discarded()) {
        reply = {{"ok", false}, {"error", "malformed JSON request"}, {"status", 0xC000000Du}};
    } else {
        SocketStream stream(fd);
        reply = DispatchControl(request, stream);
    }
    std::string line = nlohmann::json{{"reply", reply}}.dump() + "\n";
    SendAll(fd, line.data(), line.size());
}

// ---- client connections -------------------------------------------------------------------

void Watch(Server& s, const std::shared_ptr<Connection>& c) {
    std::lock_guard guard(s.lock);
    epoll_event ev{};
    ev.events = EPOLLRDHUP | EPOLLHUP | EPOLLERR;
    ev.data.fd = c->fd;
    s.watched[c->fd] = c;
    if (epoll_ctl(s.epollFd, EPOLL_CTL_ADD, c->fd, &ev) != 0) c->dead = true;
}

void Unwatch(Server& s, const std::shared_ptr<Connection>& c) {
    std::lock_guard guard(s.lock);
    if (c->fd < 0) return;
    epoll_ctl(s.epollFd, EPOLL_CTL_DEL, c->fd, nullptr);
    s.watched.erase(c->fd);
    close(c->fd); // under the lock: the fd number cannot be reused while still registered
    c->fd = -1;
}

// The client went away (or the kernel stops): wake its kernel half and cancel the IRPs it is
// waiting for, on a separate thread because cancellation may wait for drivers.
void MarkDead(Server& s, const std::shared_ptr<Connection>& c) {
    if (c->dead.exchange(true)) return;
    if (c->header) FutexWake(&c->header->state);
    if (c->busy && c->thread) {
        ob::ReferenceObject(c->thread);
        PETHREAD thread = c->thread;
        s.cancellers.emplace_back([thread] {
            io::CancelThreadIrps(thread);
            ob::DereferenceObject(thread);
        });
    }
}

void MonitorLoop(Server& s) {
    epoll_event events[32];
    for (;;) {
        int n = epoll_wait(s.epollFd, events, 32, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return;
        std::lock_guard guard(s.lock);
        for (int i = 0; i < n; ++i) {
            if (events[i].data.fd == s.stopFd) return;
            auto it = s.watched.find(events[i].data.fd);
            if (it == s.watched.end()) continue;
            MarkDead(s, it->second);
            epoll_ctl(s.epollFd, EPOLL_CTL_DEL, it->first, nullptr); // level-triggered: once
        }
    }
}

std::shared_ptr<ClientProcess> NewClientProcess(Server& s, pid_t pid, uid_t uid, gid_t gid,
                                                NTSTATUS* status) {
    auto cp = std::make_shared<ClientProcess>();
    cp->linuxPid = pid;
    cp->uid = uid;
    // Sealed at its size: a client holding the descriptor cannot shrink it under the kernel's
    // mapping, so the kernel's view of the arena stays valid (and needs no probing, below).
    cp->memfd = memfd_create("ntsim-arena", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (cp->memfd < 0 || ftruncate(cp->memfd, off_t(kArenaSize)) != 0 ||
        fcntl(cp->memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
        if (cp->memfd >= 0) close(cp->memfd);
        *status = STATUS_INSUFFICIENT_RESOURCES;
        return nullptr;
    }
    void* base =
        mmap(nullptr, kArenaSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, cp->memfd, 0);
    if (base == MAP_FAILED) {
        close(cp->memfd);
        *status = STATUS_INSUFFICIENT_RESOURCES;
        return nullptr;
    }
    cp->arena = static_cast<uint8_t*>(base);
    mm::RegisterBackedRange(cp->arena, kArenaSize);
    PEPROCESS parent = nullptr;
    {
        std::lock_guard guard(s.lock);
        std::random_device rd;
        do {
            cp->cookie = (uint64_t(rd()) << 32) ^ rd();
        } while (!cp->cookie || s.processes.count(cp->cookie));
        pid_t ppid = ParentPidOf(pid);
        for (auto& [cookie, other] : s.processes)
            if (other->linuxPid == ppid && other->process) {
                parent = other->process;
                ob::ReferenceObject(parent);
                break;
            }
    }
    *status = ps::CreateProcess(parent, ImageNameOf(pid), &cp->process);
    if (parent) ob::DereferenceObject(parent);
    if (!NT_SUCCESS(*status)) {
        mm::UnregisterBackedRange(cp->arena);
        munmap(cp->arena, kArenaSize);
        close(cp->memfd);
        return nullptr;
    }
    // The client's Linux credentials become its token: root -> SYSTEM, others -> Users.
    se::SetProcessToken(cp->process, se::TokenFromCredentials(uid, gid));
    std::lock_guard guard(s.lock);
    s.processes[cp->cookie] = cp;
    return cp;
}

void ReleaseClientProcess(Server& s, const std::shared_ptr<ClientProcess>& cp) {
    {
        std::lock_guard guard(s.lock);
        s.processes.erase(cp->cookie);
    }
    mm::UnregisterBackedRange(cp->arena);
    munmap(cp->arena, kArenaSize);
    close(cp->memfd);
    ob::DereferenceObject(cp->process);
}

// Serves one client thread's requests until it ends or dies.
void ServeRequests(Connection& c) {
    ClientContext context{c.client->arena, kArenaSize, &c.dead};
    std::atomic<uint32_t>& state = c.header->state;
    Request request;
    Reply reply;
    AdaptiveSpin spin;
    for (;;) {
        // A client making calls back to back posts its next request soon: poll briefly first.
        spin.Poll([&] { return state.load(std::memory_order_acquire) == kSlotRequest || c.dead; });
        while (state.load(std::memory_order_acquire) != kSlotRequest && !c.dead) {
            ke::RestoreThreadAffinity(); // idle: drop a pin left by a DISPATCH section
            // Announce the sleep, then look again: a request posted before the announcement
            // is seen here, one posted after it comes with a FUTEX_WAKE.
            c.header->kernelSleeping.store(1, std::memory_order_seq_cst);
            uint32_t seen = state.load(std::memory_order_seq_cst);
            if (seen != kSlotRequest && !c.dead)
                FutexWait(&state, seen, 100'000'000); // bounded: a dead client is noticed anyway
            c.header->kernelSleeping.store(0, std::memory_order_relaxed);
        }
        if (c.dead) return;
        // Copy the request out of shared memory first: the client cannot change it under us.
        std::memcpy(&request, &c.header->request, sizeof(request));
        c.busy = true;
        bool last = false;
        if (request.service == kSvcThreadExit) {
            reply = {};
            reply.status = STATUS_SUCCESS;
            last = true;
        } else if (request.service == kSvcProcessExit) {
            reply = {};
            reply.status = STATUS_SUCCESS;
            std::lock_guard guard(c.client->lock);
            c.client->exitStatus = NTSTATUS(uint32_t(request.a[0]));
            c.client->exitStatusKnown = true;
        } else {
            DispatchSyscall(context, request, &reply);
        }
        c.busy = false;
        std::memcpy(&c.header->reply, &reply, sizeof(reply));
        state.store(kSlotReply, std::memory_order_seq_cst);
        if (c.header->clientSleeping.load(std::memory_order_seq_cst)) FutexWake(&state);
        if (last) return;
    }
}

// The kernel half of one client thread, from its hello to its rundown.
void ServeClient(Server& s, const std::shared_ptr<Connection>& c, const Hello& hello,
                 const ucred& cred) {
    HelloReply reply{};
    std::shared_ptr<ClientProcess> cp;
    NTSTATUS status = STATUS_SUCCESS;
    if (hello.magic != kHelloMagic || hello.version != kProtocolVersion) {
        status = STATUS_REVISION_MISMATCH;
    } else if (cred.uid != geteuid() && !s.options.allowOthers) {
        dbg::LogKernelMessage(dbg::Severity::Warning,
                              "lpc: refused client pid %d: uid %u is not the kernel's (%u); "
                              "boot with --allow-others to accept it",
                              int(cred.pid), unsigned(cred.uid), unsigned(geteuid()));
        status = STATUS_ACCESS_DENIED;
    } else if (hello.kind == kHelloProcess) {
        cp = NewClientProcess(s, cred.pid, cred.uid, cred.gid, &status);
    } else if (hello.kind == kHelloThread) {
        std::lock_guard guard(s.lock);
        auto it = s.processes.find(hello.processCookie);
        if (it == s.processes.end() || it->second->linuxPid != cred.pid)
            status = STATUS_INVALID_CID;
        else
            cp = it->second;
    } else {
        status = STATUS_INVALID_PARAMETER;
    }
    bool haveSlot = false;
    if (cp) {
        std::lock_guard guard(cp->lock);
        auto free = std::find(cp->slotUsed.begin(), cp->slotUsed.end(), false);
        if (free == cp->slotUsed.end()) {
            status = STATUS_INSUFFICIENT_RESOURCES;
        } else {
            *free = true;
            c->slot = uint32_t(free - cp->slotUsed.begin());
            haveSlot = true;
            ++cp->connections;
        }
    }
    if (haveSlot) {
        PETHREAD attached = nullptr;
        status = ps::AttachCurrentThread(cp->process, &attached);
        if (NT_SUCCESS(status)) {
            ob::ReferenceObject(attached);
            // The client's own Linux thread, so priority changes reach it (ignored if it is
            // not a thread of the peer process).
            ps::SetHostThread(attached, int(cred.pid), int(hello.linuxTid));
            std::lock_guard guard(s.lock);
            c->thread = attached;
        }
    }
    if (!NT_SUCCESS(status) || !haveSlot) {
        reply.status = status;
        SendAll(c->fd, &reply, sizeof(reply));
        if (cp && haveSlot) {
            std::lock_guard guard(cp->lock);
            cp->slotUsed[c->slot] = false;
            --cp->connections;
        }
        if (cp && hello.kind == kHelloProcess) {
            ps::TerminateProcess(cp->process, status);
            ReleaseClientProcess(s, cp);
        }
        return;
    }
    c->client = cp;
    {
        std::lock_guard guard(s.lock);
        c->header = reinterpret_cast<SlotHeader*>(cp->arena + uint64_t(c->slot) * kSlotStride);
    }
    c->header->state.store(kSlotIdle);
    reply.status = STATUS_SUCCESS;
    reply.slotIndex = c->slot;
    reply.processId = reinterpret_cast<ULONG_PTR>(ps::ProcessId(cp->process));
    reply.threadId = reinterpret_cast<ULONG_PTR>(ps::ThreadId(c->thread));
    reply.processCookie = cp->cookie;
    reply.arenaSize = kArenaSize;
    reply.kernelArenaAddress = reinterpret_cast<uintptr_t>(cp->arena);
    bool sent = hello.kind == kHelloProcess ? SendWithFd(c->fd, &reply, sizeof(reply), cp->memfd)
                                            : SendAll(c->fd, &reply, sizeof(reply));
    if (sent) {
        Watch(s, c);
        ServeRequests(*c);
    }
    Unwatch(s, c);

    // Rundown of this thread: its IRPs are cancelled; the last thread of the process closes the
    // process's handles (IRP_MJ_CLEANUP, IRP_MJ_CLOSE) and marks it exited.
    io::CancelThreadIrps(c->thread);
    bool last;
    NTSTATUS exitStatus;
    {
        std::lock_guard guard(cp->lock);
        cp->slotUsed[c->slot] = false;
        last = --cp->connections == 0;
        exitStatus = cp->exitStatusKnown ? cp->exitStatus
                     : c->dead           ? kKilledExitStatus
                                         : STATUS_SUCCESS;
    }
    if (last) {
        ob::CloseAllHandles(cp->process);
        ps::TerminateProcess(cp->process, exitStatus);
    }
    PETHREAD thread = c->thread;
    {
        std::lock_guard guard(s.lock); // before the reference goes: MarkDead may read it
        c->thread = nullptr;
    }
    ps::DetachCurrentThread(exitStatus);
    ob::DereferenceObject(thread);
    if (last) ReleaseClientProcess(s, cp);
}

void ServeConnection(Server& s, std::shared_ptr<Connection> c) {
    timeval tv{5, 0}; // a peer that never says hello is dropped
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char first = 0;
    ssize_t n = recv(c->fd, &first, 1, MSG_PEEK);
    if (n == 1 && first == '{') {
        c->control = true;
        ServeControl(c->fd);
    } else if (n == 1) {
        Hello hello{};
        ucred cred{};
        socklen_t len = sizeof(cred);
        if (RecvAll(c->fd, &hello, sizeof(hello)) &&
            getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
            timeval none{0, 0};
            setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
            ServeClient(s, c, hello, cred);
        }
    }
    {
        std::lock_guard guard(s.lock);
        if (c->fd >= 0) {
            close(c->fd);
            c->fd = -1;
        }
    }
    c->finished = true;
}

// Joins connection threads that have finished (called from the listener).
void ReapConnections(Server& s) {
    std::list<std::shared_ptr<Connection>> done;
    {
        std::lock_guard guard(s.lock);
        for (auto it = s.connections.begin(); it != s.connections.end();) {
            if ((*it)->finished) {
                done.push_back(*it);
                it = s.connections.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& c : done)
        if (c->worker.joinable()) c->worker.join();
}

void ListenLoop(Server& s) {
    for (;;) {
        pollfd fds[2] = {{s.listenFd, POLLIN, 0}, {s.stopFd, POLLIN, 0}};
        int n = poll(fds, 2, 1000);
        if (n < 0 && errno != EINTR) return;
        if (s.stopping) return;
        ReapConnections(s);
        if (n <= 0 || !(fds[0].revents & POLLIN)) continue;
        int fd = accept4(s.listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        auto c = std::make_shared<Connection>();
        c->fd = fd;
        std::lock_guard guard(s.lock);
        s.connections.push_back(c);
        c->worker = std::thread(ServeConnection, std::ref(s), c);
    }
}

bool Fail(std::string* error, const std::string& text) {
    if (error) *error = text;
    return false;
}

} // namespace

bool StartServer(const ServerOptions& options, std::string* error) {
    std::lock_guard guard(g_serverLock);
    if (g_server) return Fail(error, "the server is already running");
    auto s = std::make_unique<Server>();
    s->options = options;
    const std::string sock = SocketPath(options.root);
    sockaddr_un addr{};
    if (sock.size() >= sizeof(addr.sun_path)) return Fail(error, "socket path too long: " + sock);
    // One kernel per root: the lock is held for the kernel's lifetime.
    s->lockFd = open((options.root + "/ntsim.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (s->lockFd < 0)
        return Fail(error, "cannot open " + options.root + "/ntsim.lock: " + std::strerror(errno));
    if (flock(s->lockFd, LOCK_EX | LOCK_NB) != 0) {
        close(s->lockFd);
        return Fail(error, "a kernel is already running on " + options.root);
    }
    unlink(sock.c_str()); // stale socket of a kernel that died
    s->listenFd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, sock.c_str(), sock.size() + 1);
    mode_t old = umask(0177); // the socket is created 0600
    int rc = bind(s->listenFd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    umask(old);
    if (rc != 0 || listen(s->listenFd, 128) != 0) {
        std::string text = "cannot listen on " + sock + ": " + std::strerror(errno);
        close(s->listenFd);
        close(s->lockFd);
        return Fail(error, text);
    }
    // Other users can reach the socket only when the kernel accepts them.
    chmod(sock.c_str(), options.allowOthers ? 0666 : 0600);
    s->stopFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    s->epollFd = epoll_create1(EPOLL_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = s->stopFd;
    epoll_ctl(s->epollFd, EPOLL_CTL_ADD, s->stopFd, &ev);
    Server* server = s.release();
    g_server = server;
    server->monitor = std::thread(MonitorLoop, std::ref(*server));
    server->listener = std::thread(ListenLoop, std::ref(*server));
    return true;
}

void RequestStop() {
    std::lock_guard guard(g_serverLock);
    if (!g_server) return;
    std::lock_guard stop(g_server->stopLock);
    g_server->stopRequested = true;
    g_server->stopCv.notify_all();
}

void WaitForStopRequest() {
    Server* s;
    {
        std::lock_guard guard(g_serverLock);
        s = g_server;
    }
    if (!s) return;
    std::unique_lock lock(s->stopLock);
    s->stopCv.wait(lock, [&] { return s->stopRequested; });
}

void StopServer() {
    Server* s;
    {
        std::lock_guard guard(g_serverLock);
        s = g_server;
    }
    if (!s) return;
    s->stopping = true;
    uint64_t one = 1;
    (void)!write(s->stopFd, &one, sizeof(one));
    s->listener.join();
    s->monitor.join();
    close(s->listenFd);
    unlink(SocketPath(s->options.root).c_str());
    // Control connections finishing a reply (the "shutdown" request itself) get a moment;
    // streaming ones that are still there then are cut.
    for (int i = 0; i < 100; ++i) {
        bool busy = false;
        {
            std::lock_guard guard(s->lock);
            for (auto& c : s->connections)
                busy |= c->control && !c->finished;
        }
        if (!busy) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // Every client is run down as if it had died.
    std::list<std::shared_ptr<Connection>> connections;
    {
        std::lock_guard guard(s->lock);
        for (auto& c : s->connections) {
            if (c->control && c->fd >= 0) shutdown(c->fd, SHUT_RDWR);
            MarkDead(*s, c);
        }
        connections = s->connections;
    }
    for (auto& c : connections)
        if (c->worker.joinable() && c->worker.get_id() != std::this_thread::get_id())
            c->worker.join();
    for (auto& t : s->cancellers)
        t.join();
    close(s->epollFd);
    close(s->stopFd);
    close(s->lockFd);
    std::lock_guard guard(g_serverLock);
    g_server = nullptr;
    delete s;
}

size_t ClientProcessCount() {
    std::lock_guard guard(g_serverLock);
    if (!g_server) return 0;
    std::lock_guard lock(g_server->lock);
    return g_server->processes.size();
}

} // namespace ntsim::lpc
