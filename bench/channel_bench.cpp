// The channel benchmark (issue 3 §8): what a client pays for a system call, next to what this
// machine cannot beat.
//
//  - The floor: a two-process ping-pong over shared memory, one futex wake each way (one
//    request and its reply). Measured twice: sleeping in FUTEX_WAIT straight away (the issue's
//    "minimal" floor), and with the channel's own waiting policy (lpc/spin_wait.h: poll for a
//    few microseconds, then sleep; wake only a sleeper), the fair floor for a channel that
//    polls. NTSIM_CHANNEL_SPIN_NS changes the budget of both (0: no polling).
//  - The round trip: a separate client process (channel_bench_client) against a kernel booted
//    under a temporary root (`ntsim boot --detach`) with e2e_echo.sys loaded through `ntsim sc`:
//    DeviceIoControl METHOD_BUFFERED with 16 bytes in and out, timed call by call.
//  - The 64 KiB read: ReadFile from the same client (buffered and direct I/O devices), next to a
//    64 KiB memcpy between warm buffers.
// After the Google Benchmark output, a table gives the ratios the issue sets targets for.
#include <benchmark/benchmark.h>

#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "lpc/spin_wait.h"

namespace {

struct Numbers {
    double p50 = 0, p90 = 0, p99 = 0, mean = 0;
    bool valid = false;
};
std::map<std::string, Numbers> g_results;

long Futex(std::atomic<uint32_t>* word, int op, uint32_t value) {
    return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op, value, nullptr, nullptr, 0);
}

// One direction of the ping-pong: a word, and whether its waiter sleeps (or is about to).
struct Channel {
    alignas(64) std::atomic<uint32_t> word{0};
    std::atomic<uint32_t> sleeping{0};
};

// Waits until word != seen. With polling (the channel's policy, lpc/spin_wait.h): poll for the
// channel's time budget (backing off while polls fail), then announce the sleep and FUTEX_WAIT; the
// poster then only makes the FUTEX_WAKE call for a sleeper. Without: straight to FUTEX_WAIT, every
// post wakes.
uint32_t WaitChange(Channel& c, uint32_t seen, bool poll, ntsim::lpc::AdaptiveSpin& spin) {
    if (poll) spin.Poll([&] { return c.word.load(std::memory_order_acquire) != seen; });
    uint32_t v;
    while ((v = c.word.load(std::memory_order_acquire)) == seen) {
        c.sleeping.store(1, std::memory_order_seq_cst);
        if (c.word.load(std::memory_order_seq_cst) == seen) Futex(&c.word, FUTEX_WAIT, seen);
        c.sleeping.store(0, std::memory_order_relaxed);
    }
    return v;
}

void Post(Channel& c, uint32_t value, bool poll) {
    c.word.store(value, std::memory_order_seq_cst);
    if (!poll || c.sleeping.load(std::memory_order_seq_cst)) Futex(&c.word, FUTEX_WAKE, 1);
}

struct Shared {
    Channel request;
    Channel reply;
};

Numbers Summarize(std::vector<double>& samples) {
    Numbers n;
    if (samples.empty()) return n;
    std::sort(samples.begin(), samples.end());
    double sum = 0;
    for (double s : samples)
        sum += s;
    auto at = [&](size_t percent) {
        return samples[std::min(samples.size() - 1, samples.size() * percent / 100)];
    };
    n.p50 = at(50);
    n.p90 = at(90);
    n.p99 = at(99);
    n.mean = sum / double(samples.size());
    n.valid = true;
    return n;
}

void Report(benchmark::State& state, const std::string& name, const Numbers& n) {
    state.counters["p50_ns"] = n.p50;
    state.counters["p90_ns"] = n.p90;
    state.counters["p99_ns"] = n.p99;
    state.counters["mean_ns"] = n.mean;
    g_results[name] = n;
}

// A forked child echoing sequence numbers through shared memory: one round trip per Trip().
// poll = false: both sides sleep in FUTEX_WAIT at once; true: the channel's waiting policy.
class PingPong {
public:
    explicit PingPong(bool poll) : poll_(poll) {
        void* memory = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (memory == MAP_FAILED) return;
        shared_ = new (memory) Shared;
        child_ = fork();
        if (child_ == 0) {
            uint32_t seen = 0;
            ntsim::lpc::AdaptiveSpin policy;
            while (true) {
                seen = WaitChange(shared_->request, seen, poll_, policy);
                if (seen == ~0u) _exit(0);
                Post(shared_->reply, seen, poll_);
            }
        }
    }
    ~PingPong() {
        if (!shared_) return;
        if (child_ > 0) {
            Post(shared_->request, ~0u, false);
            waitpid(child_, nullptr, 0);
        }
        munmap(shared_, sizeof(Shared));
    }
    bool ok() const { return shared_ && child_ > 0; }
    // One round trip, timed (ns).
    double Trip() {
        auto start = std::chrono::steady_clock::now();
        Post(shared_->request, ++seq_, poll_);
        WaitChange(shared_->reply, seq_ - 1, poll_, policy_);
        auto end = std::chrono::steady_clock::now();
        return std::chrono::duration<double, std::nano>(end - start).count();
    }

private:
    bool poll_;
    Shared* shared_ = nullptr;
    pid_t child_ = -1;
    uint32_t seq_ = 0;
    ntsim::lpc::AdaptiveSpin policy_;
};

void FutexPingPong(benchmark::State& state, const std::string& name, bool spin) {
    PingPong pingPong(spin);
    if (!pingPong.ok()) {
        state.SkipWithError("mmap or fork failed");
        return;
    }
    std::vector<double> samples;
    samples.reserve(1 << 16);
    for (auto _ : state) {
        double ns = pingPong.Trip();
        if (samples.size() < samples.capacity()) samples.push_back(ns);
    }
    Report(state, name, Summarize(samples));
}

void BM_FutexFloor(benchmark::State& state) {
    FutexPingPong(state, "floor_futex", false);
}
BENCHMARK(BM_FutexFloor)->UseRealTime()->MinTime(0.5);

void BM_FutexFloorSpin(benchmark::State& state) {
    FutexPingPong(state, "floor_spin", true);
}
BENCHMARK(BM_FutexFloorSpin)->UseRealTime()->MinTime(0.5);

// 64 KiB copy between two warm buffers, timed copy by copy like the client's reads (so both
// p50s leave out the same scheduling noise).
void BM_Memcpy64K(benchmark::State& state) {
    constexpr size_t kSize = 64 * 1024;
    std::vector<char> source(kSize, 'x'), destination(kSize);
    std::vector<double> samples;
    samples.reserve(1 << 18);
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        std::memcpy(destination.data(), source.data(), kSize);
        benchmark::DoNotOptimize(destination.data());
        benchmark::ClobberMemory();
        auto end = std::chrono::steady_clock::now();
        if (samples.size() < samples.capacity())
            samples.push_back(std::chrono::duration<double, std::nano>(end - start).count());
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(kSize));
    Report(state, "memcpy", Summarize(samples));
}
BENCHMARK(BM_Memcpy64K)->MinTime(0.3);

// ---- the kernel and its client ------------------------------------------------------------

// Runs argv with `NTSIM_ROOT=root`, returns its exit code and (if asked) its stdout.
int Run(const std::string& root, std::vector<std::string> argv, std::string* out = nullptr) {
    int pipeFds[2];
    if (pipe(pipeFds) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        setenv("NTSIM_ROOT", root.c_str(), 1);
        dup2(pipeFds[1], 1);
        close(pipeFds[0]);
        close(pipeFds[1]);
        std::vector<char*> args;
        for (auto& a : argv)
            args.push_back(a.data());
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    close(pipeFds[1]);
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = read(pipeFds[0], buffer, sizeof(buffer))) > 0)
        text.append(buffer, size_t(n));
    close(pipeFds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (out) *out = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// One kernel for the whole run, booted on first use and shut down at exit.
class Kernel {
public:
    static Kernel& Get() {
        if (!instance_) instance_ = new Kernel;
        return *instance_;
    }
    static void ShutdownIfBooted() {
        if (instance_) instance_->Shutdown();
    }
    bool ready() const { return ready_; }
    const std::string& error() const { return error_; }
    const std::string& root() const { return root_; }

    void Shutdown() {
        if (!booted_) return;
        Run(root_, {NTSIM_TOOL, "shutdown", "--root", root_});
        booted_ = ready_ = false;
        (void)!std::system(("rm -rf '" + root_ + "'").c_str());
    }

private:
    Kernel() {
        char name[] = "/tmp/ntsim-bench-XXXXXX";
        if (!mkdtemp(name)) {
            error_ = "mkdtemp failed";
            return;
        }
        root_ = name;
        if (Run(root_, {NTSIM_TOOL, "boot", "--root", root_, "--detach"}) != 0) {
            error_ = "ntsim boot failed";
            return;
        }
        booted_ = true;
        if (Run(root_, {NTSIM_TOOL, "sc", "create", "e2e_echo", "type=", "kernel",
                        "binPath=", NTSIM_ECHO_DRIVER}) != 0 ||
            Run(root_, {NTSIM_TOOL, "sc", "start", "e2e_echo"}) != 0) {
            error_ = "loading e2e_echo.sys failed";
            return;
        }
        ready_ = true;
    }

    static inline Kernel* instance_ = nullptr;
    std::string root_;
    std::string error_;
    bool booted_ = false;
    bool ready_ = false;
};

// Parses "p50_ns=1 p90_ns=2 p99_ns=3 mean_ns=4 calls=5".
bool ParseClient(const std::string& text, Numbers* n) {
    double calls = 0;
    if (std::sscanf(text.c_str(), "p50_ns=%lf p90_ns=%lf p99_ns=%lf mean_ns=%lf calls=%lf", &n->p50,
                    &n->p90, &n->p99, &n->mean, &calls) != 5)
        return false;
    n->valid = true;
    return true;
}

// One run of the client (`mode`, `calls` calls) per benchmark: its own per-call timings are the
// result (the process start-up is not part of them).
void ClientBenchmark(benchmark::State& state, const std::string& name, const char* mode, int calls,
                     size_t bytesPerCall) {
    Kernel& kernel = Kernel::Get();
    if (!kernel.ready()) {
        state.SkipWithError(kernel.error().c_str());
        return;
    }
    Numbers n;
    for (auto _ : state) {
        std::string out;
        int rc = Run(kernel.root(), {NTSIM_BENCH_CLIENT, mode, std::to_string(calls)}, &out);
        if (rc != 0 || !ParseClient(out, &n)) {
            state.SkipWithError(
                ("channel_bench_client failed: exit " + std::to_string(rc)).c_str());
            return;
        }
        state.SetIterationTime(n.mean * 1e-9 * calls);
    }
    Report(state, name, n);
    if (bytesPerCall) state.counters["MB/s_mean"] = double(bytesPerCall) / n.mean * 1e3;
}

void BM_DeviceIoControlRoundTrip(benchmark::State& state) {
    ClientBenchmark(state, "ioctl", "ioctl", 20000, 0);
}
BENCHMARK(BM_DeviceIoControlRoundTrip)->Iterations(1)->UseManualTime();

void BM_ReadFile64KBuffered(benchmark::State& state) {
    ClientBenchmark(state, "read", "read", 5000, 64 * 1024);
}
BENCHMARK(BM_ReadFile64KBuffered)->Iterations(1)->UseManualTime();

void BM_ReadFile64KDirect(benchmark::State& state) {
    ClientBenchmark(state, "dread", "dread", 5000, 64 * 1024);
}
BENCHMARK(BM_ReadFile64KDirect)->Iterations(1)->UseManualTime();

// ---- paired rounds -------------------------------------------------------------------------

// On a shared machine the load changes from one second to the next, so a floor measured a few
// seconds before the round trip can be far off. Each round measures both back to back (the
// floor for kFloorTrips trips, then the client for kClientCalls calls); the summary gives every
// round's ratio of p50s and their median.
constexpr int kRounds = 5;
constexpr int kFloorTrips = 5000;
constexpr int kClientCalls = 5000;

struct Round {
    double floorP50 = 0, ioctlP50 = 0;
};

std::vector<Round> PairedRounds() {
    std::vector<Round> rounds;
    Kernel& kernel = Kernel::Get();
    if (!kernel.ready()) return rounds;
    for (int r = 0; r < kRounds; ++r) {
        Round round;
        {
            PingPong pingPong(false);
            if (!pingPong.ok()) return rounds;
            std::vector<double> samples;
            for (int i = 0; i < kFloorTrips; ++i)
                samples.push_back(pingPong.Trip());
            round.floorP50 = Summarize(samples).p50;
        }
        std::string out;
        Numbers n;
        if (Run(kernel.root(), {NTSIM_BENCH_CLIENT, "ioctl", std::to_string(kClientCalls)}, &out) !=
                0 ||
            !ParseClient(out, &n))
            return rounds;
        round.ioctlP50 = n.p50;
        rounds.push_back(round);
    }
    return rounds;
}

// ---- the table ----------------------------------------------------------------------------

std::vector<Round> g_rounds;

void PrintTable() {
    auto get = [](const char* name) { return g_results[name]; };
    Numbers floor = get("floor_futex"), spin = get("floor_spin"), ioctl = get("ioctl");
    Numbers read = get("read"), dread = get("dread");
    std::printf("\nChannel summary (issue 3 §8)           p50        p90        p99       mean\n");
    auto row = [](const char* label, const Numbers& n) {
        if (!n.valid) {
            std::printf("%-34s        n/a\n", label);
            return;
        }
        std::printf("%-34s %8.1f µs %8.1f µs %8.1f µs %8.1f µs\n", label, n.p50 / 1e3, n.p90 / 1e3,
                    n.p99 / 1e3, n.mean / 1e3);
    };
    row("floor: futex ping-pong (sleep)", floor);
    row("floor: futex ping-pong (poll+sleep)", spin);
    row("DeviceIoControl 16 B in/out", ioctl);
    row("ReadFile 64 KiB (buffered I/O)", read);
    row("ReadFile 64 KiB (direct I/O)", dread);
    row("memcpy 64 KiB", get("memcpy"));
    std::printf("(polling budget of the channel and the poll+sleep floor: %ld ns; "
                "NTSIM_CHANNEL_SPIN_NS changes it)\n",
                ntsim::lpc::SpinBudgetNs());
    if (ioctl.valid && floor.valid && spin.valid)
        std::printf("\nround trip p50 / floor p50, runs above (seconds apart): %.2fx (pure futex "
                    "floor), %.2fx (poll+sleep floor)\n",
                    ioctl.p50 / floor.p50, ioctl.p50 / spin.p50);
    if (!g_rounds.empty()) {
        std::vector<double> ratios;
        std::printf("paired rounds (pure futex floor, then the round trip, back to back):\n");
        for (const Round& r : g_rounds) {
            ratios.push_back(r.ioctlP50 / r.floorP50);
            std::printf("  floor p50 %6.1f µs   round trip p50 %6.1f µs   ratio %.2fx\n",
                        r.floorP50 / 1e3, r.ioctlP50 / 1e3, ratios.back());
        }
        std::sort(ratios.begin(), ratios.end());
        std::printf("median ratio of %zu paired rounds: %.2fx   target <= 1.5x\n", ratios.size(),
                    ratios[ratios.size() / 2]);
    }
    if (Numbers copy = get("memcpy"); copy.valid) {
        auto mbps = [](double ns) { return 65536.0 / ns * 1e3; };
        std::printf("memcpy 64 KiB: %.0f MB/s at p50, %.0f MB/s mean\n", mbps(copy.p50),
                    mbps(copy.mean));
        for (auto [label, n] : {std::pair{"buffered", read}, std::pair{"direct", dread}}) {
            if (!n.valid) continue;
            std::printf("ReadFile 64 KiB (%s): %.0f MB/s at p50 = %.2fx memcpy; %.0f MB/s mean = "
                        "%.2fx memcpy   target >= 0.5x\n",
                        label, mbps(n.p50), copy.p50 / n.p50, mbps(n.mean), copy.mean / n.mean);
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    if (g_results.count("ioctl")) g_rounds = PairedRounds(); // only when the client ran
    Kernel::ShutdownIfBooted();
    PrintTable();
    benchmark::Shutdown();
    return 0;
}
