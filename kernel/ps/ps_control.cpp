// `ntsim ps` in the kernel: SnapshotProcesses as JSON (numbers only; the tool names states).
#include "ps/ps.h"
#include "ps/ps_control.h"

#include "rtl/rtl.h"

namespace ntsim::ps {

nlohmann::json PsControl(const nlohmann::json&, lpc::ControlStream&) {
    nlohmann::json processes = nlohmann::json::array();
    for (const auto& p : SnapshotProcesses()) {
        nlohmann::json threads = nlohmann::json::array();
        for (const auto& t : p.threads) {
            nlohmann::json thread = {{"tid", uint64_t(reinterpret_cast<ULONG_PTR>(t.threadId))},
                                     {"priority", t.priority},
                                     {"basePriority", t.basePriority},
                                     {"state", t.state},
                                     {"waitReason", t.waitReason}};
            // The Linux scheduling the last priority change applied (absent: inherited).
            if (t.hostApplied) {
                thread["hostPolicy"] = t.hostRealtime ? "rr" : "nice";
                thread["hostValue"] = t.hostValue;
                thread["hostRefused"] = t.hostRefused;
            }
            threads.push_back(std::move(thread));
        }
        processes.push_back(
            {{"pid", uint64_t(reinterpret_cast<ULONG_PTR>(p.processId))},
             {"ppid", uint64_t(reinterpret_cast<ULONG_PTR>(p.parentId))},
             {"image",
              rtl::ToUtf8(reinterpret_cast<const WCHAR*>(p.imageName.data()), p.imageName.size())},
             {"handles", p.handleCount},
             {"basePriority", p.basePriority},
             {"threads", std::move(threads)}});
    }
    return {{"ok", true}, {"processes", std::move(processes)}};
}

void RegisterPsControl() {
    lpc::RegisterControlHandler("ps", PsControl);
}

} // namespace ntsim::ps
