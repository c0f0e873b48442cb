// TraceLoggingRegister/Unregister/ProviderEnabled and the sink behind TraceLoggingWrite.
#include "dbg/trace_log.h"

#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>

#include <TraceLoggingProvider.h>
#include <wdm.h>

#include "core/export.h"
#include "dbg/dbg.h"
#include "rtl/format.h"
#include "rtl/utf8.h"

namespace ntsim::dbg {
namespace {

constexpr size_t kMaxEvents = 65536;

struct TraceLog {
    std::mutex lock;
    std::deque<TraceEvent> events;
    uint64_t lastSequence = 0;
    std::map<int, TraceSink> sinks;
    int nextCookie = 1;
};

TraceLog& Log() {
    static TraceLog log;
    return log;
}

std::string GuidText(const GUID& g) {
    char text[40];
    snprintf(text, sizeof text, "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", g.Data1,
             g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4],
             g.Data4[5], g.Data4[6], g.Data4[7]);
    return text;
}

// Narrow strings come from drivers in the ANSI code page, not necessarily UTF-8: keep the JSON
// valid (a byte >= 0x80 becomes '?', as dbgview does) so the record can always be serialized.
std::string JsonSafe(const char* s, size_t count) {
    std::string out(s, count);
    for (auto& c : out)
        if (static_cast<unsigned char>(c) >= 0x80) c = '?';
    return out;
}
std::string JsonSafe(const char* s) {
    return s ? JsonSafe(s, strlen(s)) : std::string();
}

std::string Utf8(const WCHAR* s, size_t count) {
    return rtl::Utf16ToUtf8(reinterpret_cast<const char16_t*>(s), count);
}

// The field's type name (TraceLogging's in-type names) and its value as JSON.
std::pair<const char*, nlohmann::json> FieldValue(const NTSIM_TLG_FIELD& f) {
    char hex[32];
    switch (f.Kind) {
    case NtsimTlgInt8:
        return {"Int8", int8_t(f.Value.Signed)};
    case NtsimTlgUInt8:
        return {"UInt8", uint8_t(f.Value.Unsigned)};
    case NtsimTlgInt16:
        return {"Int16", int16_t(f.Value.Signed)};
    case NtsimTlgUInt16:
        return {"UInt16", uint16_t(f.Value.Unsigned)};
    case NtsimTlgInt32:
        return {"Int32", int32_t(f.Value.Signed)};
    case NtsimTlgUInt32:
        return {"UInt32", uint32_t(f.Value.Unsigned)};
    case NtsimTlgInt64:
        return {"Int64", int64_t(f.Value.Signed)};
    case NtsimTlgUInt64:
        return {"UInt64", uint64_t(f.Value.Unsigned)};
    case NtsimTlgHexInt32:
        snprintf(hex, sizeof hex, "0x%08X", uint32_t(f.Value.Unsigned));
        return {"HexInt32", hex};
    case NtsimTlgHexInt64:
        snprintf(hex, sizeof hex, "0x%016llX", (unsigned long long)f.Value.Unsigned);
        return {"HexInt64", hex};
    case NtsimTlgBoolean:
        return {"Boolean", f.Value.Unsigned != 0};
    case NtsimTlgFloat64:
        return {"Double", f.Value.Float};
    case NtsimTlgPointer:
        snprintf(hex, sizeof hex, "0x%016llX", (unsigned long long)uintptr_t(f.Value.Pointer));
        return {"Pointer", hex};
    case NtsimTlgNTStatus:
        snprintf(hex, sizeof hex, "0x%08X", uint32_t(f.Value.Signed));
        return {"NTStatus", hex};
    case NtsimTlgString: {
        auto s = static_cast<const char*>(f.Value.Pointer);
        return {"AnsiString", s ? nlohmann::json(JsonSafe(s)) : nlohmann::json(nullptr)};
    }
    case NtsimTlgWideString: {
        auto s = static_cast<const WCHAR*>(f.Value.Pointer);
        if (!s) return {"UnicodeString", nullptr};
        size_t n = 0;
        while (s[n])
            ++n;
        return {"UnicodeString", Utf8(s, n)};
    }
    case NtsimTlgUnicodeString: {
        auto s = static_cast<const UNICODE_STRING*>(f.Value.Pointer);
        if (!s || !s->Buffer) return {"CountedUnicodeString", nullptr};
        return {"CountedUnicodeString", Utf8(s->Buffer, s->Length / sizeof(WCHAR))};
    }
    case NtsimTlgAnsiString: {
        auto s = static_cast<const ANSI_STRING*>(f.Value.Pointer);
        if (!s || !s->Buffer) return {"CountedAnsiString", nullptr};
        return {"CountedAnsiString", JsonSafe(s->Buffer, s->Length)};
    }
    case NtsimTlgGuid: {
        auto g = static_cast<const GUID*>(f.Value.Pointer);
        return {"Guid", g ? nlohmann::json(GuidText(*g)) : nlohmann::json(nullptr)};
    }
    default:
        return {"Unknown", nullptr};
    }
}

void Append(TraceEvent event) {
    auto& log = Log();
    std::vector<TraceSink> sinks;
    {
        std::lock_guard guard(log.lock);
        event["sequence"] = ++log.lastSequence;
        log.events.push_back(event);
        if (log.events.size() > kMaxEvents) log.events.pop_front();
        for (auto& [cookie, sink] : log.sinks)
            sinks.push_back(sink);
    }
    for (auto& sink : sinks)
        sink(event);
}

} // namespace

std::vector<TraceEvent> ReadTraceLog(uint64_t afterSequence) {
    auto& log = Log();
    std::lock_guard guard(log.lock);
    std::vector<TraceEvent> out;
    for (const auto& e : log.events)
        if (e["sequence"].get<uint64_t>() > afterSequence) out.push_back(e);
    return out;
}

int AddTraceSink(TraceSink sink) {
    auto& log = Log();
    std::lock_guard guard(log.lock);
    int cookie = log.nextCookie++;
    log.sinks.emplace(cookie, std::move(sink));
    return cookie;
}

void RemoveTraceSink(int cookie) {
    auto& log = Log();
    std::lock_guard guard(log.lock);
    log.sinks.erase(cookie);
}

} // namespace ntsim::dbg

using ntsim::dbg::TraceEvent;

// A provider registers once; registering a registered provider is a caller error.
extern "C" NTSTATUS NTAPI TraceLoggingRegister(TraceLoggingHProvider Provider) {
    if (!Provider) return STATUS_INVALID_PARAMETER;
    if (InterlockedCompareExchange(&Provider->Registered, 1, 0) != 0)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}
NTSIM_EXPORT(TraceLoggingRegister);

extern "C" VOID NTAPI TraceLoggingUnregister(TraceLoggingHProvider Provider) {
    if (Provider) InterlockedExchange(&Provider->Registered, 0);
}
NTSIM_EXPORT(TraceLoggingUnregister);

// Events are recorded at every level and keyword while the provider is registered (the sink
// is always listening).
extern "C" BOOLEAN NTAPI TraceLoggingProviderEnabled(TraceLoggingHProvider Provider, UCHAR Level,
                                                     ULONGLONG Keyword) {
    (void)Level;
    (void)Keyword;
    return Provider && Provider->Registered ? TRUE : FALSE;
}
NTSIM_EXPORT(TraceLoggingProviderEnabled);

extern "C" VOID NTAPI NtsimTraceLoggingWrite(TraceLoggingHProvider Provider, const char* EventName,
                                             const NTSIM_TLG_FIELD* Fields, ULONG FieldCount) {
    if (!Provider || !Provider->Registered) return; // as ETW: an unregistered provider is silent
    ntsim::dbg::DebugRecord context{};
    ntsim::dbg::CaptureContext(context);
    TraceEvent event = {{"time", context.systemTime},
                        {"cpu", context.cpu},
                        {"pid", context.processId},
                        {"tid", context.threadId},
                        {"provider", ntsim::dbg::JsonSafe(Provider->Name)},
                        {"providerId", ntsim::dbg::GuidText(Provider->Id)},
                        {"event", ntsim::dbg::JsonSafe(EventName)},
                        {"level", 5}, // TRACE_LEVEL_VERBOSE when the event names none
                        {"keyword", 0},
                        {"opcode", 0}};
    nlohmann::json fields = nlohmann::json::array();
    for (ULONG i = 0; Fields && i < FieldCount; ++i) {
        const NTSIM_TLG_FIELD& f = Fields[i];
        switch (f.Kind) {
        case NtsimTlgNone:
            break;
        case NtsimTlgLevel:
            event["level"] = f.Value.Unsigned;
            break;
        case NtsimTlgKeyword:
            event["keyword"] = f.Value.Unsigned;
            break;
        case NtsimTlgOpcode:
            event["opcode"] = f.Value.Unsigned;
            break;
        default: {
            auto [type, value] = ntsim::dbg::FieldValue(f);
            nlohmann::json field = {
                {"name", ntsim::dbg::JsonSafe(f.Name)}, {"type", type}, {"value", value}};
            if (f.Description) field["description"] = ntsim::dbg::JsonSafe(f.Description);
            fields.push_back(std::move(field));
        }
        }
    }
    event["fields"] = std::move(fields);
    ntsim::dbg::Append(std::move(event));
}
NTSIM_EXPORT(NtsimTraceLoggingWrite);
