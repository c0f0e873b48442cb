// The book's Sample driver (chapters 2-3) in a booted kernel, loaded the way the book loads it:
// `sc create` + `sc start`, its lines in DebugView, `sc stop` calling Unload, its pool freed.
#include <string>

#include "e2e_support.h"

namespace {

using namespace ntsim::e2e;

class SampleE2e : public testing::Test {
protected:
    void SetUp() override {
        root_ = MakeRoot();
        ASSERT_TRUE(Boot(root_));
    }
    void TearDown() override {
        Shutdown(root_);
        RemoveRoot(root_);
    }
    std::string DbgView() { return Ntsim(root_, {"dbgview"}).out; }
    std::string root_;
};

TEST_F(SampleE2e, StartPrintsItsLinesAndStopCallsUnload) {
    Result create = Ntsim(
        root_, {"sc", "create", "sample", "type=", "kernel", "binPath=", DriverPath("sample")});
    ASSERT_EQ(create.exitCode, 0) << create.out;
    EXPECT_NE(create.out.find("[SC] CreateService SUCCESS"), std::string::npos) << create.out;

    Result start = Ntsim(root_, {"sc", "start", "sample"});
    ASSERT_EQ(start.exitCode, 0) << start.out;
    EXPECT_NE(start.out.find("STATE              : 4  RUNNING"), std::string::npos) << start.out;

    std::string loaded = DbgView();
    EXPECT_NE(loaded.find("Sample driver initialized successfully"), std::string::npos) << loaded;
    EXPECT_NE(loaded.find("Original registry path: "
                          "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\sample"),
              std::string::npos)
        << loaded;
    EXPECT_NE(loaded.find("Copied registry path: "
                          "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\sample"),
              std::string::npos)
        << loaded;
    EXPECT_NE(loaded.find("Windows Version: 10.0.22631"), std::string::npos) << loaded;
    EXPECT_EQ(loaded.find("Sample driver Unload called"), std::string::npos) << loaded;

    // The pool copy of the registry path is tagged 'dcba' (PoolMon: abcd) while loaded.
    auto stats = Control(root_, {{"command", "lpc.stats"}});
    EXPECT_TRUE(stats["pool"].contains("abcd/P")) << stats.dump();

    Result stop = Ntsim(root_, {"sc", "stop", "sample"});
    ASSERT_EQ(stop.exitCode, 0) << stop.out;
    EXPECT_NE(stop.out.find("STATE              : 1  STOPPED"), std::string::npos) << stop.out;
    std::string unloaded = DbgView();
    EXPECT_NE(unloaded.find("Sample driver Unload called"), std::string::npos) << unloaded;
    EXPECT_EQ(unloaded.find("leak"), std::string::npos) << unloaded;
    stats = Control(root_, {{"command", "lpc.stats"}});
    EXPECT_FALSE(stats["pool"].contains("abcd/P")) << stats.dump();

    Result del = Ntsim(root_, {"sc", "delete", "sample"});
    EXPECT_NE(del.out.find("[SC] DeleteService SUCCESS"), std::string::npos) << del.out;
}

TEST_F(SampleE2e, MissingImageFailsWithError2) {
    Ntsim(root_, {"sc", "create", "nosample", "type=", "kernel",
                  "binPath=", DriverPath("does_not_exist")});
    Result start = Ntsim(root_, {"sc", "start", "nosample"});
    EXPECT_NE(start.exitCode, 0) << start.out;
    EXPECT_NE(start.out.find("[SC] StartService FAILED 2:"), std::string::npos) << start.out;
}

} // namespace
