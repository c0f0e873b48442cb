// End-to-end: the built-in \Device\Beep driven by the book's beep client and by beeptest (raw
// requests), checked in ROOT/audio/beep.wav (decoded by wav_reader.h) and ROOT/audio/speaker.log.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e_support.h"
#include "wav_reader.h"

namespace {

using namespace ntsim::e2e;

class BeepE2e : public KernelSuite<BeepE2e> {
protected:
    static std::string LogPath() { return root_ + "/audio/speaker.log"; }
    static std::string WavPath() { return root_ + "/audio/beep.wav"; }
    // Waits (bounded) until the speaker log has `count` lines.
    static std::vector<std::string> WaitForLog(size_t count) {
        for (int i = 0; i < 500; ++i) {
            auto lines = ReadLines(LogPath());
            if (lines.size() >= count) return lines;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return ReadLines(LogPath());
    }
    static std::vector<ntsim::wav::Tone> Tones() {
        auto wav = ntsim::wav::Read(WavPath());
        EXPECT_TRUE(wav.ok) << wav.error;
        if (wav.ok) {
            EXPECT_EQ(wav.dataSize, wav.samples.size() * 2);
            EXPECT_EQ(wav.riffSize, 36 + wav.dataSize);
            EXPECT_EQ(wav.fileSize, 44 + size_t(wav.dataSize));
        }
        return ntsim::wav::FindTones(wav);
    }
    static Result BeepTest(const std::vector<std::string>& args) {
        return RunClient(root_, "beeptest", args);
    }
};

TEST_F(BeepE2e, ClientPlaysTheToneIntoTheWavAndTheSpeakerLog) {
    size_t before = ReadLines(LogPath()).size();
    Result r = RunProcess({ClientPath("beep"), "660", "400"}, root_);
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_EQ(r.out, "beep [<frequency> <duration_in_msec>]\nPlaying freq: 660, duration: 400\n");
    auto lines = WaitForLog(before + 1);
    ASSERT_EQ(lines.size(), before + 1);
    const std::string& line = lines.back();
    EXPECT_NE(line.find(" freq=660 duration=400 pid="), std::string::npos) << line;
    EXPECT_EQ(line.find("cut"), std::string::npos) << line;
    EXPECT_NE(line.find(" image=beep"), std::string::npos) << line;
    EXPECT_NE(line.find(" session="), std::string::npos) << line;

    auto tones = Tones();
    ASSERT_EQ(tones.size(), before + 1);
    EXPECT_NEAR(tones.back().frequency, 660, 660 * 0.02);
    EXPECT_NEAR(tones.back().durationMs, 400, 400 * 0.05);
}

TEST_F(BeepE2e, ClientDefaultsTo800HzForOneSecond) {
    size_t before = ReadLines(LogPath()).size();
    Result r = RunProcess({ClientPath("beep"), "1234"}, root_); // one argument is ignored
    EXPECT_EQ(r.out, "beep [<frequency> <duration_in_msec>]\nPlaying freq: 800, duration: 1000\n");
    auto lines = WaitForLog(before + 1);
    ASSERT_EQ(lines.size(), before + 1);
    EXPECT_NE(lines.back().find(" freq=800 duration=1000 "), std::string::npos) << lines.back();
    auto tones = Tones();
    ASSERT_EQ(tones.size(), before + 1);
    EXPECT_NEAR(tones.back().frequency, 800, 800 * 0.02);
    EXPECT_NEAR(tones.back().durationMs, 1000, 1000 * 0.05);
}

TEST_F(BeepE2e, BadRequestsFailWithoutATone) {
    size_t before = ReadLines(LogPath()).size();
    // 4-byte input, frequency below BEEP_FREQUENCY_MINIMUM, above the maximum, unknown IOCTL.
    Result r = BeepTest({"10000", "4", "800", "100", "0"});
    EXPECT_EQ(r.out, "status=0xC000000D\n") << r.out;
    r = BeepTest({"10000", "8", "5", "100", "0"});
    EXPECT_EQ(r.out, "status=0xC000000D\n") << r.out;
    r = BeepTest({"10000", "8", "32768", "100", "0"});
    EXPECT_EQ(r.out, "status=0xC000000D\n") << r.out;
    r = BeepTest({"10004", "8", "800", "100", "0"});
    EXPECT_EQ(r.out, "status=0xC0000010\n") << r.out;
    r = BeepTest({"10000", "0", "800", "100", "0"});
    EXPECT_EQ(r.out, "status=0xC000000D\n") << r.out;
    // A valid request pends and completes with success once the tone plays.
    r = BeepTest({"10000", "8", "1500", "100", "200"});
    EXPECT_EQ(r.out, "status=0x00000103\nfinal=0x00000000\n") << r.out;
    auto lines = WaitForLog(before + 1);
    ASSERT_EQ(lines.size(), before + 1);
    EXPECT_NE(lines.back().find(" freq=1500 duration=100 "), std::string::npos) << lines.back();
    EXPECT_NE(lines.back().find(" image=beeptest"), std::string::npos) << lines.back();
}

TEST_F(BeepE2e, ClosingTheHandleEarlyCutsTheTone) {
    size_t before = ReadLines(LogPath()).size();
    Result r = BeepTest({"10000", "8", "500", "20000", "300"}); // close after ~300 ms
    EXPECT_EQ(r.out, "status=0x00000103\nfinal=0x00000000\n") << r.out;
    auto lines = WaitForLog(before + 1);
    ASSERT_EQ(lines.size(), before + 1);
    const std::string& line = lines.back();
    EXPECT_NE(line.find(" freq=500 duration=20000 actual="), std::string::npos) << line;
    EXPECT_NE(line.find(" cut "), std::string::npos) << line;
    unsigned actual = 0;
    auto at = line.find(" actual=");
    ASSERT_NE(at, std::string::npos);
    actual = unsigned(std::stoul(line.substr(at + 8)));
    EXPECT_GE(actual, 300u);
    EXPECT_LT(actual, 20000u);
    auto tones = Tones();
    ASSERT_EQ(tones.size(), before + 1);
    EXPECT_NEAR(tones.back().frequency, 500, 500 * 0.02);
    EXPECT_NEAR(tones.back().durationMs, actual, actual * 0.05); // cut in the file too
}

TEST_F(BeepE2e, NoSymbolicLinkForWin32Names) {
    // The device exists only as \Device\Beep: beeptest opens it by that name, but nothing is
    // registered under \??\Beep (the object namespace view shows no such link).
    auto reply = Ntsim(root_, {"obj", "\\GLOBAL??"});
    EXPECT_EQ(reply.out.find("Beep"), std::string::npos) << reply.out;
    reply = Ntsim(root_, {"obj", "\\Device"});
    EXPECT_NE(reply.out.find("Beep"), std::string::npos) << reply.out;
}

} // namespace
