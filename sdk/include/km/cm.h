// Part of wdm.h (ntsim SDK), owned by kernel/cm: the registry as drivers see it — key access
// rights, value types, the Zw*Key system services and their information classes, and the Rtl
// registry helpers (RtlQueryRegistryValues and friends).
#pragma once

#include <km/types.h>

// ==== Value types ===============================================================================
#define REG_NONE 0
#define REG_SZ 1
#define REG_EXPAND_SZ 2
#define REG_BINARY 3
#define REG_DWORD 4
#define REG_DWORD_LITTLE_ENDIAN 4
#define REG_DWORD_BIG_ENDIAN 5
#define REG_LINK 6
#define REG_MULTI_SZ 7
#define REG_RESOURCE_LIST 8
#define REG_FULL_RESOURCE_DESCRIPTOR 9
#define REG_RESOURCE_REQUIREMENTS_LIST 10
#define REG_QWORD 11
#define REG_QWORD_LITTLE_ENDIAN 11

// ==== Key access rights =========================================================================
#define KEY_QUERY_VALUE 0x0001
#define KEY_SET_VALUE 0x0002
#define KEY_CREATE_SUB_KEY 0x0004
#define KEY_ENUMERATE_SUB_KEYS 0x0008
#define KEY_NOTIFY 0x0010
#define KEY_CREATE_LINK 0x0020
#define KEY_WOW64_32KEY 0x0200
#define KEY_WOW64_64KEY 0x0100
#define KEY_READ 0x00020019L
#define KEY_WRITE 0x00020006L
#define KEY_EXECUTE 0x00020019L
#define KEY_ALL_ACCESS 0x000F003FL

// ==== ZwCreateKey options and dispositions ======================================================
#define REG_OPTION_RESERVED 0x00000000L
#define REG_OPTION_NON_VOLATILE 0x00000000L
#define REG_OPTION_VOLATILE 0x00000001L
#define REG_OPTION_CREATE_LINK 0x00000002L
#define REG_OPTION_BACKUP_RESTORE 0x00000004L
#define REG_OPTION_OPEN_LINK 0x00000008L
#define REG_OPTION_DONT_VIRTUALIZE 0x00000010L
#define REG_CREATED_NEW_KEY 0x00000001L
#define REG_OPENED_EXISTING_KEY 0x00000002L

// ==== Key information (ZwQueryKey, ZwEnumerateKey) ===============================================
typedef enum _KEY_INFORMATION_CLASS {
    KeyBasicInformation = 0,
    KeyNodeInformation = 1,
    KeyFullInformation = 2,
    KeyNameInformation = 3,
    KeyCachedInformation = 4,
    KeyFlagsInformation = 5,
    KeyVirtualizationInformation = 6,
    KeyHandleTagsInformation = 7,
    KeyTrustInformation = 8,
    KeyLayerInformation = 9,
    MaxKeyInfoClass
} KEY_INFORMATION_CLASS;

typedef struct _KEY_BASIC_INFORMATION {
    LARGE_INTEGER LastWriteTime;
    ULONG TitleIndex;
    ULONG NameLength; // bytes
    WCHAR Name[1];    // not NUL-terminated
} KEY_BASIC_INFORMATION, *PKEY_BASIC_INFORMATION;
static_assert(sizeof(KEY_BASIC_INFORMATION) == 0x18, "KEY_BASIC_INFORMATION");
static_assert(__builtin_offsetof(KEY_BASIC_INFORMATION, LastWriteTime) == 0x0, "KBI.LastWriteTime");
static_assert(__builtin_offsetof(KEY_BASIC_INFORMATION, TitleIndex) == 0x8, "KBI.TitleIndex");
static_assert(__builtin_offsetof(KEY_BASIC_INFORMATION, NameLength) == 0xC, "KBI.NameLength");
static_assert(__builtin_offsetof(KEY_BASIC_INFORMATION, Name) == 0x10, "KBI.Name");

typedef struct _KEY_NODE_INFORMATION {
    LARGE_INTEGER LastWriteTime;
    ULONG TitleIndex;
    ULONG ClassOffset; // from the start of the structure; 0xFFFFFFFF when the key has no class
    ULONG ClassLength;
    ULONG NameLength;
    WCHAR Name[1]; // name, then the class at ClassOffset
} KEY_NODE_INFORMATION, *PKEY_NODE_INFORMATION;
static_assert(sizeof(KEY_NODE_INFORMATION) == 0x20, "KEY_NODE_INFORMATION");
static_assert(__builtin_offsetof(KEY_NODE_INFORMATION, LastWriteTime) == 0x0, "KNI.LastWriteTime");
static_assert(__builtin_offsetof(KEY_NODE_INFORMATION, TitleIndex) == 0x8, "KNI.TitleIndex");
static_assert(__builtin_offsetof(KEY_NODE_INFORMATION, ClassOffset) == 0xC, "KNI.ClassOffset");
static_assert(__builtin_offsetof(KEY_NODE_INFORMATION, ClassLength) == 0x10, "KNI.ClassLength");
static_assert(__builtin_offsetof(KEY_NODE_INFORMATION, NameLength) == 0x14, "KNI.NameLength");
static_assert(__builtin_offsetof(KEY_NODE_INFORMATION, Name) == 0x18, "KNI.Name");

typedef struct _KEY_FULL_INFORMATION {
    LARGE_INTEGER LastWriteTime;
    ULONG TitleIndex;
    ULONG ClassOffset;
    ULONG ClassLength;
    ULONG SubKeys;
    ULONG MaxNameLen; // bytes of the longest subkey name
    ULONG MaxClassLen;
    ULONG Values;
    ULONG MaxValueNameLen;
    ULONG MaxValueDataLen;
    WCHAR Class[1];
} KEY_FULL_INFORMATION, *PKEY_FULL_INFORMATION;
static_assert(sizeof(KEY_FULL_INFORMATION) == 0x30, "KEY_FULL_INFORMATION");
static_assert(__builtin_offsetof(KEY_FULL_INFORMATION, LastWriteTime) == 0x0, "KFI.LastWriteTime");
static_assert(__builtin_offsetof(KEY_FULL_INFORMATION, TitleIndex) == 0x8, "KFI.TitleIndex");
static_assert(__builtin_offsetof(KEY_FULL_INFORMATION, ClassOffset) == 0xC, "KFI.ClassOffset");
static_assert(__builtin_offsetof(KEY_FULL_INFORMATION, ClassLength) == 0x10, "KFI.ClassLength");
static_assert(__builtin_offsetof(KEY_FULL_INFORMATION, SubKeys) == 0x14, "KFI.SubKeys");
static_assert(__builtin_offsetof(KEY_FULL_INFORMATION, MaxNameLen) == 0x18, "KFI.MaxNameLen");
static_assert(__builtin_offsetof(KEY_FULL_INFORMATION, MaxClassLen) == 0x1C, "KFI.MaxClassLen");
static_assert(__builtin_offsetof(KEY_FULL_INFORMATION, Values) == 0x20, "KFI.Values");
static_assert(__builtin_offsetof(KEY_FULL_INFORMATION, MaxValueNameLen) == 0x24,
              "KFI.MaxValueNameLen");
static_assert(__builtin_offsetof(KEY_FULL_INFORMATION, MaxValueDataLen) == 0x28,
              "KFI.MaxValueDataLen");
static_assert(__builtin_offsetof(KEY_FULL_INFORMATION, Class) == 0x2C, "KFI.Class");

typedef struct _KEY_NAME_INFORMATION {
    ULONG NameLength;
    WCHAR Name[1]; // full path: \REGISTRY\MACHINE\...
} KEY_NAME_INFORMATION, *PKEY_NAME_INFORMATION;
static_assert(sizeof(KEY_NAME_INFORMATION) == 0x8, "KEY_NAME_INFORMATION");
static_assert(__builtin_offsetof(KEY_NAME_INFORMATION, NameLength) == 0x0, "KNameI.NameLength");
static_assert(__builtin_offsetof(KEY_NAME_INFORMATION, Name) == 0x4, "KNameI.Name");

// ==== Value information (ZwQueryValueKey, ZwEnumerateValueKey) ==================================
typedef enum _KEY_VALUE_INFORMATION_CLASS {
    KeyValueBasicInformation = 0,
    KeyValueFullInformation = 1,
    KeyValuePartialInformation = 2,
    KeyValueFullInformationAlign64 = 3,
    KeyValuePartialInformationAlign64 = 4,
    KeyValueLayerInformation = 5,
    MaxKeyValueInfoClass
} KEY_VALUE_INFORMATION_CLASS;

typedef struct _KEY_VALUE_BASIC_INFORMATION {
    ULONG TitleIndex;
    ULONG Type;
    ULONG NameLength;
    WCHAR Name[1];
} KEY_VALUE_BASIC_INFORMATION, *PKEY_VALUE_BASIC_INFORMATION;
static_assert(sizeof(KEY_VALUE_BASIC_INFORMATION) == 0x10, "KEY_VALUE_BASIC_INFORMATION");
static_assert(__builtin_offsetof(KEY_VALUE_BASIC_INFORMATION, TitleIndex) == 0x0,
              "KVBI.TitleIndex");
static_assert(__builtin_offsetof(KEY_VALUE_BASIC_INFORMATION, Type) == 0x4, "KVBI.Type");
static_assert(__builtin_offsetof(KEY_VALUE_BASIC_INFORMATION, NameLength) == 0x8,
              "KVBI.NameLength");
static_assert(__builtin_offsetof(KEY_VALUE_BASIC_INFORMATION, Name) == 0xC, "KVBI.Name");

typedef struct _KEY_VALUE_FULL_INFORMATION {
    ULONG TitleIndex;
    ULONG Type;
    ULONG DataOffset; // from the start of the structure (after the name, ULONG aligned)
    ULONG DataLength;
    ULONG NameLength;
    WCHAR Name[1];
} KEY_VALUE_FULL_INFORMATION, *PKEY_VALUE_FULL_INFORMATION;
static_assert(sizeof(KEY_VALUE_FULL_INFORMATION) == 0x18, "KEY_VALUE_FULL_INFORMATION");
static_assert(__builtin_offsetof(KEY_VALUE_FULL_INFORMATION, TitleIndex) == 0x0, "KVFI.TitleIndex");
static_assert(__builtin_offsetof(KEY_VALUE_FULL_INFORMATION, Type) == 0x4, "KVFI.Type");
static_assert(__builtin_offsetof(KEY_VALUE_FULL_INFORMATION, DataOffset) == 0x8, "KVFI.DataOffset");
static_assert(__builtin_offsetof(KEY_VALUE_FULL_INFORMATION, DataLength) == 0xC, "KVFI.DataLength");
static_assert(__builtin_offsetof(KEY_VALUE_FULL_INFORMATION, NameLength) == 0x10,
              "KVFI.NameLength");
static_assert(__builtin_offsetof(KEY_VALUE_FULL_INFORMATION, Name) == 0x14, "KVFI.Name");

typedef struct _KEY_VALUE_PARTIAL_INFORMATION {
    ULONG TitleIndex;
    ULONG Type;
    ULONG DataLength;
    UCHAR Data[1];
} KEY_VALUE_PARTIAL_INFORMATION, *PKEY_VALUE_PARTIAL_INFORMATION;
static_assert(sizeof(KEY_VALUE_PARTIAL_INFORMATION) == 0x10, "KEY_VALUE_PARTIAL_INFORMATION");
static_assert(__builtin_offsetof(KEY_VALUE_PARTIAL_INFORMATION, TitleIndex) == 0x0,
              "KVPI.TitleIndex");
static_assert(__builtin_offsetof(KEY_VALUE_PARTIAL_INFORMATION, Type) == 0x4, "KVPI.Type");
static_assert(__builtin_offsetof(KEY_VALUE_PARTIAL_INFORMATION, DataLength) == 0x8,
              "KVPI.DataLength");
static_assert(__builtin_offsetof(KEY_VALUE_PARTIAL_INFORMATION, Data) == 0xC, "KVPI.Data");

// ==== Rtl registry helpers ======================================================================
// RelativeTo values: where a relative Path starts.
#define RTL_REGISTRY_ABSOLUTE 0   // Path is a full \Registry\... path
#define RTL_REGISTRY_SERVICES 1   // \Registry\Machine\System\CurrentControlSet\Services
#define RTL_REGISTRY_CONTROL 2    // \Registry\Machine\System\CurrentControlSet\Control
#define RTL_REGISTRY_WINDOWS_NT 3 // \Registry\Machine\Software\Microsoft\Windows NT\CurrentVersion
#define RTL_REGISTRY_DEVICEMAP 4  // \Registry\Machine\Hardware\DeviceMap
#define RTL_REGISTRY_USER 5       // \Registry\User\CurrentUser
#define RTL_REGISTRY_MAXIMUM 6
#define RTL_REGISTRY_HANDLE 0x40000000   // Path is a key HANDLE
#define RTL_REGISTRY_OPTIONAL 0x80000000 // no error if the key does not exist

// QueryTable flags.
#define RTL_QUERY_REGISTRY_SUBKEY 0x00000001
#define RTL_QUERY_REGISTRY_TOPKEY 0x00000002
#define RTL_QUERY_REGISTRY_REQUIRED 0x00000004
#define RTL_QUERY_REGISTRY_NOVALUE 0x00000008
#define RTL_QUERY_REGISTRY_NOEXPAND 0x00000010
#define RTL_QUERY_REGISTRY_DIRECT 0x00000020
#define RTL_QUERY_REGISTRY_DELETE 0x00000040
#define RTL_QUERY_REGISTRY_NOSTRING 0x00000080
#define RTL_QUERY_REGISTRY_TYPECHECK 0x00000100
#define RTL_QUERY_REGISTRY_TYPECHECK_SHIFT 24
#define RTL_QUERY_REGISTRY_TYPECHECK_MASK (0xff << RTL_QUERY_REGISTRY_TYPECHECK_SHIFT)

typedef NTSTATUS RTL_QUERY_REGISTRY_ROUTINE(PWSTR ValueName, ULONG ValueType, PVOID ValueData,
                                            ULONG ValueLength, PVOID Context, PVOID EntryContext);
typedef RTL_QUERY_REGISTRY_ROUTINE* PRTL_QUERY_REGISTRY_ROUTINE;

typedef struct _RTL_QUERY_REGISTRY_TABLE {
    PRTL_QUERY_REGISTRY_ROUTINE QueryRoutine;
    ULONG Flags;
    PWSTR Name;
    PVOID EntryContext;
    ULONG DefaultType;
    PVOID DefaultData;
    ULONG DefaultLength;
} RTL_QUERY_REGISTRY_TABLE, *PRTL_QUERY_REGISTRY_TABLE;
static_assert(sizeof(RTL_QUERY_REGISTRY_TABLE) == 0x38, "RTL_QUERY_REGISTRY_TABLE");
static_assert(__builtin_offsetof(RTL_QUERY_REGISTRY_TABLE, QueryRoutine) == 0x0,
              "RQRT.QueryRoutine");
static_assert(__builtin_offsetof(RTL_QUERY_REGISTRY_TABLE, Flags) == 0x8, "RQRT.Flags");
static_assert(__builtin_offsetof(RTL_QUERY_REGISTRY_TABLE, Name) == 0x10, "RQRT.Name");
static_assert(__builtin_offsetof(RTL_QUERY_REGISTRY_TABLE, EntryContext) == 0x18,
              "RQRT.EntryContext");
static_assert(__builtin_offsetof(RTL_QUERY_REGISTRY_TABLE, DefaultType) == 0x20,
              "RQRT.DefaultType");
static_assert(__builtin_offsetof(RTL_QUERY_REGISTRY_TABLE, DefaultData) == 0x28,
              "RQRT.DefaultData");
static_assert(__builtin_offsetof(RTL_QUERY_REGISTRY_TABLE, DefaultLength) == 0x30,
              "RQRT.DefaultLength");

EXTERN_C_START

NTSYSAPI NTSTATUS NTAPI ZwCreateKey(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess,
                                    POBJECT_ATTRIBUTES ObjectAttributes, ULONG TitleIndex,
                                    PUNICODE_STRING Class, ULONG CreateOptions, PULONG Disposition);
NTSYSAPI NTSTATUS NTAPI ZwOpenKey(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess,
                                  POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSAPI NTSTATUS NTAPI ZwOpenKeyEx(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess,
                                    POBJECT_ATTRIBUTES ObjectAttributes, ULONG OpenOptions);
NTSYSAPI NTSTATUS NTAPI ZwDeleteKey(HANDLE KeyHandle);
NTSYSAPI NTSTATUS NTAPI ZwFlushKey(HANDLE KeyHandle);
NTSYSAPI NTSTATUS NTAPI ZwQueryKey(HANDLE KeyHandle, KEY_INFORMATION_CLASS KeyInformationClass,
                                   PVOID KeyInformation, ULONG Length, PULONG ResultLength);
NTSYSAPI NTSTATUS NTAPI ZwEnumerateKey(HANDLE KeyHandle, ULONG Index,
                                       KEY_INFORMATION_CLASS KeyInformationClass,
                                       PVOID KeyInformation, ULONG Length, PULONG ResultLength);
NTSYSAPI NTSTATUS NTAPI ZwQueryValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName,
                                        KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass,
                                        PVOID KeyValueInformation, ULONG Length,
                                        PULONG ResultLength);
NTSYSAPI NTSTATUS NTAPI ZwEnumerateValueKey(HANDLE KeyHandle, ULONG Index,
                                            KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass,
                                            PVOID KeyValueInformation, ULONG Length,
                                            PULONG ResultLength);
NTSYSAPI NTSTATUS NTAPI ZwSetValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName, ULONG TitleIndex,
                                      ULONG Type, PVOID Data, ULONG DataSize);
NTSYSAPI NTSTATUS NTAPI ZwDeleteValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName);

NTSYSAPI NTSTATUS NTAPI RtlQueryRegistryValues(ULONG RelativeTo, PCWSTR Path,
                                               PRTL_QUERY_REGISTRY_TABLE QueryTable, PVOID Context,
                                               PVOID Environment);
NTSYSAPI NTSTATUS NTAPI RtlWriteRegistryValue(ULONG RelativeTo, PCWSTR Path, PCWSTR ValueName,
                                              ULONG ValueType, PVOID ValueData, ULONG ValueLength);
NTSYSAPI NTSTATUS NTAPI RtlDeleteRegistryValue(ULONG RelativeTo, PCWSTR Path, PCWSTR ValueName);
NTSYSAPI NTSTATUS NTAPI RtlCheckRegistryKey(ULONG RelativeTo, PWSTR Path);
NTSYSAPI NTSTATUS NTAPI RtlCreateRegistryKey(ULONG RelativeTo, PWSTR Path);

EXTERN_C_END
