// Bug checks: the stop code and parameters, printed as a stop screen summary; KeBugCheckEx and
// KeBugCheck, the exported way in.
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "core/export.h"
#include "dbg/dbg.h"
#include "km/dbg.h"

namespace ntsim::dbg {
namespace {
std::mutex g_hookLock;
BugCheckHook g_hook;
} // namespace

void SetBugCheckHook(BugCheckHook hook) {
    std::lock_guard guard(g_hookLock);
    g_hook = std::move(hook);
}

void BugCheck(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
    BugCheckHook hook;
    {
        std::lock_guard guard(g_hookLock);
        hook = g_hook;
    }
    LogKernelMessage(Severity::Error,
                     "bug check 0x%08X (0x%016llX, 0x%016llX, 0x%016llX, 0x%016llX)", code,
                     (unsigned long long)p1, (unsigned long long)p2, (unsigned long long)p3,
                     (unsigned long long)p4);
    if (hook) hook(code, p1, p2, p3, p4); // a test hook may throw to observe the bug check
    fprintf(stderr,
            "\n*** STOP: 0x%08X (0x%016llX, 0x%016llX, 0x%016llX, 0x%016llX)\n"
            "ntsim: the kernel stopped on a bug check.\n",
            code, (unsigned long long)p1, (unsigned long long)p2, (unsigned long long)p3,
            (unsigned long long)p4);
    fflush(stderr);
    std::abort();
}

} // namespace ntsim::dbg

extern "C" DECLSPEC_NORETURN VOID NTAPI KeBugCheckEx(ULONG BugCheckCode,
                                                     ULONG_PTR BugCheckParameter1,
                                                     ULONG_PTR BugCheckParameter2,
                                                     ULONG_PTR BugCheckParameter3,
                                                     ULONG_PTR BugCheckParameter4) {
    ntsim::dbg::BugCheck(BugCheckCode, BugCheckParameter1, BugCheckParameter2, BugCheckParameter3,
                         BugCheckParameter4);
}
NTSIM_EXPORT(KeBugCheckEx);

extern "C" DECLSPEC_NORETURN VOID NTAPI KeBugCheck(ULONG BugCheckCode) {
    ntsim::dbg::BugCheck(BugCheckCode);
}
NTSIM_EXPORT(KeBugCheck);
