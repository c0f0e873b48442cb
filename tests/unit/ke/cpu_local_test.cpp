// CPU-local compare-and-store (kernel/ke/cpu_local.h): the primitive of the dispatch locks,
// a restartable sequence when glibc registered rseq, a locked compare-exchange otherwise.
#include <sched.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

#include "ke/cpu_local.h"
#include "ke_test_util.h"

namespace {

using ntsim::ke::CpuLocal;
using ntsim::ke::KiCpuLocalCompareStore;

[[maybe_unused]] bool RseqDisabledByTunable() {
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    return tunables && std::strstr(tunables, "glibc.pthread.rseq=0");
}

// Runs the test on the CPU it started on (CPU-local operations name their CPU).
struct PinnedHere {
    int host = sched_getcpu();
    cpu_set_t saved;
    PinnedHere() {
        sched_getaffinity(0, sizeof(saved), &saved);
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(host, &one);
        EXPECT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
    }
    ~PinnedHere() { sched_setaffinity(0, sizeof(saved), &saved); }
};

// The mode in use is the one the platform offers: this is what tells the no-rseq ctest run
// (KeCpuLocal.WithoutRseq) that it really exercises the fallback.
TEST(KeCpuLocal, UsesRseqWhenGlibcRegisteredIt) {
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__)
    EXPECT_EQ(ntsim::ke::KiCpuLocalIsRseq(), !RseqDisabledByTunable());
#else
    EXPECT_FALSE(ntsim::ke::KiCpuLocalIsRseq());
#endif
}

TEST(KeCpuLocal, StoresOnlyWhenTheWordHoldsTheExpectedValue) {
    PinnedHere pinned;
    int host = pinned.host;

    uintptr_t word = 0, seen = 99;
    CpuLocal r;
    while ((r = KiCpuLocalCompareStore(&word, 0, 1, host, &seen)) == CpuLocal::Retry) {
    }
    EXPECT_EQ(r, CpuLocal::Stored);
    EXPECT_EQ(word, 1u);
    while ((r = KiCpuLocalCompareStore(&word, 0, 2, host, &seen)) == CpuLocal::Retry) {
    }
    EXPECT_EQ(r, CpuLocal::Mismatch);
    EXPECT_EQ(seen, 1u);
    EXPECT_EQ(word, 1u);
}

// On another CPU than the one named, a restartable sequence refuses to write.
TEST(KeCpuLocal, RefusesToWriteFromAnotherCpu) {
    if (!ntsim::ke::KiCpuLocalIsRseq()) GTEST_SKIP() << "locked fallback: any CPU may write";
    PinnedHere pinned;
    int host = pinned.host;
    uintptr_t word = 0, seen = 0;
    EXPECT_EQ(KiCpuLocalCompareStore(&word, 0, 1, host + 1, &seen), CpuLocal::Retry);
    EXPECT_EQ(word, 0u);
}

// The dispatch lock's takeover: a word naming an owner whose "active" byte is 0 is taken over
// (only restartable sequences allow lazy owners); an active owner, or the caller itself, keeps
// it.
TEST(KeCpuLocal, ClaimTakesFreeOrInactiveOwnersOnly) {
    struct Owner {
        alignas(8) bool active;
    };
    PinnedHere pinned;
    int host = pinned.host;
    auto claim = [&](uintptr_t* word, uintptr_t me, uintptr_t* seen, bool mark = false) {
        CpuLocal r;
        while ((r = ntsim::ke::KiCpuLocalClaim(word, me, offsetof(Owner, active), mark, host,
                                               seen)) == CpuLocal::Retry) {
        }
        return r;
    };
    Owner a{false}, b{true}, me{true};
    auto tag = [](Owner& o) { return reinterpret_cast<uintptr_t>(&o); };
    uintptr_t seen = 0;

    uintptr_t word = 0;
    EXPECT_EQ(claim(&word, tag(me), &seen), CpuLocal::Stored);
    EXPECT_EQ(word, tag(me));
    EXPECT_EQ(claim(&word, tag(me), &seen), CpuLocal::Mismatch); // already the owner
    EXPECT_EQ(seen, tag(me));

    word = tag(b); // active owner
    EXPECT_EQ(claim(&word, tag(me), &seen), CpuLocal::Mismatch);
    EXPECT_EQ(word, tag(b));
    EXPECT_EQ(claim(&word, tag(me), &seen, true), CpuLocal::Marked); // now waited for
    EXPECT_EQ(word, tag(b) | 1);
    EXPECT_EQ(claim(&word, tag(me), &seen, true), CpuLocal::Marked);
    EXPECT_EQ(word, tag(b) | 1);

    word = tag(a) | 1; // inactive owner
    if (ntsim::ke::KiCpuLocalIsRseq()) {
        EXPECT_EQ(claim(&word, tag(me), &seen), CpuLocal::Stored);
        EXPECT_EQ(seen, tag(a) | 1); // the caller wakes the sleepers
        EXPECT_EQ(word, tag(me));
    } else {
        EXPECT_EQ(claim(&word, tag(me), &seen), CpuLocal::Mismatch); // eager: owners are active
    }
}

} // namespace
