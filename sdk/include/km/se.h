// Part of wdm.h/ntddk.h (ntsim SDK): security declarations drivers compile against
// (kernel/se). Device objects carry security descriptors checked on user-mode opens.
#pragma once

#include <km/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef NTSIM_LUID_DEFINED
#define NTSIM_LUID_DEFINED
typedef struct _LUID {
    ULONG LowPart;
    LONG HighPart;
} LUID, *PLUID;
#endif
static_assert(sizeof(LUID) == 8 && __builtin_offsetof(LUID, HighPart) == 4, "LUID");

// ---- security descriptors ------------------------------------------------------------------
#define SECURITY_DESCRIPTOR_REVISION 1
#define SECURITY_DESCRIPTOR_REVISION1 1
typedef USHORT SECURITY_DESCRIPTOR_CONTROL, *PSECURITY_DESCRIPTOR_CONTROL;
#define SE_OWNER_DEFAULTED 0x0001
#define SE_GROUP_DEFAULTED 0x0002
#define SE_DACL_PRESENT 0x0004
#define SE_DACL_DEFAULTED 0x0008
#define SE_SACL_PRESENT 0x0010
#define SE_SACL_DEFAULTED 0x0020
#define SE_DACL_AUTO_INHERIT_REQ 0x0100
#define SE_SACL_AUTO_INHERIT_REQ 0x0200
#define SE_DACL_AUTO_INHERITED 0x0400
#define SE_SACL_AUTO_INHERITED 0x0800
#define SE_DACL_PROTECTED 0x1000
#define SE_SACL_PROTECTED 0x2000
#define SE_RM_CONTROL_VALID 0x4000
#define SE_SELF_RELATIVE 0x8000

typedef struct _ACL {
    UCHAR AclRevision;
    UCHAR Sbz1;
    USHORT AclSize;
    USHORT AceCount;
    USHORT Sbz2;
} ACL;
static_assert(sizeof(ACL) == 8 && __builtin_offsetof(ACL, AclSize) == 2 &&
                  __builtin_offsetof(ACL, AceCount) == 4 && __builtin_offsetof(ACL, Sbz2) == 6,
              "ACL");
#define ACL_REVISION 2
#define ACL_REVISION_DS 4

// Absolute-format descriptor (x64: 40 bytes).
typedef struct _SECURITY_DESCRIPTOR {
    UCHAR Revision;
    UCHAR Sbz1;
    SECURITY_DESCRIPTOR_CONTROL Control;
    PSID Owner;
    PSID Group;
    PACL Sacl;
    PACL Dacl;
} SECURITY_DESCRIPTOR, *PISECURITY_DESCRIPTOR;
static_assert(sizeof(SECURITY_DESCRIPTOR) == 40, "SECURITY_DESCRIPTOR size");
static_assert(__builtin_offsetof(SECURITY_DESCRIPTOR, Sbz1) == 1 &&
                  __builtin_offsetof(SECURITY_DESCRIPTOR, Control) == 2 &&
                  __builtin_offsetof(SECURITY_DESCRIPTOR, Owner) == 8 &&
                  __builtin_offsetof(SECURITY_DESCRIPTOR, Group) == 16 &&
                  __builtin_offsetof(SECURITY_DESCRIPTOR, Sacl) == 24 &&
                  __builtin_offsetof(SECURITY_DESCRIPTOR, Dacl) == 32,
              "SECURITY_DESCRIPTOR offsets");
#define SECURITY_DESCRIPTOR_MIN_LENGTH (sizeof(SECURITY_DESCRIPTOR))

// Self-relative descriptor: offsets from its start instead of pointers (SE_SELF_RELATIVE).
typedef struct _SECURITY_DESCRIPTOR_RELATIVE {
    UCHAR Revision;
    UCHAR Sbz1;
    SECURITY_DESCRIPTOR_CONTROL Control;
    ULONG Owner;
    ULONG Group;
    ULONG Sacl;
    ULONG Dacl;
} SECURITY_DESCRIPTOR_RELATIVE, *PISECURITY_DESCRIPTOR_RELATIVE;
static_assert(sizeof(SECURITY_DESCRIPTOR_RELATIVE) == 20, "SECURITY_DESCRIPTOR_RELATIVE size");
static_assert(__builtin_offsetof(SECURITY_DESCRIPTOR_RELATIVE, Sbz1) == 1 &&
                  __builtin_offsetof(SECURITY_DESCRIPTOR_RELATIVE, Control) == 2 &&
                  __builtin_offsetof(SECURITY_DESCRIPTOR_RELATIVE, Owner) == 4 &&
                  __builtin_offsetof(SECURITY_DESCRIPTOR_RELATIVE, Group) == 8 &&
                  __builtin_offsetof(SECURITY_DESCRIPTOR_RELATIVE, Sacl) == 12 &&
                  __builtin_offsetof(SECURITY_DESCRIPTOR_RELATIVE, Dacl) == 16,
              "SECURITY_DESCRIPTOR_RELATIVE offsets");

// ---- SIDs and ACEs ---------------------------------------------------------------------------
typedef struct _SID_IDENTIFIER_AUTHORITY {
    UCHAR Value[6]; // big-endian
} SID_IDENTIFIER_AUTHORITY, *PSID_IDENTIFIER_AUTHORITY;
static_assert(sizeof(SID_IDENTIFIER_AUTHORITY) == 6, "SID_IDENTIFIER_AUTHORITY");

typedef struct _SID {
    UCHAR Revision;
    UCHAR SubAuthorityCount;
    SID_IDENTIFIER_AUTHORITY IdentifierAuthority;
    ULONG SubAuthority[1]; // SubAuthorityCount entries
} SID, *PISID;
static_assert(sizeof(SID) == 12 && __builtin_offsetof(SID, SubAuthorityCount) == 1 &&
                  __builtin_offsetof(SID, IdentifierAuthority) == 2 &&
                  __builtin_offsetof(SID, SubAuthority) == 8,
              "SID");
#define SID_REVISION 1
#define SID_MAX_SUB_AUTHORITIES 15
#define SECURITY_MAX_SID_SIZE                                                                      \
    (sizeof(SID) - sizeof(ULONG) + (SID_MAX_SUB_AUTHORITIES * sizeof(ULONG)))

typedef struct _ACE_HEADER {
    UCHAR AceType;
    UCHAR AceFlags;
    USHORT AceSize;
} ACE_HEADER, *PACE_HEADER;
static_assert(sizeof(ACE_HEADER) == 4 && __builtin_offsetof(ACE_HEADER, AceFlags) == 1 &&
                  __builtin_offsetof(ACE_HEADER, AceSize) == 2,
              "ACE_HEADER");
#define ACCESS_ALLOWED_ACE_TYPE 0x0
#define ACCESS_DENIED_ACE_TYPE 0x1
#define SYSTEM_AUDIT_ACE_TYPE 0x2
#define OBJECT_INHERIT_ACE 0x1
#define CONTAINER_INHERIT_ACE 0x2
#define NO_PROPAGATE_INHERIT_ACE 0x4
#define INHERIT_ONLY_ACE 0x8
#define INHERITED_ACE 0x10

typedef struct _ACCESS_ALLOWED_ACE {
    ACE_HEADER Header;
    ACCESS_MASK Mask;
    ULONG SidStart;
} ACCESS_ALLOWED_ACE, *PACCESS_ALLOWED_ACE;
typedef struct _ACCESS_DENIED_ACE {
    ACE_HEADER Header;
    ACCESS_MASK Mask;
    ULONG SidStart;
} ACCESS_DENIED_ACE, *PACCESS_DENIED_ACE;
static_assert(sizeof(ACCESS_ALLOWED_ACE) == 12 &&
                  __builtin_offsetof(ACCESS_ALLOWED_ACE, Mask) == 4 &&
                  __builtin_offsetof(ACCESS_ALLOWED_ACE, SidStart) == 8,
              "ACCESS_ALLOWED_ACE");
static_assert(sizeof(ACCESS_DENIED_ACE) == 12 && __builtin_offsetof(ACCESS_DENIED_ACE, Mask) == 4 &&
                  __builtin_offsetof(ACCESS_DENIED_ACE, SidStart) == 8,
              "ACCESS_DENIED_ACE");

// Rtl security descriptor routines (absolute format).
NTSYSAPI NTSTATUS NTAPI RtlCreateSecurityDescriptor(PSECURITY_DESCRIPTOR SecurityDescriptor,
                                                    ULONG Revision);
NTSYSAPI NTSTATUS NTAPI RtlSetDaclSecurityDescriptor(PSECURITY_DESCRIPTOR SecurityDescriptor,
                                                     BOOLEAN DaclPresent, PACL Dacl,
                                                     BOOLEAN DaclDefaulted);
NTSYSAPI ULONG NTAPI RtlLengthSid(PSID Sid);
NTSYSAPI BOOLEAN NTAPI RtlValidSid(PSID Sid);
NTSYSAPI BOOLEAN NTAPI RtlEqualSid(PSID Sid1, PSID Sid2);

#define OWNER_SECURITY_INFORMATION 0x00000001L
#define GROUP_SECURITY_INFORMATION 0x00000002L
#define DACL_SECURITY_INFORMATION 0x00000004L
#define SACL_SECURITY_INFORMATION 0x00000008L
#define LABEL_SECURITY_INFORMATION 0x00000010L

// ---- impersonation, quality of service -------------------------------------------------------
typedef enum _SECURITY_IMPERSONATION_LEVEL {
    SecurityAnonymous,
    SecurityIdentification,
    SecurityImpersonation,
    SecurityDelegation
} SECURITY_IMPERSONATION_LEVEL,
    *PSECURITY_IMPERSONATION_LEVEL;
#define SECURITY_MAX_IMPERSONATION_LEVEL SecurityDelegation
#define DEFAULT_IMPERSONATION_LEVEL SecurityImpersonation

typedef BOOLEAN SECURITY_CONTEXT_TRACKING_MODE, *PSECURITY_CONTEXT_TRACKING_MODE;
#define SECURITY_DYNAMIC_TRACKING (TRUE)
#define SECURITY_STATIC_TRACKING (FALSE)

typedef struct _SECURITY_QUALITY_OF_SERVICE {
    ULONG Length;
    SECURITY_IMPERSONATION_LEVEL ImpersonationLevel;
    SECURITY_CONTEXT_TRACKING_MODE ContextTrackingMode;
    BOOLEAN EffectiveOnly;
} SECURITY_QUALITY_OF_SERVICE;
static_assert(sizeof(SECURITY_QUALITY_OF_SERVICE) == 12 &&
                  __builtin_offsetof(SECURITY_QUALITY_OF_SERVICE, ImpersonationLevel) == 4 &&
                  __builtin_offsetof(SECURITY_QUALITY_OF_SERVICE, ContextTrackingMode) == 8 &&
                  __builtin_offsetof(SECURITY_QUALITY_OF_SERVICE, EffectiveOnly) == 9,
              "SECURITY_QUALITY_OF_SERVICE");

// ACCESS_STATE and SECURITY_SUBJECT_CONTEXT stay opaque (PACCESS_STATE in km/types.h).
typedef struct _SECURITY_SUBJECT_CONTEXT* PSECURITY_SUBJECT_CONTEXT;

// ---- well-known privilege values (LUID low parts) --------------------------------------------
#define SE_MIN_WELL_KNOWN_PRIVILEGE (2L)
#define SE_CREATE_TOKEN_PRIVILEGE (2L)
#define SE_ASSIGNPRIMARYTOKEN_PRIVILEGE (3L)
#define SE_LOCK_MEMORY_PRIVILEGE (4L)
#define SE_INCREASE_QUOTA_PRIVILEGE (5L)
#define SE_MACHINE_ACCOUNT_PRIVILEGE (6L)
#define SE_TCB_PRIVILEGE (7L)
#define SE_SECURITY_PRIVILEGE (8L)
#define SE_TAKE_OWNERSHIP_PRIVILEGE (9L)
#define SE_LOAD_DRIVER_PRIVILEGE (10L)
#define SE_SYSTEM_PROFILE_PRIVILEGE (11L)
#define SE_SYSTEMTIME_PRIVILEGE (12L)
#define SE_PROF_SINGLE_PROCESS_PRIVILEGE (13L)
#define SE_INC_BASE_PRIORITY_PRIVILEGE (14L)
#define SE_CREATE_PAGEFILE_PRIVILEGE (15L)
#define SE_CREATE_PERMANENT_PRIVILEGE (16L)
#define SE_BACKUP_PRIVILEGE (17L)
#define SE_RESTORE_PRIVILEGE (18L)
#define SE_SHUTDOWN_PRIVILEGE (19L)
#define SE_DEBUG_PRIVILEGE (20L)
#define SE_AUDIT_PRIVILEGE (21L)
#define SE_SYSTEM_ENVIRONMENT_PRIVILEGE (22L)
#define SE_CHANGE_NOTIFY_PRIVILEGE (23L)
#define SE_REMOTE_SHUTDOWN_PRIVILEGE (24L)
#define SE_UNDOCK_PRIVILEGE (25L)
#define SE_SYNC_AGENT_PRIVILEGE (26L)
#define SE_ENABLE_DELEGATION_PRIVILEGE (27L)
#define SE_MANAGE_VOLUME_PRIVILEGE (28L)
#define SE_IMPERSONATE_PRIVILEGE (29L)
#define SE_CREATE_GLOBAL_PRIVILEGE (30L)
#define SE_TRUSTED_CREDMAN_ACCESS_PRIVILEGE (31L)
#define SE_RELABEL_PRIVILEGE (32L)
#define SE_INC_WORKING_SET_PRIVILEGE (33L)
#define SE_TIME_ZONE_PRIVILEGE (34L)
#define SE_CREATE_SYMBOLIC_LINK_PRIVILEGE (35L)
#define SE_DELEGATE_SESSION_USER_IMPERSONATE_PRIVILEGE (36L)
#define SE_MAX_WELL_KNOWN_PRIVILEGE SE_DELEGATE_SESSION_USER_IMPERSONATE_PRIVILEGE

// Token rights (the Token object type's generic mapping uses them).
#define TOKEN_ASSIGN_PRIMARY 0x0001
#define TOKEN_DUPLICATE 0x0002
#define TOKEN_IMPERSONATE 0x0004
#define TOKEN_QUERY 0x0008
#define TOKEN_QUERY_SOURCE 0x0010
#define TOKEN_ADJUST_PRIVILEGES 0x0020
#define TOKEN_ADJUST_GROUPS 0x0040
#define TOKEN_ADJUST_DEFAULT 0x0080
#define TOKEN_ADJUST_SESSIONID 0x0100
#define TOKEN_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | 0x01FF)

#ifdef __cplusplus
}
#endif
