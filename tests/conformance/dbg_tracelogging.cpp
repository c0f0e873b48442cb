// dbg.tracelogging: a provider defined, registered, written and unregistered from driver code
// compiled with the driver flags, as the book's Booster driver does.
#include "kmt.h"

#include <TraceLoggingProvider.h>
#include <evntrace.h>

// {6A3F1C42-9D7E-4B21-8C55-0F1E2D3C4B5A}
TRACELOGGING_DEFINE_PROVIDER(g_KmtProvider, "KmtConformance",
                             (0x6a3f1c42, 0x9d7e, 0x4b21, 0x8c, 0x55, 0x0f, 0x1e, 0x2d, 0x3c, 0x4b,
                              0x5a));

KMT_TEST("dbg.tracelogging", Test_DbgTraceLogging);

void Test_DbgTraceLogging() {
    ok(!TraceLoggingProviderEnabled(g_KmtProvider, TRACE_LEVEL_INFORMATION, 0),
       "a provider is disabled before registration\n");
    ok_eq_status(TraceLoggingRegister(g_KmtProvider), STATUS_SUCCESS);
    ok_eq_status(TraceLoggingRegister(g_KmtProvider), STATUS_INVALID_PARAMETER);
    ok(TraceLoggingProviderEnabled(g_KmtProvider, TRACE_LEVEL_INFORMATION, 0),
       "a registered provider is enabled\n");

    UNICODE_STRING name = RTL_CONSTANT_STRING(L"KmtConformance");
    ULONG value = 42;
    TraceLoggingWrite(g_KmtProvider, "Conformance", TraceLoggingLevel(TRACE_LEVEL_WARNING),
                      TraceLoggingUnicodeString(&name, "Name"), TraceLoggingUInt32(value, "Value"),
                      TraceLoggingNTStatus(STATUS_SUCCESS, "Status"),
                      TraceLoggingWideString(L"wide", "Wide"), TraceLoggingValue(value));

    TraceLoggingUnregister(g_KmtProvider);
    ok(!TraceLoggingProviderEnabled(g_KmtProvider, TRACE_LEVEL_INFORMATION, 0),
       "an unregistered provider is disabled\n");
    ok_eq_status(TraceLoggingRegister(g_KmtProvider), STATUS_SUCCESS); // may register again
    TraceLoggingUnregister(g_KmtProvider);
}
