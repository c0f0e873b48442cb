// Executive and kernel locks against their std:: equivalents, uncontended (1 thread) and with
// two threads hammering the same lock (issue 5).
//
// Every row times the ntsim lock, then runs the std equivalent for the same number of
// iterations in the same thread (both threads at once in the 2-thread rows) and reports:
//   std_ns  the std equivalent's time per iteration, measured in this run;
//   ratio   ntsim time / std time (the target is <= 1.5 uncontended).
// The std rows are also registered on their own so both sides can be read off directly.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include <pthread.h>

#include <fltKernel.h>

#include "core/boot.h"

namespace {

using Clock = std::chrono::steady_clock;

long g_Counter;

// ---- the std equivalents ----------------------------------------------------------------------
std::atomic_flag g_Flag = ATOMIC_FLAG_INIT;
std::mutex g_StdMutex;
std::shared_mutex g_SharedMutex;

inline void StdFlagSpin() {
    while (g_Flag.test_and_set(std::memory_order_acquire))
        __builtin_ia32_pause();
    benchmark::DoNotOptimize(++g_Counter);
    g_Flag.clear(std::memory_order_release);
}
// A spin lock behind a library call (glibc's POSIX spin lock), for scale. KeAcquireSpinLock and
// KeReleaseSpinLock are inline in the SDK (km/ke.h), like the atomic flag above; the in-stack
// queued routines and the executive spin locks are calls.
pthread_spinlock_t g_PthreadSpin;
inline void PthreadSpin() {
    pthread_spin_lock(&g_PthreadSpin);
    benchmark::DoNotOptimize(++g_Counter);
    pthread_spin_unlock(&g_PthreadSpin);
}
inline void StdMutex() {
    g_StdMutex.lock();
    benchmark::DoNotOptimize(++g_Counter);
    g_StdMutex.unlock();
}
inline void StdShared() {
    g_SharedMutex.lock_shared();
    benchmark::DoNotOptimize(g_Counter);
    g_SharedMutex.unlock_shared();
}
inline void StdExclusive() {
    g_SharedMutex.lock();
    benchmark::DoNotOptimize(++g_Counter);
    g_SharedMutex.unlock();
}

// Times `ours` in the benchmark loop, then `base` for as many iterations, and reports the
// baseline and the ratio (averaged over the threads of a multi-threaded row).
template <class Ours, class Base> void Paired(benchmark::State& state, Ours ours, Base base) {
    auto t0 = Clock::now();
    for (auto _ : state)
        ours();
    auto t1 = Clock::now();
    const int64_t n = int64_t(state.iterations());
    for (int64_t i = 0; i < n; ++i)
        base();
    auto t2 = Clock::now();
    if (n == 0) return;
    double oursNs = std::chrono::duration<double, std::nano>(t1 - t0).count() / double(n);
    double baseNs = std::chrono::duration<double, std::nano>(t2 - t1).count() / double(n);
    state.counters["std_ns"] = benchmark::Counter(baseNs, benchmark::Counter::kAvgThreads);
    state.counters["ratio"] =
        benchmark::Counter(baseNs > 0 ? oursNs / baseNs : 0, benchmark::Counter::kAvgThreads);
}

// Executive resources and push locks are acquired inside a critical region, as drivers must.
struct CriticalRegion {
    CriticalRegion() { KeEnterCriticalRegion(); }
    ~CriticalRegion() { KeLeaveCriticalRegion(); }
};

// ---- spin locks (std: an atomic flag spin lock) -------------------------------------------------
KSPIN_LOCK g_SpinLock;
EX_SPIN_LOCK g_ExSpinLock;

inline void KeSpinLockRound() {
    KIRQL old;
    KeAcquireSpinLock(&g_SpinLock, &old);
    benchmark::DoNotOptimize(++g_Counter);
    KeReleaseSpinLock(&g_SpinLock, old);
}
void BM_KeAcquireSpinLock_vs_AtomicFlag(benchmark::State& state) {
    Paired(state, KeSpinLockRound, StdFlagSpin);
}
void BM_KeAcquireSpinLock_vs_PthreadSpin(benchmark::State& state) {
    Paired(state, KeSpinLockRound, PthreadSpin);
}
void BM_KeAcquireInStackQueuedSpinLock_vs_AtomicFlag(benchmark::State& state) {
    Paired(
        state,
        [] {
            KLOCK_QUEUE_HANDLE handle;
            KeAcquireInStackQueuedSpinLock(&g_SpinLock, &handle);
            benchmark::DoNotOptimize(++g_Counter);
            KeReleaseInStackQueuedSpinLock(&handle);
        },
        StdFlagSpin);
}
void BM_ExAcquireSpinLockShared_vs_SharedMutex(benchmark::State& state) {
    Paired(
        state,
        [] {
            KIRQL old = ExAcquireSpinLockShared(&g_ExSpinLock);
            benchmark::DoNotOptimize(g_Counter);
            ExReleaseSpinLockShared(&g_ExSpinLock, old);
        },
        StdShared);
}
void BM_StdAtomicFlagSpin(benchmark::State& state) {
    for (auto _ : state)
        StdFlagSpin();
}
BENCHMARK(BM_KeAcquireSpinLock_vs_AtomicFlag)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_KeAcquireSpinLock_vs_PthreadSpin)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_KeAcquireInStackQueuedSpinLock_vs_AtomicFlag)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_StdAtomicFlagSpin)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_ExAcquireSpinLockShared_vs_SharedMutex)->Threads(1)->Threads(2)->UseRealTime();

// ---- mutexes (std: std::mutex) ------------------------------------------------------------------
FAST_MUTEX g_FastMutex;
KGUARDED_MUTEX g_GuardedMutex;

void BM_ExAcquireFastMutex_vs_StdMutex(benchmark::State& state) {
    Paired(
        state,
        [] {
            ExAcquireFastMutex(&g_FastMutex);
            benchmark::DoNotOptimize(++g_Counter);
            ExReleaseFastMutex(&g_FastMutex);
        },
        StdMutex);
}
void BM_KeAcquireGuardedMutex_vs_StdMutex(benchmark::State& state) {
    Paired(
        state,
        [] {
            KeAcquireGuardedMutex(&g_GuardedMutex);
            benchmark::DoNotOptimize(++g_Counter);
            KeReleaseGuardedMutex(&g_GuardedMutex);
        },
        StdMutex);
}
void BM_StdMutex(benchmark::State& state) {
    for (auto _ : state)
        StdMutex();
}
BENCHMARK(BM_ExAcquireFastMutex_vs_StdMutex)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_KeAcquireGuardedMutex_vs_StdMutex)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_StdMutex)->Threads(1)->Threads(2)->UseRealTime();

// ---- reader/writer locks (std: std::shared_mutex) -----------------------------------------------
ERESOURCE g_Resource;
EX_PUSH_LOCK g_PushLock;

void BM_ExResourceShared_vs_SharedMutex(benchmark::State& state) {
    CriticalRegion region;
    Paired(
        state,
        [] {
            ExAcquireResourceSharedLite(&g_Resource, TRUE);
            benchmark::DoNotOptimize(g_Counter);
            ExReleaseResourceLite(&g_Resource);
        },
        StdShared);
}
void BM_ExResourceExclusive_vs_SharedMutex(benchmark::State& state) {
    CriticalRegion region;
    Paired(
        state,
        [] {
            ExAcquireResourceExclusiveLite(&g_Resource, TRUE);
            benchmark::DoNotOptimize(++g_Counter);
            ExReleaseResourceLite(&g_Resource);
        },
        StdExclusive);
}
void BM_PushLockShared_vs_SharedMutex(benchmark::State& state) {
    CriticalRegion region;
    Paired(
        state,
        [] {
            ExAcquirePushLockSharedEx(&g_PushLock, 0);
            benchmark::DoNotOptimize(g_Counter);
            ExReleasePushLockSharedEx(&g_PushLock, 0);
        },
        StdShared);
}
void BM_PushLockExclusive_vs_SharedMutex(benchmark::State& state) {
    CriticalRegion region;
    Paired(
        state,
        [] {
            ExAcquirePushLockExclusiveEx(&g_PushLock, 0);
            benchmark::DoNotOptimize(++g_Counter);
            ExReleasePushLockExclusiveEx(&g_PushLock, 0);
        },
        StdExclusive);
}
void BM_StdSharedMutexShared(benchmark::State& state) {
    for (auto _ : state)
        StdShared();
}
void BM_StdSharedMutexExclusive(benchmark::State& state) {
    for (auto _ : state)
        StdExclusive();
}
BENCHMARK(BM_ExResourceShared_vs_SharedMutex)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_StdSharedMutexShared)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_PushLockShared_vs_SharedMutex)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_ExResourceExclusive_vs_SharedMutex)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_StdSharedMutexExclusive)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_PushLockExclusive_vs_SharedMutex)->Threads(1)->Threads(2)->UseRealTime();

// ---- waiting on a signalled object --------------------------------------------------------------
// std has no dispatcher object; the baseline is what a std program pays to pass a "gate" that
// is open: std::mutex lock + unlock (the choice). The C++20 atomic wait on a value
// that already changed is shown too, as the floor.
KEVENT g_Event;
std::atomic<int> g_Word{1};

void BM_KeWaitSignalledEvent_vs_StdMutex(benchmark::State& state) {
    Paired(
        state,
        [] {
            benchmark::DoNotOptimize(
                KeWaitForSingleObject(&g_Event, Executive, KernelMode, FALSE, nullptr));
        },
        [] {
            g_StdMutex.lock();
            g_StdMutex.unlock();
        });
}
void BM_KeWaitSignalledEvent_vs_AtomicWait(benchmark::State& state) {
    Paired(
        state,
        [] {
            benchmark::DoNotOptimize(
                KeWaitForSingleObject(&g_Event, Executive, KernelMode, FALSE, nullptr));
        },
        [] {
            g_Word.wait(0, std::memory_order_acquire); // returns at once: the value is 1
            benchmark::DoNotOptimize(g_Word);
        });
}
BENCHMARK(BM_KeWaitSignalledEvent_vs_StdMutex)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_KeWaitSignalledEvent_vs_AtomicWait)->Threads(1)->Threads(2)->UseRealTime();

} // namespace

// Prints Google Benchmark's table, then one line per uncontended ntsim row: the median ratio of
// the repetitions against the target (1.5).
class SummaryReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const Run& run : runs) {
            auto ratio = run.counters.find("ratio");
            if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median" &&
                ratio != run.counters.end() &&
                run.benchmark_name().find("threads:1") != std::string::npos)
                rows_.emplace_back(run.run_name.function_name, double(ratio->second));
        }
        ConsoleReporter::ReportRuns(runs);
    }
    void PrintSummary() const {
        std::printf("\nuncontended (1 thread), median ratio of the repetitions; target <= 1.5\n");
        for (const auto& [name, ratio] : rows_) {
            const char* verdict = ratio <= 1.5 ? "met" : "NOT met";
            if (!IsTarget(name)) verdict = ratio <= 1.5 ? "(extra row) within 1.5" : "(extra row)";
            std::printf("  %-52s %6.2fx  %s\n", name.c_str(), ratio, verdict);
        }
    }
    // The rows issue 5 sets the target for: spin lock, fast mutex, ERESOURCE shared and
    // exclusive, a wait on a signalled event, each against its std equivalent. The others are
    // there for scale (another baseline, or a lock the issue does not time: the in-stack queued
    // spin lock needs a second atomic to hand over in order, as on Windows).
    static bool IsTarget(const std::string& name) {
        for (const char* target :
             {"BM_KeAcquireSpinLock_vs_AtomicFlag", "BM_ExAcquireFastMutex_vs_StdMutex",
              "BM_ExResourceShared_vs_SharedMutex", "BM_ExResourceExclusive_vs_SharedMutex",
              "BM_KeWaitSignalledEvent_vs_StdMutex"})
            if (name == target) return true;
        return false;
    }

private:
    std::vector<std::pair<std::string, double>> rows_;
};

int main(int argc, char** argv) {
    if (!NT_SUCCESS(ntsim::BootKernel())) return 2;
    KeInitializeSpinLock(&g_SpinLock);
    pthread_spin_init(&g_PthreadSpin, PTHREAD_PROCESS_PRIVATE);
    g_ExSpinLock = 0;
    ExInitializeFastMutex(&g_FastMutex);
    KeInitializeGuardedMutex(&g_GuardedMutex);
    if (!NT_SUCCESS(ExInitializeResourceLite(&g_Resource))) return 2;
    ExInitializePushLock(&g_PushLock);
    KeInitializeEvent(&g_Event, NotificationEvent, TRUE);
    // Defaults (the command line overrides them): a few short repetitions, aggregates only,
    // so one unlucky scheduling period does not decide a ratio.
    std::vector<char*> args(argv, argv + argc);
    char repetitions[] = "--benchmark_repetitions=3";
    char aggregates[] = "--benchmark_report_aggregates_only=true";
    char minTime[] = "--benchmark_min_time=0.2s";
    args.insert(args.begin() + 1, {repetitions, aggregates, minTime});
    int count = int(args.size());
    benchmark::Initialize(&count, args.data());
    SummaryReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.PrintSummary();
    benchmark::Shutdown();
    ExDeleteResourceLite(&g_Resource);
    return 0;
}
