// CreateFile: Win32 -> NT names, parameter mapping and error reporting (fake NtCreateFile).
#include <gtest/gtest.h>

#include <unistd.h>

#include "fake_ntdll.h"
#include "kernel32/k32.h"

namespace {

std::string Narrow(const std::u16string& s) {
    std::string out;
    for (char16_t c : s)
        out.push_back(c < 0x80 ? char(c) : '?');
    return out;
}

std::string NtName(const char16_t* win32) {
    std::u16string nt;
    EXPECT_TRUE(ntsim::k32::Win32PathToNtPath(win32, nt));
    return Narrow(nt);
}

TEST(PathTranslation, DevicePrefixesBecomeGlobalRoot) {
    EXPECT_EQ(NtName(u"\\\\.\\Booster"), "\\??\\Booster");
    EXPECT_EQ(NtName(u"\\\\?\\Booster"), "\\??\\Booster");
    EXPECT_EQ(NtName(u"\\??\\KMelody"), "\\??\\KMelody");
    EXPECT_EQ(NtName(u"//./Zero"), "\\??\\Zero");
    // \\?\ is verbatim: no separator normalization.
    EXPECT_EQ(NtName(u"\\\\?\\C:/a/b"), "\\??\\C:/a/b");
}

TEST(PathTranslation, DosPaths) {
    EXPECT_EQ(NtName(u"C:\\Windows\\x.txt"), "\\??\\C:\\Windows\\x.txt");
    EXPECT_EQ(NtName(u"c:/tmp/y"), "\\??\\C:\\tmp\\y");
    EXPECT_EQ(NtName(u"\\etc\\hosts"), "\\??\\C:\\etc\\hosts");
    EXPECT_EQ(NtName(u"\\\\server\\share\\f"), "\\??\\UNC\\server\\share\\f");
    char cwd[4096];
    ASSERT_NE(getcwd(cwd, sizeof(cwd)), nullptr);
    std::string expected = std::string("\\??\\C:") + cwd + "\\rel\\f";
    for (auto& c : expected)
        if (c == '/') c = '\\';
    EXPECT_EQ(NtName(u"rel/f"), expected);
}

TEST(PathTranslation, EmptyOrNullFails) {
    std::u16string nt;
    EXPECT_FALSE(ntsim::k32::Win32PathToNtPath(u"", nt));
    EXPECT_FALSE(ntsim::k32::Win32PathToNtPath(nullptr, nt));
}

TEST(CreateFileMapping, DispositionsAndFlags) {
    using ntsim::k32::MapCreateFileParameters;
    ntsim::k32::NtCreateParameters p{};
    const DWORD dispositions[][2] = {{CREATE_NEW, FILE_CREATE},
                                     {CREATE_ALWAYS, FILE_OVERWRITE_IF},
                                     {OPEN_EXISTING, FILE_OPEN},
                                     {OPEN_ALWAYS, FILE_OPEN_IF},
                                     {TRUNCATE_EXISTING, FILE_OVERWRITE}};
    for (auto& d : dispositions) {
        ASSERT_EQ(MapCreateFileParameters(GENERIC_READ, 0, nullptr, d[0], 0, &p), 0u);
        EXPECT_EQ(p.createDisposition, d[1]);
    }
    EXPECT_EQ(MapCreateFileParameters(GENERIC_READ, 0, nullptr, 0, 0, &p),
              DWORD(ERROR_INVALID_PARAMETER));
    EXPECT_EQ(MapCreateFileParameters(GENERIC_READ, 0, nullptr, 6, 0, &p),
              DWORD(ERROR_INVALID_PARAMETER));

    ASSERT_EQ(MapCreateFileParameters(GENERIC_WRITE, FILE_SHARE_READ | 0x100, nullptr,
                                      OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, &p),
              0u);
    EXPECT_EQ(p.desiredAccess, ACCESS_MASK(GENERIC_WRITE | SYNCHRONIZE | FILE_READ_ATTRIBUTES));
    EXPECT_EQ(p.shareAccess, ULONG(FILE_SHARE_READ));
    EXPECT_EQ(p.fileAttributes, ULONG(FILE_ATTRIBUTE_NORMAL));
    EXPECT_EQ(p.createOptions, ULONG(FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE));
    EXPECT_EQ(p.objectAttributes, ULONG(OBJ_CASE_INSENSITIVE));

    SECURITY_ATTRIBUTES sa{sizeof(sa), nullptr, TRUE};
    ASSERT_EQ(MapCreateFileParameters(GENERIC_READ, 0, &sa, OPEN_EXISTING,
                                      FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE |
                                          FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_POSIX_SEMANTICS |
                                          FILE_FLAG_WRITE_THROUGH,
                                      &p),
              0u);
    EXPECT_EQ(p.createOptions,
              ULONG(FILE_DELETE_ON_CLOSE | FILE_OPEN_FOR_BACKUP_INTENT | FILE_WRITE_THROUGH));
    EXPECT_TRUE(p.desiredAccess & DELETE);
    EXPECT_EQ(p.objectAttributes, ULONG(OBJ_INHERIT));
}

class CreateFileTest : public ::testing::Test {
protected:
    void SetUp() override { fake::Reset(); }
};

TEST_F(CreateFileTest, OpensDeviceThroughNtCreateFile) {
    SetLastError(1234);
    HANDLE h = CreateFileW(L"\\\\.\\Booster", GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr);
    EXPECT_NE(h, INVALID_HANDLE_VALUE);
    EXPECT_EQ(GetLastError(), 0u);
    EXPECT_EQ(Narrow(fake::g_fake.createName), "\\??\\Booster");
    EXPECT_EQ(fake::g_fake.createDisposition, ULONG(FILE_OPEN));
    EXPECT_TRUE(fake::g_fake.createOptions & FILE_SYNCHRONOUS_IO_NONALERT);
    EXPECT_EQ(fake::g_fake.createObjAttributes, ULONG(OBJ_CASE_INSENSITIVE));

    h = CreateFileA("\\\\.\\Zero", GENERIC_READ, 0, nullptr, OPEN_EXISTING, FILE_FLAG_OVERLAPPED,
                    nullptr);
    EXPECT_NE(h, INVALID_HANDLE_VALUE);
    EXPECT_EQ(Narrow(fake::g_fake.createName), "\\??\\Zero");
    EXPECT_FALSE(fake::g_fake.createOptions & FILE_SYNCHRONOUS_IO_NONALERT);
}

TEST_F(CreateFileTest, FailuresReturnInvalidHandleAndMappedError) {
    fake::g_fake.createStatus = STATUS_OBJECT_NAME_NOT_FOUND;
    EXPECT_EQ(CreateFileW(L"\\\\.\\Booster", GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr),
              INVALID_HANDLE_VALUE);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_FILE_NOT_FOUND));
    fake::g_fake.createStatus = STATUS_ACCESS_DENIED;
    EXPECT_EQ(CreateFileW(L"\\\\.\\Booster", GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr),
              INVALID_HANDLE_VALUE);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_ACCESS_DENIED));
    fake::g_fake.createStatus = STATUS_OBJECT_NAME_COLLISION;
    EXPECT_EQ(CreateFileW(L"C:\\x", GENERIC_WRITE, 0, nullptr, CREATE_NEW, 0, nullptr),
              INVALID_HANDLE_VALUE);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_FILE_EXISTS));

    fake::Reset();
    EXPECT_EQ(CreateFileW(L"x", GENERIC_READ, 0, nullptr, 99, 0, nullptr), INVALID_HANDLE_VALUE);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
    EXPECT_EQ(CreateFileW(L"", GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0, nullptr),
              INVALID_HANDLE_VALUE);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_PATH_NOT_FOUND));
    EXPECT_EQ(CreateFileW(nullptr, GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0, nullptr),
              INVALID_HANDLE_VALUE);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_INVALID_PARAMETER));
}

TEST_F(CreateFileTest, OpenAlwaysOfExistingFileSaysAlreadyExists) {
    fake::g_fake.createInformation = FILE_OPENED;
    EXPECT_NE(CreateFileW(L"C:\\f", GENERIC_READ, 0, nullptr, OPEN_ALWAYS, 0, nullptr),
              INVALID_HANDLE_VALUE);
    EXPECT_EQ(GetLastError(), DWORD(ERROR_ALREADY_EXISTS));
    fake::g_fake.createInformation = FILE_CREATED;
    EXPECT_NE(CreateFileW(L"C:\\f", GENERIC_READ, 0, nullptr, OPEN_ALWAYS, 0, nullptr),
              INVALID_HANDLE_VALUE);
    EXPECT_EQ(GetLastError(), 0u);
}

} // namespace
