// CPU-local compare-and-store: the primitive behind the per-CPU dispatch locks.
//
// Every thread that touches a processor's dispatch lock runs pinned on that processor's host
// CPU, so the only thing that can come between reading the lock word and writing it is a
// preemption on the same CPU. A Linux restartable sequence (rseq, registered for every thread
// by glibc) covers exactly that: the kernel restarts the sequence instead of resuming it when
// the thread is preempted, migrated or signalled inside it. The sequence checks that it runs
// on the expected CPU, then is a plain load, compare and store: no locked instruction, which
// is what makes a raise to DISPATCH_LEVEL nearly free (a locked compare-exchange costs more
// than the whole spin lock it guards).
//
// Without rseq (TSan builds, which cannot see inside the assembly; a glibc with rseq disabled)
// the same operation is a locked compare-exchange, correct on any CPU. Words are pointer-sized:
// the dispatch lock holds its owner's address.
#pragma once

#include <sched.h>

#include <cstdint>

#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__) && __has_include(<sys/rseq.h>)
#include <sys/rseq.h>
#define NTSIM_CPU_LOCAL_RSEQ 1
#endif

#ifdef NTSIM_CPU_LOCAL_RSEQ
// The frame of every sequence below. Labels: 1 start, 2 end (just after the one store that
// commits), 3 the rseq_cs descriptor (start, length, abort handler), 4 the abort handler
// (result 2: Retry), 5 "no store" (result 1: Mismatch), 6 the way out. The abort handler is
// preceded by the signature glibc registered (RSEQ_SIG, 0x53053053) inside an ud1
// instruction, as the kernel requires. The "?" flag keeps both sections in the COMDAT group of
// the function the sequence is inlined into, so they go when it goes.
#define NTSIM_RSEQ_BEGIN                                                                           \
    ".pushsection __rseq_cs, \"aw?\"\n\t"                                                          \
    ".balign 32\n\t"                                                                               \
    "3:\n\t"                                                                                       \
    ".long 0, 0\n\t"                                                                               \
    ".quad 1f, (2f - 1f), 4f\n\t"                                                                  \
    ".popsection\n\t"                                                                              \
    "leaq 3b(%%rip), %%rax\n\t"                                                                    \
    "movq %%rax, %[cs]\n\t"                                                                        \
    "1:\n\t"                                                                                       \
    "cmpl %[host], %[cpu]\n\t"                                                                     \
    "jnz 4f\n\t"
#define NTSIM_RSEQ_END                                                                             \
    "2:\n\t"                                                                                       \
    ".pushsection __rseq_failure, \"ax?\"\n\t"                                                     \
    ".byte 0x0f, 0xb9, 0x3d\n\t"                                                                   \
    ".long 0x53053053\n\t"                                                                         \
    "4:\n\t"                                                                                       \
    "movl $2, %[result]\n\t"                                                                       \
    "jmp 6f\n\t"                                                                                   \
    "5:\n\t"                                                                                       \
    "movl $1, %[result]\n\t"                                                                       \
    "jmp 6f\n\t"                                                                                   \
    ".popsection\n\t"                                                                              \
    "6:\n\t"
#endif

namespace ntsim::ke {

enum class CpuLocal : int {
    Stored,   // *word was `expected` and now holds `desired`
    Mismatch, // *word held *observed; nothing written
    Retry,    // not on `hostCpu`, or preempted inside the sequence: nothing written
    Marked,   // KiCpuLocalClaim: busy, and bit 0 is now set in *word (*observed: the value before)
};

// True when CPU-local operations are restartable sequences (decided once, process-wide:
// glibc registers rseq for every thread or for none).
inline bool KiCpuLocalIsRseq() {
#ifdef NTSIM_CPU_LOCAL_RSEQ
    return __rseq_size >= 20; // cpu_id is within the registered area
#else
    return false;
#endif
}

#ifdef NTSIM_CPU_LOCAL_RSEQ
// The calling thread's rseq area, registered by glibc at a fixed offset from the thread pointer.
inline struct rseq* KiRseqArea() {
    return reinterpret_cast<struct rseq*>(static_cast<char*>(__builtin_thread_pointer()) +
                                          __rseq_offset);
}
#endif

// Compares *word with `expected` and stores `desired` if equal, atomically with respect to
// every other thread on `hostCpu`; all writers of *word must run on `hostCpu`.
inline CpuLocal KiCpuLocalCompareStore(uintptr_t* word, uintptr_t expected, uintptr_t desired,
                                       int hostCpu, uintptr_t* observed) {
#ifdef NTSIM_CPU_LOCAL_RSEQ
    if (KiCpuLocalIsRseq()) {
        struct rseq* area = KiRseqArea();
        int result;
        uintptr_t seen;
        asm volatile(NTSIM_RSEQ_BEGIN "xorl %[result], %[result]\n\t"
                                      "movq %[word], %[seen]\n\t"
                                      "cmpq %[seen], %[expected]\n\t"
                                      "jnz 5f\n\t"
                                      "movq %[desired], %[word]\n\t" NTSIM_RSEQ_END
                     : [result] "=&r"(result), [seen] "=&r"(seen), [word] "+m"(*word),
                       [cs] "=m"(area->rseq_cs)
                     : [host] "r"(hostCpu), [cpu] "m"(area->cpu_id), [expected] "r"(expected),
                       [desired] "r"(desired)
                     : "rax", "memory", "cc");
        *observed = seen;
        return static_cast<CpuLocal>(result);
    }
#endif
    (void)hostCpu;
    uintptr_t value = expected;
    if (__atomic_compare_exchange_n(word, &value, desired, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        return CpuLocal::Stored;
    *observed = value;
    return CpuLocal::Mismatch;
}

// Claims a word that holds an owner's address (bit 0: "someone waits") for `me`: stores `me`
// when the word is 0, or when the owner's byte at `activeOffset` is 0 (the owner keeps the word
// lazily and is not using it). Mismatch when `me` already owns it. When the owner is active:
// Mismatch, or with `markBusy` Marked after setting bit 0 in the same sequence (so the owner,
// which checks the word after clearing its byte, cannot miss it). Same rules as
// KiCpuLocalCompareStore; only restartable sequences ever see lazy owners.
inline CpuLocal KiCpuLocalClaim(uintptr_t* word, uintptr_t me, long activeOffset, bool markBusy,
                                int hostCpu, uintptr_t* observed) {
#ifdef NTSIM_CPU_LOCAL_RSEQ
    if (KiCpuLocalIsRseq()) {
        struct rseq* area = KiRseqArea();
        int result;
        uintptr_t seen, owner;
        // One store, the last instruction of the sequence, whichever value it writes.
        asm volatile(NTSIM_RSEQ_BEGIN "movq %[word], %[seen]\n\t"
                                      "movq %[me], %[owner]\n\t"
                                      "xorl %[result], %[result]\n\t"
                                      "testq %[seen], %[seen]\n\t"
                                      "jz 8f\n\t"
                                      "movq %[seen], %[owner]\n\t"
                                      "andq $-2, %[owner]\n\t"
                                      "cmpq %[owner], %[me]\n\t"
                                      "jz 5f\n\t"
                                      "cmpb $0, (%[owner], %[offset])\n\t"
                                      "movq %[me], %[owner]\n\t"
                                      "jz 8f\n\t"
                                      "testb %[mark], %[mark]\n\t"
                                      "jz 5f\n\t"
                                      "movl $3, %[result]\n\t"
                                      "movq %[seen], %[owner]\n\t"
                                      "orq $1, %[owner]\n\t"
                                      "8:\n\t"
                                      "movq %[owner], %[word]\n\t" NTSIM_RSEQ_END
                     : [result] "=&r"(result), [seen] "=&r"(seen), [owner] "=&r"(owner),
                       [word] "+m"(*word), [cs] "=m"(area->rseq_cs)
                     : [host] "r"(hostCpu), [cpu] "m"(area->cpu_id), [me] "r"(me),
                       [offset] "r"(activeOffset), [mark] "q"(markBusy)
                     : "rax", "memory", "cc");
        *observed = seen;
        return static_cast<CpuLocal>(result);
    }
#endif
    // Eager: an owner is always active and clears the word itself when it lowers.
    (void)activeOffset;
    for (;;) {
        CpuLocal r = KiCpuLocalCompareStore(word, 0, me, hostCpu, observed);
        if (r != CpuLocal::Mismatch) return r;
        uintptr_t seen = *observed;
        if ((seen & ~uintptr_t(1)) == me || !markBusy) return CpuLocal::Mismatch;
        if ((seen & 1) ||
            KiCpuLocalCompareStore(word, seen, seen | 1, hostCpu, observed) == CpuLocal::Stored) {
            *observed = seen;
            return CpuLocal::Marked;
        }
    }
}

} // namespace ntsim::ke
