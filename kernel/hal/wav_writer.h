// A 16-bit mono PCM WAV file whose sample timeline is written in order: silence up to a tone's
// start, then the tone. The RIFF sizes are rewritten after every append, so the file is a valid
// WAV whenever no append is in progress.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace ntsim::hal {

class WavWriter {
public:
    static constexpr uint32_t kSampleRate = 22050;

    ~WavWriter();
    // Creates (truncates) the file and writes an empty WAV. False if it cannot be created.
    bool Open(const std::string& path);
    bool IsOpen() const { return file_ != nullptr; }
    void Close();

    // Appends silence up to `startSample` (if the timeline is not past it yet), then a sine
    // tone of `frequency` Hz lasting `sampleCount` samples, then updates the header.
    void AppendTone(uint64_t startSample, uint32_t frequency, uint64_t sampleCount);
    uint64_t SamplesWritten() const { return written_; }

private:
    void WriteSilence(uint64_t count);
    void UpdateHeader();

    std::FILE* file_ = nullptr;
    uint64_t written_ = 0; // samples in the data chunk
};

} // namespace ntsim::hal
