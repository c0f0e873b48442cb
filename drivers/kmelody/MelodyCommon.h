// Shared between the KMelody driver and the Melody client: the device's name, the note layout
// and the one IOCTL. Notes are played one after another from a single global queue.
#pragma once

#define MELODY_SYMLINK L"\\??\\KMelody"

struct Note {
    ULONG Frequency; // Hz; 0 = silence for Duration ms
    ULONG Duration;  // ms
    ULONG Delay{0};  // ms of silence between repeats
    ULONG Repeat{1}; // times to play
};
static_assert(sizeof(Note) == 16, "Note is 16 bytes");
static_assert(__builtin_offsetof(Note, Frequency) == 0 && __builtin_offsetof(Note, Duration) == 4 &&
                  __builtin_offsetof(Note, Delay) == 8 && __builtin_offsetof(Note, Repeat) == 12,
              "Note offsets");

#define MELODY_DEVICE 0x8003

#define IOCTL_MELODY_PLAY CTL_CODE(MELODY_DEVICE, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
