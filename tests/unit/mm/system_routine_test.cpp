// MmGetSystemRoutineAddress: lookup of kernel exports by UNICODE_STRING name.
#include <gtest/gtest.h>

#include "core/export.h"
#include "wdm.h"

// A known-but-unimplemented export, registered only in this test executable.
NTSIM_NOT_IMPLEMENTED(NtsimMmTestNotImplementedRoutine);

namespace {

PVOID Lookup(const WCHAR* name) {
    UNICODE_STRING s;
    USHORT n = 0;
    while (name[n])
        ++n;
    s.Length = static_cast<USHORT>(n * sizeof(WCHAR));
    s.MaximumLength = s.Length;
    s.Buffer = const_cast<PWCH>(name);
    return MmGetSystemRoutineAddress(&s);
}

TEST(MmGetSystemRoutineAddress, FindsImplementedFunctionsAndData) {
    EXPECT_EQ(Lookup(L"MmGetSystemRoutineAddress"),
              reinterpret_cast<PVOID>(&MmGetSystemRoutineAddress));
    EXPECT_EQ(Lookup(L"IoAllocateMdl"), reinterpret_cast<PVOID>(&IoAllocateMdl));
    EXPECT_EQ(Lookup(L"MmUserProbeAddress"), reinterpret_cast<PVOID>(&MmUserProbeAddress));
}

TEST(MmGetSystemRoutineAddress, UnknownNameIsNull) {
    EXPECT_EQ(Lookup(L"NtsimNoSuchRoutine"), nullptr);
    EXPECT_EQ(Lookup(L""), nullptr);
    EXPECT_EQ(Lookup(L"ioallocatemdl"), nullptr); // export names are case-sensitive
}

TEST(MmGetSystemRoutineAddress, NotImplementedExportIsNull) {
    const ntsim::ExportEntry* e = ntsim::FindExportByName("NtsimMmTestNotImplementedRoutine");
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->state, ntsim::ApiState::NotImplemented);
    EXPECT_EQ(Lookup(L"NtsimMmTestNotImplementedRoutine"), nullptr);
}

TEST(MmGetSystemRoutineAddress, LengthNotTheTerminatorDecides) {
    // "IoFreeMdlXYZ" with Length covering only "IoFreeMdl".
    UNICODE_STRING s;
    WCHAR buffer[] = L"IoFreeMdlXYZ";
    s.Buffer = buffer;
    s.Length = 9 * sizeof(WCHAR);
    s.MaximumLength = sizeof(buffer);
    EXPECT_EQ(MmGetSystemRoutineAddress(&s), reinterpret_cast<PVOID>(&IoFreeMdl));
}

TEST(MmGetSystemRoutineAddress, BadInputIsNull) {
    EXPECT_EQ(MmGetSystemRoutineAddress(nullptr), nullptr);
    UNICODE_STRING s{4, 4, nullptr};
    EXPECT_EQ(MmGetSystemRoutineAddress(&s), nullptr);
    WCHAR nonAscii[] = {0x49, 0x6F, 0x00E9, 0};
    EXPECT_EQ(Lookup(nonAscii), nullptr);
}

} // namespace
