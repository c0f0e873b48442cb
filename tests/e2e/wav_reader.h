// A small WAV decoder for the tests: reads 16-bit mono PCM and finds the tones in it. A tone is
// a run of non-silent samples; inside one run, consecutive tones (no silence between them) are
// told apart by their frequency, measured from the spacing of upward zero crossings. Every
// tone the beep device renders starts at phase 0, so a new tone's first upward crossing marks
// its start.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace ntsim::wav {

struct Wav {
    bool ok = false;
    std::string error;
    uint32_t sampleRate = 0;
    std::vector<int16_t> samples;
    uint32_t riffSize = 0; // as stored in the header
    uint32_t dataSize = 0;
    size_t fileSize = 0;
};

struct Tone {
    double startMs = 0;
    double durationMs = 0;
    double frequency = 0;
};

inline uint32_t Le32(const unsigned char* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
inline uint16_t Le16(const unsigned char* p) {
    return uint16_t(p[0] | p[1] << 8);
}

inline Wav Read(const std::string& path) {
    Wav w;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
        w.error = "cannot open " + path;
        return w;
    }
    std::vector<unsigned char> bytes;
    unsigned char buffer[65536];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
        bytes.insert(bytes.end(), buffer, buffer + n);
    std::fclose(f);
    w.fileSize = bytes.size();
    if (bytes.size() < 12 || std::memcmp(bytes.data(), "RIFF", 4) != 0 ||
        std::memcmp(bytes.data() + 8, "WAVE", 4) != 0) {
        w.error = "not a RIFF/WAVE file";
        return w;
    }
    w.riffSize = Le32(bytes.data() + 4);
    bool haveFormat = false;
    size_t pos = 12;
    while (pos + 8 <= bytes.size()) {
        const unsigned char* chunk = bytes.data() + pos;
        uint32_t size = Le32(chunk + 4);
        if (std::memcmp(chunk, "fmt ", 4) == 0 && size >= 16 && pos + 8 + size <= bytes.size()) {
            if (Le16(chunk + 8) != 1 || Le16(chunk + 10) != 1 || Le16(chunk + 22) != 16) {
                w.error = "not 16-bit mono PCM";
                return w;
            }
            w.sampleRate = Le32(chunk + 12);
            haveFormat = true;
        } else if (std::memcmp(chunk, "data", 4) == 0) {
            w.dataSize = size;
            if (pos + 8 + size > bytes.size()) {
                w.error = "data chunk runs past the end of the file";
                return w;
            }
            w.samples.resize(size / 2);
            for (size_t i = 0; i < w.samples.size(); ++i)
                w.samples[i] = int16_t(Le16(chunk + 8 + 2 * i));
        }
        pos += 8 + size + (size & 1);
    }
    if (!haveFormat || !w.sampleRate) {
        w.error = "no fmt chunk";
        return w;
    }
    w.ok = true;
    return w;
}

// Upward zero crossings of samples[from, to), at fractional sample positions.
inline std::vector<double> UpwardCrossings(const std::vector<int16_t>& s, size_t from, size_t to) {
    std::vector<double> out;
    for (size_t i = from + 1; i < to; ++i)
        if (s[i - 1] <= 0 && s[i] > 0)
            out.push_back(double(i - 1) + double(-s[i - 1]) / double(s[i] - s[i - 1]));
    return out;
}

// Tones in the file. `threshold`: the amplitude below which a sample is silent; `minGapMs`:
// the shortest silence that separates two tones.
inline std::vector<Tone> FindTones(const Wav& w, int threshold = 200, double minGapMs = 1.0) {
    std::vector<Tone> tones;
    const auto& s = w.samples;
    const double rate = w.sampleRate;
    const size_t minGap = size_t(minGapMs * rate / 1000) + 1;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::abs(int(s[i])) < threshold)
            ++i;
        if (i >= s.size()) break;
        size_t start = i, last = i, quiet = 0;
        for (; i < s.size(); ++i) {
            if (std::abs(int(s[i])) >= threshold) {
                last = i;
                quiet = 0;
            } else if (++quiet >= minGap) {
                break;
            }
        }
        size_t end = last + 1;
        // Split the loud run where the period between upward crossings changes (> 4%).
        auto c = UpwardCrossings(s, start > 0 ? start - 1 : 0, std::min(end + 1, s.size()));
        std::vector<double> bounds{double(start)};     // tone starts, in samples
        std::vector<std::pair<size_t, size_t>> groups; // [first crossing, last crossing]
        size_t groupFirst = 0;
        double groupMean = 0;
        size_t groupCount = 0;
        auto deviates = [](double a, double b) { return std::fabs(a - b) > 0.04 * b; };
        for (size_t k = 0; k + 1 < c.size(); ++k) {
            double d = c[k + 1] - c[k];
            if (groupCount == 0 || !deviates(d, groupMean)) {
                groupMean = (groupMean * double(groupCount) + d) / double(groupCount + 1);
                ++groupCount;
                continue;
            }
            // A new tone: its first crossing is k when the next interval agrees with d, else
            // d straddles the boundary and the new tone starts at crossing k + 1.
            size_t first = k;
            if (k + 2 < c.size() && deviates(c[k + 2] - c[k + 1], d)) first = k + 1;
            if (groupCount >= 3) {
                groups.push_back({groupFirst, k});
                bounds.push_back(c[first]);
            }
            groupFirst = first;
            groupMean = first == k ? d : 0;
            groupCount = first == k ? 1 : 0;
        }
        groups.push_back({groupFirst, c.empty() ? 0 : c.size() - 1});
        bounds.push_back(double(end));
        for (size_t g = 0; g < groups.size(); ++g) {
            Tone t;
            t.startMs = bounds[g] * 1000 / rate;
            t.durationMs = (bounds[g + 1] - bounds[g]) * 1000 / rate;
            auto [a, b] = groups[g];
            if (b > a) t.frequency = rate * double(b - a) / (c[b] - c[a]);
            tones.push_back(t);
        }
    }
    return tones;
}

} // namespace ntsim::wav
