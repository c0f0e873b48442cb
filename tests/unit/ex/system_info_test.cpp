// ZwQuerySystemInformation: SystemBasicInformation, SystemProcessInformation (records, threads,
// names, chaining, sizes) and bad input.
#include <gtest/gtest.h>

#include <cstring>
#include <thread>
#include <vector>

#include "ke/ke.h"
#include "ntsim/ntsysinfo.h"
#include "ob/ob.h"
#include "ps/ps.h"
#include "test_support.h"
#include "wdm.h"

using namespace ntsim;

namespace {

// A buffer of the size the kernel asks for (plus slack), 8-byte aligned.
std::vector<ULONG64> QueryProcesses(ULONG* used) {
    ULONG size = 0;
    EXPECT_EQ(ZwQuerySystemInformation(SystemProcessInformation, nullptr, 0, &size),
              STATUS_INFO_LENGTH_MISMATCH);
    EXPECT_GT(size, sizeof(SYSTEM_PROCESS_INFORMATION));
    size += 4096;
    std::vector<ULONG64> buffer(size / 8 + 1);
    EXPECT_EQ(ZwQuerySystemInformation(SystemProcessInformation, buffer.data(), size, used),
              STATUS_SUCCESS);
    return buffer;
}

std::vector<const SYSTEM_PROCESS_INFORMATION*> Entries(const void* buffer) {
    std::vector<const SYSTEM_PROCESS_INFORMATION*> out;
    auto* p = static_cast<const UCHAR*>(buffer);
    for (;;) {
        auto* info = reinterpret_cast<const SYSTEM_PROCESS_INFORMATION*>(p);
        out.push_back(info);
        if (info->NextEntryOffset == 0) break;
        p += info->NextEntryOffset;
    }
    return out;
}

const SYSTEM_PROCESS_INFORMATION* Find(const std::vector<const SYSTEM_PROCESS_INFORMATION*>& all,
                                       ULONG_PTR pid) {
    for (auto* e : all)
        if (ULONG_PTR(e->UniqueProcessId) == pid) return e;
    return nullptr;
}

} // namespace

TEST(ExSystemInfo, BasicInformation) {
    SYSTEM_BASIC_INFORMATION info;
    std::memset(&info, 0xCC, sizeof info);
    ULONG len = 0;
    ASSERT_EQ(ZwQuerySystemInformation(SystemBasicInformation, &info, sizeof info, &len),
              STATUS_SUCCESS);
    EXPECT_EQ(len, sizeof info);
    EXPECT_EQ(info.PageSize, 4096u);
    EXPECT_EQ(info.AllocationGranularity, 65536u);
    EXPECT_EQ(ULONG(info.NumberOfProcessors), ke::ProcessorCount());
    EXPECT_GT(info.NumberOfPhysicalPages, 0u);
    EXPECT_EQ(info.MinimumUserModeAddress, 0x10000u);
    EXPECT_EQ(info.MaximumUserModeAddress, 0x7FFFFFFEFFFFu);
    EXPECT_NE(info.ActiveProcessorsAffinityMask, 0u);
    // The exact size only.
    ULONG64 big[16] = {};
    len = 0;
    EXPECT_EQ(ZwQuerySystemInformation(SystemBasicInformation, big, sizeof big, &len),
              STATUS_INFO_LENGTH_MISMATCH);
    EXPECT_EQ(len, sizeof info);
    EXPECT_EQ(ZwQuerySystemInformation(SystemBasicInformation, big, 8, nullptr),
              STATUS_INFO_LENGTH_MISMATCH);
}

TEST(ExSystemInfo, ProcessListHasIdleSystemAndThreads) {
    ULONG used = 0;
    auto buffer = QueryProcesses(&used);
    auto all = Entries(buffer.data());
    ASSERT_GE(all.size(), 2u);

    // Idle first, with an empty name and one thread per processor.
    auto* idle = all[0];
    EXPECT_EQ(ULONG_PTR(idle->UniqueProcessId), 0u);
    EXPECT_EQ(idle->ImageName.Length, 0);
    EXPECT_EQ(idle->ImageName.Buffer, nullptr);
    EXPECT_EQ(idle->NumberOfThreads, ke::ProcessorCount());

    auto* system = Find(all, 4);
    ASSERT_NE(system, nullptr);
    EXPECT_EQ(test::Narrow(system->ImageName), "System");
    EXPECT_EQ(system->ImageName.MaximumLength, system->ImageName.Length + 2);
    EXPECT_EQ(system->ImageName.Buffer[system->ImageName.Length / 2], 0);
    ASSERT_GE(system->NumberOfThreads, 1u);
    auto* threads = reinterpret_cast<const SYSTEM_THREAD_INFORMATION*>(system + 1);
    for (ULONG i = 0; i < system->NumberOfThreads; ++i) {
        EXPECT_EQ(ULONG_PTR(threads[i].ClientId.UniqueProcess), 4u);
        EXPECT_NE(threads[i].ClientId.UniqueThread, nullptr);
    }
    // The name lies after the thread records, inside the entry.
    auto* nameAt = reinterpret_cast<const UCHAR*>(system->ImageName.Buffer);
    EXPECT_EQ(nameAt, reinterpret_cast<const UCHAR*>(threads + system->NumberOfThreads));

    // Entries are 8-byte aligned, and the chain ends inside the bytes reported.
    size_t total = 0;
    for (auto* e : all) {
        EXPECT_EQ(reinterpret_cast<ULONG_PTR>(e) % 8, 0u);
        total = size_t(reinterpret_cast<const UCHAR*>(e) -
                       reinterpret_cast<const UCHAR*>(buffer.data()));
    }
    EXPECT_LT(total, used);
}

TEST(ExSystemInfo, ClientProcessAppearsWithItsFileNameAndThread) {
    PEPROCESS process = nullptr;
    ASSERT_EQ(ps::CreateProcess(nullptr, u"\\Device\\HarddiskVolume3\\Tools\\client.exe", &process),
              STATUS_SUCCESS);
    HANDLE pid = PsGetProcessId(process);
    std::atomic<HANDLE> tid{nullptr};
    KEVENT attached, done;
    KeInitializeEvent(&attached, NotificationEvent, FALSE);
    KeInitializeEvent(&done, NotificationEvent, FALSE);
    std::thread worker([&] {
        PETHREAD t = nullptr;
        ASSERT_EQ(ps::AttachCurrentThread(process, &t), STATUS_SUCCESS);
        tid = PsGetCurrentThreadId();
        KeSetEvent(&attached, 0, FALSE);
        KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, nullptr);
        ps::DetachCurrentThread(0);
    });
    KeWaitForSingleObject(&attached, Executive, KernelMode, FALSE, nullptr);

    ULONG used = 0;
    auto buffer = QueryProcesses(&used);
    auto all = Entries(buffer.data());
    auto* entry = Find(all, ULONG_PTR(pid));
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(test::Narrow(entry->ImageName), "client.exe");
    EXPECT_EQ(entry->NumberOfThreads, 1u);
    EXPECT_EQ(ULONG_PTR(entry->Reserved2), 4u); // parent: System
    auto* thread = reinterpret_cast<const SYSTEM_THREAD_INFORMATION*>(entry + 1);
    EXPECT_EQ(thread->ClientId.UniqueThread, tid.load());
    EXPECT_EQ(thread->ClientId.UniqueProcess, pid);

    KeSetEvent(&done, 0, FALSE);
    worker.join();
    // An exited process is no longer listed.
    buffer = QueryProcesses(&used);
    EXPECT_EQ(Find(Entries(buffer.data()), ULONG_PTR(pid)), nullptr);
    ObDereferenceObject(process);
}

TEST(ExSystemInfo, TooSmallBufferReportsTheRequiredSize) {
    ULONG required = 0;
    ASSERT_EQ(ZwQuerySystemInformation(SystemProcessInformation, nullptr, 0, &required),
              STATUS_INFO_LENGTH_MISMATCH);
    std::vector<ULONG64> small(sizeof(SYSTEM_PROCESS_INFORMATION) / 8);
    ULONG len = 0;
    EXPECT_EQ(ZwQuerySystemInformation(SystemProcessInformation, small.data(),
                                       sizeof(SYSTEM_PROCESS_INFORMATION), &len),
              STATUS_INFO_LENGTH_MISMATCH);
    EXPECT_GE(len, required - 256); // the system's threads may come and go between calls
    // ReturnLength is optional.
    EXPECT_EQ(ZwQuerySystemInformation(SystemProcessInformation, nullptr, 0, nullptr),
              STATUS_INFO_LENGTH_MISMATCH);
}

TEST(ExSystemInfo, BadInput) {
    ULONG64 buffer[64] = {};
    ULONG len = 0;
    // NULL buffer with a length.
    EXPECT_EQ(ZwQuerySystemInformation(SystemBasicInformation, nullptr,
                                       sizeof(SYSTEM_BASIC_INFORMATION), &len),
              STATUS_ACCESS_VIOLATION);
    // Misaligned buffer.
    auto* odd = reinterpret_cast<UCHAR*>(buffer) + 1;
    EXPECT_EQ(ZwQuerySystemInformation(SystemBasicInformation, odd,
                                       sizeof(SYSTEM_BASIC_INFORMATION), &len),
              STATUS_DATATYPE_MISALIGNMENT);
    EXPECT_EQ(ZwQuerySystemInformation(SystemProcessInformation, odd, 256, &len),
              STATUS_DATATYPE_MISALIGNMENT);
    // Unknown class.
    EXPECT_EQ(ZwQuerySystemInformation(SYSTEM_INFORMATION_CLASS(9999), buffer, sizeof buffer, &len),
              STATUS_INVALID_INFO_CLASS);
    // A known class ntsim does not produce.
    EXPECT_EQ(ZwQuerySystemInformation(SystemModuleInformation, buffer, sizeof buffer, &len),
              STATUS_NOT_IMPLEMENTED);
}

TEST(ExSystemInfo, NtFromUserModeRejectsKernelBuffers) {
    PEPROCESS process = nullptr;
    ASSERT_EQ(ps::CreateProcess(nullptr, u"user.exe", &process), STATUS_SUCCESS);
    std::thread worker([&] {
        PETHREAD t = nullptr;
        ASSERT_EQ(ps::AttachCurrentThread(process, &t), STATUS_SUCCESS);
        ASSERT_EQ(ExGetPreviousMode(), UserMode);
        auto* kernelAddress = reinterpret_cast<PVOID>(ULONG_PTR(0xFFFF800000001000ull));
        EXPECT_EQ(NtQuerySystemInformation(SystemBasicInformation, kernelAddress,
                                           sizeof(SYSTEM_BASIC_INFORMATION), nullptr),
                  STATUS_ACCESS_VIOLATION);
        ps::DetachCurrentThread(0);
    });
    worker.join();
    ObDereferenceObject(process);
}
