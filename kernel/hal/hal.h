// Kernel-internal interface of the HAL folder: the built-in devices the book's samples need.
// \Device\Beep (driver \Driver\Beep) renders tones to ROOT/audio/beep.wav and logs each tone in
// ROOT/audio/speaker.log (and in memory, for kernels without a root).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ntdef.h"

namespace ntsim::hal {

// Creates \Driver\Beep and \Device\Beep and starts the speaker. `root` empty: no files.
void Initialize(const std::string& root);
// Stops the speaker (a playing tone is cut and written) and deletes the device and driver.
void Shutdown();

// One tone as the speaker played it.
struct ToneRecord {
    ULONG frequency = 0;     // Hz
    ULONG requestedMs = 0;   // BEEP_SET_PARAMETERS.Duration
    ULONG actualMs = 0;      // how long it sounded (shorter when cut)
    bool cut = false;        // replaced, stopped or its handle closed before the end
    double startSeconds = 0; // since the first tone of this kernel (the WAV's timeline)
    ULONG processId = 0;     // requester
    std::string imageName;   // requester's image, UTF-8
    ULONG sessionId = 0;     // requester's session
};

// Every tone finished so far (oldest first) and the number of tones started.
std::vector<ToneRecord> SpeakerLog();
uint64_t TonesStarted();

} // namespace ntsim::hal
