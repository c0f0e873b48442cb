// The beep WAV: RIFF/WAVE, "fmt " chunk (PCM, 1 channel, 16 bits), "data" chunk. Tones are sine
// waves; each starts at phase 0 and is faded in and out over 2 ms so a cut does not click
// (the fades are short enough not to change the measured duration beyond a sample or two).
#include "hal/wav_writer.h"

#include <cmath>
#include <cstring>
#include <vector>

namespace ntsim::hal {
namespace {

constexpr uint32_t kHeaderSize = 44;
constexpr double kAmplitude = 0.5 * 32767;
constexpr uint32_t kFadeSamples = WavWriter::kSampleRate / 500; // 2 ms

void Put16(unsigned char* p, uint16_t v) {
    p[0] = uint8_t(v);
    p[1] = uint8_t(v >> 8);
}
void Put32(unsigned char* p, uint32_t v) {
    Put16(p, uint16_t(v));
    Put16(p + 2, uint16_t(v >> 16));
}

} // namespace

WavWriter::~WavWriter() {
    Close();
}

bool WavWriter::Open(const std::string& path) {
    Close();
    file_ = std::fopen(path.c_str(), "w+b");
    if (!file_) return false;
    written_ = 0;
    UpdateHeader();
    return true;
}

void WavWriter::Close() {
    if (!file_) return;
    std::fclose(file_);
    file_ = nullptr;
}

void WavWriter::UpdateHeader() {
    unsigned char h[kHeaderSize];
    // A WAV's sizes are 32-bit: the data chunk stops growing at 4 GB (27 hours at 22050 Hz).
    uint64_t bytes64 = written_ * 2;
    uint32_t dataBytes =
        bytes64 > 0xFFFFFFFFull - kHeaderSize ? 0xFFFFFFFFu - kHeaderSize : uint32_t(bytes64);
    std::memcpy(h, "RIFF", 4);
    Put32(h + 4, 36 + dataBytes);
    std::memcpy(h + 8, "WAVE", 4);
    std::memcpy(h + 12, "fmt ", 4);
    Put32(h + 16, 16);
    Put16(h + 20, 1); // PCM
    Put16(h + 22, 1); // mono
    Put32(h + 24, kSampleRate);
    Put32(h + 28, kSampleRate * 2); // bytes per second
    Put16(h + 32, 2);               // block align
    Put16(h + 34, 16);              // bits per sample
    std::memcpy(h + 36, "data", 4);
    Put32(h + 40, dataBytes);
    std::fseek(file_, 0, SEEK_SET);
    std::fwrite(h, 1, sizeof h, file_);
    std::fseek(file_, 0, SEEK_END);
    std::fflush(file_);
}

void WavWriter::WriteSilence(uint64_t count) {
    static const std::vector<unsigned char> zeros(64 * 1024, 0);
    uint64_t bytes = count * 2;
    while (bytes) {
        size_t n = bytes < zeros.size() ? size_t(bytes) : zeros.size();
        std::fwrite(zeros.data(), 1, n, file_);
        bytes -= n;
    }
    written_ += count;
}

void WavWriter::AppendTone(uint64_t startSample, uint32_t frequency, uint64_t sampleCount) {
    if (!file_) return;
    if (startSample > written_) WriteSilence(startSample - written_);
    std::vector<unsigned char> block(size_t(sampleCount) * 2);
    const double step = 2.0 * M_PI * double(frequency) / kSampleRate;
    for (uint64_t i = 0; i < sampleCount; ++i) {
        double gain = 1.0;
        if (i < kFadeSamples) gain = double(i) / kFadeSamples;
        if (sampleCount - i < kFadeSamples)
            gain = std::min(gain, double(sampleCount - i) / kFadeSamples);
        auto v = int16_t(std::lround(kAmplitude * gain * std::sin(step * double(i))));
        Put16(&block[size_t(i) * 2], uint16_t(v));
    }
    std::fwrite(block.data(), 1, block.size(), file_);
    written_ += sampleCount;
    UpdateHeader();
}

} // namespace ntsim::hal
