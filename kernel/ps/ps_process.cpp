// Process objects, the CID table, the System and Idle processes.
#include <map>
#include <new>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ke/ke.h"
#include "ob/ob.h"
#include "ps/ps_private.h"
#include "se/se.h"

namespace ntsim::ps {
namespace {

constexpr KPRIORITY kNormalBasePriority = 8; // NORMAL_PRIORITY_CLASS
constexpr ULONG kMaxCid = 0x3FFFFFC;         // ids fit in 26 bits like NT's CID table

POBJECT_TYPE g_processType = nullptr;
POBJECT_TYPE g_threadType = nullptr;
PEPROCESS g_system = nullptr;
PEPROCESS g_idle = nullptr;

struct CidTable {
    std::map<ULONG, PVOID> entries;   // id -> EPROCESS/ETHREAD (not referenced)
    ULONG next = 8;                   // 0 = Idle (not in the table), 4 = System
    std::vector<PEPROCESS> processes; // every process object not yet deleted
};
CidTable& Cids() {
    static auto* t = new CidTable;
    return *t;
}

void DeleteProcess(PVOID body) {
    auto* process = static_cast<PEPROCESS>(body);
    {
        std::lock_guard guard(ProcessListLock());
        auto& list = Cids().processes;
        std::erase(list, process);
        if (process->UniqueProcessId && !process->idle)
            Cids().entries.erase(ULONG(ULONG_PTR(process->UniqueProcessId)));
    }
    process->~_EPROCESS();
}

void SetImageName(PEPROCESS process, const std::u16string& imageName) {
    process->imageName = imageName;
    size_t slash = imageName.find_last_of(u"\\/");
    std::u16string base = slash == std::u16string::npos ? imageName : imageName.substr(slash + 1);
    size_t n = 0;
    for (; n < base.size() && n < 15; ++n)
        process->ImageFileName[n] = UCHAR(base[n] < 0x80 ? base[n] : '?');
    process->ImageFileName[n] = 0;
}

NTSTATUS NewProcess(PEPROCESS parent, const std::u16string& imageName, HANDLE fixedId,
                    PEPROCESS* result) {
    PVOID body = nullptr;
    NTSTATUS status = ob::CreateObject(g_processType, nullptr, sizeof(_EPROCESS), &body);
    if (!NT_SUCCESS(status)) return status;
    auto* process = new (body) _EPROCESS;
    ke::InitializeDispatcherHeader(&process->Pcb.Header, ProcessObject, 0);
    process->Pcb.BasePriority = kNormalBasePriority;
    process->CreateTime.QuadPart = Now();
    SetImageName(process, imageName);
    if (parent) {
        process->InheritedFromUniqueProcessId = parent->UniqueProcessId;
        process->SessionId = parent->SessionId;
        se::SetProcessToken(process, se::ProcessToken(parent)); // a child runs as its creator
    }
    {
        std::lock_guard guard(ProcessListLock());
        if (fixedId != reinterpret_cast<HANDLE>(~ULONG_PTR(0))) {
            process->UniqueProcessId = fixedId;
            if (fixedId) Cids().entries[ULONG(ULONG_PTR(fixedId))] = process;
        } else {
            process->UniqueProcessId = AllocateCid(process);
        }
        if (process->UniqueProcessId || fixedId == nullptr) Cids().processes.push_back(process);
    }
    if (!process->UniqueProcessId && fixedId != nullptr) {
        ob::DereferenceObject(process); // out of ids (delete takes the list lock)
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *result = process;
    return STATUS_SUCCESS;
}

} // namespace

std::mutex& ProcessListLock() {
    static auto* lock = new std::mutex;
    return *lock;
}

LONGLONG Now() {
    return ke::SystemTime();
}

HANDLE AllocateCid(PVOID object) {
    auto& t = Cids();
    // Monotonic allocation (wrapping), so a recently freed id is not handed out again at
    // once: a tool holding an old id is unlikely to meet a new process under it.
    for (ULONG tries = 0; tries < kMaxCid / 4; ++tries) {
        ULONG id = t.next;
        t.next = t.next >= kMaxCid ? 8 : t.next + 4;
        if (!t.entries.count(id)) {
            t.entries[id] = object;
            return reinterpret_cast<HANDLE>(ULONG_PTR(id));
        }
    }
    return nullptr;
}

void FreeCid(HANDLE id) {
    Cids().entries.erase(ULONG(ULONG_PTR(id)));
}

PVOID LookupCid(HANDLE id) {
    ULONG_PTR v = reinterpret_cast<ULONG_PTR>(id);
    if (v == 0 || (v & 3) || v > kMaxCid) return nullptr;
    auto& e = Cids().entries;
    auto it = e.find(ULONG(v));
    return it == e.end() ? nullptr : it->second;
}

void Initialize() {
    if (g_system) return;
    const GENERIC_MAPPING processMapping{
        STANDARD_RIGHTS_READ | PROCESS_VM_READ | PROCESS_QUERY_INFORMATION,
        STANDARD_RIGHTS_WRITE | PROCESS_CREATE_PROCESS | PROCESS_CREATE_THREAD |
            PROCESS_VM_OPERATION | PROCESS_VM_WRITE | PROCESS_DUP_HANDLE | PROCESS_TERMINATE |
            PROCESS_SET_QUOTA | PROCESS_SET_INFORMATION | PROCESS_SUSPEND_RESUME,
        STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION,
        PROCESS_ALL_ACCESS};
    ob::TypeInfo processInfo{u"Process", processMapping, PROCESS_ALL_ACCESS, true, {}};
    processInfo.callbacks.deleteProcedure = DeleteProcess;
    g_processType = ob::CreateType(processInfo);

    const GENERIC_MAPPING threadMapping{
        STANDARD_RIGHTS_READ | THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION,
        STANDARD_RIGHTS_WRITE | THREAD_TERMINATE | THREAD_SUSPEND_RESUME | THREAD_ALERT |
            THREAD_SET_INFORMATION | THREAD_SET_CONTEXT,
        STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE | THREAD_QUERY_LIMITED_INFORMATION,
        THREAD_ALL_ACCESS};
    ob::TypeInfo threadInfo{u"Thread", threadMapping, THREAD_ALL_ACCESS, true, {}};
    InitializeThreads();
    threadInfo.callbacks.deleteProcedure = DeleteThread;
    g_threadType = ob::CreateType(threadInfo);
    if (!g_processType || !g_threadType) dbg::BugCheck(0x5F);

    PEPROCESS idle = nullptr, system = nullptr;
    if (!NT_SUCCESS(NewProcess(nullptr, u"Idle", nullptr, &idle)) ||
        !NT_SUCCESS(NewProcess(nullptr, u"System", reinterpret_cast<HANDLE>(4), &system)))
        dbg::BugCheck(0x5F);
    idle->idle = true;
    idle->Pcb.BasePriority = 0;
    idle->ImageFileName[0] = 0; // the Idle process has no image name
    system->system = true;
    g_idle = idle;
    g_system = system; // both keep their creation reference for the kernel's lifetime
    PsInitialSystemProcess = system;
}

void Shutdown() {}

PEPROCESS SystemProcess() {
    return g_system;
}
PEPROCESS IdleProcess() {
    return g_idle;
}
POBJECT_TYPE ProcessType() {
    return g_processType;
}
POBJECT_TYPE ThreadType() {
    return g_threadType;
}

NTSTATUS CreateProcess(PEPROCESS parent, const std::u16string& imageName, PEPROCESS* process) {
    if (!process) return STATUS_INVALID_PARAMETER;
    *process = nullptr;
    if (!g_system) return STATUS_UNSUCCESSFUL;
    return NewProcess(parent ? parent : g_system, imageName,
                      reinterpret_cast<HANDLE>(~ULONG_PTR(0)), process);
}

void ExitProcessObject(PEPROCESS process, NTSTATUS status) {
    bool expected = false;
    if (!process->terminating.compare_exchange_strong(expected, true)) return;
    process->ExitStatus = status;
    std::vector<PETHREAD> threads;
    {
        std::lock_guard guard(ProcessListLock());
        threads = process->threads;
    }
    for (PETHREAD t : threads)
        t->terminating = true;
    // Run down the handle table (close procedures: IRP_MJ_CLEANUP/CLOSE for files).
    ob::CloseAllHandles(process);
    process->exited = true;
    ke::SignalObject(&process->Pcb.Header, 1);
}

void TerminateProcess(PEPROCESS process, NTSTATUS exitStatus) {
    if (!process || process == g_system || process == g_idle) return;
    ExitProcessObject(process, exitStatus);
}

void ProcessThreadExited(PEPROCESS process, PETHREAD thread) {
    bool last;
    {
        std::lock_guard guard(ProcessListLock());
        std::erase(process->threads, thread);
        last = process->threads.empty() && !process->system && !process->idle;
    }
    // A process whose last thread exits has exited, with that thread's status (as NT).
    if (last) ExitProcessObject(process, thread->ExitStatus);
}

HANDLE ProcessId(PEPROCESS process) {
    return process ? process->UniqueProcessId : nullptr;
}
HANDLE ParentId(PEPROCESS process) {
    return process->InheritedFromUniqueProcessId;
}
std::u16string ImageName(PEPROCESS process) {
    return process->imageName;
}
bool ProcessExited(PEPROCESS process) {
    return process->exited;
}
NTSTATUS ProcessExitStatus(PEPROCESS process) {
    return process->ExitStatus;
}
ULONG SessionId(PEPROCESS process) {
    return process->SessionId;
}
KPRIORITY BasePriority(PEPROCESS process) {
    return process->Pcb.BasePriority;
}

NTSTATUS LookupProcess(HANDLE processId, PEPROCESS* process) {
    if (!process) return STATUS_INVALID_PARAMETER;
    *process = nullptr;
    std::lock_guard guard(ProcessListLock());
    PVOID object = LookupCid(processId);
    if (!object || ob::TypeOf(object) != g_processType) return STATUS_INVALID_CID;
    auto* p = static_cast<PEPROCESS>(object);
    if (p->exited || !ob::ReferenceObjectSafe(p)) return STATUS_INVALID_CID;
    *process = p;
    return STATUS_SUCCESS;
}

std::vector<PETHREAD> ThreadsOf(PEPROCESS process) {
    std::vector<PETHREAD> out;
    std::lock_guard guard(ProcessListLock());
    for (PETHREAD t : process->threads)
        if (ob::ReferenceObjectSafe(t)) out.push_back(t);
    return out;
}

std::vector<ProcessInfo> SnapshotProcesses() {
    std::vector<PEPROCESS> processes;
    {
        std::lock_guard guard(ProcessListLock());
        for (PEPROCESS p : Cids().processes)
            if (!p->exited && ob::ReferenceObjectSafe(p)) processes.push_back(p);
    }
    std::vector<ProcessInfo> out;
    for (PEPROCESS p : processes) {
        ProcessInfo info;
        info.processId = p->UniqueProcessId;
        info.parentId = p->InheritedFromUniqueProcessId;
        info.imageName = p->idle ? std::u16string() : p->imageName;
        info.handleCount = ULONG(ob::HandleCountOf(p));
        info.basePriority = p->Pcb.BasePriority;
        if (p->idle) {
            // One idle thread per processor, all with TID 0 (as Windows reports them).
            ThreadInfo idleThread;
            idleThread.threadId = nullptr;
            idleThread.priority = idleThread.basePriority = 0;
            idleThread.state = Running;
            idleThread.waitReason = Executive;
            for (ULONG i = 0; i < ke::ProcessorCount(); ++i)
                info.threads.push_back(idleThread);
        } else {
            for (PETHREAD t : ThreadsOf(p)) {
                info.threads.push_back(SnapshotThread(t));
                ob::DereferenceObject(t);
            }
        }
        out.push_back(std::move(info));
        ob::DereferenceObject(p);
    }
    return out;
}

} // namespace ntsim::ps

PEPROCESS PsInitialSystemProcess = nullptr;
NTSIM_EXPORT_DATA(PsInitialSystemProcess);
POBJECT_TYPE* PsProcessType = &ntsim::ps::g_processType;
NTSIM_EXPORT_DATA(PsProcessType);
POBJECT_TYPE* PsThreadType = &ntsim::ps::g_threadType;
NTSIM_EXPORT_DATA(PsThreadType);
