// Runner of the in-kernel conformance tests: boots a kernel in this process, loads
// conformance.sys, opens \Device\NtsimConformance and runs each test through
// IOCTL_KMT_RUN_TEST, turning the driver's counters and log into GoogleTest results.
//
//   conformance_runner                     every test the driver lists
//   conformance_runner --kmt-test=io.irp   one test (ctest runs each in its own process, so a
//                                          bug check in one cannot take the others down)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "core/boot.h"
#include "dbg/dbg.h"
#include "io/io.h"
#include "kmt_shared.h"
#include "ldr/ldr.h"
#include "ob/ob.h"
#include "wdm.h"

namespace {

struct BugCheck {
    ULONG code;
    ULONG_PTR p[4];
};

HANDLE g_device = nullptr;

NTSTATUS Ioctl(ULONG code, const void* in, ULONG inLength, std::vector<char>* out,
               IO_STATUS_BLOCK* iosb) {
    return ntsim::io::NtDeviceIoControlFile(g_device, nullptr, nullptr, nullptr, iosb, code,
                                            const_cast<void*>(in), inLength, out->data(),
                                            static_cast<ULONG>(out->size()), KernelMode);
}

std::string DebugOutputSince(uint64_t sequence) {
    std::string text;
    for (const auto& record : ntsim::dbg::ReadDebugLog(sequence))
        text += record.text;
    return text;
}

void RunKmtTest(const std::string& name) {
    std::vector<char> out(sizeof(KMT_RESULT_HEADER) + 256 * 1024);
    IO_STATUS_BLOCK iosb{};
    uint64_t since = ntsim::dbg::LastDebugSequence();
    NTSTATUS status;
    try {
        status =
            Ioctl(IOCTL_KMT_RUN_TEST, name.data(), static_cast<ULONG>(name.size()), &out, &iosb);
    } catch (const BugCheck& bc) {
        FAIL() << "bug check 0x" << std::hex << bc.code << " (" << bc.p[0] << ", " << bc.p[1]
               << ", " << bc.p[2] << ", " << bc.p[3] << ") while running " << name
               << "\ndebug output:\n"
               << DebugOutputSince(since);
    }
    ASSERT_EQ(status, STATUS_SUCCESS)
        << "IOCTL_KMT_RUN_TEST(" << name << ") failed; debug output:\n"
        << DebugOutputSince(since);
    ASSERT_GE(iosb.Information, sizeof(KMT_RESULT_HEADER));
    auto* header = reinterpret_cast<const KMT_RESULT_HEADER*>(out.data());
    ASSERT_LE(sizeof(KMT_RESULT_HEADER) + header->LogLength, iosb.Information);
    std::string log(out.data() + sizeof(KMT_RESULT_HEADER), header->LogLength);
    std::printf("%s: %u passed, %u failed, %u skipped%s\n", name.c_str(), header->Passed,
                header->Failed, header->Skipped, header->Truncated ? " (log truncated)" : "");
    if (!log.empty()) std::printf("%s", log.c_str());
    EXPECT_EQ(header->Failed, 0u) << log;
    EXPECT_GT(header->Passed + header->Failed, 0u) << "the test checked nothing";
}

std::vector<std::string> ListTests(std::string* error) {
    std::vector<char> out(64 * 1024);
    IO_STATUS_BLOCK iosb{};
    NTSTATUS status = Ioctl(IOCTL_KMT_LIST_TESTS, nullptr, 0, &out, &iosb);
    std::vector<std::string> names;
    if (!NT_SUCCESS(status)) {
        std::ostringstream s;
        s << "IOCTL_KMT_LIST_TESTS failed: 0x" << std::hex << static_cast<ULONG>(status);
        *error = s.str();
        return names;
    }
    std::istringstream lines(std::string(out.data(), strnlen(out.data(), out.size())));
    for (std::string line; std::getline(lines, line);)
        if (!line.empty()) names.push_back(line);
    return names;
}

// "io.irp" -> "io_irp": GoogleTest names cannot hold dots.
std::string GtestName(std::string name) {
    for (char& c : name)
        if (c == '.') c = '_';
    return name;
}

class KmtTest : public testing::Test {
public:
    explicit KmtTest(std::string name) : name_(std::move(name)) {}
    void TestBody() override { RunKmtTest(name_); }

private:
    std::string name_;
};

class FailingTest : public testing::Test {
public:
    explicit FailingTest(std::string message) : message_(std::move(message)) {}
    void TestBody() override { FAIL() << message_; }

private:
    std::string message_;
};

void RegisterFailure(const std::string& name, const std::string& message) {
    testing::RegisterTest("Conformance", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [=]() -> testing::Test* { return new FailingTest(message); });
}

} // namespace

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    std::vector<std::string> wanted;
    for (int i = 1; i < argc; ++i)
        if (std::strncmp(argv[i], "--kmt-test=", 11) == 0) wanted.emplace_back(argv[i] + 11);

    ntsim::dbg::SetBugCheckHook(
        [](ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
            throw BugCheck{code, {p1, p2, p3, p4}};
        });
    if (!NT_SUCCESS(ntsim::BootKernel())) return 2;

    NTSTATUS status = ntsim::ldr::LoadDriver("conformance", NTSIM_CONFORMANCE_DRIVER);
    bool loaded = NT_SUCCESS(status);
    std::string setupError;
    if (!loaded) {
        std::ostringstream s;
        s << "loading " << NTSIM_CONFORMANCE_DRIVER << " failed: 0x" << std::hex
          << static_cast<ULONG>(status) << "\n"
          << DebugOutputSince(0);
        setupError = s.str();
    } else {
        UNICODE_STRING name = RTL_CONSTANT_STRING(KMT_DEVICE_NAME);
        OBJECT_ATTRIBUTES attributes;
        InitializeObjectAttributes(&attributes, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
                                   nullptr, nullptr);
        IO_STATUS_BLOCK iosb{};
        status =
            ntsim::io::NtCreateFile(&g_device, GENERIC_READ | GENERIC_WRITE, &attributes, &iosb,
                                    nullptr, 0, 0, FILE_OPEN, 0, nullptr, 0, KernelMode);
        if (!NT_SUCCESS(status)) {
            std::ostringstream s;
            s << "opening "
              << "\\Device\\NtsimConformance failed: 0x" << std::hex << static_cast<ULONG>(status);
            setupError = s.str();
            g_device = nullptr;
        }
    }

    std::vector<std::string> names;
    if (setupError.empty()) names = ListTests(&setupError);
    if (!setupError.empty()) {
        for (const auto& test : wanted.empty() ? std::vector<std::string>{"setup"} : wanted)
            RegisterFailure(GtestName(test), setupError);
    } else {
        for (const auto& test : wanted)
            if (std::find(names.begin(), names.end(), test) == names.end())
                RegisterFailure(GtestName(test), "conformance.sys has no test named " + test);
        for (const auto& test : names) {
            if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), test) == wanted.end())
                continue;
            testing::RegisterTest("Conformance", GtestName(test).c_str(), nullptr, nullptr,
                                  __FILE__, __LINE__,
                                  [test]() -> testing::Test* { return new KmtTest(test); });
        }
    }

    int result = RUN_ALL_TESTS();

    // Teardown can expose what the tests left behind (a reference dropped twice shows up as a
    // bug check when the driver's objects go away): report it as a failure, not an abort.
    const char* phase = "closing the device handle";
    try {
        if (g_device != nullptr) ntsim::ob::CloseHandle(g_device, KernelMode);
        phase = "unloading conformance.sys";
        if (loaded) {
            status = ntsim::ldr::UnloadDriver("conformance");
            if (!NT_SUCCESS(status)) {
                std::fprintf(stderr, "FAILED: unloading conformance.sys: 0x%08X\n",
                             static_cast<ULONG>(status));
                result = 1;
            }
        }
        phase = "shutting the kernel down";
        ntsim::ShutdownKernel();
    } catch (const BugCheck& bc) {
        std::fprintf(stderr, "FAILED: bug check 0x%08X (0x%llX, 0x%llX, 0x%llX, 0x%llX) while %s\n",
                     bc.code, static_cast<unsigned long long>(bc.p[0]),
                     static_cast<unsigned long long>(bc.p[1]),
                     static_cast<unsigned long long>(bc.p[2]),
                     static_cast<unsigned long long>(bc.p[3]), phase);
        std::_Exit(1);
    }
    return result;
}
