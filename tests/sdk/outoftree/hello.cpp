// hello: a tiny WDK-style driver built outside the ntsim tree against the SDK package.
//
// It exercises what WDK sources rely on: <ntddk.h>, SAL annotations, MSVC-only pragmas, the
// book's operator new/delete overloads on top of the pool (POOL_FLAGS, POOL_TYPE and the
// C++17 aligned delete), L"..." literals as UTF-16, and KdPrint only in Debug builds.
#include <ntddk.h>

#pragma warning(push)
#pragma warning(disable : 4201) // nameless struct/union (g++ does not know this pragma)
#pragma prefast(disable : 28101, "not a real WDM driver")

#define DRIVER_PREFIX "Hello: "
#define DRIVER_TAG 'oleH'

// The book's allocation operators: pool allocation with a tag, NULL on failure (the SDK builds
// drivers with -fcheck-new so a NULL result skips the constructor, as MSVC does).
void* __cdecl operator new(size_t size, POOL_FLAGS flags, ULONG tag = DRIVER_TAG) {
    return ExAllocatePool2(flags, size, tag);
}
void* __cdecl operator new(size_t size, POOL_TYPE type, ULONG tag = DRIVER_TAG) {
    return ExAllocatePoolWithTag(type, size, tag);
}
void* __cdecl operator new(size_t size, std::align_val_t alignment, POOL_FLAGS flags,
                           ULONG tag = DRIVER_TAG) {
    // Pool blocks are 16-byte aligned; cache-aligned blocks cover alignments up to a cache line.
    if ((size_t)alignment > 64) return nullptr;
    return ExAllocatePool2(flags | POOL_FLAG_CACHE_ALIGNED, size, tag);
}
void __cdecl operator delete(void* p, size_t) {
    ExFreePool(p);
}
void __cdecl operator delete(void* p, size_t, std::align_val_t) {
    ExFreePool(p);
}

#pragma warning(pop)

struct Greeting {
    explicit Greeting(int value) : Value(value) {}
    int Value;
};

struct alignas(64) CacheLine {
    UCHAR Bytes[64];
};

DRIVER_UNLOAD HelloUnload;

_Use_decl_annotations_ void HelloUnload(PDRIVER_OBJECT DriverObject) {
    UNREFERENCED_PARAMETER(DriverObject);
    DbgPrint(DRIVER_PREFIX "unloaded\n");
}

extern "C" _Function_class_(DRIVER_INITIALIZE) _IRQL_requires_(PASSIVE_LEVEL) NTSTATUS
    DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath) {
    DriverObject->DriverUnload = HelloUnload;
    DbgPrint(DRIVER_PREFIX "DriverEntry, registry path %wZ\n", RegistryPath);
    KdPrint((DRIVER_PREFIX "debug build, DBG=%d\n", DBG));

    auto greeting = new (POOL_FLAG_NON_PAGED) Greeting(42);
    if (greeting == nullptr) return STATUS_INSUFFICIENT_RESOURCES;
    auto paged = new (PagedPool) Greeting(7);
    if (paged == nullptr) {
        delete greeting;
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    DbgPrint(DRIVER_PREFIX "greetings %d and %d from pool\n", greeting->Value, paged->Value);
    delete paged;
    delete greeting;

    auto line = new (POOL_FLAG_NON_PAGED) CacheLine;
    if (line == nullptr) return STATUS_INSUFFICIENT_RESOURCES;
    DbgPrint(DRIVER_PREFIX "cache line aligned: %s\n", ((ULONG_PTR)line & 63) == 0 ? "yes" : "no");
    delete line;

    const WCHAR* wide = L"wide \x263A";
    DbgPrint(DRIVER_PREFIX "%ws, %d WCHARs of %d bytes\n", wide, (int)wcslen(wide),
             (int)sizeof(WCHAR));
    return STATUS_SUCCESS;
}
