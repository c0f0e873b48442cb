// Safe accessibility checks: can a range be read or written right now without faulting?
//
// The kernel cannot simply touch the memory (a fault on a kernel thread is a crash, as on
// Windows), so each page is checked with a system call that returns EFAULT instead:
//  - read: process_vm_readv on our own pid, one byte per page (batched); fallback FUTEX_WAIT
//    with a zero timeout (it reads the word and reports EFAULT);
//  - write: FUTEX_WAKE_OP with "add 0": the kernel performs an atomic read-modify-write of the
//    word (faulting the page in writable, breaking copy-on-write), so the value never changes,
//    even with other threads writing concurrently; EFAULT when the page is not writable.
// Protection is per page, so one aligned word per page answers for the whole page.
#include "mm/mm.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "km/mm.h"

namespace ntsim::mm {
namespace {

constexpr uintptr_t kPageSize = PAGE_SIZE;

std::atomic<bool> forceFutexReadProbe{false};

// Aligned 32-bit word inside the page containing `address` (at or before `address`, so it stays
// in the same page).
uint32_t* WordOf(uintptr_t address) {
    return reinterpret_cast<uint32_t*>(address & ~uintptr_t(3));
}

long Futex(uint32_t* word, int op, uint32_t val, const timespec* timeout, uint32_t* word2,
           uint32_t val3) {
    return syscall(SYS_futex, word, op, val, timeout, word2, val3);
}

bool PageWritable(uintptr_t address) {
    // Wake 0 waiters on a private dummy word, then atomically *word2 += 0; the comparison
    // result is irrelevant because nr_wake2 (passed in the timeout slot) is also 0.
    static thread_local uint32_t dummy = 0;
    const uint32_t op = FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 0);
    for (;;) {
        long rc =
            Futex(&dummy, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 0, nullptr, WordOf(address), op);
        if (rc >= 0) return true;
        if (errno == EINTR) continue;
        return false;
    }
}

bool PageReadableFutex(uintptr_t address) {
    // FUTEX_WAIT reads the word first: EFAULT if unreadable, EAGAIN if it differs from the
    // expected value, ETIMEDOUT immediately (zero timeout) if it matches.
    const timespec zero{0, 0};
    for (;;) {
        long rc = Futex(WordOf(address), FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &zero, nullptr, 0);
        if (rc == 0) return true;
        if (errno == EINTR) continue;
        return errno != EFAULT;
    }
}

// Reads one byte per page starting at `first` (count pages). Returns true/false, or -1 when
// process_vm_readv is unavailable (seccomp, old kernel).
int PagesReadableVm(uintptr_t first, size_t count) {
    constexpr size_t kBatch = 256;
    unsigned char sink[kBatch];
    iovec local[kBatch];
    iovec remote[kBatch];
    const pid_t self = getpid();
    size_t done = 0;
    while (done < count) {
        size_t n = count - done < kBatch ? count - done : kBatch;
        for (size_t i = 0; i < n; ++i) {
            uintptr_t a =
                (done + i == 0) ? first : ((first & ~(kPageSize - 1)) + (done + i) * kPageSize);
            local[i] = {&sink[i], 1};
            remote[i] = {reinterpret_cast<void*>(a), 1};
        }
        ssize_t got = process_vm_readv(self, local, n, remote, n, 0);
        if (got < 0) {
            if (errno == EFAULT) return 0;
            if (errno == EINTR) continue;
            return -1;
        }
        if (static_cast<size_t>(got) != n) return 0; // stopped at the first unreadable page
        done += n;
    }
    return 1;
}

} // namespace

bool IsAccessible(const void* address, size_t length, bool write) {
    if (length == 0) return true;
    if (InBackedRange(address, length)) return true;
    const uintptr_t start = reinterpret_cast<uintptr_t>(address);
    uintptr_t last;
    if (__builtin_add_overflow(start, length - 1, &last)) return false;
    const uintptr_t firstPage = start & ~(kPageSize - 1);
    const size_t pages = ((last & ~(kPageSize - 1)) - firstPage) / kPageSize + 1;

    if (write) {
        for (size_t i = 0; i < pages; ++i)
            if (!PageWritable(i == 0 ? start : firstPage + i * kPageSize)) return false;
        return true;
    }
    int vm =
        forceFutexReadProbe.load(std::memory_order_relaxed) ? -1 : PagesReadableVm(start, pages);
    if (vm >= 0) return vm == 1;
    for (size_t i = 0; i < pages; ++i)
        if (!PageReadableFutex(i == 0 ? start : firstPage + i * kPageSize)) return false;
    return true;
}

void ForceFutexReadProbeForTesting(bool force) {
    forceFutexReadProbe = force;
}

size_t PagesSpanned(const void* base, size_t length) {
    return ADDRESS_AND_SIZE_TO_SPAN_PAGES(base, length);
}

} // namespace ntsim::mm
