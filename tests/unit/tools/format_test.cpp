// Text views of the tool commands (pure functions of the kernel's JSON replies).
#include <gtest/gtest.h>

#include "../../../tools/ntsim/tool_format.h"

using nlohmann::json;
using namespace ntsim::tool;

TEST(ToolFormat, SystemTimeIsUtcClock) {
    // 2020-01-02 03:04:05.678 UTC = Unix 1577934245.678
    int64_t t = 116444736000000000LL + 1577934245LL * 10000000 + 6780000;
    EXPECT_EQ(FormatSystemTime(t), "03:04:05.678");
    EXPECT_EQ(FormatSystemTime(0), "00:00:00.000"); // before 1970 clamps
}

TEST(ToolFormat, DebugLineHasDebugViewColumns) {
    int64_t t = 116444736000000000LL + 3661LL * 10000000; // 01:01:01
    json r = {{"seq", 12}, {"time", t},  {"cpu", 1},
              {"pid", 4},  {"tid", 128}, {"text", "Sample driver loaded\n"}};
    EXPECT_EQ(FormatDebugLine(r), "12      01:01:01.000   1      4    128  Sample driver loaded\n");
    // No trailing newline in the input: one is added; missing fields print 0.
    EXPECT_EQ(FormatDebugLine(json{{"text", "x"}}), "0       00:00:00.000   0      0      0  x\n");
    EXPECT_EQ(DebugHeader(), "#       Time         CPU    PID    TID  Debug Print\n");
}

TEST(ToolFormat, ProcessesAndThreads) {
    json reply = {
        {"ok", true},
        {"processes",
         {{{"pid", 4},
           {"ppid", 0},
           {"image", "System"},
           {"handles", 3},
           {"basePriority", 8},
           {"threads",
            {{{"tid", 8}, {"priority", 13}, {"basePriority", 8}, {"state", 5}, {"waitReason", 6}},
             {{"tid", 12},
              {"priority", 8},
              {"basePriority", 8},
              {"state", 2},
              {"waitReason", 0}}}}},
          {{"pid", 100},
           {"ppid", 4},
           {"image", "boost.exe"},
           {"handles", 1},
           {"basePriority", 4},
           {"threads", json::array()}}}}};
    EXPECT_EQ(FormatProcesses(reply, false), "   PID   PPID  Pri  Thd    Hnd  Image\n"
                                             "     4      0    8    2      3  System\n"
                                             "   100      4    4    0      1  boost.exe\n");
    EXPECT_EQ(FormatProcesses(reply, true),
              "   PID   PPID  Pri  Thd    Hnd  Image\n"
              "     4      0    8    2      3  System\n"
              "       TID      8  Pri  13  Base   8  Waiting       UserRequest\n"
              "       TID     12  Pri   8  Base   8  Running\n"
              "   100      4    4    0      1  boost.exe\n");
    json idle = {{"processes", {{{"pid", 0}, {"image", ""}}}}};
    EXPECT_EQ(FormatProcesses(idle, false),
              "   PID   PPID  Pri  Thd    Hnd  Image\n"
              "     0      0    0    0      0  System Idle Process\n");
    // An empty or malformed reply prints only the header.
    EXPECT_EQ(FormatProcesses(json::object(), true), "   PID   PPID  Pri  Thd    Hnd  Image\n");
}

TEST(ToolFormat, StateAndWaitReasonNames) {
    EXPECT_STREQ(ThreadStateName(0), "Initialized");
    EXPECT_STREQ(ThreadStateName(7), "DeferredReady");
    EXPECT_STREQ(ThreadStateName(8), "Unknown");
    EXPECT_STREQ(WaitReasonName(0), "Executive");
    EXPECT_STREQ(WaitReasonName(39), "WrPhysicalFault");
    EXPECT_STREQ(WaitReasonName(40), "Unknown");
}

TEST(ToolFormat, DirectoryLikeWinObj) {
    json reply = {
        {"ok", true},
        {"path", "\\GLOBAL??"},
        {"entries",
         {{{"name", "Booster"}, {"type", "SymbolicLink"}, {"target", "\\Device\\Booster"}},
          {{"name", "C:"}, {"type", "SymbolicLink"}, {"target", "\\Device\\HarddiskVolume1"}},
          {{"name", "Global"}, {"type", "SymbolicLink"}, {"target", "\\GLOBAL??"}}}}};
    EXPECT_EQ(FormatDirectory(reply), "\\GLOBAL??:\n"
                                      "Name     Type          SymLink\n"
                                      "Booster  SymbolicLink  \\Device\\Booster\n"
                                      "C:       SymbolicLink  \\Device\\HarddiskVolume1\n"
                                      "Global   SymbolicLink  \\GLOBAL??\n");
    json dirs = {{"path", "\\"}, {"entries", {{{"name", "Device"}, {"type", "Directory"}}}}};
    EXPECT_EQ(FormatDirectory(dirs), "\\:\n"
                                     "Name    Type       SymLink\n"
                                     "Device  Directory\n");
}
