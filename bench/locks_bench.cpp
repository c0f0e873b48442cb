// Executive and kernel locks against their std:: equivalents, uncontended (1 thread) and with
// two threads hammering the same lock. Pairs are registered next to each other so the ratio
// can be read off directly (tools/bench.sh prints every *_bench).
#include <benchmark/benchmark.h>

#include <atomic>
#include <mutex>
#include <shared_mutex>

#include <fltKernel.h>

#include "core/boot.h"

namespace {

// ---- spin locks ---------------------------------------------------------------------------
KSPIN_LOCK g_SpinLock;
std::atomic_flag g_Flag = ATOMIC_FLAG_INIT;
long g_Counter;

void BM_KeAcquireSpinLock(benchmark::State& state) {
    for (auto _ : state) {
        KIRQL old;
        KeAcquireSpinLock(&g_SpinLock, &old);
        benchmark::DoNotOptimize(++g_Counter);
        KeReleaseSpinLock(&g_SpinLock, old);
    }
}
void BM_StdAtomicFlagSpin(benchmark::State& state) {
    for (auto _ : state) {
        while (g_Flag.test_and_set(std::memory_order_acquire))
            __builtin_ia32_pause();
        benchmark::DoNotOptimize(++g_Counter);
        g_Flag.clear(std::memory_order_release);
    }
}
BENCHMARK(BM_KeAcquireSpinLock)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_StdAtomicFlagSpin)->Threads(1)->Threads(2)->UseRealTime();

EX_SPIN_LOCK g_ExSpinLock;
void BM_ExAcquireSpinLockShared(benchmark::State& state) {
    for (auto _ : state) {
        KIRQL old = ExAcquireSpinLockShared(&g_ExSpinLock);
        benchmark::DoNotOptimize(g_Counter);
        ExReleaseSpinLockShared(&g_ExSpinLock, old);
    }
}
BENCHMARK(BM_ExAcquireSpinLockShared)->Threads(1)->Threads(2)->UseRealTime();

// ---- mutexes --------------------------------------------------------------------------------
FAST_MUTEX g_FastMutex;
KGUARDED_MUTEX g_GuardedMutex;
std::mutex g_StdMutex;

void BM_ExAcquireFastMutex(benchmark::State& state) {
    for (auto _ : state) {
        ExAcquireFastMutex(&g_FastMutex);
        benchmark::DoNotOptimize(++g_Counter);
        ExReleaseFastMutex(&g_FastMutex);
    }
}
void BM_StdMutex(benchmark::State& state) {
    for (auto _ : state) {
        g_StdMutex.lock();
        benchmark::DoNotOptimize(++g_Counter);
        g_StdMutex.unlock();
    }
}
void BM_KeAcquireGuardedMutex(benchmark::State& state) {
    for (auto _ : state) {
        KeAcquireGuardedMutex(&g_GuardedMutex);
        benchmark::DoNotOptimize(++g_Counter);
        KeReleaseGuardedMutex(&g_GuardedMutex);
    }
}
BENCHMARK(BM_ExAcquireFastMutex)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_StdMutex)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_KeAcquireGuardedMutex)->Threads(1)->Threads(2)->UseRealTime();

// ---- reader/writer locks --------------------------------------------------------------------
ERESOURCE g_Resource;
std::shared_mutex g_SharedMutex;
EX_PUSH_LOCK g_PushLock;

void BM_ExResourceShared(benchmark::State& state) {
    KeEnterCriticalRegion();
    for (auto _ : state) {
        ExAcquireResourceSharedLite(&g_Resource, TRUE);
        benchmark::DoNotOptimize(g_Counter);
        ExReleaseResourceLite(&g_Resource);
    }
    KeLeaveCriticalRegion();
}
void BM_StdSharedMutexShared(benchmark::State& state) {
    for (auto _ : state) {
        g_SharedMutex.lock_shared();
        benchmark::DoNotOptimize(g_Counter);
        g_SharedMutex.unlock_shared();
    }
}
void BM_ExResourceExclusive(benchmark::State& state) {
    KeEnterCriticalRegion();
    for (auto _ : state) {
        ExAcquireResourceExclusiveLite(&g_Resource, TRUE);
        benchmark::DoNotOptimize(++g_Counter);
        ExReleaseResourceLite(&g_Resource);
    }
    KeLeaveCriticalRegion();
}
void BM_StdSharedMutexExclusive(benchmark::State& state) {
    for (auto _ : state) {
        g_SharedMutex.lock();
        benchmark::DoNotOptimize(++g_Counter);
        g_SharedMutex.unlock();
    }
}
void BM_PushLockShared(benchmark::State& state) {
    KeEnterCriticalRegion();
    for (auto _ : state) {
        ExAcquirePushLockSharedEx(&g_PushLock, 0);
        benchmark::DoNotOptimize(g_Counter);
        ExReleasePushLockSharedEx(&g_PushLock, 0);
    }
    KeLeaveCriticalRegion();
}
void BM_PushLockExclusive(benchmark::State& state) {
    KeEnterCriticalRegion();
    for (auto _ : state) {
        ExAcquirePushLockExclusiveEx(&g_PushLock, 0);
        benchmark::DoNotOptimize(++g_Counter);
        ExReleasePushLockExclusiveEx(&g_PushLock, 0);
    }
    KeLeaveCriticalRegion();
}
BENCHMARK(BM_ExResourceShared)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_StdSharedMutexShared)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_PushLockShared)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_ExResourceExclusive)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_StdSharedMutexExclusive)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_PushLockExclusive)->Threads(1)->Threads(2)->UseRealTime();

// ---- waiting on a signalled object ------------------------------------------------------------
KEVENT g_Event;
std::atomic<int> g_Word{1};

void BM_KeWaitSignalledNotificationEvent(benchmark::State& state) {
    for (auto _ : state)
        benchmark::DoNotOptimize(
            KeWaitForSingleObject(&g_Event, Executive, KernelMode, FALSE, nullptr));
}
void BM_StdMutexLockUnlockAsWait(benchmark::State& state) {
    for (auto _ : state) {
        g_StdMutex.lock();
        g_StdMutex.unlock();
    }
}
void BM_AtomicLoadFloor(benchmark::State& state) {
    for (auto _ : state)
        benchmark::DoNotOptimize(g_Word.load(std::memory_order_acquire));
}
BENCHMARK(BM_KeWaitSignalledNotificationEvent)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_StdMutexLockUnlockAsWait)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_AtomicLoadFloor)->Threads(1)->UseRealTime();

} // namespace

int main(int argc, char** argv) {
    if (!NT_SUCCESS(ntsim::BootKernel())) return 2;
    KeInitializeSpinLock(&g_SpinLock);
    ExInitializeFastMutex(&g_FastMutex);
    KeInitializeGuardedMutex(&g_GuardedMutex);
    if (!NT_SUCCESS(ExInitializeResourceLite(&g_Resource))) return 2;
    ExInitializePushLock(&g_PushLock);
    KeInitializeEvent(&g_Event, NotificationEvent, TRUE);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    ExDeleteResourceLite(&g_Resource);
    return 0;
}
