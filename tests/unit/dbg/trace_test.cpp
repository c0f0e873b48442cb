// TraceLogging: provider registration and the events TraceLoggingWrite records, with their
// level, provider GUID and typed fields, written the way the book's Booster driver writes them.
#include <gtest/gtest.h>

#include <TraceLoggingProvider.h>
#include <wdm.h>

#include "dbg/trace_log.h"

// {B2723AD5-1678-446D-A577-8599D3E85ECB}
TRACELOGGING_DEFINE_PROVIDER(g_TestProvider, "Booster",
                             (0xb2723ad5, 0x1678, 0x446d, 0xa5, 0x77, 0x85, 0x99, 0xd3, 0xe8, 0x5e,
                              0xcb));

namespace {
uint64_t LastSequence() {
    auto events = ntsim::dbg::ReadTraceLog();
    return events.empty() ? 0 : events.back()["sequence"].get<uint64_t>();
}
} // namespace

TEST(TraceLogging, UnregisteredProviderDropsEvents) {
    uint64_t before = LastSequence();
    EXPECT_FALSE(TraceLoggingProviderEnabled(g_TestProvider, TRACE_LEVEL_INFORMATION, 0));
    TraceLoggingWrite(g_TestProvider, "Dropped", TraceLoggingInt32(1, "X"));
    EXPECT_TRUE(ntsim::dbg::ReadTraceLog(before).empty());
}

TEST(TraceLogging, RegisteredProviderRecordsTypedFields) {
    ASSERT_EQ(TraceLoggingRegister(g_TestProvider), STATUS_SUCCESS);
    EXPECT_EQ(TraceLoggingRegister(g_TestProvider), STATUS_INVALID_PARAMETER); // already registered
    EXPECT_TRUE(TraceLoggingProviderEnabled(g_TestProvider, TRACE_LEVEL_VERBOSE, 0));
    uint64_t before = LastSequence();

    UNICODE_STRING path = RTL_CONSTANT_STRING(L"\\Registry\\Machine\\Booster");
    ULONG threadId = 1234;
    int oldPriority = 8, newPriority = 31;
    NTSTATUS status = STATUS_OBJECT_NAME_COLLISION;
    TraceLoggingWrite(g_TestProvider, "DriverEntry started",
                      TraceLoggingLevel(TRACE_LEVEL_INFORMATION),
                      TraceLoggingValue("Booster Driver", "DriverName"),
                      TraceLoggingUnicodeString(&path, "RegistryPath"));
    TraceLoggingWrite(g_TestProvider, "Boosting", TraceLoggingUInt32(threadId, "ThreadId"),
                      TraceLoggingInt32(oldPriority, "OldPriority"),
                      TraceLoggingInt32(newPriority, "NewPriority"));
    TraceLoggingWrite(g_TestProvider, "Error", TraceLoggingLevel(TRACE_LEVEL_ERROR),
                      TraceLoggingNTStatus(status, "Status", "Symbolic link creation failed"),
                      TraceLoggingValue(newPriority));
    TraceLoggingWrite(g_TestProvider, "NoFields");

    auto events = ntsim::dbg::ReadTraceLog(before);
    ASSERT_EQ(events.size(), 4u);
    const auto& entry = events[0];
    EXPECT_EQ(entry["provider"], "Booster");
    EXPECT_EQ(entry["providerId"], "{b2723ad5-1678-446d-a577-8599d3e85ecb}");
    EXPECT_EQ(entry["event"], "DriverEntry started");
    EXPECT_EQ(entry["level"], TRACE_LEVEL_INFORMATION);
    ASSERT_EQ(entry["fields"].size(), 2u);
    EXPECT_EQ(entry["fields"][0]["name"], "DriverName");
    EXPECT_EQ(entry["fields"][0]["type"], "AnsiString");
    EXPECT_EQ(entry["fields"][0]["value"], "Booster Driver");
    EXPECT_EQ(entry["fields"][1]["type"], "CountedUnicodeString");
    EXPECT_EQ(entry["fields"][1]["value"], "\\Registry\\Machine\\Booster");
    EXPECT_GT(entry["pid"].get<uint32_t>(), 0u); // the System process (4) for this thread
    EXPECT_GT(entry["tid"].get<uint32_t>(), 0u);

    const auto& boost = events[1];
    EXPECT_EQ(boost["level"], TRACE_LEVEL_VERBOSE); // none given
    ASSERT_EQ(boost["fields"].size(), 3u);
    EXPECT_EQ(boost["fields"][0]["type"], "UInt32");
    EXPECT_EQ(boost["fields"][0]["value"], 1234);
    EXPECT_EQ(boost["fields"][1]["type"], "Int32");
    EXPECT_EQ(boost["fields"][1]["value"], 8);
    EXPECT_EQ(boost["fields"][2]["value"], 31);

    const auto& error = events[2];
    EXPECT_EQ(error["level"], TRACE_LEVEL_ERROR);
    EXPECT_EQ(error["fields"][0]["type"], "NTStatus");
    EXPECT_EQ(error["fields"][0]["value"], "0xC0000035");
    EXPECT_EQ(error["fields"][0]["description"], "Symbolic link creation failed");
    EXPECT_EQ(error["fields"][1]["name"], "newPriority"); // the expression names the field
    EXPECT_EQ(error["fields"][1]["type"], "Int32");

    EXPECT_TRUE(events[3]["fields"].empty());

    TraceLoggingUnregister(g_TestProvider);
    EXPECT_FALSE(TraceLoggingProviderEnabled(g_TestProvider, TRACE_LEVEL_VERBOSE, 0));
    uint64_t afterUnregister = LastSequence();
    TraceLoggingWrite(g_TestProvider, "AfterUnregister");
    EXPECT_TRUE(ntsim::dbg::ReadTraceLog(afterUnregister).empty());
    EXPECT_EQ(TraceLoggingRegister(nullptr), STATUS_INVALID_PARAMETER);
    // The sink itself ignores a missing provider.
    NtsimTraceLoggingWrite(nullptr, "NoProvider", nullptr, 0);
    EXPECT_TRUE(ntsim::dbg::ReadTraceLog(afterUnregister).empty());
}
