// Thread priorities made real: an NT priority change moves the Linux threads behind the NT
// thread (a client thread's own Linux thread in its process, and the kernel-side Linux thread
// that runs its system calls) to the matching Linux scheduling.
//
// Mapping (NT priority -> Linux):
//   0..15  SCHED_OTHER with a nice value: 8 (normal) -> 0, lower priorities are nicer
//          (1 -> 19), higher ones less nice (15 -> -15), table kNiceOf below.
//   16..31 SCHED_RR with rt priority (priority - 15): 16 -> 1 ... 31 -> 16, so every NT
//          real-time thread outranks every normal Linux thread, as on Windows.
// Raising a priority needs CAP_SYS_NICE (or RLIMIT_NICE / RLIMIT_RTPRIO). When the host
// refuses, the thread gets the least nice value the host permits (SCHED_OTHER) and the
// refusal is recorded (`ntsim ps -t` shows it); the NT priority is set regardless.
#include <filesystem>
#include <mutex>
#include <string>

#include <cerrno>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include "dbg/dbg.h"
#include "ps/ps_private.h"

namespace ntsim::ps {
namespace {

// Serializes priority changes and their record (rare operations).
std::mutex& PriorityLock() {
    static std::mutex lock;
    return lock;
}

constexpr int kNiceOf[16] = {19, 19, 17, 14, 11, 8, 5, 2, 0, -2, -4, -6, -8, -10, -12, -15};
constexpr int kMostFavourableNice = -20;
constexpr int kLeastFavourableNice = 19;

bool LinuxThreadExists(int pid, int tid) {
    std::error_code ec;
    return tid > 0 && std::filesystem::exists(
                          "/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid), ec);
}

// Applies `m` to one Linux thread; returns false if the thread is gone.
bool ApplyToLinuxThread(int tid, HostMapping m, HostSchedule* result) {
    bool refused = false;
    int targetNice = m.value;
    if (m.realtime) {
        sched_param sp{};
        sp.sched_priority = m.value;
        if (sched_setscheduler(tid, SCHED_RR, &sp) == 0) {
            *result = {true, true, m.value, false};
            return true;
        }
        if (errno == ESRCH) return false;
        refused = true; // no real-time scheduling here: the most favourable nice instead
        targetNice = kMostFavourableNice;
    } else {
        int policy = sched_getscheduler(tid);
        if (policy < 0) return false;
        if (policy == SCHED_RR || policy == SCHED_FIFO) {
            sched_param sp{}; // leaving real-time scheduling is always permitted
            if (sched_setscheduler(tid, SCHED_OTHER, &sp) != 0) return errno != ESRCH;
        }
    }
    // The least nice value the host permits at or above the target.
    for (int nice = targetNice; nice <= kLeastFavourableNice; ++nice) {
        if (setpriority(PRIO_PROCESS, id_t(tid), nice) == 0) {
            *result = {true, false, nice, refused || nice != targetNice};
            return true;
        }
        if (errno == ESRCH) return false;
    }
    *result = {true, false, getpriority(PRIO_PROCESS, id_t(tid)), true};
    return true;
}

} // namespace

HostMapping MapPriorityToHost(KPRIORITY priority) {
    if (priority >= LOW_REALTIME_PRIORITY) {
        if (priority > HIGH_PRIORITY) priority = HIGH_PRIORITY;
        return {true, int(priority - (LOW_REALTIME_PRIORITY - 1))};
    }
    if (priority < 0) priority = 0;
    return {false, kNiceOf[priority]};
}

bool SetHostThread(PETHREAD thread, int linuxPid, int linuxTid) {
    if (!LinuxThreadExists(linuxPid, linuxTid)) return false;
    std::lock_guard guard(PriorityLock());
    thread->hostPid = linuxPid;
    thread->hostTid = linuxTid;
    return true;
}

int HostThreadId(PETHREAD thread) {
    std::lock_guard guard(PriorityLock());
    return thread->hostTid ? thread->hostTid : thread->linuxTid;
}

void SetThreadPriority(PETHREAD thread, KPRIORITY priority) {
    std::lock_guard guard(PriorityLock());
    thread->Tcb.Priority = priority;
    if (thread->exited) return;
    HostMapping m = MapPriorityToHost(priority);
    HostSchedule applied;
    bool any = false;
    // The client's own Linux thread first: that is what a user watches (top, /proc).
    if (thread->hostTid && LinuxThreadExists(thread->hostPid, thread->hostTid))
        any = ApplyToLinuxThread(thread->hostTid, m, &applied);
    // The kernel side runs the thread's system calls: same scheduling.
    HostSchedule kernelSide;
    if (thread->linuxTid && LinuxThreadExists(int(getpid()), thread->linuxTid) &&
        ApplyToLinuxThread(thread->linuxTid, m, &kernelSide) && !any) {
        applied = kernelSide;
        any = true;
    }
    if (!any) return;
    thread->hostSchedule = applied;
    if (applied.refused)
        dbg::LogKernelMessage(
            dbg::Severity::Warning, "ps: host refused %s for thread %llu (NT priority %d): %s %d",
            m.realtime ? "SCHED_RR" : "the nice value",
            (unsigned long long)reinterpret_cast<ULONG_PTR>(thread->Cid.UniqueThread),
            int(priority), applied.realtime ? "SCHED_RR" : "nice", applied.value);
}

ThreadInfo SnapshotThread(PETHREAD t) {
    ThreadInfo info;
    info.threadId = t->Cid.UniqueThread;
    info.priority = t->Tcb.Priority;
    info.basePriority = t->Tcb.BasePriority;
    info.state = t->Tcb.State.load();
    info.waitReason = t->Tcb.WaitReason;
    std::lock_guard guard(PriorityLock());
    info.hostApplied = t->hostSchedule.applied;
    info.hostRealtime = t->hostSchedule.realtime;
    info.hostValue = t->hostSchedule.value;
    info.hostRefused = t->hostSchedule.refused;
    return info;
}

} // namespace ntsim::ps
