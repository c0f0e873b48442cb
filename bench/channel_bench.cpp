// The channel's floor: what a client<->kernel round trip and a 64 KiB read cannot beat on this
// machine. A two-process futex ping-pong over shared memory (one wake each way, like one
// request and its reply) and a 64 KiB memcpy (the copy a buffered read makes at least once).
// Reported: round-trip p50 and mean, copy throughput.
#include <benchmark/benchmark.h>

#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <vector>

namespace {

long Futex(std::atomic<uint32_t>* word, int op, uint32_t value) {
    return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op, value, nullptr, nullptr, 0);
}

// Waits until *word != seen (FUTEX_WAIT sleeps only while it still holds `seen`).
uint32_t WaitChange(std::atomic<uint32_t>* word, uint32_t seen) {
    uint32_t v;
    while ((v = word->load(std::memory_order_acquire)) == seen)
        Futex(word, FUTEX_WAIT, seen);
    return v;
}

void Post(std::atomic<uint32_t>* word, uint32_t value) {
    word->store(value, std::memory_order_release);
    Futex(word, FUTEX_WAKE, 1);
}

struct Shared {
    alignas(64) std::atomic<uint32_t> request{0};
    alignas(64) std::atomic<uint32_t> reply{0};
};

void SetPercentiles(benchmark::State& state, std::vector<double>& samples) {
    if (samples.empty()) return;
    std::sort(samples.begin(), samples.end());
    double sum = 0;
    for (double s : samples)
        sum += s;
    state.counters["p50_ns"] = samples[samples.size() / 2];
    state.counters["p99_ns"] = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
    state.counters["mean_ns"] = sum / double(samples.size());
}

// Parent sends a sequence number, the forked child echoes it: one round trip per iteration.
void BM_FutexPingPong(benchmark::State& state) {
    void* memory =
        mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        state.SkipWithError("mmap failed");
        return;
    }
    auto* shared = new (memory) Shared;
    pid_t child = fork();
    if (child == 0) {
        uint32_t seen = 0;
        while (true) {
            seen = WaitChange(&shared->request, seen);
            if (seen == ~0u) _exit(0);
            Post(&shared->reply, seen);
        }
    }
    std::vector<double> samples;
    samples.reserve(1 << 16);
    uint32_t seq = 0;
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        Post(&shared->request, ++seq);
        WaitChange(&shared->reply, seq - 1);
        auto end = std::chrono::steady_clock::now();
        if (samples.size() < samples.capacity())
            samples.push_back(std::chrono::duration<double, std::nano>(end - start).count());
    }
    Post(&shared->request, ~0u);
    waitpid(child, nullptr, 0);
    munmap(memory, sizeof(Shared));
    SetPercentiles(state, samples);
}
BENCHMARK(BM_FutexPingPong)->UseRealTime()->MinTime(0.5);

// 64 KiB copy between two warm buffers.
void BM_Memcpy64K(benchmark::State& state) {
    constexpr size_t kSize = 64 * 1024;
    std::vector<char> source(kSize, 'x'), destination(kSize);
    for (auto _ : state) {
        std::memcpy(destination.data(), source.data(), kSize);
        benchmark::DoNotOptimize(destination.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(kSize));
}
BENCHMARK(BM_Memcpy64K)->MinTime(0.3);

} // namespace

BENCHMARK_MAIN();
