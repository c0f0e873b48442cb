// The channel's bounded polling, shared by the client runtime (usermode/ntdll/channel.cpp), the
// kernel's server (kernel/lpc/server.cpp) and the benchmark's floor (bench/channel_bench.cpp).
//
// Before sleeping in FUTEX_WAIT, a side waiting for the other polls the slot's state word for a
// short, fixed TIME (not a count of pause instructions: a pause costs from ~10 to ~150 cycles
// depending on the CPU). Polling only pays when the other side runs on another CPU at that
// moment: on a machine with one CPU it never does, so there it is off, and AdaptiveSpin stops
// trying while it keeps failing. The budget can be set with NTSIM_CHANNEL_SPIN_NS (0 turns
// polling off), read once per process.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>

namespace ntsim::lpc {

constexpr long kDefaultSpinNs = 5'000;

inline long SpinBudgetNs() {
    static const long budget = [] {
        if (sysconf(_SC_NPROCESSORS_ONLN) < 2) return 0L;
        const char* env = std::getenv("NTSIM_CHANNEL_SPIN_NS");
        if (env && *env) {
            char* end = nullptr;
            long value = std::strtol(env, &end, 10);
            if (end && !*end && value >= 0 && value <= 10'000'000) return value;
        }
        return kDefaultSpinNs;
    }();
    return budget;
}

// Polls done() for up to budgetNs; true as soon as it holds, false when the time is up.
template <typename Done> bool SpinUntil(Done done, long budgetNs) {
    if (done()) return true;
    if (budgetNs <= 0) return false;
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::nanoseconds(budgetNs);
    for (;;) {
        for (int i = 0; i < 16; ++i) {
            __builtin_ia32_pause();
            if (done()) return true;
        }
        if (Clock::now() >= deadline) return done();
    }
}

// Polling that stops being tried when it does not pay: after a poll that timed out, the next
// 1, 2, 4 ... up to kMaxSkip waits go straight to sleep; a poll that succeeds resets that. On a
// machine whose CPUs are all busy the other side is rarely running while we poll, and polling
// there only delays both; with idle CPUs it saves two sleeps and wake-ups per round trip.
class AdaptiveSpin {
public:
    static constexpr uint32_t kMaxSkip = 256;

    // Polls done() (or not, see above); true when it held.
    template <typename Done> bool Poll(Done done) {
        const long budget = SpinBudgetNs();
        if (budget <= 0) return done();
        if (skip_) {
            --skip_;
            return done();
        }
        if (SpinUntil(done, budget)) {
            backoff_ = 1;
            return true;
        }
        skip_ = backoff_;
        if (backoff_ < kMaxSkip) backoff_ *= 2;
        return false;
    }

private:
    uint32_t skip_ = 0;
    uint32_t backoff_ = 1;
};

} // namespace ntsim::lpc
