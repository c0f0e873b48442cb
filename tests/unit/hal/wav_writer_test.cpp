// The WAV writer against the tests' WAV reader: header, silence, tone frequency and length.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "../../e2e/wav_reader.h"
#include "hal/wav_writer.h"

namespace {

std::string TempPath() {
    char name[] = "/tmp/ntsim-wav-XXXXXX";
    int fd = mkstemp(name);
    if (fd >= 0) close(fd);
    return name;
}

TEST(WavWriter, EmptyFileIsAValidWav) {
    std::string path = TempPath();
    ntsim::hal::WavWriter w;
    ASSERT_TRUE(w.Open(path));
    auto wav = ntsim::wav::Read(path);
    ASSERT_TRUE(wav.ok) << wav.error;
    EXPECT_EQ(wav.sampleRate, ntsim::hal::WavWriter::kSampleRate);
    EXPECT_TRUE(wav.samples.empty());
    EXPECT_EQ(wav.riffSize, 36u);
    std::remove(path.c_str());
}

TEST(WavWriter, OpenFailsInAMissingDirectory) {
    ntsim::hal::WavWriter w;
    EXPECT_FALSE(w.Open("/nonexistent-dir-ntsim/beep.wav"));
    EXPECT_FALSE(w.IsOpen());
    w.AppendTone(0, 440, 100); // ignored, no crash
}

TEST(WavWriter, TonesAndSilenceAreWhereTheTimelineSays) {
    constexpr uint32_t rate = ntsim::hal::WavWriter::kSampleRate;
    std::string path = TempPath();
    ntsim::hal::WavWriter w;
    ASSERT_TRUE(w.Open(path));
    w.AppendTone(rate / 10, 800, rate / 2);      // 100 ms silence, 500 ms at 800 Hz
    w.AppendTone(rate, 1200, rate * 3 / 10);     // 400 ms silence, 300 ms at 1200 Hz
    w.AppendTone(rate * 13 / 10, 300, rate / 5); // adjacent: 200 ms at 300 Hz, no gap
    w.AppendTone(rate, 500, rate / 10);          // in the past: appended right after
    EXPECT_EQ(w.SamplesWritten(), uint64_t(rate) * 16 / 10);
    auto wav = ntsim::wav::Read(path);
    ASSERT_TRUE(wav.ok) << wav.error;
    EXPECT_EQ(wav.samples.size(), size_t(rate) * 16 / 10);
    EXPECT_EQ(wav.dataSize, wav.samples.size() * 2);
    EXPECT_EQ(wav.riffSize, 36 + wav.dataSize);
    auto tones = ntsim::wav::FindTones(wav);
    ASSERT_EQ(tones.size(), 4u);
    const double expect[4][3] = {
        {100, 500, 800}, {1000, 300, 1200}, {1300, 200, 300}, {1500, 100, 500}};
    for (size_t i = 0; i < 4; ++i) {
        SCOPED_TRACE(i);
        EXPECT_NEAR(tones[i].startMs, expect[i][0], 3);
        EXPECT_NEAR(tones[i].durationMs, expect[i][1], expect[i][1] * 0.02);
        EXPECT_NEAR(tones[i].frequency, expect[i][2], expect[i][2] * 0.01);
    }
    std::remove(path.c_str());
}

} // namespace
