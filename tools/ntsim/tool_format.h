// Text views of the kernel's "dbgview", "ps" and "obj" control replies. Pure functions of the
// JSON the kernel returns (header-only so the unit tests check them without a kernel).
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>

namespace ntsim::tool {

// KTHREAD_STATE names as Performance Monitor numbers them.
inline const char* ThreadStateName(uint64_t state) {
    static const char* const names[] = {"Initialized", "Ready",   "Running",    "Standby",
                                        "Terminated",  "Waiting", "Transition", "DeferredReady"};
    return state < sizeof names / sizeof names[0] ? names[state] : "Unknown";
}

// KWAIT_REASON names.
inline const char* WaitReasonName(uint64_t reason) {
    static const char* const names[] = {
        "Executive",        "FreePage",          "PageIn",
        "PoolAllocation",   "DelayExecution",    "Suspended",
        "UserRequest",      "WrExecutive",       "WrFreePage",
        "WrPageIn",         "WrPoolAllocation",  "WrDelayExecution",
        "WrSuspended",      "WrUserRequest",     "WrSpare0",
        "WrQueue",          "WrLpcReceive",      "WrLpcReply",
        "WrVirtualMemory",  "WrPageOut",         "WrRendezvous",
        "WrKeyedEvent",     "WrTerminated",      "WrProcessInSwap",
        "WrCpuRateControl", "WrCalloutStack",    "WrKernel",
        "WrResource",       "WrPushLock",        "WrMutex",
        "WrQuantumEnd",     "WrDispatchInt",     "WrPreempted",
        "WrYieldExecution", "WrFastMutex",       "WrGuardedMutex",
        "WrRundown",        "WrAlertByThreadId", "WrDeferredPreempt",
        "WrPhysicalFault"};
    return reason < sizeof names / sizeof names[0] ? names[reason] : "Unknown";
}

// KeQuerySystemTime units (100 ns since 1601-01-01) as UTC "HH:MM:SS.mmm".
inline std::string FormatSystemTime(int64_t systemTime) {
    constexpr int64_t kUnixEpoch = 116444736000000000LL; // 1970-01-01 in 100 ns units
    int64_t sinceUnix = systemTime - kUnixEpoch;
    if (sinceUnix < 0) sinceUnix = 0;
    time_t seconds = time_t(sinceUnix / 10000000);
    unsigned millis = unsigned((sinceUnix % 10000000) / 10000);
    struct tm parts {};
    gmtime_r(&seconds, &parts);
    char text[32];
    snprintf(text, sizeof text, "%02d:%02d:%02d.%03u", parts.tm_hour, parts.tm_min, parts.tm_sec,
             millis);
    return text;
}

// One DebugView row: "#", time, CPU, PID, TID, text (without its trailing newline).
inline std::string FormatDebugLine(const nlohmann::json& r) {
    std::string text = r.value("text", std::string());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    char head[96];
    snprintf(head, sizeof head, "%-7llu %s %3llu %6llu %6llu  ",
             (unsigned long long)r.value("seq", uint64_t(0)),
             FormatSystemTime(r.value("time", int64_t(0))).c_str(),
             (unsigned long long)r.value("cpu", uint64_t(0)),
             (unsigned long long)r.value("pid", uint64_t(0)),
             (unsigned long long)r.value("tid", uint64_t(0)));
    return head + text + "\n";
}

inline std::string DebugHeader() {
    char head[96];
    snprintf(head, sizeof head, "%-7s %-12s %3s %6s %6s  %s\n", "#", "Time", "CPU", "PID", "TID",
             "Debug Print");
    return head;
}

// The Idle process (PID 0) has no image: Task Manager calls it "System Idle Process".
inline std::string ImageText(const nlohmann::json& p) {
    std::string image = p.value("image", std::string());
    if (image.empty() && p.value("pid", uint64_t(1)) == 0) return "System Idle Process";
    return image;
}

// `ntsim ps`: one line per process; with threads, one indented line per thread below it.
inline std::string FormatProcesses(const nlohmann::json& reply, bool threads) {
    std::string out;
    char line[256];
    snprintf(line, sizeof line, "%6s %6s %4s %4s %6s  %s\n", "PID", "PPID", "Pri", "Thd", "Hnd",
             "Image");
    out += line;
    for (const auto& p : reply.value("processes", nlohmann::json::array())) {
        const auto& list = p.value("threads", nlohmann::json::array());
        snprintf(line, sizeof line, "%6llu %6llu %4lld %4zu %6llu  %s\n",
                 (unsigned long long)p.value("pid", uint64_t(0)),
                 (unsigned long long)p.value("ppid", uint64_t(0)),
                 (long long)p.value("basePriority", int64_t(0)), list.size(),
                 (unsigned long long)p.value("handles", uint64_t(0)), ImageText(p).c_str());
        out += line;
        if (!threads) continue;
        for (const auto& t : list) {
            const uint64_t state = t.value("state", uint64_t(0));
            std::string wait = state == 5 ? WaitReasonName(t.value("waitReason", uint64_t(0))) : "";
            // After a priority change: the Linux scheduling it applied ("nice -15",
            // "rr 10"; "!" when the host refused the exact mapping).
            std::string host;
            if (t.contains("hostPolicy")) {
                host = "Host " + t.value("hostPolicy", std::string()) + " " +
                       std::to_string(t.value("hostValue", 0)) +
                       (t.value("hostRefused", false) ? "!" : "");
                host.resize(std::max<size_t>(host.size(), 14), ' ');
                host += "  ";
            }
            snprintf(line, sizeof line, "       TID %6llu  Pri %3lld  Base %3lld  %s%-13s %s\n",
                     (unsigned long long)t.value("tid", uint64_t(0)),
                     (long long)t.value("priority", int64_t(0)),
                     (long long)t.value("basePriority", int64_t(0)), host.c_str(),
                     ThreadStateName(state), wait.c_str());
            std::string s = line;
            while (s.size() > 1 && s[s.size() - 2] == ' ') // no trailing blanks
                s.erase(s.size() - 2, 1);
            out += s;
        }
    }
    return out;
}

// `ntsim obj`: WinObj's columns Name, Type, SymLink (target of a symbolic link).
inline std::string FormatDirectory(const nlohmann::json& reply) {
    std::string out = reply.value("path", std::string("\\")) + ":\n";
    size_t nameWidth = 4, typeWidth = 4;
    const auto& entries = reply.value("entries", nlohmann::json::array());
    for (const auto& e : entries) {
        nameWidth = std::max(nameWidth, e.value("name", std::string()).size());
        typeWidth = std::max(typeWidth, e.value("type", std::string()).size());
    }
    auto row = [&](const std::string& name, const std::string& type, const std::string& target) {
        std::string s = name + std::string(nameWidth - name.size() + 2, ' ') + type;
        if (!target.empty()) s += std::string(typeWidth - type.size() + 2, ' ') + target;
        return s + "\n";
    };
    out += row("Name", "Type", "SymLink");
    for (const auto& e : entries)
        out += row(e.value("name", std::string()), e.value("type", std::string()),
                   e.value("target", std::string()));
    return out;
}

} // namespace ntsim::tool
