// Kernel-internal interface of the debug component: the kernel debug log (DbgPrint output and
// the kernel's own messages) and bug checks.
#pragma once

#include <cstdarg>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ntdef.h"

namespace ntsim::dbg {

enum class Severity { Info, Warning, Error };

// One line of debug output, as `ntsim dbgview` shows it.
struct DebugRecord {
    uint64_t sequence;  // 1, 2, 3... in the order lines were emitted
    int64_t systemTime; // KeQuerySystemTime units (100 ns since 1601)
    uint32_t cpu;       // processor number of the emitting thread
    uint32_t processId; // NT ids of the emitting thread's context
    uint32_t threadId;
    ULONG componentId; // DPFLTR_* component (DbgPrint: DPFLTR_DEFAULT_ID)
    ULONG level;       // DPFLTR_* level (DbgPrint: DPFLTR_INFO_LEVEL)
    std::string text;  // formatted text, as emitted (may hold a trailing newline)
};

// Starts filling the NT process/thread ids of new records (needs the Ps component: called once
// processes exist; idempotent). Records emitted before carry ids 0.
void Initialize();
void Shutdown();

// Fills a record's time, CPU and the NT process/thread ids of the calling thread (also used by
// the TraceLogging sink).
void CaptureContext(DebugRecord& record);

// Appends a line to the kernel debug log (already formatted and filtered).
void AppendDebugOutput(ULONG componentId, ULONG level, std::string_view text);

// The kernel's own diagnostics (not-implemented APIs, leak reports, loader errors): written to
// the debug log prefixed "ntsim: " and to stderr.
void LogKernelMessage(Severity severity, const char* format, ...)
    __attribute__((format(printf, 2, 3)));

// Reads the log: every record with sequence > afterSequence (the log keeps the last 64K lines).
std::vector<DebugRecord> ReadDebugLog(uint64_t afterSequence = 0);
uint64_t LastDebugSequence();

// Live listeners (dbgview --follow, tests). Called with the record after it is appended.
using DebugSink = std::function<void(const DebugRecord&)>;
int AddDebugSink(DebugSink sink);
void RemoveDebugSink(int cookie);

// ---- Debug Print Filter (DbgPrintEx) ----------------------------------------------------------
// One mask per DPFLTR_* component plus the global WIN2000 mask (kComponentWin2000). A message of
// (component, level) is shown when its importance bits (1 << level for level <= 31, else level
// itself) intersect the component's mask or the WIN2000 mask. Out-of-range components use the
// DEFAULT component's mask. The registry's "Debug Print Filter" values feed SetComponentFilterMask.
constexpr ULONG kComponentWin2000 = 0xFFFFFFFF;
// False for a component id that has no mask (>= DPFLTR_ENDOFTABLE_ID and not kComponentWin2000).
bool SetComponentFilterMask(ULONG componentId, ULONG mask);
ULONG ComponentFilterMask(ULONG componentId); // 0 for unknown ids
bool DebugPrintEnabled(ULONG componentId, ULONG level);
// Back to the boot defaults (WIN2000 = 1, DEFAULT = 8, every other component 0).
void ResetFilterMasks();

// Formats (Windows printf rules), filters and appends one DbgPrint line; returns STATUS_SUCCESS.
// Output is cut to 512 bytes like Windows' DbgPrint buffer (a cut line ends with '\n').
NTSTATUS DebugPrint(const char* prefix, ULONG componentId, ULONG level, const char* format,
                    va_list args);

// Whether a debugger (gdb) is attached to the kernel process (TracerPid in /proc/self/status).
bool DebuggerAttached();

// Bug check: stops the kernel with a stop code and four parameters, as KeBugCheckEx does.
// Until crash dumps exist it prints the stop screen summary to stderr and aborts, unless a
// hook is installed (tests install one that throws to observe the bug check).
using BugCheckHook =
    std::function<void(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4)>;
void SetBugCheckHook(BugCheckHook hook);
[[noreturn]] void BugCheck(ULONG code, ULONG_PTR p1 = 0, ULONG_PTR p2 = 0, ULONG_PTR p3 = 0,
                           ULONG_PTR p4 = 0);

} // namespace ntsim::dbg
