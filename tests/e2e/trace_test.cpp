// `ntsim trace` end to end: the TraceLogging events booster2.sys writes (provider "Booster")
// while the boost client uses it, as JSON lines with typed fields; --message and --follow.
#include <poll.h>

#include <sstream>

#include "e2e_support.h"

namespace {

using namespace ntsim::e2e;

std::vector<nlohmann::json> JsonLines(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line))
        if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    return out;
}

std::vector<nlohmann::json> Events(const std::vector<nlohmann::json>& all,
                                   const std::string& name) {
    std::vector<nlohmann::json> out;
    for (auto& e : all)
        if (e.value("event", "") == name) out.push_back(e);
    return out;
}

// The field named `name`; a null JSON when absent.
nlohmann::json Field(const nlohmann::json& event, const std::string& name) {
    for (const auto& f : event["fields"])
        if (f["name"] == name) return f;
    return nullptr;
}

// Reads lines from fd until one contains `what` (or 20 s pass: a failure, not a timing check).
bool ReadUntil(int fd, const std::string& what, std::string* all) {
    char buffer[4096];
    pollfd p{fd, POLLIN, 0};
    for (int i = 0; i < 200 && all->find(what) == std::string::npos; ++i) {
        if (poll(&p, 1, 100) <= 0) continue;
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        all->append(buffer, size_t(n));
    }
    return all->find(what) != std::string::npos;
}

class Trace : public ::testing::Test {
protected:
    void SetUp() override {
        root_ = MakeRoot();
        ASSERT_TRUE(Boot(root_));
        ASSERT_TRUE(LoadDriver(root_, "booster2", "booster2"));
        target_ = Spawn({ClientPath("prio_target"), "60"}, root_, &targetFd_);
        std::string line;
        ASSERT_TRUE(ReadUntil(targetFd_, "\n", &line));
        ASSERT_EQ(sscanf(line.c_str(), "tid %u", &tid_), 1) << line;
    }
    void TearDown() override {
        if (target_ > 0) {
            kill(target_, SIGKILL);
            waitpid(target_, nullptr, 0);
            close(targetFd_);
        }
        Shutdown(root_);
        RemoveRoot(root_);
    }
    Result Boost(unsigned tid, int priority) { return RunBoost(root_, tid, priority); }
    std::string root_;
    pid_t target_ = -1;
    int targetFd_ = -1;
    unsigned tid_ = 0;
};

} // namespace

TEST_F(Trace, BoosterEventsAsTypedJsonLines) {
    ASSERT_EQ(Boost(tid_, 20).exitCode, 0);
    ASSERT_EQ(Boost(999999, 20).exitCode, 1);
    auto r = Ntsim(root_, {"trace"});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    auto all = JsonLines(r.out);

    auto entry = Events(all, "DriverEntry started");
    ASSERT_EQ(entry.size(), 1u) << r.out;
    EXPECT_EQ(entry[0]["provider"], "Booster");
    EXPECT_EQ(entry[0]["providerId"], "{b2723ad5-1678-446d-a577-8599d3e85ecb}");
    EXPECT_EQ(entry[0]["level"], 4); // TRACE_LEVEL_INFORMATION
    EXPECT_EQ(entry[0]["keyword"], 0);
    EXPECT_TRUE(entry[0]["time"].is_string());
    EXPECT_NE(entry[0]["time"].get<std::string>().find('T'), std::string::npos);
    EXPECT_TRUE(entry[0]["pid"].is_number());
    EXPECT_TRUE(entry[0]["tid"].is_number());
    auto name = Field(entry[0], "DriverName");
    EXPECT_EQ(name["type"], "AnsiString");
    EXPECT_EQ(name["value"], "Booster Driver");
    auto path = Field(entry[0], "RegistryPath");
    EXPECT_EQ(path["type"], "CountedUnicodeString");
    EXPECT_NE(path["value"].get<std::string>().find("booster2"), std::string::npos) << path;

    // Each boost opens and closes the device.
    auto createClose = Events(all, "Create/Close");
    int creates = 0, closes = 0;
    for (auto& e : createClose) {
        auto op = Field(e, "Operation");
        EXPECT_EQ(op["type"], "AnsiString");
        creates += op["value"] == "Create";
        closes += op["value"] == "Close";
    }
    EXPECT_EQ(creates, 2);
    EXPECT_EQ(closes, 2);

    auto boosting = Events(all, "Boosting");
    ASSERT_EQ(boosting.size(), 1u);
    EXPECT_EQ(Field(boosting[0], "ThreadId")["type"], "UInt32");
    EXPECT_EQ(Field(boosting[0], "ThreadId")["value"], tid_);
    EXPECT_EQ(Field(boosting[0], "OldPriority")["type"], "Int32");
    EXPECT_EQ(Field(boosting[0], "NewPriority")["type"], "Int32");
    EXPECT_EQ(Field(boosting[0], "NewPriority")["value"], 20);
    // The boost ran in the client's context: its process, not System.
    EXPECT_NE(boosting[0]["pid"], 4);

    auto errors = Events(all, "Error");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0]["level"], 2); // TRACE_LEVEL_ERROR
    EXPECT_EQ(Field(errors[0], "Message")["value"], "Thread lookup failed");
    auto status = Field(errors[0], "Status");
    EXPECT_EQ(status["type"], "NTStatus");
    EXPECT_EQ(status["value"].get<std::string>().substr(0, 3), "0xC");
    EXPECT_EQ(status["description"], "Returned status");

    // Sequence numbers grow.
    for (size_t i = 1; i < all.size(); ++i)
        EXPECT_GT(all[i]["seq"].get<uint64_t>(), all[i - 1]["seq"].get<uint64_t>());
}

TEST_F(Trace, MessageFormAndUnload) {
    ASSERT_EQ(Boost(tid_, 21).exitCode, 0);
    ASSERT_EQ(Ntsim(root_, {"sc", "stop", "booster2"}).exitCode, 0);
    auto r = Ntsim(root_, {"trace", "--message"});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    bool boosting = false, unload = false;
    for (auto& m : JsonLines(r.out)) {
        ASSERT_TRUE(m.contains("meta")) << m;
        EXPECT_EQ(m["meta"]["provider"], "Booster");
        if (m["meta"]["event"] == "Boosting") {
            boosting = true;
            EXPECT_EQ(m["NewPriority"], 21);
            EXPECT_EQ(m["ThreadId"], tid_);
            EXPECT_EQ(m["meta"]["level"], 4);
        }
        unload |= m["meta"]["event"] == "Unload";
    }
    EXPECT_TRUE(boosting);
    EXPECT_TRUE(unload);
    // The device went away with the driver.
    EXPECT_NE(Boost(tid_, 22).out.find("Failed to open device (error=2)"), std::string::npos);
}

TEST_F(Trace, FollowStreamsNewEvents) {
    int fd = -1;
    pid_t follower = Spawn({NTSIM_BIN, "trace", "--follow"}, root_, &fd);
    ASSERT_GT(follower, 0);
    std::string out;
    // The backlog first (DriverEntry), then what happens while following.
    EXPECT_TRUE(ReadUntil(fd, "DriverEntry started", &out)) << out;
    ASSERT_EQ(Boost(tid_, 23).exitCode, 0);
    EXPECT_TRUE(ReadUntil(fd, "\"Boosting\"", &out)) << out;
    kill(follower, SIGTERM);
    waitpid(follower, nullptr, 0);
    close(fd);
    bool found = false;
    for (auto& e : JsonLines(out.substr(0, out.rfind('\n') + 1)))
        if (e["event"] == "Boosting") {
            found = true;
            EXPECT_EQ(Field(e, "NewPriority")["value"], 23);
        }
    EXPECT_TRUE(found) << out;
}
