// The speaker behind \Device\Beep: one tone at a time, played by a kernel thread that starts
// queued requests (completing their IRPs once the tone sounds), ends tones on time, and writes
// each finished tone to the WAV and the speaker log.
#pragma once

#include <string>

#include <wdm.h>

namespace ntsim::hal {

struct ToneRequest {
    PIRP irp = nullptr; // completed with STATUS_SUCCESS when the tone starts
    ULONG frequency = 0;
    ULONG durationMs = 0;
    PFILE_OBJECT owner = nullptr; // its cleanup cuts the tone (nullptr: IRPs without a file)
    ULONG processId = 0;
    ULONG sessionId = 0;
    std::string imageName;
};

void StartSpeaker(const std::string& root); // root empty: in-memory log only
void StopSpeaker();                         // cuts a playing tone, cancels queued requests
void QueueTone(ToneRequest request);        // the IRP is already marked pending
// Cuts the playing tone (owner nullptr: whoever started it; else only if `owner` started it).
// Queued requests of `owner` lose their owner (they still play: their IRPs are pending).
void CutTone(PFILE_OBJECT owner, bool anyOwner);

} // namespace ntsim::hal
