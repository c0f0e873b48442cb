// The client half of the channel benchmark: a Win32 program, run by channel_bench against a
// booted kernel with e2e_echo.sys loaded, that times N calls one by one and prints the per-call
// latencies' percentiles on one line:
//   p50_ns=... p90_ns=... p99_ns=... mean_ns=... calls=...
//
//   channel_bench_client ioctl N   DeviceIoControl(IOCTL_ECHO_BUFFERED), 16 bytes in and out
//   channel_bench_client read N    ReadFile of 64 KiB from \\.\E2eEcho (buffered I/O)
//   channel_bench_client dread N   ReadFile of 64 KiB from \\.\E2eEchoDirect (direct I/O)
// The buffers are ordinary process memory, as a reader of the book would pass them.
#include <Windows.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "e2e_echo_ioctl.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr DWORD kReadSize = 64 * 1024;
constexpr int kWarmup = 200;

int Fail(const char* what) {
    std::fprintf(stderr, "channel_bench_client: %s failed (error %u)\n", what,
                 unsigned(GetLastError()));
    return 1;
}

bool CheckPattern(const unsigned char* data, DWORD size) {
    for (DWORD i = 0; i < size; ++i)
        if (data[i] != 'A' + i % 26) return false;
    return true;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: channel_bench_client ioctl|read|dread N\n");
        return 2;
    }
    const std::string mode = argv[1];
    const int calls = std::atoi(argv[2]);
    if (calls <= 0 || (mode != "ioctl" && mode != "read" && mode != "dread")) return 2;

    HANDLE device =
        CreateFileW(mode == "dread" ? L"\\\\.\\E2eEchoDirect" : L"\\\\.\\E2eEcho",
                    GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr);
    if (device == INVALID_HANDLE_VALUE) return Fail("CreateFile");

    unsigned char in[16], out[16];
    std::vector<unsigned char> data(kReadSize);
    for (int i = 0; i < 16; ++i)
        in[i] = static_cast<unsigned char>(i * 7 + 1);

    auto once = [&](int i) -> bool {
        DWORD bytes = 0;
        if (mode == "ioctl") {
            in[0] = static_cast<unsigned char>(i);
            return DeviceIoControl(device, IOCTL_ECHO_BUFFERED, in, sizeof(in), out, sizeof(out),
                                   &bytes, nullptr) &&
                   bytes == sizeof(out);
        }
        return ReadFile(device, data.data(), kReadSize, &bytes, nullptr) && bytes == kReadSize;
    };

    for (int i = 0; i < kWarmup; ++i)
        if (!once(i)) return Fail(mode.c_str());
    // The results are checked once, outside the timed calls.
    if (mode == "ioctl" ? std::memcmp(in, out, sizeof(in)) != 0
                        : !CheckPattern(data.data(), kReadSize)) {
        std::fprintf(stderr, "channel_bench_client: wrong data from %s\n", mode.c_str());
        return 1;
    }

    std::vector<double> samples(size_t(calls), 0.0);
    for (int i = 0; i < calls; ++i) {
        auto start = Clock::now();
        bool ok = once(i);
        auto end = Clock::now();
        if (!ok) return Fail(mode.c_str());
        samples[size_t(i)] = std::chrono::duration<double, std::nano>(end - start).count();
    }
    CloseHandle(device);

    double sum = 0;
    for (double s : samples)
        sum += s;
    std::sort(samples.begin(), samples.end());
    auto at = [&](int percent) {
        return samples[std::min(samples.size() - 1, samples.size() * size_t(percent) / 100)];
    };
    std::string line = "p50_ns=" + std::to_string(at(50)) + " p90_ns=" + std::to_string(at(90)) +
                       " p99_ns=" + std::to_string(at(99)) +
                       " mean_ns=" + std::to_string(sum / double(calls)) +
                       " calls=" + std::to_string(calls) + "\n";
    std::fputs(line.c_str(), stdout);
    return 0;
}
