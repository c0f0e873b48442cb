// Part of ntddk.h (ntsim SDK): declarations ntddk.h has and wdm.h does not.
// Sections are owned by the component named in each heading; keep them separate.
#pragma once

#include <km/types.h>

#ifdef __cplusplus
extern "C" {
#endif

// ==== Ps: process, thread and image notifications (kernel/ps) =================================
// Callback typedefs carry no calling-convention attribute: drivers implement them.

typedef VOID (*PCREATE_PROCESS_NOTIFY_ROUTINE)(HANDLE ParentId, HANDLE ProcessId, BOOLEAN Create);

typedef struct _PS_CREATE_NOTIFY_INFO {
    SIZE_T Size;
    union {
        ULONG Flags;
        struct {
            ULONG FileOpenNameAvailable : 1;
            ULONG IsSubsystemProcess : 1;
            ULONG Reserved : 30;
        };
    };
    HANDLE ParentProcessId;
    CLIENT_ID CreatingThreadId;
    struct _FILE_OBJECT* FileObject;
    PCUNICODE_STRING ImageFileName;
    PCUNICODE_STRING CommandLine;
    NTSTATUS CreationStatus;
} PS_CREATE_NOTIFY_INFO, *PPS_CREATE_NOTIFY_INFO;
static_assert(sizeof(PS_CREATE_NOTIFY_INFO) == 0x48, "PS_CREATE_NOTIFY_INFO size");
static_assert(__builtin_offsetof(PS_CREATE_NOTIFY_INFO, Size) == 0x00 &&
                  __builtin_offsetof(PS_CREATE_NOTIFY_INFO, Flags) == 0x08 &&
                  __builtin_offsetof(PS_CREATE_NOTIFY_INFO, ParentProcessId) == 0x10 &&
                  __builtin_offsetof(PS_CREATE_NOTIFY_INFO, CreatingThreadId) == 0x18 &&
                  __builtin_offsetof(PS_CREATE_NOTIFY_INFO, FileObject) == 0x28 &&
                  __builtin_offsetof(PS_CREATE_NOTIFY_INFO, ImageFileName) == 0x30 &&
                  __builtin_offsetof(PS_CREATE_NOTIFY_INFO, CommandLine) == 0x38 &&
                  __builtin_offsetof(PS_CREATE_NOTIFY_INFO, CreationStatus) == 0x40,
              "PS_CREATE_NOTIFY_INFO offsets");

typedef VOID (*PCREATE_PROCESS_NOTIFY_ROUTINE_EX)(PEPROCESS Process, HANDLE ProcessId,
                                                  PPS_CREATE_NOTIFY_INFO CreateInfo);

typedef enum _PSCREATEPROCESSNOTIFYTYPE {
    PsCreateProcessNotifySubsystems = 0
} PSCREATEPROCESSNOTIFYTYPE;

typedef VOID (*PCREATE_THREAD_NOTIFY_ROUTINE)(HANDLE ProcessId, HANDLE ThreadId, BOOLEAN Create);

typedef enum _PSCREATETHREADNOTIFYTYPE {
    PsCreateThreadNotifyNonSystem = 0,
    PsCreateThreadNotifySubsystems = 1
} PSCREATETHREADNOTIFYTYPE;

#define IMAGE_ADDRESSING_MODE_32BIT 3

typedef struct _IMAGE_INFO {
    union {
        ULONG Properties;
        struct {
            ULONG ImageAddressingMode : 8;
            ULONG SystemModeImage : 1;
            ULONG ImageMappedToAllPids : 1;
            ULONG ExtendedInfoPresent : 1;
            ULONG MachineTypeMismatch : 1;
            ULONG ImageSignatureLevel : 4;
            ULONG ImageSignatureType : 3;
            ULONG ImagePartialMap : 1;
            ULONG Reserved : 12;
        };
    };
    PVOID ImageBase;
    ULONG ImageSelector;
    SIZE_T ImageSize;
    ULONG ImageSectionNumber;
} IMAGE_INFO, *PIMAGE_INFO;
// x64: Properties, 4 bytes padding, ImageBase, ImageSelector + padding, ImageSize,
// ImageSectionNumber + padding = 0x28 bytes.
static_assert(sizeof(IMAGE_INFO) == 0x28, "IMAGE_INFO size");
static_assert(__builtin_offsetof(IMAGE_INFO, Properties) == 0x00 &&
                  __builtin_offsetof(IMAGE_INFO, ImageBase) == 0x08 &&
                  __builtin_offsetof(IMAGE_INFO, ImageSelector) == 0x10 &&
                  __builtin_offsetof(IMAGE_INFO, ImageSize) == 0x18 &&
                  __builtin_offsetof(IMAGE_INFO, ImageSectionNumber) == 0x20,
              "IMAGE_INFO offsets");

typedef struct _IMAGE_INFO_EX {
    SIZE_T Size;
    IMAGE_INFO ImageInfo;
    struct _FILE_OBJECT* FileObject;
} IMAGE_INFO_EX, *PIMAGE_INFO_EX;
static_assert(sizeof(IMAGE_INFO_EX) == 0x38, "IMAGE_INFO_EX size");
static_assert(__builtin_offsetof(IMAGE_INFO_EX, Size) == 0x00 &&
                  __builtin_offsetof(IMAGE_INFO_EX, ImageInfo) == 0x08 &&
                  __builtin_offsetof(IMAGE_INFO_EX, FileObject) == 0x30,
              "IMAGE_INFO_EX offsets");

typedef VOID (*PLOAD_IMAGE_NOTIFY_ROUTINE)(PUNICODE_STRING FullImageName, HANDLE ProcessId,
                                           PIMAGE_INFO ImageInfo);
#define PS_IMAGE_NOTIFY_CONFLICTING_ARCHITECTURE 0x1

// Registration APIs (implemented with the notification issue).
NTKERNELAPI NTSTATUS NTAPI
PsSetCreateProcessNotifyRoutine(PCREATE_PROCESS_NOTIFY_ROUTINE NotifyRoutine, BOOLEAN Remove);
NTKERNELAPI NTSTATUS NTAPI
PsSetCreateProcessNotifyRoutineEx(PCREATE_PROCESS_NOTIFY_ROUTINE_EX NotifyRoutine, BOOLEAN Remove);
NTKERNELAPI NTSTATUS NTAPI PsSetCreateProcessNotifyRoutineEx2(PSCREATEPROCESSNOTIFYTYPE NotifyType,
                                                              PVOID NotifyInformation,
                                                              BOOLEAN Remove);
NTKERNELAPI NTSTATUS NTAPI
PsSetCreateThreadNotifyRoutine(PCREATE_THREAD_NOTIFY_ROUTINE NotifyRoutine);
NTKERNELAPI NTSTATUS NTAPI PsSetCreateThreadNotifyRoutineEx(PSCREATETHREADNOTIFYTYPE NotifyType,
                                                            PVOID NotifyInformation);
NTKERNELAPI NTSTATUS NTAPI
PsRemoveCreateThreadNotifyRoutine(PCREATE_THREAD_NOTIFY_ROUTINE NotifyRoutine);
NTKERNELAPI NTSTATUS NTAPI PsSetLoadImageNotifyRoutine(PLOAD_IMAGE_NOTIFY_ROUTINE NotifyRoutine);
NTKERNELAPI NTSTATUS NTAPI PsSetLoadImageNotifyRoutineEx(PLOAD_IMAGE_NOTIFY_ROUTINE NotifyRoutine,
                                                         ULONG_PTR Flags);
NTKERNELAPI NTSTATUS NTAPI PsRemoveLoadImageNotifyRoutine(PLOAD_IMAGE_NOTIFY_ROUTINE NotifyRoutine);

// SYSTEM_INFORMATION_CLASS, SYSTEM_PROCESS_INFORMATION and ZwQuerySystemInformation are not in
// the WDK's ntddk.h (drivers declare them themselves, e.g. the book's EnumProc): they are in
// <ntsim/ntsysinfo.h>, which ntddk.h deliberately does not include.

#ifdef __cplusplus
}
#endif
