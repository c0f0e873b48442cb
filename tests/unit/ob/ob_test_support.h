// Helpers for the object manager tests: a test object type with counting callbacks.
#pragma once

#include <atomic>
#include <string>

#include <wdm.h>

#include "ob/ob.h"

namespace obtest {

struct ObTestBody {
    ULONG value;
};

struct Counters {
    std::atomic<int> closes{0};
    std::atomic<int> deletes{0};
    std::atomic<ULONG> lastCloseCount{0};
    std::atomic<ACCESS_MASK> lastCloseAccess{0};
    std::u16string lastParseRemaining;
    int parses = 0;
};
inline Counters& C() {
    static Counters c;
    return c;
}

constexpr ACCESS_MASK kRead = 0x0001, kWrite = 0x0002;

inline POBJECT_TYPE TestType() {
    static POBJECT_TYPE type = [] {
        ntsim::ob::TypeInfo info{u"ObTestType",
                                 {STANDARD_RIGHTS_READ | kRead, STANDARD_RIGHTS_WRITE | kWrite,
                                  STANDARD_RIGHTS_EXECUTE, STANDARD_RIGHTS_REQUIRED | 3},
                                 STANDARD_RIGHTS_REQUIRED | 3,
                                 false,
                                 {}};
        info.callbacks.deleteProcedure = [](PVOID) { ++C().deletes; };
        info.callbacks.closeProcedure = [](PEPROCESS, PVOID, ACCESS_MASK granted, ULONG before) {
            ++C().closes;
            C().lastCloseCount = before;
            C().lastCloseAccess = granted;
        };
        return ntsim::ob::CreateType(info);
    }();
    return type;
}

// A type with a parse procedure that records the remaining name and returns the object itself.
inline POBJECT_TYPE ParseType() {
    static POBJECT_TYPE type = [] {
        ntsim::ob::TypeInfo info{u"ObTestParse", {1, 2, 4, 7}, 7, false, {}};
        info.callbacks.parseProcedure = [](PVOID body, PVOID, const std::u16string& remaining,
                                           ACCESS_MASK, ULONG, PVOID* result) -> NTSTATUS {
            C().lastParseRemaining = remaining;
            ++C().parses;
            ntsim::ob::ReferenceObject(body);
            *result = body;
            return STATUS_SUCCESS;
        };
        return ntsim::ob::CreateType(info);
    }();
    return type;
}

// UNICODE_STRING over a u16string that outlives it.
struct Name {
    std::u16string text;
    UNICODE_STRING us;
    explicit Name(std::u16string s) : text(std::move(s)) {
        us.Length = USHORT(text.size() * 2);
        us.MaximumLength = USHORT(text.size() * 2);
        us.Buffer = reinterpret_cast<PWCH>(text.data());
    }
    Name(const Name&) = delete;
};

inline OBJECT_ATTRIBUTES Attributes(Name& name, ULONG attributes, HANDLE root = nullptr) {
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name.us, attributes, root, nullptr);
    return oa;
}

// Creates a named (or unnamed when name is empty) test object; returns status, body, handle.
inline NTSTATUS CreateTestObject(const std::u16string& path, ULONG attributes, HANDLE* handle,
                                 PVOID* body = nullptr, ACCESS_MASK access = kRead | kWrite) {
    Name name(path);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, path.empty() ? nullptr : &name.us, attributes, nullptr,
                               nullptr);
    PVOID object = nullptr;
    NTSTATUS status = ntsim::ob::CreateObject(TestType(), &oa, sizeof(ObTestBody), &object);
    if (!NT_SUCCESS(status)) return status;
    status = ntsim::ob::InsertObject(object, access, attributes, KernelMode, handle, body);
    // Without a handle the caller keeps the creation reference: hand back just that one.
    if (NT_SUCCESS(status) && !handle && body) ntsim::ob::DereferenceObject(*body);
    return status;
}

inline NTSTATUS Lookup(const std::u16string& path, ULONG attributes, POBJECT_TYPE type,
                       PVOID* body) {
    Name name(path);
    OBJECT_ATTRIBUTES oa = Attributes(name, attributes);
    return ntsim::ob::ReferenceObjectByName(&oa, type, 0, KernelMode, nullptr, body);
}

} // namespace obtest
