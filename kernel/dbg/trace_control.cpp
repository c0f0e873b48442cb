// `ntsim trace` in the kernel: the TraceLogging event log as JSON, as a snapshot or a live
// stream fed by a trace sink (the same scheme as dbgview's).
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

#include "dbg/dbg.h"
#include "dbg/dbg_control.h"
#include "dbg/trace_log.h"

namespace ntsim::dbg {
namespace {

uint64_t SequenceOf(const TraceEvent& e) {
    return e.value("sequence", uint64_t(0));
}

struct TraceQueue {
    std::mutex lock;
    std::condition_variable ready;
    std::deque<TraceEvent> events;
};

} // namespace

nlohmann::json TraceReadControl(const nlohmann::json& request, lpc::ControlStream& stream) {
    uint64_t last = 0;
    if (auto it = request.find("after"); it != request.end() && it->is_number_unsigned())
        last = it->get<uint64_t>();
    const bool follow = request.value("follow", false);
    if (!follow) {
        nlohmann::json events = nlohmann::json::array();
        for (auto& e : ReadTraceLog(last)) {
            last = SequenceOf(e);
            events.push_back(std::move(e));
        }
        return {{"ok", true}, {"events", std::move(events)}, {"last", last}};
    }

    // Subscribe before replaying the backlog so nothing falls in between; the sink may still
    // be called after RemoveTraceSink, so it shares the queue.
    auto shared = std::make_shared<TraceQueue>();
    int cookie = AddTraceSink([shared](const TraceEvent& e) {
        std::lock_guard guard(shared->lock);
        shared->events.push_back(e);
        shared->ready.notify_one();
    });
    bool alive = true;
    for (auto& e : ReadTraceLog(last)) {
        last = SequenceOf(e);
        alive = stream.Write({{"event", std::move(e)}});
        if (!alive) break;
    }
    while (alive) {
        std::deque<TraceEvent> batch;
        {
            std::unique_lock guard(shared->lock);
            shared->ready.wait_for(guard, std::chrono::seconds(1),
                                   [&] { return !shared->events.empty(); });
            batch.swap(shared->events);
        }
        if (batch.empty()) {
            alive = stream.Write({{"heartbeat", true}});
            continue;
        }
        for (auto& e : batch) {
            uint64_t seq = SequenceOf(e);
            if (seq <= last) continue; // already sent from the backlog
            last = seq;
            alive = stream.Write({{"event", std::move(e)}});
            if (!alive) break;
        }
    }
    RemoveTraceSink(cookie);
    return {{"ok", true}, {"last", last}};
}

} // namespace ntsim::dbg
