// Part of wdm.h (ntsim SDK), owned by kernel/dbg: debug output (DbgPrint family and the
// Debug Print Filter component ids), breakpoints, assertions, bug checks and bug check codes,
// PAGED_CODE.
#pragma once

#include <km/types.h>

// ==== Debug output ==============================================================================

// Component ids of <dpfilter.h>. A message's component selects the filter mask that decides
// whether it is shown (Debug Print Filter registry value / Kd_<NAME>_Mask). Drivers should use
// the IHV* ids; DbgPrint uses DPFLTR_DEFAULT_ID, which also stands in for ids out of range.
typedef enum _DPFLTR_TYPE {
    DPFLTR_SYSTEM_ID = 0,
    DPFLTR_SMSS_ID = 1,
    DPFLTR_SETUP_ID = 2,
    DPFLTR_NTFS_ID = 3,
    DPFLTR_FSTUB_ID = 4,
    DPFLTR_CRASHDUMP_ID = 5,
    DPFLTR_CDAUDIO_ID = 6,
    DPFLTR_CDROM_ID = 7,
    DPFLTR_CLASSPNP_ID = 8,
    DPFLTR_DISK_ID = 9,
    DPFLTR_REDBOOK_ID = 10,
    DPFLTR_STORPROP_ID = 11,
    DPFLTR_SCSIPORT_ID = 12,
    DPFLTR_SCSIMINIPORT_ID = 13,
    DPFLTR_CONFIG_ID = 14,
    DPFLTR_I8042PRT_ID = 15,
    DPFLTR_SERMOUSE_ID = 16,
    DPFLTR_LSERMOUS_ID = 17,
    DPFLTR_KBDHID_ID = 18,
    DPFLTR_MOUHID_ID = 19,
    DPFLTR_KBDCLASS_ID = 20,
    DPFLTR_MOUCLASS_ID = 21,
    DPFLTR_TWOTRACK_ID = 22,
    DPFLTR_WMILIB_ID = 23,
    DPFLTR_ACPI_ID = 24,
    DPFLTR_AMLI_ID = 25,
    DPFLTR_HALIA64_ID = 26,
    DPFLTR_VIDEO_ID = 27,
    DPFLTR_SVCHOST_ID = 28,
    DPFLTR_VIDEOPRT_ID = 29,
    DPFLTR_TCPIP_ID = 30,
    DPFLTR_DMSYNTH_ID = 31,
    DPFLTR_NTOSPNP_ID = 32,
    DPFLTR_FASTFAT_ID = 33,
    DPFLTR_SAMSS_ID = 34,
    DPFLTR_PNPMGR_ID = 35,
    DPFLTR_NETAPI_ID = 36,
    DPFLTR_SCSERVER_ID = 37,
    DPFLTR_SCCLIENT_ID = 38,
    DPFLTR_SERIAL_ID = 39,
    DPFLTR_SERENUM_ID = 40,
    DPFLTR_UHCD_ID = 41,
    DPFLTR_RPCPROXY_ID = 42,
    DPFLTR_AUTOCHK_ID = 43,
    DPFLTR_DCOMSS_ID = 44,
    DPFLTR_UNIMODEM_ID = 45,
    DPFLTR_SIS_ID = 46,
    DPFLTR_FLTMGR_ID = 47,
    DPFLTR_WMICORE_ID = 48,
    DPFLTR_BURNENG_ID = 49,
    DPFLTR_IMAPI_ID = 50,
    DPFLTR_SXS_ID = 51,
    DPFLTR_FUSION_ID = 52,
    DPFLTR_IDLETASK_ID = 53,
    DPFLTR_SOFTPCI_ID = 54,
    DPFLTR_TAPE_ID = 55,
    DPFLTR_MCHGR_ID = 56,
    DPFLTR_IDEP_ID = 57,
    DPFLTR_PCIIDE_ID = 58,
    DPFLTR_FLOPPY_ID = 59,
    DPFLTR_FDC_ID = 60,
    DPFLTR_TERMSRV_ID = 61,
    DPFLTR_W32TIME_ID = 62,
    DPFLTR_PREFETCHER_ID = 63,
    DPFLTR_RSFILTER_ID = 64,
    DPFLTR_FCPORT_ID = 65,
    DPFLTR_PCI_ID = 66,
    DPFLTR_DMIO_ID = 67,
    DPFLTR_DMCONFIG_ID = 68,
    DPFLTR_DMADMIN_ID = 69,
    DPFLTR_WSOCKTRANSPORT_ID = 70,
    DPFLTR_VSS_ID = 71,
    DPFLTR_PNPMEM_ID = 72,
    DPFLTR_PROCESSOR_ID = 73,
    DPFLTR_DMSERVER_ID = 74,
    DPFLTR_SR_ID = 75,
    DPFLTR_INFINIBAND_ID = 76,
    DPFLTR_IHVDRIVER_ID = 77,
    DPFLTR_IHVVIDEO_ID = 78,
    DPFLTR_IHVAUDIO_ID = 79,
    DPFLTR_IHVNETWORK_ID = 80,
    DPFLTR_IHVSTREAMING_ID = 81,
    DPFLTR_IHVBUS_ID = 82,
    DPFLTR_HPS_ID = 83,
    DPFLTR_RTLTHREADPOOL_ID = 84,
    DPFLTR_LDR_ID = 85,
    DPFLTR_TCPIP6_ID = 86,
    DPFLTR_ISAPNP_ID = 87,
    DPFLTR_SHPC_ID = 88,
    DPFLTR_STORPORT_ID = 89,
    DPFLTR_STORMINIPORT_ID = 90,
    DPFLTR_PRINTSPOOLER_ID = 91,
    DPFLTR_VSSDYNDISK_ID = 92,
    DPFLTR_VERIFIER_ID = 93,
    DPFLTR_VDS_ID = 94,
    DPFLTR_VDSBAS_ID = 95,
    DPFLTR_VDSDYN_ID = 96,
    DPFLTR_VDSDYNDR_ID = 97,
    DPFLTR_VDSLDR_ID = 98,
    DPFLTR_VDSUTIL_ID = 99,
    DPFLTR_DFRGIFC_ID = 100,
    DPFLTR_DEFAULT_ID = 101,
    DPFLTR_MM_ID = 102,
    DPFLTR_DFSC_ID = 103,
    DPFLTR_WOW64_ID = 104,
    DPFLTR_ALPC_ID = 105,
    DPFLTR_WDI_ID = 106,
    DPFLTR_PERFLIB_ID = 107,
    DPFLTR_KTM_ID = 108,
    DPFLTR_IOSTRESS_ID = 109,
    DPFLTR_HEAP_ID = 110,
    DPFLTR_WHEA_ID = 111,
    DPFLTR_USERGDI_ID = 112,
    DPFLTR_MMCSS_ID = 113,
    DPFLTR_TPM_ID = 114,
    DPFLTR_THREADORDER_ID = 115,
    DPFLTR_ENVIRON_ID = 116,
    DPFLTR_EMS_ID = 117,
    DPFLTR_WDT_ID = 118,
    DPFLTR_FVEVOL_ID = 119,
    DPFLTR_NDIS_ID = 120,
    DPFLTR_NVCTRACE_ID = 121,
    DPFLTR_LUAFV_ID = 122,
    DPFLTR_APPCOMPAT_ID = 123,
    DPFLTR_USBSTOR_ID = 124,
    DPFLTR_SBP2PORT_ID = 125,
    DPFLTR_COVERAGE_ID = 126,
    DPFLTR_CACHEMGR_ID = 127,
    DPFLTR_MOUNTMGR_ID = 128,
    DPFLTR_CFR_ID = 129,
    DPFLTR_TXF_ID = 130,
    DPFLTR_KSECDD_ID = 131,
    DPFLTR_FLTREGRESS_ID = 132,
    DPFLTR_MPIO_ID = 133,
    DPFLTR_MSDSM_ID = 134,
    DPFLTR_UDFS_ID = 135,
    DPFLTR_PSHED_ID = 136,
    DPFLTR_STORVSP_ID = 137,
    DPFLTR_LSASS_ID = 138,
    DPFLTR_SSPICLI_ID = 139,
    DPFLTR_CNG_ID = 140,
    DPFLTR_EXFAT_ID = 141,
    DPFLTR_FILETRACE_ID = 142,
    DPFLTR_XSAVE_ID = 143,
    DPFLTR_SE_ID = 144,
    DPFLTR_DRIVEEXTENDER_ID = 145,
    DPFLTR_POWER_ID = 146,
    DPFLTR_CRASHDUMPXHCI_ID = 147,
    DPFLTR_GPIO_ID = 148,
    DPFLTR_REFS_ID = 149,
    DPFLTR_WER_ID = 150,
    DPFLTR_CAPIMG_ID = 151,
    DPFLTR_VPCI_ID = 152,
    DPFLTR_STORAGECLASSMEMORY_ID = 153,
    DPFLTR_FSLIB_ID = 154,
    DPFLTR_ENDOFTABLE_ID
} DPFLTR_TYPE;

// Levels 0..31 select the single bit 1 << Level; a larger Level is a bit mask itself
// (DPFLTR_MASK | bits, as DbgSetDebugFilterState callers write it).
#define DPFLTR_ERROR_LEVEL 0
#define DPFLTR_WARNING_LEVEL 1
#define DPFLTR_TRACE_LEVEL 2
#define DPFLTR_INFO_LEVEL 3
#define DPFLTR_MASK 0x80000000

#ifdef __cplusplus
extern "C" {
#endif

// Variadic and va_list routines use the default calling convention (see ntdef.h). Each returns
// an NTSTATUS in a ULONG (STATUS_SUCCESS, also when the filter drops the message). One call
// emits at most 512 bytes, as on Windows.
NTSYSAPI ULONG __cdecl DbgPrint(PCSTR Format, ...);
NTSYSAPI ULONG __cdecl DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...);
NTSYSAPI ULONG vDbgPrintEx(ULONG ComponentId, ULONG Level, PCCH Format, va_list arglist);
NTSYSAPI ULONG vDbgPrintExWithPrefix(PCCH Prefix, ULONG ComponentId, ULONG Level, PCCH Format,
                                     va_list arglist);

// Runtime control of the filter masks (ComponentId (ULONG)-1 is the global WIN2000 mask).
// DbgQueryDebugFilterState returns TRUE/FALSE (as an NTSTATUS) or STATUS_INVALID_PARAMETER_1.
NTSYSAPI NTSTATUS NTAPI DbgQueryDebugFilterState(ULONG ComponentId, ULONG Level);
NTSYSAPI NTSTATUS NTAPI DbgSetDebugFilterState(ULONG ComponentId, ULONG Level, BOOLEAN State);

// A breakpoint: under gdb it stops there (SIGTRAP); with no debugger attached it is an
// unhandled STATUS_BREAKPOINT exception: bug check KMODE_EXCEPTION_NOT_HANDLED.
NTSYSAPI VOID NTAPI DbgBreakPoint(VOID);
NTSYSAPI VOID NTAPI DbgBreakPointWithStatus(ULONG Status);

// ASSERT's target: prints the failed assertion and breaks (see DbgBreakPoint).
NTSYSAPI VOID NTAPI RtlAssert(PVOID VoidFailedAssertion, PVOID VoidFileName, ULONG LineNumber,
                              PSTR MutableMessage);

// ntsim extension standing in for the int 2c instruction behind NT_ASSERT: an assertion
// breakpoint under gdb, otherwise an unhandled STATUS_ASSERTION_FAILURE: bug check
// KMODE_EXCEPTION_NOT_HANDLED (0xC0000420, address of the assertion).
NTKERNELAPI VOID NTAPI NtsimAssertionFailure(PCSTR Expression, PCSTR FileName, ULONG LineNumber,
                                             PCSTR Message);

#ifdef __cplusplus
}
#endif

#if DBG
#define KdPrint(_x_) DbgPrint _x_
#define KdPrintEx(_x_) DbgPrintEx _x_
#define vKdPrintEx(_x_) vDbgPrintEx _x_
#define vKdPrintExWithPrefix(_x_) vDbgPrintExWithPrefix _x_
#define KdBreakPoint() DbgBreakPoint()
#define KdBreakPointWithStatus(s) DbgBreakPointWithStatus(s)
#else
#define KdPrint(_x_)
#define KdPrintEx(_x_)
#define vKdPrintEx(_x_)
#define vKdPrintExWithPrefix(_x_)
#define KdBreakPoint()
#define KdBreakPointWithStatus(s)
#endif

// ==== Assertions (checked only when DBG is non-zero: the expression must have no side
// effects, except in the *_VERIFY forms, which always evaluate it) ============================

#define DbgRaiseAssertionFailure() NtsimAssertionFailure(NULL, __FILE__, __LINE__, NULL)

#if DBG
#define ASSERT(exp)                                                                                \
    ((!(exp)) ? (RtlAssert((PVOID) #exp, (PVOID)__FILE__, __LINE__, NULL), FALSE) : TRUE)
#define ASSERTMSG(msg, exp)                                                                        \
    ((!(exp)) ? (RtlAssert((PVOID) #exp, (PVOID)__FILE__, __LINE__, (PSTR)(msg)), FALSE) : TRUE)
#define RTL_SOFT_ASSERT(exp)                                                                       \
    ((!(exp)) ? (DbgPrint("%s(%d): Soft assertion failed\n   Expression: %s\n", __FILE__,          \
                          __LINE__, #exp),                                                         \
                 FALSE)                                                                            \
              : TRUE)
#define RTL_SOFT_ASSERTMSG(msg, exp)                                                               \
    ((!(exp)) ? (DbgPrint("%s(%d): Soft assertion failed\n   Expression: %s\n   Message: %s\n",    \
                          __FILE__, __LINE__, #exp, (msg)),                                        \
                 FALSE)                                                                            \
              : TRUE)
#define RTL_VERIFY(exp) ASSERT(exp)
#define RTL_VERIFYMSG(msg, exp) ASSERTMSG(msg, exp)
#define RTL_SOFT_VERIFY(exp) RTL_SOFT_ASSERT(exp)
#define RTL_SOFT_VERIFYMSG(msg, exp) RTL_SOFT_ASSERTMSG(msg, exp)

#define NT_ASSERT(exp)                                                                             \
    ((!(exp)) ? (NtsimAssertionFailure(#exp, __FILE__, __LINE__, NULL), FALSE) : TRUE)
#define NT_ASSERTMSG(msg, exp)                                                                     \
    ((!(exp)) ? (NtsimAssertionFailure(#exp, __FILE__, __LINE__, (msg)), FALSE) : TRUE)
#define NT_ASSERTMSGW(msg, exp)                                                                    \
    ((!(exp)) ? (NtsimAssertionFailure(#exp, __FILE__, __LINE__, NULL), FALSE) : TRUE)
#define NT_VERIFY(exp) NT_ASSERT(exp)
#define NT_VERIFYMSG(msg, exp) NT_ASSERTMSG(msg, exp)
#define NT_VERIFYMSGW(msg, exp) NT_ASSERTMSGW(msg, exp)
#else
#define ASSERT(exp) ((void)0)
#define ASSERTMSG(msg, exp) ((void)0)
#define RTL_SOFT_ASSERT(exp) ((void)0)
#define RTL_SOFT_ASSERTMSG(msg, exp) ((void)0)
#define RTL_VERIFY(exp) ((exp) ? TRUE : FALSE)
#define RTL_VERIFYMSG(msg, exp) ((exp) ? TRUE : FALSE)
#define RTL_SOFT_VERIFY(exp) ((exp) ? TRUE : FALSE)
#define RTL_SOFT_VERIFYMSG(msg, exp) ((exp) ? TRUE : FALSE)
#define NT_ASSERT(exp) ((void)0)
#define NT_ASSERTMSG(msg, exp) ((void)0)
#define NT_ASSERTMSGW(msg, exp) ((void)0)
#define NT_VERIFY(exp) ((exp) ? TRUE : FALSE)
#define NT_VERIFYMSG(msg, exp) ((exp) ? TRUE : FALSE)
#define NT_VERIFYMSGW(msg, exp) ((exp) ? TRUE : FALSE)
#endif
#define NT_ASSERT_ASSUME(exp) NT_ASSERT(exp)
#define NT_ASSERT_NOASSUME(exp) NT_ASSERT(exp)
#define NT_ASSERTMSG_ASSUME(msg, exp) NT_ASSERTMSG(msg, exp)
#define NT_ASSERTMSG_NOASSUME(msg, exp) NT_ASSERTMSG(msg, exp)

// ==== Pageable code ============================================================================
// Code placement (#pragma alloc_text(PAGE/INIT, ...), code_seg) means nothing to an ELF image:
// the pragmas are unknown to g++ and ignored, ALLOC_PRAGMA stays undefined so drivers that guard
// them with #ifdef ALLOC_PRAGMA skip them, and the code_seg declaration macros expand to nothing.
// PAGED_CODE keeps its checked-build meaning: pageable code running above APC_LEVEL is reported
// and fails an assertion.
#ifndef NOP_FUNCTION
#define NOP_FUNCTION (void)0
#endif
#define CODE_SEG(segment)
#define INIT_CODE_SEG
#define PAGED_CODE_SEG
#define PAGE_CODE_SEG
#define NONPAGED_CODE_SEG

#if DBG
#define PAGED_ASSERT(exp) NT_ASSERT(exp)
#define PAGED_CODE()                                                                               \
    do {                                                                                           \
        if (KeGetCurrentIrql() > APC_LEVEL) {                                                      \
            KdPrint(("EX: Pageable code called at IRQL %d\n", (int)KeGetCurrentIrql()));           \
            PAGED_ASSERT(FALSE);                                                                   \
        }                                                                                          \
    } while (0)
#else
#define PAGED_ASSERT(exp) ((void)0)
#define PAGED_CODE() NOP_FUNCTION
#endif
#define PAGED_CODE_LOCKED() NOP_FUNCTION

// ==== Bug checks ===============================================================================

#ifdef __cplusplus
extern "C" {
#endif
// Stops the system with a stop code and four parameters (never returns). For documented codes
// the parameters must carry the documented meaning.
NTKERNELAPI DECLSPEC_NORETURN VOID NTAPI KeBugCheckEx(ULONG BugCheckCode,
                                                      ULONG_PTR BugCheckParameter1,
                                                      ULONG_PTR BugCheckParameter2,
                                                      ULONG_PTR BugCheckParameter3,
                                                      ULONG_PTR BugCheckParameter4);
NTKERNELAPI DECLSPEC_NORETURN VOID NTAPI KeBugCheck(ULONG BugCheckCode);
#ifdef __cplusplus
}
#endif

// Bug check codes (<bugcodes.h>) the kernel raises or drivers use.
#define APC_INDEX_MISMATCH ((ULONG)0x00000001L)
#define INVALID_AFFINITY_SET ((ULONG)0x00000003L)
#define INVALID_DATA_ACCESS_TRAP ((ULONG)0x00000004L)
#define INVALID_PROCESS_ATTACH_ATTEMPT ((ULONG)0x00000005L)
#define INVALID_PROCESS_DETACH_ATTEMPT ((ULONG)0x00000006L)
#define INVALID_SOFTWARE_INTERRUPT ((ULONG)0x00000007L)
#define IRQL_NOT_DISPATCH_LEVEL ((ULONG)0x00000008L)
#define IRQL_NOT_GREATER_OR_EQUAL ((ULONG)0x00000009L)
#define IRQL_NOT_LESS_OR_EQUAL ((ULONG)0x0000000AL)
#define NO_EXCEPTION_HANDLING_SUPPORT ((ULONG)0x0000000BL)
#define MAXIMUM_WAIT_OBJECTS_EXCEEDED ((ULONG)0x0000000CL)
#define MUTEX_LEVEL_NUMBER_VIOLATION ((ULONG)0x0000000DL)
#define NO_USER_MODE_CONTEXT ((ULONG)0x0000000EL)
#define SPIN_LOCK_ALREADY_OWNED ((ULONG)0x0000000FL)
#define SPIN_LOCK_NOT_OWNED ((ULONG)0x00000010L)
#define THREAD_NOT_MUTEX_OWNER ((ULONG)0x00000011L)
#define TRAP_CAUSE_UNKNOWN ((ULONG)0x00000012L)
#define REFERENCE_BY_POINTER ((ULONG)0x00000018L)
#define BAD_POOL_HEADER ((ULONG)0x00000019L)
#define MEMORY_MANAGEMENT ((ULONG)0x0000001AL)
#define KMODE_EXCEPTION_NOT_HANDLED ((ULONG)0x0000001EL)
#define SHARED_RESOURCE_CONV_ERROR ((ULONG)0x0000001FL)
#define KERNEL_APC_PENDING_DURING_EXIT ((ULONG)0x00000020L)
#define NO_MORE_IRP_STACK_LOCATIONS ((ULONG)0x00000035L)
#define DEVICE_REFERENCE_COUNT_NOT_ZERO ((ULONG)0x00000036L)
#define SYSTEM_EXIT_OWNED_MUTEX ((ULONG)0x00000039L)
#define SYSTEM_SERVICE_EXCEPTION ((ULONG)0x0000003BL)
#define MULTIPLE_IRP_COMPLETE_REQUESTS ((ULONG)0x00000044L)
#define CANCEL_STATE_IN_COMPLETED_IRP ((ULONG)0x00000048L)
#define IRQL_GT_ZERO_AT_SYSTEM_SERVICE ((ULONG)0x0000004AL)
#define PFN_LIST_CORRUPT ((ULONG)0x0000004EL)
#define PAGE_FAULT_IN_NONPAGED_AREA ((ULONG)0x00000050L)
#define SYSTEM_THREAD_EXCEPTION_NOT_HANDLED ((ULONG)0x0000007EL)
#define UNEXPECTED_KERNEL_MODE_TRAP ((ULONG)0x0000007FL)
#define INVALID_KERNEL_HANDLE ((ULONG)0x00000093L)
#define INVALID_WORK_QUEUE_ITEM ((ULONG)0x00000096L)
#define DRIVER_POWER_STATE_FAILURE ((ULONG)0x0000009FL)
#define BAD_EXHANDLE ((ULONG)0x000000A7L)
#define ATTEMPTED_SWITCH_FROM_DPC ((ULONG)0x000000B8L)
#define ATTEMPTED_WRITE_TO_READONLY_MEMORY ((ULONG)0x000000BEL)
#define MUTEX_ALREADY_OWNED ((ULONG)0x000000BFL)
#define SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION ((ULONG)0x000000C1L)
#define BAD_POOL_CALLER ((ULONG)0x000000C2L)
#define DRIVER_VERIFIER_DETECTED_VIOLATION ((ULONG)0x000000C4L)
#define DRIVER_CORRUPTED_EXPOOL ((ULONG)0x000000C5L)
#define DRIVER_CAUGHT_MODIFYING_FREED_POOL ((ULONG)0x000000C6L)
#define TIMER_OR_DPC_INVALID ((ULONG)0x000000C7L)
#define IRQL_UNEXPECTED_VALUE ((ULONG)0x000000C8L)
#define DRIVER_VERIFIER_IOMANAGER_VIOLATION ((ULONG)0x000000C9L)
#define PAGE_FAULT_IN_FREED_SPECIAL_POOL ((ULONG)0x000000CCL)
#define PAGE_FAULT_BEYOND_END_OF_ALLOCATION ((ULONG)0x000000CDL)
#define DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS ((ULONG)0x000000CEL)
#define DRIVER_CORRUPTED_MMPOOL ((ULONG)0x000000D0L)
#define DRIVER_IRQL_NOT_LESS_OR_EQUAL ((ULONG)0x000000D1L)
#define DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL ((ULONG)0x000000D5L)
#define DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION ((ULONG)0x000000D6L)
#define WORKER_THREAD_RETURNED_AT_BAD_IRQL ((ULONG)0x000000E1L)
#define MANUALLY_INITIATED_CRASH ((ULONG)0x000000E2L)
#define RESOURCE_NOT_OWNED ((ULONG)0x000000E3L)
#define WORKER_INVALID ((ULONG)0x000000E4L)
#define DRIVER_VERIFIER_DMA_VIOLATION ((ULONG)0x000000E6L)
#define INVALID_CANCEL_OF_FILE_OPEN ((ULONG)0x000000E8L)
#define ACTIVE_EX_WORKER_THREAD_TERMINATION ((ULONG)0x000000E9L)
#define THREAD_STUCK_IN_DEVICE_DRIVER ((ULONG)0x000000EAL)
#define CRITICAL_PROCESS_DIED ((ULONG)0x000000EFL)
#define CRITICAL_OBJECT_TERMINATION ((ULONG)0x000000F4L)
#define DRIVER_OVERRAN_STACK_BUFFER ((ULONG)0x000000F7L)
#define ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY ((ULONG)0x000000FCL)
#define CRITICAL_STRUCTURE_CORRUPTION ((ULONG)0x00000109L)
#define DRIVER_VIOLATION ((ULONG)0x00000121L)
#define DPC_WATCHDOG_VIOLATION ((ULONG)0x00000133L)
#define KERNEL_SECURITY_CHECK_FAILURE ((ULONG)0x00000139L)
#define KERNEL_MODE_HEAP_CORRUPTION ((ULONG)0x0000013AL)
