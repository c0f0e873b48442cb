// I/O manager part of wdm.h (ntsim SDK): driver, device and file objects, IRPs and I/O stack
// locations, their constants, the callback types a driver implements and the Io* exports.
// Layouts are x64 Windows'; every field a driver can touch is checked below its structure.
// Needs km/ke.h (KEVENT, KDPC, KAPC, KDEVICE_QUEUE) and km/mm.h (MDL) first; wdm.h orders them.
#pragma once

#include <km/types.h>
#include <devioctl.h>

// Parameter fields marked POINTER_ALIGNMENT (ntdef.h) are pointer-aligned, as in the WDK, so
// that Parameters.Others.ArgumentN overlays the Nth field of every request type.

// ---- I/O status block -----------------------------------------------------------------------
#include <ntsim/iosb.h>

// User APC routine of an asynchronous request (a routine the caller implements: no NTAPI).
typedef VOID (*PIO_APC_ROUTINE)(PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, ULONG Reserved);

// ---- major and minor function codes ---------------------------------------------------------
#define IRP_MJ_CREATE 0x00
#define IRP_MJ_CREATE_NAMED_PIPE 0x01
#define IRP_MJ_CLOSE 0x02
#define IRP_MJ_READ 0x03
#define IRP_MJ_WRITE 0x04
#define IRP_MJ_QUERY_INFORMATION 0x05
#define IRP_MJ_SET_INFORMATION 0x06
#define IRP_MJ_QUERY_EA 0x07
#define IRP_MJ_SET_EA 0x08
#define IRP_MJ_FLUSH_BUFFERS 0x09
#define IRP_MJ_QUERY_VOLUME_INFORMATION 0x0a
#define IRP_MJ_SET_VOLUME_INFORMATION 0x0b
#define IRP_MJ_DIRECTORY_CONTROL 0x0c
#define IRP_MJ_FILE_SYSTEM_CONTROL 0x0d
#define IRP_MJ_DEVICE_CONTROL 0x0e
#define IRP_MJ_INTERNAL_DEVICE_CONTROL 0x0f
#define IRP_MJ_SHUTDOWN 0x10
#define IRP_MJ_LOCK_CONTROL 0x11
#define IRP_MJ_CLEANUP 0x12
#define IRP_MJ_CREATE_MAILSLOT 0x13
#define IRP_MJ_QUERY_SECURITY 0x14
#define IRP_MJ_SET_SECURITY 0x15
#define IRP_MJ_POWER 0x16
#define IRP_MJ_SYSTEM_CONTROL 0x17
#define IRP_MJ_DEVICE_CHANGE 0x18
#define IRP_MJ_QUERY_QUOTA 0x19
#define IRP_MJ_SET_QUOTA 0x1a
#define IRP_MJ_PNP 0x1b
#define IRP_MJ_PNP_POWER IRP_MJ_PNP
#define IRP_MJ_MAXIMUM_FUNCTION 0x1b
#define IRP_MJ_SCSI IRP_MJ_INTERNAL_DEVICE_CONTROL

#define IRP_MN_SCSI_CLASS 0x01

// PnP
#define IRP_MN_START_DEVICE 0x00
#define IRP_MN_QUERY_REMOVE_DEVICE 0x01
#define IRP_MN_REMOVE_DEVICE 0x02
#define IRP_MN_CANCEL_REMOVE_DEVICE 0x03
#define IRP_MN_STOP_DEVICE 0x04
#define IRP_MN_QUERY_STOP_DEVICE 0x05
#define IRP_MN_CANCEL_STOP_DEVICE 0x06
#define IRP_MN_QUERY_DEVICE_RELATIONS 0x07
#define IRP_MN_QUERY_INTERFACE 0x08
#define IRP_MN_QUERY_CAPABILITIES 0x09
#define IRP_MN_QUERY_RESOURCES 0x0A
#define IRP_MN_QUERY_RESOURCE_REQUIREMENTS 0x0B
#define IRP_MN_QUERY_DEVICE_TEXT 0x0C
#define IRP_MN_FILTER_RESOURCE_REQUIREMENTS 0x0D
#define IRP_MN_READ_CONFIG 0x0F
#define IRP_MN_WRITE_CONFIG 0x10
#define IRP_MN_EJECT 0x11
#define IRP_MN_SET_LOCK 0x12
#define IRP_MN_QUERY_ID 0x13
#define IRP_MN_QUERY_PNP_DEVICE_STATE 0x14
#define IRP_MN_QUERY_BUS_INFORMATION 0x15
#define IRP_MN_DEVICE_USAGE_NOTIFICATION 0x16
#define IRP_MN_SURPRISE_REMOVAL 0x17
#define IRP_MN_DEVICE_ENUMERATED 0x19

// Power
#define IRP_MN_WAIT_WAKE 0x00
#define IRP_MN_POWER_SEQUENCE 0x01
#define IRP_MN_SET_POWER 0x02
#define IRP_MN_QUERY_POWER 0x03

// WMI (IRP_MJ_SYSTEM_CONTROL)
#define IRP_MN_QUERY_ALL_DATA 0x00
#define IRP_MN_QUERY_SINGLE_INSTANCE 0x01
#define IRP_MN_CHANGE_SINGLE_INSTANCE 0x02
#define IRP_MN_CHANGE_SINGLE_ITEM 0x03
#define IRP_MN_ENABLE_EVENTS 0x04
#define IRP_MN_DISABLE_EVENTS 0x05
#define IRP_MN_ENABLE_COLLECTION 0x06
#define IRP_MN_DISABLE_COLLECTION 0x07
#define IRP_MN_REGINFO 0x08
#define IRP_MN_EXECUTE_METHOD 0x09
#define IRP_MN_REGINFO_EX 0x0b

// Read/write
#define IRP_MN_NORMAL 0x00
#define IRP_MN_DPC 0x01
#define IRP_MN_MDL 0x02
#define IRP_MN_COMPLETE 0x04
#define IRP_MN_COMPRESSED 0x08
#define IRP_MN_MDL_DPC (IRP_MN_MDL | IRP_MN_DPC)
#define IRP_MN_COMPLETE_MDL (IRP_MN_COMPLETE | IRP_MN_MDL)
#define IRP_MN_COMPLETE_MDL_DPC (IRP_MN_COMPLETE_MDL | IRP_MN_DPC)

// Directory control, file system control, lock control
#define IRP_MN_QUERY_DIRECTORY 0x01
#define IRP_MN_NOTIFY_CHANGE_DIRECTORY 0x02
#define IRP_MN_USER_FS_REQUEST 0x00
#define IRP_MN_MOUNT_VOLUME 0x01
#define IRP_MN_VERIFY_VOLUME 0x02
#define IRP_MN_LOAD_FILE_SYSTEM 0x03
#define IRP_MN_KERNEL_CALL 0x04
#define IRP_MN_LOCK 0x01
#define IRP_MN_UNLOCK_SINGLE 0x02
#define IRP_MN_UNLOCK_ALL 0x03
#define IRP_MN_UNLOCK_ALL_BY_KEY 0x04

// ---- IRP flags (Irp->Flags) and allocation flags ---------------------------------------------
#define IRP_NOCACHE 0x00000001
#define IRP_PAGING_IO 0x00000002
#define IRP_MOUNT_COMPLETION 0x00000002
#define IRP_SYNCHRONOUS_API 0x00000004
#define IRP_ASSOCIATED_IRP 0x00000008
#define IRP_BUFFERED_IO 0x00000010
#define IRP_DEALLOCATE_BUFFER 0x00000020
#define IRP_INPUT_OPERATION 0x00000040
#define IRP_SYNCHRONOUS_PAGING_IO 0x00000040
#define IRP_CREATE_OPERATION 0x00000080
#define IRP_READ_OPERATION 0x00000100
#define IRP_WRITE_OPERATION 0x00000200
#define IRP_CLOSE_OPERATION 0x00000400
#define IRP_DEFER_IO_COMPLETION 0x00000800
#define IRP_OB_QUERY_NAME 0x00001000
#define IRP_HOLD_DEVICE_QUEUE 0x00002000
#define IRP_UM_DRIVER_INITIATED_IO 0x00400000

#define IRP_QUOTA_CHARGED 0x01
#define IRP_ALLOCATED_MUST_SUCCEED 0x02
#define IRP_ALLOCATED_FIXED_SIZE 0x04
#define IRP_LOOKASIDE_ALLOCATION 0x08

// ---- I/O stack location flags -----------------------------------------------------------------
// Control
#define SL_PENDING_RETURNED 0x01
#define SL_ERROR_RETURNED 0x02
#define SL_INVOKE_ON_CANCEL 0x20
#define SL_INVOKE_ON_SUCCESS 0x40
#define SL_INVOKE_ON_ERROR 0x80
// Flags: create
#define SL_FORCE_ACCESS_CHECK 0x01
#define SL_OPEN_PAGING_FILE 0x02
#define SL_OPEN_TARGET_DIRECTORY 0x04
#define SL_STOP_ON_SYMLINK 0x08
#define SL_IGNORE_READONLY_ATTRIBUTE 0x40
#define SL_CASE_SENSITIVE 0x80
// Flags: read/write
#define SL_KEY_SPECIFIED 0x01
#define SL_OVERRIDE_VERIFY_VOLUME 0x02
#define SL_WRITE_THROUGH 0x04
#define SL_FT_SEQUENTIAL_WRITE 0x08
#define SL_FORCE_DIRECT_WRITE 0x10
#define SL_REALTIME_STREAM 0x20
// Flags: device control
#define SL_READ_ACCESS_GRANTED 0x01
#define SL_WRITE_ACCESS_GRANTED 0x04
// Flags: lock, directory, notify, mount
#define SL_FAIL_IMMEDIATELY 0x01
#define SL_EXCLUSIVE_LOCK 0x02
#define SL_RESTART_SCAN 0x01
#define SL_RETURN_SINGLE_ENTRY 0x02
#define SL_INDEX_SPECIFIED 0x04
#define SL_WATCH_TREE 0x01
#define SL_ALLOW_RAW_MOUNT 0x01

// ---- device object flags and characteristics -------------------------------------------------
#define DO_VERIFY_VOLUME 0x00000002
#define DO_BUFFERED_IO 0x00000004
#define DO_EXCLUSIVE 0x00000008
#define DO_DIRECT_IO 0x00000010
#define DO_MAP_IO_BUFFER 0x00000020
#define DO_DEVICE_HAS_NAME 0x00000040
#define DO_DEVICE_INITIALIZING 0x00000080
#define DO_SYSTEM_BOOT_PARTITION 0x00000100
#define DO_LONG_TERM_REQUESTS 0x00000200
#define DO_NEVER_LAST_DEVICE 0x00000400
#define DO_SHUTDOWN_REGISTERED 0x00000800
#define DO_BUS_ENUMERATED_DEVICE 0x00001000
#define DO_POWER_PAGABLE 0x00002000
#define DO_POWER_INRUSH 0x00004000
#define DO_LOW_PRIORITY_FILESYSTEM 0x00010000
#define DO_SUPPORTS_TRANSACTIONS 0x00040000
#define DO_FORCE_NEITHER_IO 0x00080000
#define DO_VOLUME_DEVICE_OBJECT 0x00100000
#define DO_SYSTEM_SYSTEM_PARTITION 0x00200000
#define DO_SYSTEM_CRITICAL_PARTITION 0x00400000
#define DO_DISALLOW_EXECUTE 0x00800000
#define DO_DEVICE_TO_BE_RESET 0x04000000
#define DO_DEVICE_IRP_REQUIRES_EXTENSION 0x08000000
#define DO_DAX_VOLUME 0x10000000
#define DO_BOOT_CRITICAL 0x20000000

#define FILE_REMOVABLE_MEDIA 0x00000001
#define FILE_READ_ONLY_DEVICE 0x00000002
#define FILE_FLOPPY_DISKETTE 0x00000004
#define FILE_WRITE_ONCE_MEDIA 0x00000008
#define FILE_REMOTE_DEVICE 0x00000010
#define FILE_DEVICE_IS_MOUNTED 0x00000020
#define FILE_VIRTUAL_VOLUME 0x00000040
#define FILE_AUTOGENERATED_DEVICE_NAME 0x00000080
#define FILE_DEVICE_SECURE_OPEN 0x00000100
#define FILE_CHARACTERISTIC_PNP_DEVICE 0x00000800
#define FILE_CHARACTERISTIC_TS_DEVICE 0x00001000
#define FILE_CHARACTERISTIC_WEBDAV_DEVICE 0x00002000
#define FILE_CHARACTERISTIC_CSV 0x00010000
#define FILE_DEVICE_ALLOW_APPCONTAINER_TRAVERSAL 0x00020000
#define FILE_PORTABLE_DEVICE 0x00040000

// Buffer alignment requirements (DEVICE_OBJECT::AlignmentRequirement).
#define FILE_BYTE_ALIGNMENT 0x00000000
#define FILE_WORD_ALIGNMENT 0x00000001
#define FILE_LONG_ALIGNMENT 0x00000003
#define FILE_QUAD_ALIGNMENT 0x00000007
#define FILE_OCTA_ALIGNMENT 0x0000000f
#define FILE_32_BYTE_ALIGNMENT 0x0000001f
#define FILE_64_BYTE_ALIGNMENT 0x0000003f
#define FILE_128_BYTE_ALIGNMENT 0x0000007f
#define FILE_256_BYTE_ALIGNMENT 0x000000ff
#define FILE_512_BYTE_ALIGNMENT 0x000001ff

// ---- priority boosts given to the requester at completion ----------------------------------
#define IO_NO_INCREMENT 0
#define IO_CD_ROM_INCREMENT 1
#define IO_DISK_INCREMENT 1
#define IO_KEYBOARD_INCREMENT 6
#define IO_MAILSLOT_INCREMENT 2
#define IO_MOUSE_INCREMENT 6
#define IO_NAMED_PIPE_INCREMENT 2
#define IO_NETWORK_INCREMENT 2
#define IO_PARALLEL_INCREMENT 1
#define IO_SERIAL_INCREMENT 2
#define IO_SOUND_INCREMENT 8
#define IO_VIDEO_INCREMENT 1

// ---- file access rights, share modes, create dispositions and options ----------------------
#include <ntsim/fileaccess.h>
#define FILE_SHARE_VALID_FLAGS 0x00000007

#define FILE_SUPERSEDE 0x00000000
#define FILE_OPEN 0x00000001
#define FILE_CREATE 0x00000002
#define FILE_OPEN_IF 0x00000003
#define FILE_OVERWRITE 0x00000004
#define FILE_OVERWRITE_IF 0x00000005
#define FILE_MAXIMUM_DISPOSITION 0x00000005

#define FILE_DIRECTORY_FILE 0x00000001
#define FILE_WRITE_THROUGH 0x00000002
#define FILE_SEQUENTIAL_ONLY 0x00000004
#define FILE_NO_INTERMEDIATE_BUFFERING 0x00000008
#define FILE_SYNCHRONOUS_IO_ALERT 0x00000010
#define FILE_SYNCHRONOUS_IO_NONALERT 0x00000020
#define FILE_NON_DIRECTORY_FILE 0x00000040
#define FILE_CREATE_TREE_CONNECTION 0x00000080
#define FILE_COMPLETE_IF_OPLOCKED 0x00000100
#define FILE_NO_EA_KNOWLEDGE 0x00000200
#define FILE_OPEN_REMOTE_INSTANCE 0x00000400
#define FILE_RANDOM_ACCESS 0x00000800
#define FILE_DELETE_ON_CLOSE 0x00001000
#define FILE_OPEN_BY_FILE_ID 0x00002000
#define FILE_OPEN_FOR_BACKUP_INTENT 0x00004000
#define FILE_NO_COMPRESSION 0x00008000
#define FILE_OPEN_REQUIRING_OPLOCK 0x00010000
#define FILE_RESERVE_OPFILTER 0x00100000
#define FILE_OPEN_REPARSE_POINT 0x00200000
#define FILE_OPEN_NO_RECALL 0x00400000
#define FILE_OPEN_FOR_FREE_SPACE_QUERY 0x00800000
#define FILE_VALID_OPTION_FLAGS 0x00ffffff
#define FILE_VALID_PIPE_OPTION_FLAGS 0x00000032
#define FILE_VALID_MAILSLOT_OPTION_FLAGS 0x00000032
#define FILE_VALID_SET_FLAGS 0x00000036

// IoStatus.Information of a create.
#define FILE_SUPERSEDED 0x00000000
#define FILE_OPENED 0x00000001
#define FILE_CREATED 0x00000002
#define FILE_OVERWRITTEN 0x00000003
#define FILE_EXISTS 0x00000004
#define FILE_DOES_NOT_EXIST 0x00000005

// Byte offset values meaning "at the end" / "at the current position".
#define FILE_WRITE_TO_END_OF_FILE 0xffffffff
#define FILE_USE_FILE_POINTER_POSITION 0xfffffffe

#ifndef FILE_ATTRIBUTE_NORMAL
#define FILE_ATTRIBUTE_READONLY 0x00000001
#define FILE_ATTRIBUTE_HIDDEN 0x00000002
#define FILE_ATTRIBUTE_SYSTEM 0x00000004
#define FILE_ATTRIBUTE_DIRECTORY 0x00000010
#define FILE_ATTRIBUTE_ARCHIVE 0x00000020
#define FILE_ATTRIBUTE_DEVICE 0x00000040
#define FILE_ATTRIBUTE_NORMAL 0x00000080
#define FILE_ATTRIBUTE_TEMPORARY 0x00000100
#endif
#define FILE_ATTRIBUTE_VALID_FLAGS 0x00007fb7
#define FILE_ATTRIBUTE_VALID_SET_FLAGS 0x000031a7

// FILE_OBJECT::Flags
#define FO_FILE_OPEN 0x00000001
#define FO_SYNCHRONOUS_IO 0x00000002
#define FO_ALERTABLE_IO 0x00000004
#define FO_NO_INTERMEDIATE_BUFFERING 0x00000008
#define FO_WRITE_THROUGH 0x00000010
#define FO_SEQUENTIAL_ONLY 0x00000020
#define FO_CACHE_SUPPORTED 0x00000040
#define FO_NAMED_PIPE 0x00000080
#define FO_STREAM_FILE 0x00000100
#define FO_MAILSLOT 0x00000200
#define FO_GENERATE_AUDIT_ON_CLOSE 0x00000400
#define FO_QUEUE_IRP_TO_THREAD FO_GENERATE_AUDIT_ON_CLOSE
#define FO_DIRECT_DEVICE_OPEN 0x00000800
#define FO_FILE_MODIFIED 0x00001000
#define FO_FILE_SIZE_CHANGED 0x00002000
#define FO_CLEANUP_COMPLETE 0x00004000
#define FO_TEMPORARY_FILE 0x00008000
#define FO_DELETE_ON_CLOSE 0x00010000
#define FO_OPENED_CASE_SENSITIVE 0x00020000
#define FO_HANDLE_CREATED 0x00040000
#define FO_FILE_FAST_IO_READ 0x00080000
#define FO_RANDOM_ACCESS 0x00100000
#define FO_FILE_OPEN_CANCELLED 0x00200000
#define FO_VOLUME_OPEN 0x00400000
#define FO_REMOTE_ORIGIN 0x01000000
#define FO_DISALLOW_EXCLUSIVE 0x02000000
#define FO_SKIP_COMPLETION_PORT 0x02000000
#define FO_SKIP_SET_EVENT 0x04000000
#define FO_SKIP_SET_FAST_IO 0x08000000

// Object-type specific rights of I/O completion objects.
#define IO_COMPLETION_QUERY_STATE 0x0001
#define IO_COMPLETION_MODIFY_STATE 0x0002
#define IO_COMPLETION_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3)

// Object type codes in the Type field of I/O objects.
#define IO_TYPE_ADAPTER 0x00000001
#define IO_TYPE_CONTROLLER 0x00000002
#define IO_TYPE_DEVICE 0x00000003
#define IO_TYPE_DRIVER 0x00000004
#define IO_TYPE_FILE 0x00000005
#define IO_TYPE_IRP 0x00000006
#define IO_TYPE_MASTER_ADAPTER 0x00000007
#define IO_TYPE_OPEN_PACKET 0x00000008
#define IO_TYPE_TIMER 0x00000009
#define IO_TYPE_VPB 0x0000000a
#define IO_TYPE_ERROR_LOG 0x0000000b
#define IO_TYPE_ERROR_MESSAGE 0x0000000c
#define IO_TYPE_DEVICE_OBJECT_EXTENSION 0x0000000d

// ---- information classes (for the QueryFile/SetFile/QueryVolume parameters) ----------------
typedef enum _FILE_INFORMATION_CLASS {
    FileDirectoryInformation = 1,
    FileFullDirectoryInformation,
    FileBothDirectoryInformation,
    FileBasicInformation,
    FileStandardInformation,
    FileInternalInformation,
    FileEaInformation,
    FileAccessInformation,
    FileNameInformation,
    FileRenameInformation,
    FileLinkInformation,
    FileNamesInformation,
    FileDispositionInformation,
    FilePositionInformation,
    FileFullEaInformation,
    FileModeInformation,
    FileAlignmentInformation,
    FileAllInformation,
    FileAllocationInformation,
    FileEndOfFileInformation,
    FileAlternateNameInformation,
    FileStreamInformation,
    FilePipeInformation,
    FilePipeLocalInformation,
    FilePipeRemoteInformation,
    FileMailslotQueryInformation,
    FileMailslotSetInformation,
    FileCompressionInformation,
    FileObjectIdInformation,
    FileCompletionInformation,
    FileMoveClusterInformation,
    FileQuotaInformation,
    FileReparsePointInformation,
    FileNetworkOpenInformation,
    FileAttributeTagInformation,
    FileTrackingInformation,
    FileIdBothDirectoryInformation,
    FileIdFullDirectoryInformation,
    FileValidDataLengthInformation,
    FileShortNameInformation,
    FileIoCompletionNotificationInformation,
    FileIoStatusBlockRangeInformation,
    FileIoPriorityHintInformation,
    FileSfioReserveInformation,
    FileSfioVolumeInformation,
    FileHardLinkInformation,
    FileProcessIdsUsingFileInformation,
    FileNormalizedNameInformation,
    FileNetworkPhysicalNameInformation,
    FileIdGlobalTxDirectoryInformation,
    FileIsRemoteDeviceInformation,
    FileUnusedInformation,
    FileNumaNodeInformation,
    FileStandardLinkInformation,
    FileRemoteProtocolInformation,
    FileRenameInformationBypassAccessCheck,
    FileLinkInformationBypassAccessCheck,
    FileVolumeNameInformation,
    FileIdInformation,
    FileIdExtdDirectoryInformation,
    FileReplaceCompletionInformation,
    FileHardLinkFullIdInformation,
    FileIdExtdBothDirectoryInformation,
    FileDispositionInformationEx,
    FileRenameInformationEx,
    FileRenameInformationExBypassAccessCheck,
    FileDesiredStorageClassInformation,
    FileStatInformation,
    FileMemoryPartitionInformation,
    FileStatLxInformation,
    FileCaseSensitiveInformation,
    FileLinkInformationEx,
    FileLinkInformationExBypassAccessCheck,
    FileStorageReserveIdInformation,
    FileCaseSensitiveInformationForceAccessCheck,
    FileKnownFolderInformation,
    FileStatBasicInformation,
    FileId64ExtdDirectoryInformation,
    FileId64ExtdBothDirectoryInformation,
    FileIdAllExtdDirectoryInformation,
    FileIdAllExtdBothDirectoryInformation,
    FileStreamReservationInformation,
    FileMupProviderInfo,
    FileMaximumInformation
} FILE_INFORMATION_CLASS,
    *PFILE_INFORMATION_CLASS;

typedef enum _FSINFOCLASS {
    FileFsVolumeInformation = 1,
    FileFsLabelInformation,
    FileFsSizeInformation,
    FileFsDeviceInformation,
    FileFsAttributeInformation,
    FileFsControlInformation,
    FileFsFullSizeInformation,
    FileFsObjectIdInformation,
    FileFsDriverPathInformation,
    FileFsVolumeFlagsInformation,
    FileFsSectorSizeInformation,
    FileFsDataCopyInformation,
    FileFsMetadataSizeInformation,
    FileFsFullSizeInformationEx,
    FileFsGuidInformation,
    FileFsMaximumInformation
} FS_INFORMATION_CLASS,
    *PFS_INFORMATION_CLASS;

typedef enum _DEVICE_RELATION_TYPE {
    BusRelations,
    EjectionRelations,
    PowerRelations,
    RemovalRelations,
    TargetDeviceRelation,
    SingleBusRelations,
    TransportRelations
} DEVICE_RELATION_TYPE,
    *PDEVICE_RELATION_TYPE;

typedef enum _BUS_QUERY_ID_TYPE {
    BusQueryDeviceID = 0,
    BusQueryHardwareIDs = 1,
    BusQueryCompatibleIDs = 2,
    BusQueryInstanceID = 3,
    BusQueryDeviceSerialNumber = 4,
    BusQueryContainerID = 5
} BUS_QUERY_ID_TYPE,
    *PBUS_QUERY_ID_TYPE;

typedef enum _DEVICE_TEXT_TYPE {
    DeviceTextDescription = 0,
    DeviceTextLocationInformation = 1
} DEVICE_TEXT_TYPE,
    *PDEVICE_TEXT_TYPE;

typedef enum _DEVICE_USAGE_NOTIFICATION_TYPE {
    DeviceUsageTypeUndefined,
    DeviceUsageTypePaging,
    DeviceUsageTypeHibernation,
    DeviceUsageTypeDumpFile,
    DeviceUsageTypeBoot,
    DeviceUsageTypePostDisplay,
    DeviceUsageTypeGuestAssigned
} DEVICE_USAGE_NOTIFICATION_TYPE;

typedef enum _IO_ALLOCATION_ACTION {
    KeepObject = 1,
    DeallocateObject,
    DeallocateObjectKeepRegisters
} IO_ALLOCATION_ACTION,
    *PIO_ALLOCATION_ACTION;

// ---- callback types a driver implements (default calling convention, as on x64 Windows) -----
typedef struct _IO_STACK_LOCATION IO_STACK_LOCATION, *PIO_STACK_LOCATION;

typedef NTSTATUS DRIVER_INITIALIZE(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
typedef DRIVER_INITIALIZE* PDRIVER_INITIALIZE;
typedef VOID DRIVER_UNLOAD(PDRIVER_OBJECT DriverObject);
typedef DRIVER_UNLOAD* PDRIVER_UNLOAD;
typedef NTSTATUS DRIVER_DISPATCH(PDEVICE_OBJECT DeviceObject, PIRP Irp);
typedef DRIVER_DISPATCH* PDRIVER_DISPATCH;
typedef DRIVER_DISPATCH DRIVER_DISPATCH_RAISED;
typedef DRIVER_DISPATCH DRIVER_DISPATCH_PAGED;
typedef VOID DRIVER_STARTIO(PDEVICE_OBJECT DeviceObject, PIRP Irp);
typedef DRIVER_STARTIO* PDRIVER_STARTIO;
typedef NTSTATUS DRIVER_ADD_DEVICE(PDRIVER_OBJECT DriverObject,
                                   PDEVICE_OBJECT PhysicalDeviceObject);
typedef DRIVER_ADD_DEVICE* PDRIVER_ADD_DEVICE;
typedef VOID DRIVER_CANCEL(PDEVICE_OBJECT DeviceObject, PIRP Irp);
typedef DRIVER_CANCEL* PDRIVER_CANCEL;
typedef NTSTATUS IO_COMPLETION_ROUTINE(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context);
typedef IO_COMPLETION_ROUTINE* PIO_COMPLETION_ROUTINE;
typedef IO_ALLOCATION_ACTION DRIVER_CONTROL(PDEVICE_OBJECT DeviceObject, PIRP Irp,
                                            PVOID MapRegisterBase, PVOID Context);
typedef DRIVER_CONTROL* PDRIVER_CONTROL;
typedef VOID IO_DPC_ROUTINE(PKDPC Dpc, PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context);
typedef IO_DPC_ROUTINE* PIO_DPC_ROUTINE;

// ---- small structures -----------------------------------------------------------------------
typedef struct _SECTION_OBJECT_POINTERS {
    PVOID DataSectionObject;
    PVOID SharedCacheMap;
    PVOID ImageSectionObject;
} SECTION_OBJECT_POINTERS;
static_assert(sizeof(SECTION_OBJECT_POINTERS) == 0x18, "SECTION_OBJECT_POINTERS size");
static_assert(__builtin_offsetof(SECTION_OBJECT_POINTERS, DataSectionObject) == 0x0, "SOP");
static_assert(__builtin_offsetof(SECTION_OBJECT_POINTERS, SharedCacheMap) == 0x8, "SOP");
static_assert(__builtin_offsetof(SECTION_OBJECT_POINTERS, ImageSectionObject) == 0x10, "SOP");

typedef struct _IO_COMPLETION_CONTEXT {
    PVOID Port;
    PVOID Key;
} IO_COMPLETION_CONTEXT;
static_assert(sizeof(IO_COMPLETION_CONTEXT) == 0x10, "IO_COMPLETION_CONTEXT size");
static_assert(__builtin_offsetof(IO_COMPLETION_CONTEXT, Port) == 0x0, "IO_COMPLETION_CONTEXT");
static_assert(__builtin_offsetof(IO_COMPLETION_CONTEXT, Key) == 0x8, "IO_COMPLETION_CONTEXT");

// What a create request carries about the caller's access (Parameters.Create.SecurityContext).
typedef struct _IO_SECURITY_CONTEXT {
    PSECURITY_QUALITY_OF_SERVICE SecurityQos;
    PACCESS_STATE AccessState;
    ACCESS_MASK DesiredAccess;
    ULONG FullCreateOptions;
} IO_SECURITY_CONTEXT;
static_assert(sizeof(IO_SECURITY_CONTEXT) == 0x18, "IO_SECURITY_CONTEXT size");
static_assert(__builtin_offsetof(IO_SECURITY_CONTEXT, SecurityQos) == 0x0, "IO_SECURITY_CONTEXT");
static_assert(__builtin_offsetof(IO_SECURITY_CONTEXT, AccessState) == 0x8, "IO_SECURITY_CONTEXT");
static_assert(__builtin_offsetof(IO_SECURITY_CONTEXT, DesiredAccess) == 0x10,
              "IO_SECURITY_CONTEXT");
static_assert(__builtin_offsetof(IO_SECURITY_CONTEXT, FullCreateOptions) == 0x14,
              "IO_SECURITY_CONTEXT");

// Volume parameter block (file systems; devices of the samples have none).
#define MAXIMUM_VOLUME_LABEL_LENGTH (32 * sizeof(WCHAR))
#define VPB_MOUNTED 0x00000001
#define VPB_LOCKED 0x00000002
#define VPB_PERSISTENT 0x00000004
#define VPB_REMOVE_PENDING 0x00000008
#define VPB_RAW_MOUNT 0x00000010
#define VPB_DIRECT_WRITES_ALLOWED 0x00000020
typedef struct _VPB {
    CSHORT Type;
    CSHORT Size;
    USHORT Flags;
    USHORT VolumeLabelLength;
    PDEVICE_OBJECT DeviceObject;
    PDEVICE_OBJECT RealDevice;
    ULONG SerialNumber;
    ULONG ReferenceCount;
    WCHAR VolumeLabel[MAXIMUM_VOLUME_LABEL_LENGTH / sizeof(WCHAR)];
} VPB;
static_assert(sizeof(VPB) == 0x60, "VPB size");
static_assert(__builtin_offsetof(VPB, Type) == 0x0, "VPB.Type");
static_assert(__builtin_offsetof(VPB, Size) == 0x2, "VPB.Size");
static_assert(__builtin_offsetof(VPB, Flags) == 0x4, "VPB.Flags");
static_assert(__builtin_offsetof(VPB, VolumeLabelLength) == 0x6, "VPB.VolumeLabelLength");
static_assert(__builtin_offsetof(VPB, DeviceObject) == 0x8, "VPB.DeviceObject");
static_assert(__builtin_offsetof(VPB, RealDevice) == 0x10, "VPB.RealDevice");
static_assert(__builtin_offsetof(VPB, SerialNumber) == 0x18, "VPB.SerialNumber");
static_assert(__builtin_offsetof(VPB, ReferenceCount) == 0x1c, "VPB.ReferenceCount");
static_assert(__builtin_offsetof(VPB, VolumeLabel) == 0x20, "VPB.VolumeLabel");

// DMA/controller wait block embedded in the device object's queue.
typedef struct _WAIT_CONTEXT_BLOCK {
    union {
        KDEVICE_QUEUE_ENTRY WaitQueueEntry;
        struct {
            LIST_ENTRY DmaWaitEntry;
            ULONG NumberOfChannels;
            ULONG SyncCallback : 1;
            ULONG DmaContext : 1;
            ULONG ZeroMapRegisters : 1;
            ULONG Reserved : 9;
            ULONG NumberOfRemapPages : 20;
        };
    };
    PDRIVER_CONTROL DeviceRoutine;
    PVOID DeviceContext;
    ULONG NumberOfMapRegisters;
    PVOID DeviceObject;
    PVOID CurrentIrp;
    PKDPC BufferChainingDpc;
} WAIT_CONTEXT_BLOCK, *PWAIT_CONTEXT_BLOCK;
static_assert(sizeof(WAIT_CONTEXT_BLOCK) == 0x48, "WAIT_CONTEXT_BLOCK size");
static_assert(__builtin_offsetof(WAIT_CONTEXT_BLOCK, WaitQueueEntry) == 0x0, "WCB");
static_assert(__builtin_offsetof(WAIT_CONTEXT_BLOCK, DmaWaitEntry) == 0x0, "WCB");
static_assert(__builtin_offsetof(WAIT_CONTEXT_BLOCK, NumberOfChannels) == 0x10, "WCB");
static_assert(__builtin_offsetof(WAIT_CONTEXT_BLOCK, DeviceRoutine) == 0x18, "WCB");
static_assert(__builtin_offsetof(WAIT_CONTEXT_BLOCK, DeviceContext) == 0x20, "WCB");
static_assert(__builtin_offsetof(WAIT_CONTEXT_BLOCK, NumberOfMapRegisters) == 0x28, "WCB");
static_assert(__builtin_offsetof(WAIT_CONTEXT_BLOCK, DeviceObject) == 0x30, "WCB");
static_assert(__builtin_offsetof(WAIT_CONTEXT_BLOCK, CurrentIrp) == 0x38, "WCB");
static_assert(__builtin_offsetof(WAIT_CONTEXT_BLOCK, BufferChainingDpc) == 0x40, "WCB");

// ---- driver object --------------------------------------------------------------------------
typedef struct _DRIVER_EXTENSION {
    struct _DRIVER_OBJECT* DriverObject;
    PDRIVER_ADD_DEVICE AddDevice;
    ULONG Count;
    UNICODE_STRING ServiceKeyName;
} DRIVER_EXTENSION;
static_assert(sizeof(DRIVER_EXTENSION) == 0x28, "DRIVER_EXTENSION size");
static_assert(__builtin_offsetof(DRIVER_EXTENSION, DriverObject) == 0x0, "DRIVER_EXTENSION");
static_assert(__builtin_offsetof(DRIVER_EXTENSION, AddDevice) == 0x8, "DRIVER_EXTENSION");
static_assert(__builtin_offsetof(DRIVER_EXTENSION, Count) == 0x10, "DRIVER_EXTENSION");
static_assert(__builtin_offsetof(DRIVER_EXTENSION, ServiceKeyName) == 0x18, "DRIVER_EXTENSION");

#define DRVO_UNLOAD_INVOKED 0x00000001
#define DRVO_LEGACY_DRIVER 0x00000002
#define DRVO_BUILTIN_DRIVER 0x00000004

typedef struct _DRIVER_OBJECT {
    CSHORT Type;
    CSHORT Size;
    PDEVICE_OBJECT DeviceObject;
    ULONG Flags;
    PVOID DriverStart;
    ULONG DriverSize;
    PVOID DriverSection;
    PDRIVER_EXTENSION DriverExtension;
    UNICODE_STRING DriverName;
    PUNICODE_STRING HardwareDatabase;
    PFAST_IO_DISPATCH FastIoDispatch;
    PDRIVER_INITIALIZE DriverInit;
    PDRIVER_STARTIO DriverStartIo;
    PDRIVER_UNLOAD DriverUnload;
    PDRIVER_DISPATCH MajorFunction[IRP_MJ_MAXIMUM_FUNCTION + 1];
} DRIVER_OBJECT;
static_assert(sizeof(DRIVER_OBJECT) == 0x150, "DRIVER_OBJECT size");
static_assert(__builtin_offsetof(DRIVER_OBJECT, Type) == 0x0, "DRIVER_OBJECT.Type");
static_assert(__builtin_offsetof(DRIVER_OBJECT, Size) == 0x2, "DRIVER_OBJECT.Size");
static_assert(__builtin_offsetof(DRIVER_OBJECT, DeviceObject) == 0x8, "DRIVER_OBJECT");
static_assert(__builtin_offsetof(DRIVER_OBJECT, Flags) == 0x10, "DRIVER_OBJECT.Flags");
static_assert(__builtin_offsetof(DRIVER_OBJECT, DriverStart) == 0x18, "DRIVER_OBJECT");
static_assert(__builtin_offsetof(DRIVER_OBJECT, DriverSize) == 0x20, "DRIVER_OBJECT");
static_assert(__builtin_offsetof(DRIVER_OBJECT, DriverSection) == 0x28, "DRIVER_OBJECT");
static_assert(__builtin_offsetof(DRIVER_OBJECT, DriverExtension) == 0x30, "DRIVER_OBJECT");
static_assert(__builtin_offsetof(DRIVER_OBJECT, DriverName) == 0x38, "DRIVER_OBJECT");
static_assert(__builtin_offsetof(DRIVER_OBJECT, HardwareDatabase) == 0x48, "DRIVER_OBJECT");
static_assert(__builtin_offsetof(DRIVER_OBJECT, FastIoDispatch) == 0x50, "DRIVER_OBJECT");
static_assert(__builtin_offsetof(DRIVER_OBJECT, DriverInit) == 0x58, "DRIVER_OBJECT");
static_assert(__builtin_offsetof(DRIVER_OBJECT, DriverStartIo) == 0x60, "DRIVER_OBJECT");
static_assert(__builtin_offsetof(DRIVER_OBJECT, DriverUnload) == 0x68, "DRIVER_OBJECT");
static_assert(__builtin_offsetof(DRIVER_OBJECT, MajorFunction) == 0x70, "DRIVER_OBJECT");

// ---- device object --------------------------------------------------------------------------
typedef struct DECLSPEC_ALIGN(16) _DEVICE_OBJECT {
    CSHORT Type;
    USHORT Size;
    LONG ReferenceCount;
    struct _DRIVER_OBJECT* DriverObject;
    struct _DEVICE_OBJECT* NextDevice;
    struct _DEVICE_OBJECT* AttachedDevice;
    struct _IRP* CurrentIrp;
    PIO_TIMER Timer;
    ULONG Flags;
    ULONG Characteristics;
    PVPB volatile Vpb;
    PVOID DeviceExtension;
    DEVICE_TYPE DeviceType;
    CCHAR StackSize;
    union {
        LIST_ENTRY ListEntry;
        WAIT_CONTEXT_BLOCK Wcb;
    } Queue;
    ULONG AlignmentRequirement;
    KDEVICE_QUEUE DeviceQueue;
    KDPC Dpc;
    ULONG ActiveThreadCount;
    PSECURITY_DESCRIPTOR SecurityDescriptor;
    KEVENT DeviceLock;
    USHORT SectorSize;
    USHORT Spare1;
    struct _DEVOBJ_EXTENSION* DeviceObjectExtension;
    PVOID Reserved;
} DEVICE_OBJECT;
static_assert(sizeof(DEVICE_OBJECT) == 0x150, "DEVICE_OBJECT size");
static_assert(alignof(DEVICE_OBJECT) == 16, "DEVICE_OBJECT alignment");
static_assert(__builtin_offsetof(DEVICE_OBJECT, Type) == 0x0, "DEVICE_OBJECT.Type");
static_assert(__builtin_offsetof(DEVICE_OBJECT, Size) == 0x2, "DEVICE_OBJECT.Size");
static_assert(__builtin_offsetof(DEVICE_OBJECT, ReferenceCount) == 0x4, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, DriverObject) == 0x8, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, NextDevice) == 0x10, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, AttachedDevice) == 0x18, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, CurrentIrp) == 0x20, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, Timer) == 0x28, "DEVICE_OBJECT.Timer");
static_assert(__builtin_offsetof(DEVICE_OBJECT, Flags) == 0x30, "DEVICE_OBJECT.Flags");
static_assert(__builtin_offsetof(DEVICE_OBJECT, Characteristics) == 0x34, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, Vpb) == 0x38, "DEVICE_OBJECT.Vpb");
static_assert(__builtin_offsetof(DEVICE_OBJECT, DeviceExtension) == 0x40, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, DeviceType) == 0x48, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, StackSize) == 0x4c, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, Queue) == 0x50, "DEVICE_OBJECT.Queue");
static_assert(__builtin_offsetof(DEVICE_OBJECT, Queue.ListEntry) == 0x50, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, Queue.Wcb) == 0x50, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, AlignmentRequirement) == 0x98, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, DeviceQueue) == 0xa0, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, Dpc) == 0xc8, "DEVICE_OBJECT.Dpc");
static_assert(__builtin_offsetof(DEVICE_OBJECT, ActiveThreadCount) == 0x108, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, SecurityDescriptor) == 0x110, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, DeviceLock) == 0x118, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, SectorSize) == 0x130, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, Spare1) == 0x132, "DEVICE_OBJECT.Spare1");
static_assert(__builtin_offsetof(DEVICE_OBJECT, DeviceObjectExtension) == 0x138, "DEVICE_OBJECT");
static_assert(__builtin_offsetof(DEVICE_OBJECT, Reserved) == 0x140, "DEVICE_OBJECT.Reserved");

// The public head of the device object extension (the rest is the I/O manager's).
typedef struct _DEVOBJ_EXTENSION {
    CSHORT Type;
    USHORT Size;
    PDEVICE_OBJECT DeviceObject;
} DEVOBJ_EXTENSION;
static_assert(sizeof(DEVOBJ_EXTENSION) == 0x10, "DEVOBJ_EXTENSION size");
static_assert(__builtin_offsetof(DEVOBJ_EXTENSION, Type) == 0x0, "DEVOBJ_EXTENSION.Type");
static_assert(__builtin_offsetof(DEVOBJ_EXTENSION, Size) == 0x2, "DEVOBJ_EXTENSION.Size");
static_assert(__builtin_offsetof(DEVOBJ_EXTENSION, DeviceObject) == 0x8, "DEVOBJ_EXTENSION");

// ---- file object ----------------------------------------------------------------------------
typedef struct _FILE_OBJECT {
    CSHORT Type;
    CSHORT Size;
    PDEVICE_OBJECT DeviceObject;
    PVPB Vpb;
    PVOID FsContext;
    PVOID FsContext2;
    PSECTION_OBJECT_POINTERS SectionObjectPointer;
    PVOID PrivateCacheMap;
    NTSTATUS FinalStatus;
    struct _FILE_OBJECT* RelatedFileObject;
    BOOLEAN LockOperation;
    BOOLEAN DeletePending;
    BOOLEAN ReadAccess;
    BOOLEAN WriteAccess;
    BOOLEAN DeleteAccess;
    BOOLEAN SharedRead;
    BOOLEAN SharedWrite;
    BOOLEAN SharedDelete;
    ULONG Flags;
    UNICODE_STRING FileName;
    LARGE_INTEGER CurrentByteOffset;
    volatile ULONG Waiters;
    volatile ULONG Busy;
    PVOID LastLock;
    KEVENT Lock;
    KEVENT Event;
    PIO_COMPLETION_CONTEXT volatile CompletionContext;
    KSPIN_LOCK IrpListLock;
    LIST_ENTRY IrpList;
    PVOID volatile FileObjectExtension;
} FILE_OBJECT;
typedef struct _FILE_OBJECT LOG_FILE_OBJECT;
static_assert(sizeof(FILE_OBJECT) == 0xd8, "FILE_OBJECT size");
static_assert(__builtin_offsetof(FILE_OBJECT, Type) == 0x0, "FILE_OBJECT.Type");
static_assert(__builtin_offsetof(FILE_OBJECT, Size) == 0x2, "FILE_OBJECT.Size");
static_assert(__builtin_offsetof(FILE_OBJECT, DeviceObject) == 0x8, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, Vpb) == 0x10, "FILE_OBJECT.Vpb");
static_assert(__builtin_offsetof(FILE_OBJECT, FsContext) == 0x18, "FILE_OBJECT.FsContext");
static_assert(__builtin_offsetof(FILE_OBJECT, FsContext2) == 0x20, "FILE_OBJECT.FsContext2");
static_assert(__builtin_offsetof(FILE_OBJECT, SectionObjectPointer) == 0x28, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, PrivateCacheMap) == 0x30, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, FinalStatus) == 0x38, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, RelatedFileObject) == 0x40, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, LockOperation) == 0x48, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, DeletePending) == 0x49, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, ReadAccess) == 0x4a, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, WriteAccess) == 0x4b, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, DeleteAccess) == 0x4c, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, SharedRead) == 0x4d, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, SharedWrite) == 0x4e, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, SharedDelete) == 0x4f, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, Flags) == 0x50, "FILE_OBJECT.Flags");
static_assert(__builtin_offsetof(FILE_OBJECT, FileName) == 0x58, "FILE_OBJECT.FileName");
static_assert(__builtin_offsetof(FILE_OBJECT, CurrentByteOffset) == 0x68, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, Waiters) == 0x70, "FILE_OBJECT.Waiters");
static_assert(__builtin_offsetof(FILE_OBJECT, Busy) == 0x74, "FILE_OBJECT.Busy");
static_assert(__builtin_offsetof(FILE_OBJECT, LastLock) == 0x78, "FILE_OBJECT.LastLock");
static_assert(__builtin_offsetof(FILE_OBJECT, Lock) == 0x80, "FILE_OBJECT.Lock");
static_assert(__builtin_offsetof(FILE_OBJECT, Event) == 0x98, "FILE_OBJECT.Event");
static_assert(__builtin_offsetof(FILE_OBJECT, CompletionContext) == 0xb0, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, IrpListLock) == 0xb8, "FILE_OBJECT");
static_assert(__builtin_offsetof(FILE_OBJECT, IrpList) == 0xc0, "FILE_OBJECT.IrpList");
static_assert(__builtin_offsetof(FILE_OBJECT, FileObjectExtension) == 0xd0, "FILE_OBJECT");

// ---- IRP ------------------------------------------------------------------------------------
typedef struct DECLSPEC_ALIGN(16) _IRP {
    CSHORT Type;
    USHORT Size;
    USHORT AllocationProcessorNumber;
    USHORT Reserved;
    PMDL MdlAddress;
    ULONG Flags;
    union {
        struct _IRP* MasterIrp;
        volatile LONG IrpCount;
        PVOID SystemBuffer;
    } AssociatedIrp;
    LIST_ENTRY ThreadListEntry;
    IO_STATUS_BLOCK IoStatus;
    KPROCESSOR_MODE RequestorMode;
    BOOLEAN PendingReturned;
    CHAR StackCount;
    CHAR CurrentLocation;
    BOOLEAN Cancel;
    KIRQL CancelIrql;
    CCHAR ApcEnvironment;
    UCHAR AllocationFlags;
    union {
        PIO_STATUS_BLOCK UserIosb;
        PVOID IoRingContext;
    };
    PKEVENT UserEvent;
    union {
        struct {
            union {
                PIO_APC_ROUTINE UserApcRoutine;
                PVOID IssuingProcess;
            };
            union {
                PVOID UserApcContext;
                struct _IORING_OBJECT* IoRing;
            };
        } AsynchronousParameters;
        LARGE_INTEGER AllocationSize;
    } Overlay;
    PDRIVER_CANCEL volatile CancelRoutine;
    PVOID UserBuffer;
    union {
        struct {
            union {
                KDEVICE_QUEUE_ENTRY DeviceQueueEntry;
                struct {
                    PVOID DriverContext[4];
                };
            };
            PETHREAD Thread;
            PCHAR AuxiliaryBuffer;
            struct {
                LIST_ENTRY ListEntry;
                union {
                    struct _IO_STACK_LOCATION* CurrentStackLocation;
                    ULONG PacketType;
                };
            };
            PFILE_OBJECT OriginalFileObject;
        } Overlay;
        KAPC Apc;
        PVOID CompletionKey;
    } Tail;
} IRP;
static_assert(sizeof(IRP) == 0xd0, "IRP size");
static_assert(__builtin_offsetof(IRP, Type) == 0x0, "IRP.Type");
static_assert(__builtin_offsetof(IRP, Size) == 0x2, "IRP.Size");
static_assert(__builtin_offsetof(IRP, AllocationProcessorNumber) == 0x4, "IRP");
static_assert(__builtin_offsetof(IRP, Reserved) == 0x6, "IRP.Reserved");
static_assert(__builtin_offsetof(IRP, MdlAddress) == 0x8, "IRP.MdlAddress");
static_assert(__builtin_offsetof(IRP, Flags) == 0x10, "IRP.Flags");
static_assert(__builtin_offsetof(IRP, AssociatedIrp.MasterIrp) == 0x18, "IRP.AssociatedIrp");
static_assert(__builtin_offsetof(IRP, AssociatedIrp.IrpCount) == 0x18, "IRP.AssociatedIrp");
static_assert(__builtin_offsetof(IRP, AssociatedIrp.SystemBuffer) == 0x18, "IRP.AssociatedIrp");
static_assert(__builtin_offsetof(IRP, ThreadListEntry) == 0x20, "IRP.ThreadListEntry");
static_assert(__builtin_offsetof(IRP, IoStatus) == 0x30, "IRP.IoStatus");
static_assert(__builtin_offsetof(IRP, RequestorMode) == 0x40, "IRP.RequestorMode");
static_assert(__builtin_offsetof(IRP, PendingReturned) == 0x41, "IRP.PendingReturned");
static_assert(__builtin_offsetof(IRP, StackCount) == 0x42, "IRP.StackCount");
static_assert(__builtin_offsetof(IRP, CurrentLocation) == 0x43, "IRP.CurrentLocation");
static_assert(__builtin_offsetof(IRP, Cancel) == 0x44, "IRP.Cancel");
static_assert(__builtin_offsetof(IRP, CancelIrql) == 0x45, "IRP.CancelIrql");
static_assert(__builtin_offsetof(IRP, ApcEnvironment) == 0x46, "IRP.ApcEnvironment");
static_assert(__builtin_offsetof(IRP, AllocationFlags) == 0x47, "IRP.AllocationFlags");
static_assert(__builtin_offsetof(IRP, UserIosb) == 0x48, "IRP.UserIosb");
static_assert(__builtin_offsetof(IRP, IoRingContext) == 0x48, "IRP.IoRingContext");
static_assert(__builtin_offsetof(IRP, UserEvent) == 0x50, "IRP.UserEvent");
static_assert(__builtin_offsetof(IRP, Overlay.AsynchronousParameters.UserApcRoutine) == 0x58,
              "IRP.Overlay");
static_assert(__builtin_offsetof(IRP, Overlay.AsynchronousParameters.IssuingProcess) == 0x58,
              "IRP.Overlay");
static_assert(__builtin_offsetof(IRP, Overlay.AsynchronousParameters.UserApcContext) == 0x60,
              "IRP.Overlay");
static_assert(__builtin_offsetof(IRP, Overlay.AsynchronousParameters.IoRing) == 0x60,
              "IRP.Overlay");
static_assert(__builtin_offsetof(IRP, Overlay.AllocationSize) == 0x58, "IRP.Overlay");
static_assert(__builtin_offsetof(IRP, CancelRoutine) == 0x68, "IRP.CancelRoutine");
static_assert(__builtin_offsetof(IRP, UserBuffer) == 0x70, "IRP.UserBuffer");
static_assert(__builtin_offsetof(IRP, Tail) == 0x78, "IRP.Tail");
static_assert(__builtin_offsetof(IRP, Tail.Overlay.DeviceQueueEntry) == 0x78, "IRP.Tail");
static_assert(__builtin_offsetof(IRP, Tail.Overlay.DriverContext) == 0x78, "IRP.Tail");
static_assert(__builtin_offsetof(IRP, Tail.Overlay.Thread) == 0x98, "IRP.Tail");
static_assert(__builtin_offsetof(IRP, Tail.Overlay.AuxiliaryBuffer) == 0xa0, "IRP.Tail");
static_assert(__builtin_offsetof(IRP, Tail.Overlay.ListEntry) == 0xa8, "IRP.Tail");
static_assert(__builtin_offsetof(IRP, Tail.Overlay.CurrentStackLocation) == 0xb8, "IRP.Tail");
static_assert(__builtin_offsetof(IRP, Tail.Overlay.PacketType) == 0xb8, "IRP.Tail");
static_assert(__builtin_offsetof(IRP, Tail.Overlay.OriginalFileObject) == 0xc0, "IRP.Tail");
static_assert(__builtin_offsetof(IRP, Tail.Apc) == 0x78, "IRP.Tail.Apc");
static_assert(__builtin_offsetof(IRP, Tail.CompletionKey) == 0x78, "IRP.Tail.CompletionKey");

// ---- I/O stack location ---------------------------------------------------------------------
typedef struct _IO_STACK_LOCATION {
    UCHAR MajorFunction;
    UCHAR MinorFunction;
    UCHAR Flags;
    UCHAR Control;
    union {
        struct {
            PIO_SECURITY_CONTEXT SecurityContext;
            ULONG Options;
            USHORT POINTER_ALIGNMENT FileAttributes;
            USHORT ShareAccess;
            ULONG POINTER_ALIGNMENT EaLength;
        } Create;
        struct {
            PIO_SECURITY_CONTEXT SecurityContext;
            ULONG Options;
            USHORT POINTER_ALIGNMENT Reserved;
            USHORT ShareAccess;
            PVOID Parameters; // PNAMED_PIPE_CREATE_PARAMETERS
        } CreatePipe;
        struct {
            PIO_SECURITY_CONTEXT SecurityContext;
            ULONG Options;
            USHORT POINTER_ALIGNMENT Reserved;
            USHORT ShareAccess;
            PVOID Parameters; // PMAILSLOT_CREATE_PARAMETERS
        } CreateMailslot;
        struct {
            ULONG Length;
            ULONG POINTER_ALIGNMENT Key;
            ULONG Flags;
            LARGE_INTEGER ByteOffset;
        } Read;
        struct {
            ULONG Length;
            ULONG POINTER_ALIGNMENT Key;
            ULONG Flags;
            LARGE_INTEGER ByteOffset;
        } Write;
        struct {
            ULONG Length;
            PUNICODE_STRING FileName;
            FILE_INFORMATION_CLASS FileInformationClass;
            ULONG POINTER_ALIGNMENT FileIndex;
        } QueryDirectory;
        struct {
            ULONG Length;
            ULONG POINTER_ALIGNMENT CompletionFilter;
        } NotifyDirectory;
        struct {
            ULONG Length;
            FILE_INFORMATION_CLASS POINTER_ALIGNMENT FileInformationClass;
        } QueryFile;
        struct {
            ULONG Length;
            FILE_INFORMATION_CLASS POINTER_ALIGNMENT FileInformationClass;
            PFILE_OBJECT FileObject;
            union {
                struct {
                    BOOLEAN ReplaceIfExists;
                    BOOLEAN AdvanceOnly;
                };
                ULONG ClusterCount;
                HANDLE DeleteHandle;
            };
        } SetFile;
        struct {
            ULONG Length;
            PVOID EaList;
            ULONG EaListLength;
            ULONG POINTER_ALIGNMENT EaIndex;
        } QueryEa;
        struct {
            ULONG Length;
        } SetEa;
        struct {
            ULONG Length;
            FS_INFORMATION_CLASS POINTER_ALIGNMENT FsInformationClass;
        } QueryVolume;
        struct {
            ULONG Length;
            FS_INFORMATION_CLASS POINTER_ALIGNMENT FsInformationClass;
        } SetVolume;
        struct {
            ULONG OutputBufferLength;
            ULONG POINTER_ALIGNMENT InputBufferLength;
            ULONG POINTER_ALIGNMENT FsControlCode;
            PVOID Type3InputBuffer;
        } FileSystemControl;
        struct {
            PLARGE_INTEGER Length;
            ULONG POINTER_ALIGNMENT Key;
            LARGE_INTEGER ByteOffset;
        } LockControl;
        struct {
            ULONG OutputBufferLength;
            ULONG POINTER_ALIGNMENT InputBufferLength;
            ULONG POINTER_ALIGNMENT IoControlCode;
            PVOID Type3InputBuffer;
        } DeviceIoControl;
        struct {
            SECURITY_INFORMATION SecurityInformation;
            ULONG POINTER_ALIGNMENT Length;
        } QuerySecurity;
        struct {
            SECURITY_INFORMATION SecurityInformation;
            PSECURITY_DESCRIPTOR SecurityDescriptor;
        } SetSecurity;
        struct {
            PVPB Vpb;
            PDEVICE_OBJECT DeviceObject;
        } MountVolume;
        struct {
            PVPB Vpb;
            PDEVICE_OBJECT DeviceObject;
        } VerifyVolume;
        struct {
            struct _SCSI_REQUEST_BLOCK* Srb;
        } Scsi;
        struct {
            DEVICE_RELATION_TYPE Type;
        } QueryDeviceRelations;
        struct {
            BOOLEAN InPath;
            BOOLEAN Reserved[3];
            DEVICE_USAGE_NOTIFICATION_TYPE POINTER_ALIGNMENT Type;
        } UsageNotification;
        struct {
            BUS_QUERY_ID_TYPE IdType;
        } QueryId;
        struct {
            DEVICE_TEXT_TYPE DeviceTextType;
            ULONG POINTER_ALIGNMENT LocaleId;
        } QueryDeviceText;
        struct {
            ULONG WhichSpace;
            PVOID Buffer;
            ULONG Offset;
            ULONG POINTER_ALIGNMENT Length;
        } ReadWriteConfig;
        struct {
            BOOLEAN Lock;
        } SetLock;
        struct {
            PCM_RESOURCE_LIST AllocatedResources;
            PCM_RESOURCE_LIST AllocatedResourcesTranslated;
        } StartDevice;
        struct {
            ULONG_PTR ProviderId;
            PVOID DataPath;
            ULONG BufferSize;
            PVOID Buffer;
        } WMI;
        struct {
            PVOID Argument1;
            PVOID Argument2;
            PVOID Argument3;
            PVOID Argument4;
        } Others;
    } Parameters;
    PDEVICE_OBJECT DeviceObject;
    PFILE_OBJECT FileObject;
    PIO_COMPLETION_ROUTINE CompletionRoutine;
    PVOID Context;
} IO_STACK_LOCATION;
#define NTSIM_ISL_OFFSET(f) __builtin_offsetof(IO_STACK_LOCATION, f)
static_assert(sizeof(IO_STACK_LOCATION) == 0x48, "IO_STACK_LOCATION size");
static_assert(NTSIM_ISL_OFFSET(MajorFunction) == 0x0 && NTSIM_ISL_OFFSET(MinorFunction) == 0x1 &&
                  NTSIM_ISL_OFFSET(Flags) == 0x2 && NTSIM_ISL_OFFSET(Control) == 0x3,
              "IO_STACK_LOCATION header");
static_assert(NTSIM_ISL_OFFSET(Parameters) == 0x8, "IO_STACK_LOCATION.Parameters");
static_assert(sizeof(((IO_STACK_LOCATION*)0)->Parameters) == 0x20, "Parameters size");
static_assert(NTSIM_ISL_OFFSET(DeviceObject) == 0x28, "IO_STACK_LOCATION.DeviceObject");
static_assert(NTSIM_ISL_OFFSET(FileObject) == 0x30, "IO_STACK_LOCATION.FileObject");
static_assert(NTSIM_ISL_OFFSET(CompletionRoutine) == 0x38, "IO_STACK_LOCATION");
static_assert(NTSIM_ISL_OFFSET(Context) == 0x40, "IO_STACK_LOCATION.Context");
static_assert(NTSIM_ISL_OFFSET(Parameters.Create.SecurityContext) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.Create.Options) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.Create.FileAttributes) == 0x18 &&
                  NTSIM_ISL_OFFSET(Parameters.Create.ShareAccess) == 0x1a &&
                  NTSIM_ISL_OFFSET(Parameters.Create.EaLength) == 0x20,
              "Parameters.Create");
static_assert(NTSIM_ISL_OFFSET(Parameters.CreatePipe.Parameters) == 0x20 &&
                  NTSIM_ISL_OFFSET(Parameters.CreateMailslot.ShareAccess) == 0x1a,
              "Parameters.CreatePipe/CreateMailslot");
static_assert(NTSIM_ISL_OFFSET(Parameters.Read.Length) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.Read.Key) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.Read.Flags) == 0x14 &&
                  NTSIM_ISL_OFFSET(Parameters.Read.ByteOffset) == 0x18,
              "Parameters.Read");
static_assert(NTSIM_ISL_OFFSET(Parameters.Write.Length) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.Write.Key) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.Write.Flags) == 0x14 &&
                  NTSIM_ISL_OFFSET(Parameters.Write.ByteOffset) == 0x18,
              "Parameters.Write");
static_assert(NTSIM_ISL_OFFSET(Parameters.QueryDirectory.FileName) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.QueryDirectory.FileInformationClass) == 0x18 &&
                  NTSIM_ISL_OFFSET(Parameters.QueryDirectory.FileIndex) == 0x20,
              "Parameters.QueryDirectory");
static_assert(NTSIM_ISL_OFFSET(Parameters.NotifyDirectory.CompletionFilter) == 0x10,
              "Parameters.NotifyDirectory");
static_assert(NTSIM_ISL_OFFSET(Parameters.QueryFile.Length) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.QueryFile.FileInformationClass) == 0x10,
              "Parameters.QueryFile");
static_assert(NTSIM_ISL_OFFSET(Parameters.SetFile.Length) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.SetFile.FileInformationClass) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.SetFile.FileObject) == 0x18 &&
                  NTSIM_ISL_OFFSET(Parameters.SetFile.ReplaceIfExists) == 0x20 &&
                  NTSIM_ISL_OFFSET(Parameters.SetFile.AdvanceOnly) == 0x21 &&
                  NTSIM_ISL_OFFSET(Parameters.SetFile.ClusterCount) == 0x20 &&
                  NTSIM_ISL_OFFSET(Parameters.SetFile.DeleteHandle) == 0x20,
              "Parameters.SetFile");
static_assert(NTSIM_ISL_OFFSET(Parameters.QueryEa.EaList) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.QueryEa.EaListLength) == 0x18 &&
                  NTSIM_ISL_OFFSET(Parameters.QueryEa.EaIndex) == 0x20 &&
                  NTSIM_ISL_OFFSET(Parameters.SetEa.Length) == 0x08,
              "Parameters.QueryEa/SetEa");
static_assert(NTSIM_ISL_OFFSET(Parameters.QueryVolume.FsInformationClass) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.SetVolume.FsInformationClass) == 0x10,
              "Parameters.QueryVolume/SetVolume");
static_assert(NTSIM_ISL_OFFSET(Parameters.FileSystemControl.OutputBufferLength) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.FileSystemControl.InputBufferLength) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.FileSystemControl.FsControlCode) == 0x18 &&
                  NTSIM_ISL_OFFSET(Parameters.FileSystemControl.Type3InputBuffer) == 0x20,
              "Parameters.FileSystemControl");
static_assert(NTSIM_ISL_OFFSET(Parameters.LockControl.Length) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.LockControl.Key) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.LockControl.ByteOffset) == 0x18,
              "Parameters.LockControl");
static_assert(NTSIM_ISL_OFFSET(Parameters.DeviceIoControl.OutputBufferLength) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.DeviceIoControl.InputBufferLength) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.DeviceIoControl.IoControlCode) == 0x18 &&
                  NTSIM_ISL_OFFSET(Parameters.DeviceIoControl.Type3InputBuffer) == 0x20,
              "Parameters.DeviceIoControl");
static_assert(NTSIM_ISL_OFFSET(Parameters.QuerySecurity.SecurityInformation) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.QuerySecurity.Length) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.SetSecurity.SecurityDescriptor) == 0x10,
              "Parameters.QuerySecurity/SetSecurity");
static_assert(NTSIM_ISL_OFFSET(Parameters.MountVolume.Vpb) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.MountVolume.DeviceObject) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.VerifyVolume.DeviceObject) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.Scsi.Srb) == 0x08,
              "Parameters.MountVolume/VerifyVolume/Scsi");
static_assert(NTSIM_ISL_OFFSET(Parameters.QueryDeviceRelations.Type) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.UsageNotification.InPath) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.UsageNotification.Type) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.QueryId.IdType) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.QueryDeviceText.LocaleId) == 0x10,
              "Parameters PnP queries");
static_assert(NTSIM_ISL_OFFSET(Parameters.ReadWriteConfig.Buffer) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.ReadWriteConfig.Offset) == 0x18 &&
                  NTSIM_ISL_OFFSET(Parameters.ReadWriteConfig.Length) == 0x20 &&
                  NTSIM_ISL_OFFSET(Parameters.SetLock.Lock) == 0x08,
              "Parameters.ReadWriteConfig/SetLock");
static_assert(NTSIM_ISL_OFFSET(Parameters.StartDevice.AllocatedResources) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.StartDevice.AllocatedResourcesTranslated) == 0x10,
              "Parameters.StartDevice");
static_assert(NTSIM_ISL_OFFSET(Parameters.WMI.ProviderId) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.WMI.DataPath) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.WMI.BufferSize) == 0x18 &&
                  NTSIM_ISL_OFFSET(Parameters.WMI.Buffer) == 0x20,
              "Parameters.WMI");
static_assert(NTSIM_ISL_OFFSET(Parameters.Others.Argument1) == 0x08 &&
                  NTSIM_ISL_OFFSET(Parameters.Others.Argument2) == 0x10 &&
                  NTSIM_ISL_OFFSET(Parameters.Others.Argument3) == 0x18 &&
                  NTSIM_ISL_OFFSET(Parameters.Others.Argument4) == 0x20,
              "Parameters.Others");
#undef NTSIM_ISL_OFFSET

// ---- exported data --------------------------------------------------------------------------
EXTERN_C_START
extern POBJECT_TYPE* IoDeviceObjectType;
extern POBJECT_TYPE* IoDriverObjectType;
extern POBJECT_TYPE* IoFileObjectType;
EXTERN_C_END

// The driver's entry point: the only symbol a driver image exports.
EXTERN_C __attribute__((visibility("default"))) DRIVER_INITIALIZE DriverEntry;

// ---- exported functions ---------------------------------------------------------------------
EXTERN_C_START

NTKERNELAPI NTSTATUS NTAPI IoCreateDevice(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize,
                                          PUNICODE_STRING DeviceName, DEVICE_TYPE DeviceType,
                                          ULONG DeviceCharacteristics, BOOLEAN Exclusive,
                                          PDEVICE_OBJECT* DeviceObject);
NTKERNELAPI VOID NTAPI IoDeleteDevice(PDEVICE_OBJECT DeviceObject);

NTKERNELAPI NTSTATUS NTAPI IoCreateSymbolicLink(PUNICODE_STRING SymbolicLinkName,
                                                PUNICODE_STRING DeviceName);
NTKERNELAPI NTSTATUS NTAPI IoCreateUnprotectedSymbolicLink(PUNICODE_STRING SymbolicLinkName,
                                                           PUNICODE_STRING DeviceName);
NTKERNELAPI NTSTATUS NTAPI IoDeleteSymbolicLink(PUNICODE_STRING SymbolicLinkName);
// Named events (initially signalled): opened if the name exists, else created; returns the
// event and a kernel handle in *EventHandle, NULL on failure. Relative names are taken in
// \BaseNamedObjects. PASSIVE_LEVEL.
NTKERNELAPI PKEVENT NTAPI IoCreateNotificationEvent(PUNICODE_STRING EventName, PHANDLE EventHandle);
NTKERNELAPI PKEVENT NTAPI IoCreateSynchronizationEvent(PUNICODE_STRING EventName,
                                                       PHANDLE EventHandle);

NTKERNELAPI PIRP NTAPI IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota);
NTKERNELAPI VOID NTAPI IoFreeIrp(PIRP Irp);
NTKERNELAPI VOID NTAPI IoReuseIrp(PIRP Irp, NTSTATUS Iostatus);
NTKERNELAPI VOID NTAPI IoInitializeIrp(PIRP Irp, USHORT PacketSize, CCHAR StackSize);

NTKERNELAPI NTSTATUS NTAPI IofCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTKERNELAPI VOID NTAPI IofCompleteRequest(PIRP Irp, CCHAR PriorityBoost);
#define IoCallDriver(a, b) IofCallDriver(a, b)
#define IoCompleteRequest(a, b) IofCompleteRequest(a, b)

NTKERNELAPI NTSTATUS NTAPI IoSetCompletionRoutineEx(PDEVICE_OBJECT DeviceObject, PIRP Irp,
                                                    PIO_COMPLETION_ROUTINE CompletionRoutine,
                                                    PVOID Context, BOOLEAN InvokeOnSuccess,
                                                    BOOLEAN InvokeOnError, BOOLEAN InvokeOnCancel);

NTKERNELAPI BOOLEAN NTAPI IoCancelIrp(PIRP Irp);
NTKERNELAPI VOID NTAPI IoAcquireCancelSpinLock(PKIRQL Irql);
NTKERNELAPI VOID NTAPI IoReleaseCancelSpinLock(KIRQL Irql);

NTKERNELAPI NTSTATUS NTAPI IoGetDeviceObjectPointer(PUNICODE_STRING ObjectName,
                                                    ACCESS_MASK DesiredAccess,
                                                    PFILE_OBJECT* FileObject,
                                                    PDEVICE_OBJECT* DeviceObject);
NTKERNELAPI PDEVICE_OBJECT NTAPI IoGetRelatedDeviceObject(PFILE_OBJECT FileObject);

NTKERNELAPI PIRP NTAPI IoBuildDeviceIoControlRequest(ULONG IoControlCode,
                                                     PDEVICE_OBJECT DeviceObject, PVOID InputBuffer,
                                                     ULONG InputBufferLength, PVOID OutputBuffer,
                                                     ULONG OutputBufferLength,
                                                     BOOLEAN InternalDeviceIoControl, PKEVENT Event,
                                                     PIO_STATUS_BLOCK IoStatusBlock);
NTKERNELAPI PIRP NTAPI IoBuildSynchronousFsdRequest(ULONG MajorFunction,
                                                    PDEVICE_OBJECT DeviceObject, PVOID Buffer,
                                                    ULONG Length, PLARGE_INTEGER StartingOffset,
                                                    PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock);
NTKERNELAPI PIRP NTAPI IoBuildAsynchronousFsdRequest(ULONG MajorFunction,
                                                     PDEVICE_OBJECT DeviceObject, PVOID Buffer,
                                                     ULONG Length, PLARGE_INTEGER StartingOffset,
                                                     PIO_STATUS_BLOCK IoStatusBlock);

NTKERNELAPI PDEVICE_OBJECT NTAPI IoAttachDeviceToDeviceStack(PDEVICE_OBJECT SourceDevice,
                                                             PDEVICE_OBJECT TargetDevice);
NTKERNELAPI NTSTATUS NTAPI IoAttachDeviceToDeviceStackSafe(PDEVICE_OBJECT SourceDevice,
                                                           PDEVICE_OBJECT TargetDevice,
                                                           PDEVICE_OBJECT* AttachedToDeviceObject);
NTKERNELAPI VOID NTAPI IoDetachDevice(PDEVICE_OBJECT TargetDevice);
NTKERNELAPI PDEVICE_OBJECT NTAPI IoGetAttachedDevice(PDEVICE_OBJECT DeviceObject);
NTKERNELAPI PDEVICE_OBJECT NTAPI IoGetAttachedDeviceReference(PDEVICE_OBJECT DeviceObject);
NTKERNELAPI PDEVICE_OBJECT NTAPI IoGetLowerDeviceObject(PDEVICE_OBJECT DeviceObject);

NTKERNELAPI ULONG NTAPI IoGetRequestorProcessId(PIRP Irp);
NTKERNELAPI PEPROCESS NTAPI IoGetRequestorProcess(PIRP Irp);
NTKERNELAPI BOOLEAN NTAPI IoIsOperationSynchronous(PIRP Irp);
NTKERNELAPI PGENERIC_MAPPING NTAPI IoGetFileObjectGenericMapping(VOID);

EXTERN_C_END

// ---- inline helpers (WDK macros and FORCEINLINE routines) ------------------------------------
#define IoSizeOfIrp(StackSize) ((USHORT)(sizeof(IRP) + ((StackSize) * (sizeof(IO_STACK_LOCATION)))))
#define IoGetFunctionCodeFromCtlCode(ControlCode) (((ULONG)(ControlCode & 0x3FFC)) >> 2)

FORCEINLINE PIO_STACK_LOCATION IoGetCurrentIrpStackLocation(PIRP Irp) {
    return Irp->Tail.Overlay.CurrentStackLocation;
}

FORCEINLINE PIO_STACK_LOCATION IoGetNextIrpStackLocation(PIRP Irp) {
    return Irp->Tail.Overlay.CurrentStackLocation - 1;
}

// Lets the next IoCallDriver present the current location to the lower driver.
FORCEINLINE VOID IoSkipCurrentIrpStackLocation(PIRP Irp) {
    Irp->CurrentLocation++;
    Irp->Tail.Overlay.CurrentStackLocation++;
}

FORCEINLINE VOID IoSetNextIrpStackLocation(PIRP Irp) {
    Irp->CurrentLocation--;
    Irp->Tail.Overlay.CurrentStackLocation--;
}

// Copies everything but the completion routine and its context (Control cleared).
FORCEINLINE VOID IoCopyCurrentIrpStackLocationToNext(PIRP Irp) {
    PIO_STACK_LOCATION current = IoGetCurrentIrpStackLocation(Irp);
    PIO_STACK_LOCATION next = IoGetNextIrpStackLocation(Irp);
    __builtin_memcpy(next, current, __builtin_offsetof(IO_STACK_LOCATION, CompletionRoutine));
    next->Control = 0;
}
#define IoCopyIrpStackLocationToNext(Irp) IoCopyCurrentIrpStackLocationToNext(Irp)

FORCEINLINE VOID IoSetCompletionRoutine(PIRP Irp, PIO_COMPLETION_ROUTINE CompletionRoutine,
                                        PVOID Context, BOOLEAN InvokeOnSuccess,
                                        BOOLEAN InvokeOnError, BOOLEAN InvokeOnCancel) {
    PIO_STACK_LOCATION next = IoGetNextIrpStackLocation(Irp);
    next->CompletionRoutine = CompletionRoutine;
    next->Context = Context;
    next->Control = 0;
    if (InvokeOnSuccess) next->Control = SL_INVOKE_ON_SUCCESS;
    if (InvokeOnError) next->Control |= SL_INVOKE_ON_ERROR;
    if (InvokeOnCancel) next->Control |= SL_INVOKE_ON_CANCEL;
}

FORCEINLINE VOID IoMarkIrpPending(PIRP Irp) {
    IoGetCurrentIrpStackLocation(Irp)->Control |= SL_PENDING_RETURNED;
}

FORCEINLINE PDRIVER_CANCEL IoSetCancelRoutine(PIRP Irp, PDRIVER_CANCEL CancelRoutine) {
    return (PDRIVER_CANCEL)__atomic_exchange_n((PDRIVER_CANCEL*)&Irp->CancelRoutine, CancelRoutine,
                                               __ATOMIC_SEQ_CST);
}

// ==== Work items and system threads (kernel/io/work_item.cpp) =================================
#ifdef __cplusplus
extern "C" {
#endif
typedef VOID IO_WORKITEM_ROUTINE(PDEVICE_OBJECT DeviceObject, PVOID Context);
typedef IO_WORKITEM_ROUTINE* PIO_WORKITEM_ROUTINE;
typedef VOID IO_WORKITEM_ROUTINE_EX(PVOID IoObject, PVOID Context, PIO_WORKITEM IoWorkItem);
typedef IO_WORKITEM_ROUTINE_EX* PIO_WORKITEM_ROUTINE_EX;

// IO_WORKITEM is opaque; IoSizeofWorkItem gives the size for IoInitializeWorkItem.
NTKERNELAPI PIO_WORKITEM NTAPI IoAllocateWorkItem(PDEVICE_OBJECT DeviceObject);
NTKERNELAPI VOID NTAPI IoFreeWorkItem(PIO_WORKITEM IoWorkItem);
NTKERNELAPI ULONG NTAPI IoSizeofWorkItem(VOID);
NTKERNELAPI VOID NTAPI IoInitializeWorkItem(PVOID IoObject, PIO_WORKITEM IoWorkItem);
NTKERNELAPI VOID NTAPI IoUninitializeWorkItem(PIO_WORKITEM IoWorkItem);
// The IoObject (device or driver object) stays referenced until the routine returns.
NTKERNELAPI VOID NTAPI IoQueueWorkItem(PIO_WORKITEM IoWorkItem, PIO_WORKITEM_ROUTINE WorkerRoutine,
                                       WORK_QUEUE_TYPE QueueType, PVOID Context);
NTKERNELAPI VOID NTAPI IoQueueWorkItemEx(PIO_WORKITEM IoWorkItem,
                                         PIO_WORKITEM_ROUTINE_EX WorkerRoutine,
                                         WORK_QUEUE_TYPE QueueType, PVOID Context);
// PsCreateSystemThread that keeps IoObject (device or driver object) referenced while the
// thread runs, so its driver cannot unload under it.
NTKERNELAPI NTSTATUS NTAPI IoCreateSystemThread(PVOID IoObject, PHANDLE ThreadHandle,
                                                ULONG DesiredAccess,
                                                POBJECT_ATTRIBUTES ObjectAttributes,
                                                HANDLE ProcessHandle, PCLIENT_ID ClientId,
                                                PKSTART_ROUTINE StartRoutine, PVOID StartContext);
#ifdef __cplusplus
}
#endif
