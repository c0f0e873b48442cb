// Breakpoints and assertions. Under gdb they stop the kernel where they are (SIGTRAP) and may be
// continued; with no debugger attached they are unhandled kernel-mode exceptions, which Windows
// turns into bug check KMODE_EXCEPTION_NOT_HANDLED (code, address of the faulting instruction):
// STATUS_BREAKPOINT for DbgBreakPoint and ASSERT (RtlAssert breaks), STATUS_ASSERTION_FAILURE
// for NT_ASSERT (int 2c).
#include <signal.h>

#include <fstream>
#include <string>

#include "core/export.h"
#include "dbg/dbg.h"
#include "km/dbg.h"

namespace ntsim::dbg {

bool DebuggerAttached() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("TracerPid:", 0) == 0) return std::stol(line.substr(10)) != 0;
    }
    return false;
}

namespace {

// An exception nobody handles at `address`: a debugger gets it first, otherwise the system stops.
void UnhandledException(NTSTATUS code, const void* address) {
    if (DebuggerAttached()) {
        raise(SIGTRAP);
        return; // continued from the debugger
    }
    BugCheck(KMODE_EXCEPTION_NOT_HANDLED, ULONG_PTR(ULONG(code)), ULONG_PTR(address), 0, 0);
}

// "*** Assertion failed: <message> <expression>" / "***   Source File: <file>, line <n>", shown
// whatever the filter masks (error level).
void PrintAssertion(const char* expression, const char* file, ULONG line, const char* message) {
    std::string text = "\n*** Assertion failed: ";
    if (message && *message) text += std::string(message) + " ";
    text += expression ? expression : "(expression not given)";
    text += "\n***   Source File: ";
    text += file ? file : "(unknown)";
    text += ", line " + std::to_string(line) + "\n\n";
    AppendDebugOutput(DPFLTR_DEFAULT_ID, DPFLTR_ERROR_LEVEL, text);
}

} // namespace
} // namespace ntsim::dbg

using namespace ntsim;

extern "C" VOID NTAPI DbgBreakPoint(VOID) {
    dbg::UnhandledException(STATUS_BREAKPOINT, __builtin_return_address(0));
}
NTSIM_EXPORT(DbgBreakPoint);

// The status only informs the debugger (it is in a register at the break).
extern "C" VOID NTAPI DbgBreakPointWithStatus(ULONG Status) {
    dbg::LogKernelMessage(dbg::Severity::Info, "DbgBreakPointWithStatus(0x%08X)", Status);
    dbg::UnhandledException(STATUS_BREAKPOINT, __builtin_return_address(0));
}
NTSIM_EXPORT(DbgBreakPointWithStatus);

extern "C" VOID NTAPI RtlAssert(PVOID VoidFailedAssertion, PVOID VoidFileName, ULONG LineNumber,
                                PSTR MutableMessage) {
    dbg::PrintAssertion(static_cast<const char*>(VoidFailedAssertion),
                        static_cast<const char*>(VoidFileName), LineNumber, MutableMessage);
    dbg::UnhandledException(STATUS_BREAKPOINT, __builtin_return_address(0));
}
NTSIM_EXPORT(RtlAssert);

extern "C" VOID NTAPI NtsimAssertionFailure(PCSTR Expression, PCSTR FileName, ULONG LineNumber,
                                            PCSTR Message) {
    dbg::PrintAssertion(Expression, FileName, LineNumber, Message);
    dbg::UnhandledException(STATUS_ASSERTION_FAILURE, __builtin_return_address(0));
}
NTSIM_EXPORT(NtsimAssertionFailure);
