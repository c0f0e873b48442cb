// Helpers of the registry unit tests: wide literals as UNICODE_STRING, key handles.
#pragma once

#include <ntddk.h>

#include <string>
#include <vector>

#include "test_support.h"

namespace cmtest {

using ntsim::test::Us;

inline NTSTATUS Create(const std::u16string& path, HANDLE* h, ULONG* disposition = nullptr,
                       HANDLE root = nullptr, ULONG options = 0) {
    UNICODE_STRING name = Us(path);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, root, nullptr);
    return ZwCreateKey(h, KEY_ALL_ACCESS, &oa, 0, nullptr, options, disposition);
}

inline NTSTATUS Open(const std::u16string& path, HANDLE* h, HANDLE root = nullptr) {
    UNICODE_STRING name = Us(path);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, root, nullptr);
    return ZwOpenKey(h, KEY_READ, &oa);
}

inline NTSTATUS SetDword(HANDLE h, const std::u16string& name, ULONG v) {
    UNICODE_STRING n = Us(name);
    return ZwSetValueKey(h, &n, 0, REG_DWORD, &v, sizeof v);
}

inline NTSTATUS SetString(HANDLE h, const std::u16string& name, const std::u16string& v,
                          ULONG type = REG_SZ) {
    UNICODE_STRING n = Us(name);
    return ZwSetValueKey(h, &n, 0, type, const_cast<char16_t*>(v.c_str()),
                         ULONG((v.size() + 1) * 2));
}

inline const std::u16string kTestRoot = u"\\Registry\\Machine\\Software\\NtsimTest";

} // namespace cmtest
