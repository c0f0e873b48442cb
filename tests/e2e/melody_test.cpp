// End-to-end: the KMelody driver loaded with `ntsim sc`, the book's melody client and melodytest
// (short melodies, bad requests); the notes end up in ROOT/audio/beep.wav with their
// frequencies, durations and gaps.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e_support.h"
#include "wav_reader.h"

namespace {

using namespace ntsim::e2e;

class MelodyE2e : public KernelSuite<MelodyE2e> {
protected:
    static void SetUpTestSuite() {
        KernelSuite::SetUpTestSuite();
        if (!booted_) return;
        created_ =
            CreateService(root_, "kmelody", "kmelody").out.find("SUCCESS") != std::string::npos;
    }
    static void TearDownTestSuite() {
        Ntsim(root_, {"sc", "stop", "kmelody"});
        KernelSuite::TearDownTestSuite();
    }
    void SetUp() override {
        ASSERT_TRUE(booted_);
        ASSERT_TRUE(created_);
        // Each test starts with the driver running (the unload test stops it).
        auto q = Ntsim(root_, {"sc", "query", "kmelody"});
        if (q.out.find("RUNNING") == std::string::npos) {
            auto s = Ntsim(root_, {"sc", "start", "kmelody"});
            ASSERT_NE(s.out.find("RUNNING"), std::string::npos) << s.out;
        }
    }

    static std::string LogPath() { return root_ + "/audio/speaker.log"; }
    static std::vector<std::string> WaitForLog(size_t count, int seconds) {
        for (int i = 0; i < seconds * 50; ++i) {
            auto lines = ReadLines(LogPath());
            if (lines.size() >= count) return lines;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return ReadLines(LogPath());
    }
    static std::vector<ntsim::wav::Tone> Tones() {
        auto wav = ntsim::wav::Read(root_ + "/audio/beep.wav");
        EXPECT_TRUE(wav.ok) << wav.error;
        return ntsim::wav::FindTones(wav);
    }
    static Result MelodyTest(const std::vector<std::string>& args) {
        return RunClient(root_, "melodytest", args);
    }
    static long PoolBytes(const std::string& tagPrefix) {
        auto stats = Control(root_, {{"command", "lpc.stats"}});
        long bytes = 0;
        if (stats.contains("pool"))
            for (auto& [key, value] : stats["pool"].items())
                if (key.rfind(tagPrefix, 0) == 0) bytes += value.get<long>();
        return bytes;
    }

    static inline bool created_ = false;
};

// The book's client, run once (~14 s of notes): 10 notes of 500 ms at 400..670 Hz, then 10
// notes at 1200..300 Hz played twice for 300 ms with 300 ms between the repeats.
TEST_F(MelodyE2e, BookMelodyEndsUpInTheWav) {
    size_t before = ReadLines(LogPath()).size();
    size_t tonesBefore = before ? Tones().size() : 0;
    Result r = RunProcess({ClientPath("melody")}, root_);
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_EQ(r.out, ""); // the book's client prints nothing on success
    auto lines = WaitForLog(before + 30, 40);
    ASSERT_EQ(lines.size(), before + 30);
    for (size_t i = before; i < lines.size(); ++i)
        EXPECT_NE(lines[i].find(" image=melody"), std::string::npos) << lines[i]; // its process
    auto tones = Tones();
    ASSERT_EQ(tones.size(), tonesBefore + 30);
    std::vector<ntsim::wav::Tone> t(tones.begin() + long(tonesBefore), tones.end());
    for (int i = 0; i < 10; ++i) {
        SCOPED_TRACE(i);
        EXPECT_NEAR(t[i].frequency, 400 + 30 * i, (400 + 30 * i) * 0.02);
        EXPECT_NEAR(t[i].durationMs, 500, 25);
        if (i > 0) {
            // Back to back: only the playback thread's wake-up latency between notes.
            EXPECT_NEAR(t[i].startMs - (t[i - 1].startMs + t[i - 1].durationMs), 0, 50);
        }
    }
    for (int i = 0; i < 10; ++i) {
        for (int k = 0; k < 2; ++k) {
            SCOPED_TRACE(testing::Message() << i << "/" << k);
            const auto& tone = t[10 + 2 * i + k];
            EXPECT_NEAR(tone.frequency, 1200 - 100 * i, (1200 - 100 * i) * 0.02);
            EXPECT_NEAR(tone.durationMs, 300, 15);
        }
        const auto& first = t[10 + 2 * i];
        const auto& second = t[11 + 2 * i];
        EXPECT_NEAR(second.startMs - (first.startMs + first.durationMs), 300, 30); // Delay
    }
}

TEST_F(MelodyE2e, BadRequestsGetTheBooksErrors) {
    Result r = MelodyTest({"bad"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(r.out, "len15 ok=0 error=1784\n"
                     "len17 ok=0 error=1784\n"
                     "len0 ok=0 error=1784\n"
                     "unknown ok=0 error=1\n"
                     "read ok=0 error=5\n"    // write-only handle: access denied
                     "read2 ok=0 error=1\n"); // default dispatch: STATUS_INVALID_DEVICE_REQUEST
}

TEST_F(MelodyE2e, ShortMelodyWithRestAndRepeats) {
    size_t before = ReadLines(LogPath()).size();
    size_t tonesBefore = before ? Tones().size() : 0;
    // 880 Hz twice (100 ms, 150 ms apart), a 200 ms rest, 440 Hz for 120 ms.
    Result r = MelodyTest({"play", "880:100:150:2", "0:200", "440:120"});
    EXPECT_EQ(r.out, "play ok=1 bytes=48 error=0\n");
    auto lines = WaitForLog(before + 3, 10);
    ASSERT_EQ(lines.size(), before + 3);
    auto tones = Tones();
    ASSERT_EQ(tones.size(), tonesBefore + 3);
    const auto* t = &tones[tonesBefore];
    EXPECT_NEAR(t[0].frequency, 880, 880 * 0.02);
    EXPECT_NEAR(t[1].frequency, 880, 880 * 0.02);
    EXPECT_NEAR(t[2].frequency, 440, 440 * 0.02);
    EXPECT_NEAR(t[0].durationMs, 100, 5);
    EXPECT_NEAR(t[1].durationMs, 100, 5);
    EXPECT_NEAR(t[2].durationMs, 120, 6);
    EXPECT_NEAR(t[1].startMs - (t[0].startMs + t[0].durationMs), 150, 30);
    EXPECT_NEAR(t[2].startMs - (t[1].startMs + t[1].durationMs), 200, 40); // the rest
}

// Unloading with notes still queued: the thread plays them all first (WaitAny favours the
// semaphore at index 0 over the stop event), then exits; Stop() finds the thread through its
// handle (a kernel handle in ntsim), nothing crashes and the driver's pool is gone.
TEST_F(MelodyE2e, UnloadWithQueuedNotesNeitherCrashesNorLeaks) {
    size_t before = ReadLines(LogPath()).size();
    Result r = MelodyTest({"play", "500:150", "600:150", "700:150", "800:150"});
    EXPECT_EQ(r.out, "play ok=1 bytes=64 error=0\n");
    EXPECT_GT(PoolBytes("mldy"), 0);
    Result stop = Ntsim(root_, {"sc", "stop", "kmelody"});
    EXPECT_EQ(stop.exitCode, 0) << stop.out;
    EXPECT_NE(stop.out.find("1  STOPPED"), std::string::npos) << stop.out;
    auto lines = ReadLines(LogPath()); // the unload waited for the queue to drain
    EXPECT_EQ(lines.size(), before + 4);
    EXPECT_EQ(PoolBytes("mldy"), 0);
    EXPECT_TRUE(Control(root_, {{"command", "ping"}}).value("ok", false));
    Result dbg = Ntsim(root_, {"dbgview"});
    EXPECT_NE(dbg.out.find("Stop event signaled. Exiting thread..."), std::string::npos);
    EXPECT_EQ(dbg.out.find("ObReferenceObjectByHandle error"), std::string::npos);
    EXPECT_EQ(dbg.out.find("leaked"), std::string::npos);
}

// `sc stop` while a client still holds a handle: the stop is pending until the handle closes
// (then DriverUnload runs: the queued notes are played first); nothing crashes or leaks.
TEST_F(MelodyE2e, StopWhileAClientHoldsTheDevice) {
    size_t before = ReadLines(LogPath()).size();
    int fd = -1;
    pid_t client =
        Spawn({ClientPath("melodytest"), "hold", "1500", "520:100", "620:100"}, root_, &fd);
    ASSERT_GT(client, 0);
    std::string out;
    char buffer[256];
    ssize_t n = read(fd, buffer, sizeof buffer); // "play ..." once the notes are queued
    if (n > 0) out.assign(buffer, size_t(n));
    EXPECT_EQ(out, "play ok=1 bytes=32 error=0\n");
    Result stop = Ntsim(root_, {"sc", "stop", "kmelody"});
    EXPECT_NE(stop.out.find("STOP_PENDING"), std::string::npos) << stop.out;
    while (read(fd, buffer, sizeof buffer) > 0) {
    }
    close(fd);
    int status = 0;
    waitpid(client, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    // The unload completes once the handle is closed.
    EXPECT_TRUE(WaitForState(root_, "kmelody", "1  STOPPED")) << ServiceState(root_, "kmelody");
    EXPECT_EQ(ReadLines(LogPath()).size(), before + 2);
    EXPECT_EQ(PoolBytes("mldy"), 0);
    EXPECT_TRUE(Control(root_, {{"command", "ping"}}).value("ok", false));
}

} // namespace
