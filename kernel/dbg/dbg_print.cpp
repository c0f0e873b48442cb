// DbgPrint, DbgPrintEx, vDbgPrintEx, vDbgPrintExWithPrefix: format with the Windows printf rules,
// filter by component and level, append one record to the kernel debug log.
#include <new>
#include <string>

#include "core/export.h"
#include "dbg/dbg.h"
#include "km/dbg.h"
#include "rtl/format.h"

namespace ntsim::dbg {
namespace {
// Windows formats each call into a 512-byte buffer; what does not fit is lost.
constexpr size_t kMaxOutput = 512;
} // namespace

NTSTATUS DebugPrint(const char* prefix, ULONG componentId, ULONG level, const char* format,
                    va_list args) {
    if (!format) return STATUS_INVALID_PARAMETER;
    // Filtered messages are dropped before formatting, as on Windows (no argument is touched).
    if (!DebugPrintEnabled(componentId, level)) return STATUS_SUCCESS;
    try {
        std::string text = prefix ? prefix : "";
        text += rtl::FormatNarrow(format, args);
        if (text.size() > kMaxOutput) {
            text.resize(kMaxOutput);
            text.back() = '\n'; // a cut line still ends the line
        }
        AppendDebugOutput(componentId, level, text);
    } catch (const std::bad_alloc&) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    return STATUS_SUCCESS;
}

} // namespace ntsim::dbg

using namespace ntsim;

extern "C" ULONG DbgPrint(PCSTR Format, ...) {
    va_list args;
    va_start(args, Format);
    NTSTATUS status = dbg::DebugPrint(nullptr, DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, Format, args);
    va_end(args);
    return ULONG(status);
}
NTSIM_EXPORT(DbgPrint);

extern "C" ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...) {
    va_list args;
    va_start(args, Format);
    NTSTATUS status = dbg::DebugPrint(nullptr, ComponentId, Level, Format, args);
    va_end(args);
    return ULONG(status);
}
NTSIM_EXPORT(DbgPrintEx);

extern "C" ULONG vDbgPrintEx(ULONG ComponentId, ULONG Level, PCCH Format, va_list arglist) {
    return ULONG(dbg::DebugPrint(nullptr, ComponentId, Level, Format, arglist));
}
NTSIM_EXPORT(vDbgPrintEx);

extern "C" ULONG vDbgPrintExWithPrefix(PCCH Prefix, ULONG ComponentId, ULONG Level, PCCH Format,
                                       va_list arglist) {
    return ULONG(dbg::DebugPrint(Prefix, ComponentId, Level, Format, arglist));
}
NTSIM_EXPORT(vDbgPrintExWithPrefix);
