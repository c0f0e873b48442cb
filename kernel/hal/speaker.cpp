// The speaker thread and the audio outputs (see speaker.h). Time is the monotonic clock; the
// WAV's sample 0 is the start of the first tone, so silences between tones keep their real
// length.
#include "hal/speaker.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <vector>

#include "hal/hal.h"
#include "hal/wav_writer.h"
#include "ob/ob.h"
#include "ps/ps.h"

namespace ntsim::hal {
namespace {

using Clock = std::chrono::steady_clock;

struct Playing {
    ToneRequest request; // irp already completed (nullptr)
    Clock::time_point start;
    Clock::time_point end;
    std::chrono::system_clock::time_point wallStart;
};

struct Speaker {
    std::mutex lock;
    std::condition_variable wake;
    std::deque<ToneRequest> queue;
    std::optional<Playing> current;
    bool stopping = false;
    bool running = false;
    PETHREAD thread = nullptr;

    std::optional<Clock::time_point> origin; // start of the first tone
    std::string audioDir;                    // empty: no files
    WavWriter wav;
    std::FILE* log = nullptr;
    std::vector<ToneRecord> records;
    uint64_t started = 0;
};

// Never destroyed: the speaker thread may still wait on its condition variable at exit (a
// kernel that is not shut down), and destroying a waited-on condition variable blocks.
Speaker& g_speaker = *new Speaker;

std::string WallTime(std::chrono::system_clock::time_point t) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    std::time_t seconds = std::time_t(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms % 1000));
    return text;
}

// Opens the outputs on the first tone (a kernel that never beeps leaves no empty WAV).
void OpenOutputs(Speaker& s) {
    if (s.audioDir.empty() || s.wav.IsOpen()) return;
    std::error_code ec;
    std::filesystem::create_directories(s.audioDir, ec);
    s.wav.Open(s.audioDir + "/beep.wav");
    s.log = std::fopen((s.audioDir + "/speaker.log").c_str(), "a");
}

// Writes the playing tone, ended at `end` (cut if before its requested end). Lock held.
void FinishTone(Speaker& s, Clock::time_point end, bool cut) {
    if (!s.current) return;
    Playing& p = *s.current;
    if (end >= p.end) {
        end = p.end;
        cut = false;
    }
    ToneRecord r;
    r.frequency = p.request.frequency;
    r.requestedMs = p.request.durationMs;
    auto actualUs = std::chrono::duration_cast<std::chrono::microseconds>(end - p.start).count();
    r.actualMs = cut ? ULONG(actualUs / 1000) : p.request.durationMs;
    r.cut = cut;
    r.startSeconds = std::chrono::duration<double>(p.start - *s.origin).count();
    r.processId = p.request.processId;
    r.sessionId = p.request.sessionId;
    r.imageName = p.request.imageName;

    if (s.wav.IsOpen()) {
        auto startSample = uint64_t(r.startSeconds * WavWriter::kSampleRate + 0.5);
        uint64_t count = cut ? uint64_t(actualUs) * WavWriter::kSampleRate / 1000000
                             : uint64_t(r.requestedMs) * WavWriter::kSampleRate / 1000;
        s.wav.AppendTone(startSample, r.frequency, count);
    }
    if (s.log) {
        std::fprintf(s.log, "%s t=%.3f freq=%u duration=%u", WallTime(p.wallStart).c_str(),
                     r.startSeconds, r.frequency, r.requestedMs);
        if (cut) std::fprintf(s.log, " actual=%u cut", r.actualMs);
        std::fprintf(s.log, " pid=%u session=%u image=%s\n", r.processId, r.sessionId,
                     r.imageName.c_str());
        std::fflush(s.log);
    }
    s.records.push_back(std::move(r));
    s.current.reset();
}

void CompleteIrp(PIRP irp, NTSTATUS status) {
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = 0;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
}

void SpeakerThread(void*) {
    Speaker& s = g_speaker;
    std::unique_lock guard(s.lock);
    for (;;) {
        if (!s.queue.empty()) {
            ToneRequest request = std::move(s.queue.front());
            s.queue.pop_front();
            auto now = Clock::now();
            FinishTone(s, now, true); // a new tone replaces the playing one
            if (!s.origin) s.origin = now;
            OpenOutputs(s);
            PIRP irp = request.irp;
            request.irp = nullptr;
            auto length = std::chrono::milliseconds(request.durationMs);
            s.current =
                Playing{std::move(request), now, now + length, std::chrono::system_clock::now()};
            ++s.started;
            // The tone sounds: the requester's wait ends now, not when the tone does.
            guard.unlock();
            CompleteIrp(irp, STATUS_SUCCESS);
            guard.lock();
            continue;
        }
        if (s.stopping) break;
        if (s.current) {
            if (Clock::now() >= s.current->end) {
                FinishTone(s, s.current->end, false);
                continue;
            }
            s.wake.wait_until(guard, s.current->end);
        } else {
            s.wake.wait(guard);
        }
    }
    FinishTone(s, Clock::now(), true);
}

} // namespace

void StartSpeaker(const std::string& root) {
    Speaker& s = g_speaker;
    {
        std::lock_guard guard(s.lock);
        if (s.running) return;
        s.stopping = false;
        s.running = true;
        s.origin.reset();
        s.current.reset();
        s.records.clear();
        s.started = 0;
        s.audioDir = root.empty() ? std::string() : root + "/audio";
    }
    s.thread = ps::StartKernelThread(0, SpeakerThread, nullptr);
}

void StopSpeaker() {
    Speaker& s = g_speaker;
    std::deque<ToneRequest> leftovers;
    {
        std::lock_guard guard(s.lock);
        if (!s.running) return;
        s.stopping = true;
        leftovers.swap(s.queue);
    }
    s.wake.notify_all();
    for (auto& r : leftovers)
        CompleteIrp(r.irp, STATUS_CANCELLED);
    if (s.thread) {
        KeWaitForSingleObject(s.thread, Executive, KernelMode, FALSE, nullptr);
        ob::DereferenceObject(s.thread);
        s.thread = nullptr;
    }
    std::lock_guard guard(s.lock);
    s.wav.Close();
    if (s.log) std::fclose(s.log);
    s.log = nullptr;
    s.running = false;
}

void QueueTone(ToneRequest request) {
    Speaker& s = g_speaker;
    {
        std::lock_guard guard(s.lock);
        if (s.running && !s.stopping) {
            s.queue.push_back(std::move(request));
            request.irp = nullptr;
        }
    }
    if (request.irp) {
        CompleteIrp(request.irp, STATUS_CANCELLED); // the speaker is gone (shutdown)
        return;
    }
    s.wake.notify_all();
}

void CutTone(PFILE_OBJECT owner, bool anyOwner) {
    Speaker& s = g_speaker;
    std::lock_guard guard(s.lock);
    for (auto& r : s.queue)
        if (r.owner == owner) r.owner = nullptr;
    if (!s.current) return;
    if (!anyOwner && (owner == nullptr || s.current->request.owner != owner)) return;
    FinishTone(s, Clock::now(), true);
    s.wake.notify_all();
}

std::vector<ToneRecord> SpeakerLog() {
    std::lock_guard guard(g_speaker.lock);
    return g_speaker.records;
}

uint64_t TonesStarted() {
    std::lock_guard guard(g_speaker.lock);
    return g_speaker.started;
}

} // namespace ntsim::hal
