// The "trace.read" and "dbg.filter" control commands (`ntsim trace`, `ntsim dbgkflt`) and the
// field types of the TraceLogging macros the book's drivers use.
#include <gtest/gtest.h>

#include <TraceLoggingProvider.h>
#include <wdm.h>

#include "dbg/dbg.h"
#include "dbg/dbg_control.h"
#include "dbg/trace_log.h"
#include "lpc/control.h"

// {0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0}
TRACELOGGING_DEFINE_PROVIDER(g_ControlProvider, "TraceControlTest",
                             (0x0f1e2d3c, 0x4b5a, 0x6978, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1,
                              0xf0));

namespace {

using ntsim::dbg::FilterControl;
using ntsim::dbg::TraceReadControl;

struct NoStream : ntsim::lpc::ControlStream {
    bool Write(const nlohmann::json&) override { return false; }
};

// Collects streamed messages; stops the stream after `limit` events.
struct CollectStream : ntsim::lpc::ControlStream {
    size_t limit;
    std::vector<nlohmann::json> events;
    explicit CollectStream(size_t n) : limit(n) {}
    bool Write(const nlohmann::json& message) override {
        if (message.contains("event")) events.push_back(message["event"]);
        return events.size() < limit;
    }
};

uint64_t Last() {
    NoStream s;
    return TraceReadControl({{"command", "trace.read"}}, s)["last"].get<uint64_t>();
}

const nlohmann::json* Field(const nlohmann::json& event, const std::string& name) {
    for (const auto& f : event["fields"])
        if (f["name"] == name) return &f;
    return nullptr;
}

} // namespace

TEST(TraceControl, ReadReturnsEventsAfterTheCursor) {
    ASSERT_EQ(TraceLoggingRegister(g_ControlProvider), STATUS_SUCCESS);
    uint64_t before = Last();
    TraceLoggingWrite(g_ControlProvider, "First", TraceLoggingLevel(TRACE_LEVEL_WARNING),
                      TraceLoggingKeyword(0x20), TraceLoggingInt32(-5, "Value"));
    TraceLoggingWrite(g_ControlProvider, "Second");
    NoStream s;
    auto reply = TraceReadControl({{"command", "trace.read"}, {"after", before}}, s);
    ASSERT_TRUE(reply["ok"].get<bool>());
    ASSERT_EQ(reply["events"].size(), 2u);
    const auto& first = reply["events"][0];
    EXPECT_EQ(first["provider"], "TraceControlTest");
    EXPECT_EQ(first["providerId"], "{0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}");
    EXPECT_EQ(first["event"], "First");
    EXPECT_EQ(first["level"], TRACE_LEVEL_WARNING);
    EXPECT_EQ(first["keyword"], 0x20);
    EXPECT_EQ(first["fields"][0]["value"], -5);
    EXPECT_EQ(reply["events"][1]["event"], "Second");
    EXPECT_EQ(reply["events"][1]["level"], TRACE_LEVEL_VERBOSE); // no level given
    EXPECT_EQ(reply["last"], reply["events"][1]["sequence"]);
    // The cursor moves on.
    reply = TraceReadControl({{"command", "trace.read"}, {"after", reply["last"]}}, s);
    EXPECT_TRUE(reply["events"].empty());
    // A bad cursor reads from the start.
    reply = TraceReadControl({{"command", "trace.read"}, {"after", "x"}}, s);
    EXPECT_GE(reply["events"].size(), 2u);
    TraceLoggingUnregister(g_ControlProvider);
}

TEST(TraceControl, FollowStreamsBacklogThenStopsWhenTheToolLeaves) {
    ASSERT_EQ(TraceLoggingRegister(g_ControlProvider), STATUS_SUCCESS);
    uint64_t before = Last();
    TraceLoggingWrite(g_ControlProvider, "Streamed1");
    TraceLoggingWrite(g_ControlProvider, "Streamed2");
    CollectStream s(2);
    auto reply =
        TraceReadControl({{"command", "trace.read"}, {"after", before}, {"follow", true}}, s);
    EXPECT_TRUE(reply["ok"].get<bool>());
    ASSERT_EQ(s.events.size(), 2u);
    EXPECT_EQ(s.events[0]["event"], "Streamed1");
    EXPECT_EQ(s.events[1]["event"], "Streamed2");
    TraceLoggingUnregister(g_ControlProvider);
}

TEST(TraceControl, EveryFieldMacroRecordsItsType) {
    ASSERT_EQ(TraceLoggingRegister(g_ControlProvider), STATUS_SUCCESS);
    uint64_t before = Last();
    GUID guid = {0x12345678, 0x9abc, 0xdef0, {1, 2, 3, 4, 5, 6, 7, 8}};
    UNICODE_STRING ustr = RTL_CONSTANT_STRING(L"Counted");
    ANSI_STRING astr = RTL_CONSTANT_STRING("Ansi");
    ULONG ulong = 7;
    LONG slong = -7;
    NTSTATUS status = STATUS_INVALID_PARAMETER;
    PVOID pointer = reinterpret_cast<PVOID>(0x1000);
    TraceLoggingWrite(g_ControlProvider, "Types", TraceLoggingUInt32(ulong, "U32"),
                      TraceLoggingInt32(slong, "I32"), TraceLoggingUInt64(1ull << 40, "U64"),
                      TraceLoggingHexUInt32(0xBEEF, "Hex"), TraceLoggingBoolean(TRUE, "Bool"),
                      TraceLoggingPointer(pointer, "Ptr"),
                      TraceLoggingNTStatus(status, "Status", "Why"), TraceLoggingGuid(guid, "Guid"),
                      TraceLoggingUnicodeString(&ustr, "UStr"),
                      TraceLoggingCountedString(&astr, "AStr"),
                      TraceLoggingWideString(L"wide", "WStr"), TraceLoggingString("narrow", "Str"),
                      TraceLoggingValue(ulong, "VU32"), TraceLoggingValue(slong, "VI32"),
                      TraceLoggingValue(&ustr, "VUStr"), TraceLoggingValue(L"w", "VWStr"),
                      TraceLoggingValue(pointer, "VPtr"), TraceLoggingValue(ulong));
    auto events = ntsim::dbg::ReadTraceLog(before);
    ASSERT_EQ(events.size(), 1u);
    const auto& e = events[0];
    struct Expect {
        const char* name;
        const char* type;
        nlohmann::json value;
    };
    const Expect expected[] = {
        {"U32", "UInt32", 7},
        {"I32", "Int32", -7},
        {"U64", "UInt64", 1ull << 40},
        {"Hex", "HexInt32", "0x0000BEEF"},
        {"Bool", "Boolean", true},
        {"Ptr", "Pointer", "0x0000000000001000"},
        {"Status", "NTStatus", "0xC000000D"},
        {"Guid", "Guid", "{12345678-9abc-def0-0102-030405060708}"},
        {"UStr", "CountedUnicodeString", "Counted"},
        {"AStr", "CountedAnsiString", "Ansi"},
        {"WStr", "UnicodeString", "wide"},
        {"Str", "AnsiString", "narrow"},
        {"VU32", "UInt32", 7},
        {"VI32", "Int32", -7},
        {"VUStr", "CountedUnicodeString", "Counted"},
        {"VWStr", "UnicodeString", "w"},
        {"VPtr", "Pointer", "0x0000000000001000"},
        {"ulong", "UInt32", 7}, // no name: the expression
    };
    for (const auto& x : expected) {
        auto* f = Field(e, x.name);
        ASSERT_NE(f, nullptr) << x.name;
        EXPECT_EQ((*f)["type"], x.type) << x.name;
        EXPECT_EQ((*f)["value"], x.value) << x.name;
    }
    EXPECT_EQ((*Field(e, "Status"))["description"], "Why");
    TraceLoggingUnregister(g_ControlProvider);
}

TEST(FilterControl, ShowsAndSetsMasks) {
    NoStream s;
    ULONG saved = ntsim::dbg::ComponentFilterMask(DPFLTR_IHVDRIVER_ID);
    auto reply = FilterControl({{"command", "dbg.filter"}, {"component", "ihvdriver"}}, s);
    ASSERT_TRUE(reply["ok"].get<bool>());
    ASSERT_EQ(reply["masks"].size(), 1u);
    EXPECT_EQ(reply["masks"][0]["component"], "IHVDRIVER");
    EXPECT_EQ(reply["masks"][0]["id"], DPFLTR_IHVDRIVER_ID);
    EXPECT_EQ(reply["masks"][0]["mask"], saved);

    reply = FilterControl(
        {{"command", "dbg.filter"}, {"component", "Kd_IHVDRIVER_Mask"}, {"mask", 0x1F}}, s);
    ASSERT_TRUE(reply["ok"].get<bool>());
    EXPECT_EQ(reply["masks"][0]["mask"], 0x1F);
    EXPECT_TRUE(ntsim::dbg::DebugPrintEnabled(DPFLTR_IHVDRIVER_ID, 4));
    EXPECT_FALSE(ntsim::dbg::DebugPrintEnabled(DPFLTR_IHVDRIVER_ID, 5));

    // The list holds WIN2000 and the non-zero masks.
    reply = FilterControl({{"command", "dbg.filter"}}, s);
    bool win2000 = false, ihv = false;
    for (const auto& m : reply["masks"]) {
        win2000 |= m["component"] == "WIN2000";
        ihv |= m["component"] == "IHVDRIVER";
    }
    EXPECT_TRUE(win2000);
    EXPECT_TRUE(ihv);

    // Bad input.
    reply = FilterControl({{"command", "dbg.filter"}, {"component", "NOPE"}}, s);
    EXPECT_FALSE(reply["ok"].get<bool>());
    reply = FilterControl({{"command", "dbg.filter"}, {"component", "DEFAULT"}, {"mask", -1}}, s);
    EXPECT_FALSE(reply["ok"].get<bool>());
    reply = FilterControl(
        {{"command", "dbg.filter"}, {"component", "DEFAULT"}, {"mask", 0x100000000ull}}, s);
    EXPECT_FALSE(reply["ok"].get<bool>());

    ntsim::dbg::SetComponentFilterMask(DPFLTR_IHVDRIVER_ID, saved);
}

TEST(TraceControl, NonUtf8DriverStringsStaySerializable) {
    ASSERT_EQ(TraceLoggingRegister(g_ControlProvider), STATUS_SUCCESS);
    uint64_t before = Last();
    ANSI_STRING latin1 = RTL_CONSTANT_STRING("caf\xe9");
    TraceLoggingWrite(g_ControlProvider, "Bytes\xff", TraceLoggingString("na\xefve", "Str\x80"),
                      TraceLoggingCountedString(&latin1, "Counted"));
    NoStream s;
    auto reply = TraceReadControl({{"command", "trace.read"}, {"after", before}}, s);
    ASSERT_EQ(reply["events"].size(), 1u);
    EXPECT_NO_THROW((void)reply.dump());
    const auto& e = reply["events"][0];
    EXPECT_EQ(e["event"], "Bytes?");
    EXPECT_EQ(e["fields"][0]["name"], "Str?");
    EXPECT_EQ(e["fields"][0]["value"], "na?ve");
    EXPECT_EQ(e["fields"][1]["value"], "caf?");
    TraceLoggingUnregister(g_ControlProvider);
}
