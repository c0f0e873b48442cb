// The kernel halves of `ntsim dbgview`, `ntsim ps` and `ntsim obj`, called in-process.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include <ntddk.h>

#include "dbg/dbg.h"
#include "dbg/dbg_control.h"
#include "ob/ob.h"
#include "ob/ob_control.h"
#include "ps/ps.h"
#include "ps/ps_control.h"
#include "test_support.h"

namespace dbg = ntsim::dbg;
namespace ob = ntsim::ob;
namespace ps = ntsim::ps;
using nlohmann::json;

namespace {

// Collects streamed messages; reports the tool gone once it has seen a line with `stopText`.
class CollectingStream : public ntsim::lpc::ControlStream {
public:
    explicit CollectingStream(std::string stopText) : stopText_(std::move(stopText)) {}
    bool Write(const json& message) override {
        std::lock_guard guard(lock_);
        messages_.push_back(message);
        if (message.contains("line") && message["line"]["text"] == stopText_) return false;
        return true;
    }
    std::vector<json> Messages() {
        std::lock_guard guard(lock_);
        return messages_;
    }

private:
    std::string stopText_;
    std::mutex lock_;
    std::vector<json> messages_;
};

class NullStream : public ntsim::lpc::ControlStream {
public:
    bool Write(const json&) override { return true; }
};

const json* FindProcess(const json& reply, uint64_t pid) {
    for (const auto& p : reply["processes"])
        if (p["pid"] == pid) return &p;
    return nullptr;
}

const json* FindEntry(const json& reply, const std::string& name) {
    for (const auto& e : reply["entries"])
        if (e["name"] == name) return &e;
    return nullptr;
}

} // namespace

TEST(DbgviewControl, SnapshotReturnsLinesAfterSequence) {
    NullStream stream;
    uint64_t before = dbg::LastDebugSequence();
    DbgPrint("tools snapshot %d\n", 42);
    json reply = dbg::DbgviewControl({{"command", "dbgview"}, {"after", before}}, stream);
    ASSERT_TRUE(reply["ok"].get<bool>());
    ASSERT_EQ(reply["lines"].size(), 1u);
    const json& line = reply["lines"][0];
    EXPECT_EQ(line["text"], "tools snapshot 42\n");
    EXPECT_EQ(line["seq"], before + 1);
    EXPECT_EQ(reply["last"], before + 1);
    EXPECT_EQ(line["pid"], uint64_t(reinterpret_cast<ULONG_PTR>(PsGetCurrentProcessId())));
    EXPECT_EQ(line["tid"], uint64_t(reinterpret_cast<ULONG_PTR>(PsGetCurrentThreadId())));
    EXPECT_GT(line["time"].get<int64_t>(), 116444736000000000LL); // after 1970
    EXPECT_TRUE(line.contains("cpu"));

    // Nothing new: an empty list; a bad "after" is treated as 0 (everything kept).
    json empty = dbg::DbgviewControl({{"after", before + 1}}, stream);
    EXPECT_TRUE(empty["lines"].empty());
    json all = dbg::DbgviewControl({{"after", "x"}}, stream);
    EXPECT_GE(all["lines"].size(), 1u);
}

TEST(DbgviewControl, NonAsciiBytesStayValidJson) {
    NullStream stream;
    uint64_t before = dbg::LastDebugSequence();
    dbg::AppendDebugOutput(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, "caf\xE9\n");
    json reply = dbg::DbgviewControl({{"after", before}}, stream);
    ASSERT_EQ(reply["lines"].size(), 1u);
    EXPECT_EQ(reply["lines"][0]["text"], "caf?\n");
    EXPECT_NO_THROW((void)reply.dump());
}

TEST(DbgviewControl, FollowStreamsBacklogThenLiveLinesUntilToolLeaves) {
    uint64_t before = dbg::LastDebugSequence();
    dbg::AppendDebugOutput(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, "backlog");
    CollectingStream stream("stop");
    json reply;
    std::thread follower([&] {
        reply = dbg::DbgviewControl({{"follow", true}, {"after", before}}, stream);
    });
    // Wait until the backlog line arrived, then emit live lines.
    for (int i = 0; i < 5000 && stream.Messages().empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    dbg::AppendDebugOutput(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, "live");
    dbg::AppendDebugOutput(DPFLTR_DEFAULT_ID, DPFLTR_INFO_LEVEL, "stop");
    follower.join();
    EXPECT_TRUE(reply["ok"].get<bool>());
    std::vector<std::string> texts;
    for (const auto& m : stream.Messages())
        if (m.contains("line")) texts.push_back(m["line"]["text"]);
    // Other threads may log meanwhile: ours appear once each, in order.
    std::vector<std::string> ours;
    for (auto& t : texts)
        if (t == "backlog" || t == "live" || t == "stop") ours.push_back(t);
    EXPECT_EQ(ours, (std::vector<std::string>{"backlog", "live", "stop"}));
    EXPECT_GE(reply["last"].get<uint64_t>(), before + 3);
}

TEST(PsControl, ListsSystemAndNewProcess) {
    NullStream stream;
    PEPROCESS process = nullptr;
    ASSERT_EQ(ps::CreateProcess(ps::SystemProcess(), u"toolsps.exe", &process), STATUS_SUCCESS);
    json reply = ps::PsControl({{"command", "ps"}}, stream);
    ASSERT_TRUE(reply["ok"].get<bool>());
    const json* system = FindProcess(reply, 4);
    ASSERT_NE(system, nullptr);
    EXPECT_EQ((*system)["image"], "System");
    EXPECT_TRUE((*system)["threads"].is_array());
    const uint64_t pid = uint64_t(reinterpret_cast<ULONG_PTR>(ps::ProcessId(process)));
    const json* mine = FindProcess(reply, pid);
    ASSERT_NE(mine, nullptr);
    EXPECT_EQ((*mine)["image"], "toolsps.exe");
    EXPECT_EQ((*mine)["ppid"], 4u);
    EXPECT_EQ((*mine)["basePriority"], ps::BasePriority(process));
    EXPECT_EQ((*mine)["handles"], 0u);

    // A thread of it shows with its priorities and state.
    std::thread worker([&] {
        PETHREAD thread = nullptr;
        ASSERT_EQ(ps::AttachCurrentThread(process, &thread), STATUS_SUCCESS);
        json r = ps::PsControl({}, stream);
        const json* p = FindProcess(r, pid);
        ASSERT_NE(p, nullptr);
        ASSERT_EQ((*p)["threads"].size(), 1u);
        const json& t = (*p)["threads"][0];
        EXPECT_EQ(t["tid"], uint64_t(reinterpret_cast<ULONG_PTR>(ps::ThreadId(thread))));
        EXPECT_EQ(t["priority"], ps::ThreadPriority(thread));
        EXPECT_EQ(t["state"], 2u); // Running: it is the thread asking
        ps::DetachCurrentThread(STATUS_SUCCESS);
    });
    worker.join();
    ps::TerminateProcess(process, STATUS_SUCCESS);
    ObDereferenceObject(process);
}

TEST(ObjControl, ListsRootByDefault) {
    NullStream stream;
    json reply = ob::ObjControl({{"command", "obj"}}, stream);
    ASSERT_TRUE(reply["ok"].get<bool>());
    EXPECT_EQ(reply["path"], "\\");
    const json* device = FindEntry(reply, "Device");
    ASSERT_NE(device, nullptr);
    EXPECT_EQ((*device)["type"], "Directory");
    EXPECT_FALSE(device->contains("target"));
}

TEST(ObjControl, SymbolicLinksCarryTheirTarget) {
    NullStream stream;
    ASSERT_EQ(ob::CreateSymbolicLink(u"\\GLOBAL??\\ToolsObjLink", u"\\Device\\ToolsNowhere", true),
              STATUS_SUCCESS);
    json reply = ob::ObjControl({{"path", "\\GLOBAL??"}}, stream);
    ASSERT_TRUE(reply["ok"].get<bool>());
    const json* link = FindEntry(reply, "ToolsObjLink");
    ASSERT_NE(link, nullptr);
    EXPECT_EQ((*link)["type"], "SymbolicLink");
    EXPECT_EQ((*link)["target"], "\\Device\\ToolsNowhere");
    EXPECT_EQ(ob::DeleteSymbolicLink(u"\\GLOBAL??\\ToolsObjLink"), STATUS_SUCCESS);
}

TEST(ObjControl, BadPathsFailWithStatus) {
    NullStream stream;
    json missing = ob::ObjControl({{"path", "\\NoSuchDirectory"}}, stream);
    EXPECT_FALSE(missing["ok"].get<bool>());
    EXPECT_EQ(missing["status"], uint32_t(STATUS_OBJECT_NAME_NOT_FOUND));
    EXPECT_NE(missing["error"].get<std::string>().find("\\NoSuchDirectory"), std::string::npos);
    json notString = ob::ObjControl({{"path", 5}}, stream);
    EXPECT_EQ(notString["status"], uint32_t(STATUS_INVALID_PARAMETER));
    // A device is not a directory.
    json device = ob::ObjControl({{"path", "\\Device\\Null"}}, stream);
    EXPECT_FALSE(device["ok"].get<bool>());
    json huge = ob::ObjControl({{"path", "\\" + std::string(40000, 'a')}}, stream);
    EXPECT_EQ(huge["status"], uint32_t(STATUS_OBJECT_NAME_INVALID));
}

TEST(ToolControl, RegisteredAtBoot) {
    json ps = ntsim::lpc::DispatchControl({{"command", "ps"}});
    EXPECT_TRUE(ps["ok"].get<bool>());
    EXPECT_NE(FindProcess(ps, 4), nullptr);
    json obj = ntsim::lpc::DispatchControl({{"command", "obj"}, {"path", "\\Device"}});
    EXPECT_TRUE(obj["ok"].get<bool>());
    uint64_t before = dbg::LastDebugSequence();
    DbgPrint("dispatched\n");
    json view = ntsim::lpc::DispatchControl({{"command", "dbgview"}, {"after", before}});
    ASSERT_TRUE(view["ok"].get<bool>());
    ASSERT_EQ(view["lines"].size(), 1u);
    EXPECT_EQ(view["lines"][0]["text"], "dispatched\n");
}
