// The kernel debug log: a bounded in-memory ring of DebugRecords with live sinks.
#include <cstdarg>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>

#include "dbg/dbg.h"

namespace ntsim::dbg {
namespace {

constexpr size_t kMaxRecords = 65536;

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

void AppendDebugOutput(ULONG componentId, ULONG level, std::string_view text) {
    auto& log = Log();
    std::vector<DebugSink> sinks;
    DebugRecord record{};
    {
        std::lock_guard guard(log.lock);
        record.sequence = ++log.lastSequence;
        record.componentId = componentId;
        record.level = level;
        record.text.assign(text);
        log.records.push_back(record);
        if (log.records.size() > kMaxRecords) log.records.pop_front();
        for (auto& [cookie, sink] : log.sinks) sinks.push_back(sink);
    }
    for (auto& sink : sinks) sink(record);
}

void LogKernelMessage(Severity severity, const char* format, ...) {
    char buffer[1024];
    va_list ap;
    va_start(ap, format);
    vsnprintf(buffer, sizeof buffer, format, ap);
    va_end(ap);
    std::string line = std::string("ntsim: ") + buffer + "\n";
    AppendDebugOutput(0, severity == Severity::Error ? 0 : 3, line);
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
