// `ntsim dbgview` in the kernel: snapshot of the debug log, or a live stream fed by a debug sink.
#include "dbg/dbg.h"
#include "dbg/dbg_control.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

namespace ntsim::dbg {

nlohmann::json RecordToJson(const DebugRecord& record) {
    // Text is not guaranteed to be UTF-8 (drivers print bytes): keep it valid for JSON.
    std::string text;
    text.reserve(record.text.size());
    for (unsigned char c : record.text)
        text.push_back(c < 0x80 ? char(c) : '?');
    return {{"seq", record.sequence}, {"time", record.systemTime},
            {"cpu", record.cpu},      {"pid", record.processId},
            {"tid", record.threadId}, {"component", record.componentId},
            {"level", record.level},  {"text", std::move(text)}};
}

namespace {

uint64_t AfterOf(const nlohmann::json& request) {
    auto it = request.find("after");
    if (it == request.end() || !it->is_number_unsigned()) return 0;
    return it->get<uint64_t>();
}

// Records handed over by the sink to the streaming loop.
struct FollowQueue {
    std::mutex lock;
    std::condition_variable ready;
    std::deque<DebugRecord> records;
};

} // namespace

nlohmann::json DbgviewControl(const nlohmann::json& request, lpc::ControlStream& stream) {
    uint64_t last = AfterOf(request);
    const bool follow = request.value("follow", false);
    if (!follow) {
        nlohmann::json lines = nlohmann::json::array();
        for (const auto& r : ReadDebugLog(last)) {
            lines.push_back(RecordToJson(r));
            last = r.sequence;
        }
        return {{"ok", true}, {"lines", std::move(lines)}, {"last", last}};
    }

    // Subscribe first, then replay the backlog, so no line falls between the two.
    // The log calls sinks outside its lock, so a call may still arrive after RemoveDebugSink:
    // the sink shares ownership of the queue.
    auto shared = std::make_shared<FollowQueue>();
    FollowQueue& queue = *shared;
    int cookie = AddDebugSink([shared](const DebugRecord& r) {
        std::lock_guard guard(shared->lock);
        shared->records.push_back(r);
        shared->ready.notify_one();
    });
    bool alive = true;
    for (const auto& r : ReadDebugLog(last)) {
        alive = stream.Write({{"line", RecordToJson(r)}});
        last = r.sequence; // written, even if the tool leaves right after it
        if (!alive) break;
    }
    while (alive) {
        std::deque<DebugRecord> batch;
        {
            std::unique_lock guard(queue.lock);
            queue.ready.wait_for(guard, std::chrono::seconds(1),
                                 [&] { return !queue.records.empty(); });
            batch.swap(queue.records);
        }
        if (batch.empty()) {
            alive = stream.Write({{"heartbeat", true}});
            continue;
        }
        for (const auto& r : batch) {
            if (r.sequence <= last) continue; // already sent from the backlog
            alive = stream.Write({{"line", RecordToJson(r)}});
            last = r.sequence;
            if (!alive) break;
        }
    }
    RemoveDebugSink(cookie);
    return {{"ok", true}, {"last", last}};
}

void RegisterDbgviewControl() {
    lpc::RegisterControlHandler("dbgview", DbgviewControl);
    lpc::RegisterControlHandler("trace.read", TraceReadControl);
    lpc::RegisterControlHandler("dbg.filter", FilterControl);
}

} // namespace ntsim::dbg
