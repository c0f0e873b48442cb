// The OS version ntsim reports: Windows 11 23H2, 10.0 build 22631, an NT workstation (the
// book's samples and RtlVerifyVersionInfo checks expect a current Windows 10/11 kernel).
#include <wdm.h>

#include "core/export.h"

namespace {
constexpr ULONG kMajor = 10, kMinor = 0, kBuild = 22631;
constexpr USHORT kSuiteMask = VER_SUITE_SINGLEUSERTS;
constexpr UCHAR kProductType = VER_NT_WORKSTATION;
} // namespace

// Fills RTL_OSVERSIONINFOW, and the EX fields when dwOSVersionInfoSize says the caller passed
// an RTL_OSVERSIONINFOEXW; any other size is STATUS_INVALID_PARAMETER.
extern "C" NTSTATUS NTAPI RtlGetVersion(PRTL_OSVERSIONINFOW lpVersionInformation) {
    if (lpVersionInformation == nullptr) return STATUS_INVALID_PARAMETER;
    ULONG size = lpVersionInformation->dwOSVersionInfoSize;
    if (size != sizeof(RTL_OSVERSIONINFOW) && size != sizeof(RTL_OSVERSIONINFOEXW))
        return STATUS_INVALID_PARAMETER;
    lpVersionInformation->dwMajorVersion = kMajor;
    lpVersionInformation->dwMinorVersion = kMinor;
    lpVersionInformation->dwBuildNumber = kBuild;
    lpVersionInformation->dwPlatformId = VER_PLATFORM_WIN32_NT;
    for (WCHAR& c : lpVersionInformation->szCSDVersion)
        c = 0; // no service pack
    if (size == sizeof(RTL_OSVERSIONINFOEXW)) {
        auto* ex = reinterpret_cast<PRTL_OSVERSIONINFOEXW>(lpVersionInformation);
        ex->wServicePackMajor = 0;
        ex->wServicePackMinor = 0;
        ex->wSuiteMask = kSuiteMask;
        ex->wProductType = kProductType;
        ex->wReserved = 0;
    }
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlGetVersion);

namespace {
int TypeIndex(ULONG typeBit) {
    return __builtin_ctz(typeBit);
} // VER_MINORVERSION -> 0 ...
} // namespace

// Stores Condition (3 bits) for each type bit, at bit position 3 * index of the type.
extern "C" ULONGLONG NTAPI VerSetConditionMask(ULONGLONG ConditionMask, ULONG TypeMask,
                                               UCHAR Condition) {
    if (TypeMask == 0 || Condition == 0) return ConditionMask;
    ULONGLONG cond = Condition & VER_CONDITION_MASK;
    for (ULONG bit = VER_MINORVERSION; bit <= VER_PRODUCT_TYPE; bit <<= 1) {
        if (TypeMask & bit) {
            int shift = TypeIndex(bit) * VER_NUM_BITS_PER_CONDITION_MASK;
            ConditionMask =
                (ConditionMask & ~(ULONGLONG(VER_CONDITION_MASK) << shift)) | (cond << shift);
        }
    }
    return ConditionMask;
}
NTSIM_EXPORT(VerSetConditionMask);

namespace {

UCHAR ConditionFor(ULONGLONG mask, ULONG typeBit) {
    return UCHAR((mask >> (TypeIndex(typeBit) * VER_NUM_BITS_PER_CONDITION_MASK)) &
                 VER_CONDITION_MASK);
}

// `actual <op> wanted`.
bool Compare(ULONGLONG actual, ULONGLONG wanted, UCHAR condition) {
    switch (condition) {
    case VER_EQUAL:
        return actual == wanted;
    case VER_GREATER:
        return actual > wanted;
    case VER_GREATER_EQUAL:
        return actual >= wanted;
    case VER_LESS:
        return actual < wanted;
    case VER_LESS_EQUAL:
        return actual <= wanted;
    default:
        return false;
    }
}

} // namespace

// Major, minor and service pack are compared together as one version number, with the condition
// of the most significant of them that is present; build, platform and product type on their
// own; the suite with VER_AND (all bits present) or VER_OR (any bit present).
extern "C" NTSTATUS NTAPI RtlVerifyVersionInfo(PRTL_OSVERSIONINFOEXW VersionInfo, ULONG TypeMask,
                                               ULONGLONG ConditionMask) {
    if (VersionInfo == nullptr || TypeMask == 0 || ConditionMask == 0)
        return STATUS_INVALID_PARAMETER;
    if (TypeMask & ~ULONG(0xFF)) return STATUS_INVALID_PARAMETER;

    constexpr ULONG kVersionBits =
        VER_MAJORVERSION | VER_MINORVERSION | VER_SERVICEPACKMAJOR | VER_SERVICEPACKMINOR;
    if (TypeMask & kVersionBits) {
        ULONGLONG actual = 0, wanted = 0;
        UCHAR condition = 0;
        struct Part {
            ULONG bit;
            ULONGLONG actual, wanted;
        } parts[] = {
            {VER_MAJORVERSION, kMajor, VersionInfo->dwMajorVersion},
            {VER_MINORVERSION, kMinor, VersionInfo->dwMinorVersion},
            {VER_SERVICEPACKMAJOR, 0, VersionInfo->wServicePackMajor},
            {VER_SERVICEPACKMINOR, 0, VersionInfo->wServicePackMinor},
        };
        for (const Part& part : parts) {
            actual <<= 16;
            wanted <<= 16;
            if (!(TypeMask & part.bit)) continue;
            actual |= part.actual & 0xFFFF;
            wanted |= part.wanted & 0xFFFF;
            if (condition == 0) condition = ConditionFor(ConditionMask, part.bit);
        }
        if (condition == 0 || condition > VER_LESS_EQUAL) return STATUS_INVALID_PARAMETER;
        if (!Compare(actual, wanted, condition)) return STATUS_REVISION_MISMATCH;
    }
    if (TypeMask & VER_BUILDNUMBER) {
        if (!Compare(kBuild, VersionInfo->dwBuildNumber,
                     ConditionFor(ConditionMask, VER_BUILDNUMBER)))
            return STATUS_REVISION_MISMATCH;
    }
    if (TypeMask & VER_PLATFORMID) {
        if (!Compare(VER_PLATFORM_WIN32_NT, VersionInfo->dwPlatformId,
                     ConditionFor(ConditionMask, VER_PLATFORMID)))
            return STATUS_REVISION_MISMATCH;
    }
    if (TypeMask & VER_PRODUCT_TYPE) {
        if (!Compare(kProductType, VersionInfo->wProductType,
                     ConditionFor(ConditionMask, VER_PRODUCT_TYPE)))
            return STATUS_REVISION_MISMATCH;
    }
    if (TypeMask & VER_SUITENAME) {
        USHORT wanted = VersionInfo->wSuiteMask;
        UCHAR condition = ConditionFor(ConditionMask, VER_SUITENAME);
        bool ok = condition == VER_OR ? (kSuiteMask & wanted) != 0
                                      : (kSuiteMask & wanted) == wanted; // VER_AND (default)
        if (!ok) return STATUS_REVISION_MISMATCH;
    }
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(RtlVerifyVersionInfo);
