// The kernel debug log: a bounded in-memory ring of DebugRecords with live sinks.
#include <sched.h>
#include <time.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>

#include "dbg/dbg.h"
#include "ps/ps.h"

namespace ntsim::dbg {
namespace {

constexpr size_t kMaxRecords = 65536;

// 100 ns intervals between 1601-01-01 and 1970-01-01 (KeQuerySystemTime's epoch).
constexpr int64_t kEpochDifference100ns = 116444736000000000LL;

std::atomic<bool> g_threadContext{false}; // Ps is up: records carry NT process/thread ids
thread_local bool t_capturingContext = false;

int64_t SystemTimeNow() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return kEpochDifference100ns + int64_t(ts.tv_sec) * 10000000 + ts.tv_nsec / 100;
}

struct DebugLog {
    std::mutex lock;
    std::deque<DebugRecord> records;
    uint64_t lastSequence = 0;
    std::map<int, DebugSink> sinks;
    int nextCookie = 1;
};

DebugLog& Log() {
    static DebugLog log;
    return log;
}

} // namespace

// Fills time, CPU and the NT ids of the emitting thread. Asking Ps for the current thread may
// adopt the Linux thread (and log while doing so): the guard keeps that from recursing.
void CaptureContext(DebugRecord& record) {
    record.systemTime = SystemTimeNow();
    int cpu = sched_getcpu();
    record.cpu = cpu < 0 ? 0 : uint32_t(cpu);
    if (!g_threadContext.load(std::memory_order_acquire) || t_capturingContext) return;
    t_capturingContext = true;
    if (PETHREAD thread = ps::CurrentThread()) {
        record.threadId = uint32_t(uintptr_t(ps::ThreadId(thread)));
        if (PEPROCESS process = ps::ProcessOf(thread))
            record.processId = uint32_t(uintptr_t(ps::ProcessId(process)));
    }
    t_capturingContext = false;
}

void Initialize() {
    g_threadContext.store(true, std::memory_order_release);
}
void Shutdown() {
    g_threadContext.store(false, std::memory_order_release);
}

void AppendDebugOutput(ULONG componentId, ULONG level, std::string_view text) {
    auto& log = Log();
    std::vector<DebugSink> sinks;
    DebugRecord record{};
    record.componentId = componentId;
    record.level = level;
    record.text.assign(text);
    CaptureContext(record); // outside the lock: Ps may log
    {
        std::lock_guard guard(log.lock);
        record.sequence = ++log.lastSequence;
        log.records.push_back(record);
        if (log.records.size() > kMaxRecords) log.records.pop_front();
        for (auto& [cookie, sink] : log.sinks)
            sinks.push_back(sink);
    }
    for (auto& sink : sinks)
        sink(record);
}

void LogKernelMessage(Severity severity, const char* format, ...) {
    va_list ap;
    va_start(ap, format);
    va_list copy;
    va_copy(copy, ap);
    int needed = vsnprintf(nullptr, 0, format, copy);
    va_end(copy);
    std::string line = "ntsim: ";
    if (needed > 0) {
        size_t start = line.size();
        line.resize(start + size_t(needed) + 1);
        vsnprintf(line.data() + start, size_t(needed) + 1, format, ap);
        line.resize(start + size_t(needed));
    }
    va_end(ap);
    line += '\n';
    // The kernel's own lines belong to the SYSTEM component, at the matching DPFLTR level.
    ULONG level = severity == Severity::Error ? 0 : severity == Severity::Warning ? 1 : 3;
    AppendDebugOutput(0, level, line);
    if (severity != Severity::Info) fputs(line.c_str(), stderr);
}

std::vector<DebugRecord> ReadDebugLog(uint64_t afterSequence) {
    auto& log = Log();
    std::lock_guard guard(log.lock);
    std::vector<DebugRecord> out;
    for (const auto& r : log.records)
        if (r.sequence > afterSequence) out.push_back(r);
    return out;
}

uint64_t LastDebugSequence() {
    auto& log = Log();
    std::lock_guard guard(log.lock);
    return log.lastSequence;
}

int AddDebugSink(DebugSink sink) {
    auto& log = Log();
    std::lock_guard guard(log.lock);
    int cookie = log.nextCookie++;
    log.sinks.emplace(cookie, std::move(sink));
    return cookie;
}

void RemoveDebugSink(int cookie) {
    auto& log = Log();
    std::lock_guard guard(log.lock);
    log.sinks.erase(cookie);
}

} // namespace ntsim::dbg
