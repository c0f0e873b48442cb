// The Log* helpers: one vDbgPrintExWithPrefix call each, under DPFLTR_IHVDRIVER_ID.
#include "pch.h"
#include "Logging.h"

#define DRIVER_PREFIX "Booster2: "

namespace {

ULONG LogV(LogLevel level, PCSTR format, va_list args) {
    return vDbgPrintExWithPrefix(DRIVER_PREFIX, DPFLTR_IHVDRIVER_ID, static_cast<ULONG>(level),
                                 format, args);
}

} // namespace

ULONG Log(LogLevel level, PCSTR format, ...) {
    va_list args;
    va_start(args, format);
    ULONG status = LogV(level, format, args);
    va_end(args);
    return status;
}

#define DEFINE_LOG_HELPER(name, level)                                                             \
    ULONG name(PCSTR format, ...) {                                                                \
        va_list args;                                                                              \
        va_start(args, format);                                                                    \
        ULONG status = LogV(level, format, args);                                                  \
        va_end(args);                                                                              \
        return status;                                                                             \
    }

DEFINE_LOG_HELPER(LogError, LogLevel::Error)
DEFINE_LOG_HELPER(LogWarning, LogLevel::Warning)
DEFINE_LOG_HELPER(LogInfo, LogLevel::Information)
DEFINE_LOG_HELPER(LogDebug, LogLevel::Debug)
DEFINE_LOG_HELPER(LogVerbose, LogLevel::Verbose)
