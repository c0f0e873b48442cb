// cm.registry: the registry as a driver uses it — Zw*Key on a key under the driver's own
// services key, value information layouts and buffer sizes, enumeration, deletion, and
// RtlQueryRegistryValues / RtlWriteRegistryValue over the same key.
#include "kmt.h"

#define KMT_CM_KEY L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\KmtRegistry"

namespace {

NTSTATUS CountValue(PWSTR, ULONG, PVOID, ULONG, PVOID context, PVOID) {
    ++*static_cast<ULONG*>(context);
    return STATUS_SUCCESS;
}

void TestZwKey() {
    UNICODE_STRING name = RTL_CONSTANT_STRING(KMT_CM_KEY);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, nullptr,
                               nullptr);
    HANDLE key = nullptr;
    ULONG disposition = 0;
    ok_eq_status(
        ZwCreateKey(&key, KEY_ALL_ACCESS, &oa, 0, nullptr, REG_OPTION_NON_VOLATILE, &disposition),
        STATUS_SUCCESS);
    if (!skip(key != nullptr, "no key\n")) return;
    ok_eq_uint(disposition, REG_CREATED_NEW_KEY);

    ULONG value = 0x1234;
    UNICODE_STRING valueName = RTL_CONSTANT_STRING(L"Setting");
    ok_eq_status(ZwSetValueKey(key, &valueName, 0, REG_DWORD, &value, sizeof value),
                 STATUS_SUCCESS);

    UCHAR buffer[64];
    ULONG result = 0;
    ok_eq_status(ZwQueryValueKey(key, &valueName, KeyValuePartialInformation, buffer, 4, &result),
                 STATUS_BUFFER_TOO_SMALL);
    ok_eq_uint(result, FIELD_OFFSET(KEY_VALUE_PARTIAL_INFORMATION, Data) + sizeof(ULONG));
    ok_eq_status(ZwQueryValueKey(key, &valueName, KeyValuePartialInformation, buffer,
                                 FIELD_OFFSET(KEY_VALUE_PARTIAL_INFORMATION, Data), &result),
                 STATUS_BUFFER_OVERFLOW);
    ok_eq_status(ZwQueryValueKey(key, &valueName, KeyValuePartialInformation, buffer, sizeof buffer,
                                 &result),
                 STATUS_SUCCESS);
    auto* partial = reinterpret_cast<PKEY_VALUE_PARTIAL_INFORMATION>(buffer);
    ok_eq_uint(partial->Type, REG_DWORD);
    ok_eq_uint(partial->DataLength, sizeof(ULONG));
    ok_eq_hex(*reinterpret_cast<ULONG*>(partial->Data), 0x1234u);

    UNICODE_STRING missing = RTL_CONSTANT_STRING(L"Missing");
    ok_eq_status(
        ZwQueryValueKey(key, &missing, KeyValuePartialInformation, buffer, sizeof buffer, &result),
        STATUS_OBJECT_NAME_NOT_FOUND);

    ok_eq_status(
        ZwEnumerateValueKey(key, 0, KeyValueBasicInformation, buffer, sizeof buffer, &result),
        STATUS_SUCCESS);
    auto* basic = reinterpret_cast<PKEY_VALUE_BASIC_INFORMATION>(buffer);
    ok_eq_uint(basic->NameLength, 14u);
    ok_eq_status(
        ZwEnumerateValueKey(key, 1, KeyValueBasicInformation, buffer, sizeof buffer, &result),
        STATUS_NO_MORE_ENTRIES);

    // A second create opens the same key.
    HANDLE again = nullptr;
    ok_eq_status(ZwCreateKey(&again, KEY_READ, &oa, 0, nullptr, 0, &disposition), STATUS_SUCCESS);
    ok_eq_uint(disposition, REG_OPENED_EXISTING_KEY);

    // RtlQueryRegistryValues over the same key.
    ULONG direct = 0, calls = 0;
    RTL_QUERY_REGISTRY_TABLE table[3] = {};
    table[0].Flags = RTL_QUERY_REGISTRY_DIRECT | RTL_QUERY_REGISTRY_REQUIRED;
    table[0].Name = const_cast<PWSTR>(L"Setting");
    table[0].EntryContext = &direct;
    table[1].QueryRoutine = CountValue;
    ok_eq_status(
        RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, L"KmtRegistry", table, &calls, nullptr),
        STATUS_SUCCESS);
    ok_eq_hex(direct, 0x1234u);
    ok_eq_uint(calls, 1u);
    ULONG written = 9;
    ok_eq_status(RtlWriteRegistryValue(RTL_REGISTRY_SERVICES, L"KmtRegistry", L"Written", REG_DWORD,
                                       &written, sizeof written),
                 STATUS_SUCCESS);
    ok_eq_status(RtlCheckRegistryKey(RTL_REGISTRY_SERVICES, const_cast<PWSTR>(L"KmtRegistry")),
                 STATUS_SUCCESS);
    ok_eq_status(RtlDeleteRegistryValue(RTL_REGISTRY_SERVICES, L"KmtRegistry", L"Written"),
                 STATUS_SUCCESS);

    // Deleting the key: the other handle sees STATUS_KEY_DELETED.
    ok_eq_status(ZwDeleteKey(key), STATUS_SUCCESS);
    ok_eq_status(ZwQueryKey(again, KeyBasicInformation, buffer, sizeof buffer, &result),
                 STATUS_KEY_DELETED);
    ZwClose(again);
    ZwClose(key);
    HANDLE gone = nullptr;
    ok_eq_status(ZwOpenKey(&gone, KEY_READ, &oa), STATUS_OBJECT_NAME_NOT_FOUND);
}

} // namespace

KMT_TEST("cm.registry", Test_CmRegistry);

void Test_CmRegistry() {
    TestZwKey();
}
