// Helpers for the debug component's tests: capture the debug log lines a piece of code emits.
#pragma once

#include <string>
#include <vector>

#include "dbg/dbg.h"

namespace dbgtest {

// Records appended since construction whose text contains `marker` (other threads of the kernel
// may log at the same time: tests mark their lines).
class LogCapture {
public:
    LogCapture() : start_(ntsim::dbg::LastDebugSequence()) {}
    std::vector<ntsim::dbg::DebugRecord> With(const std::string& marker) const {
        std::vector<ntsim::dbg::DebugRecord> out;
        for (auto& r : ntsim::dbg::ReadDebugLog(start_))
            if (r.text.find(marker) != std::string::npos) out.push_back(r);
        return out;
    }

private:
    uint64_t start_;
};

} // namespace dbgtest
