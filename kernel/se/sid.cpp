// SIDs: building, comparing, and the "S-1-5-..." string form.
#include "se/se.h"

#include <charconv>
#include <cstring>

#include "core/export.h"

namespace ntsim::se {

SidBytes MakeSid(uint64_t authority, std::initializer_list<ULONG> subAuthorities) {
    SidBytes sid(8 + 4 * subAuthorities.size());
    sid[0] = SID_REVISION;
    sid[1] = UCHAR(subAuthorities.size());
    for (int i = 0; i < 6; ++i)
        sid[2 + i] = UCHAR(authority >> (8 * (5 - i))); // big-endian
    size_t offset = 8;
    for (ULONG sub : subAuthorities) {
        std::memcpy(&sid[offset], &sub, 4);
        offset += 4;
    }
    return sid;
}

ULONG SidLength(const void* sid) {
    if (!sid) return 0;
    auto* s = static_cast<const UCHAR*>(sid);
    if (s[0] != SID_REVISION || s[1] > SID_MAX_SUB_AUTHORITIES) return 0;
    return 8 + 4 * ULONG(s[1]);
}

bool EqualSid(const void* a, const void* b) {
    ULONG la = SidLength(a), lb = SidLength(b);
    return la && la == lb && std::memcmp(a, b, la) == 0;
}

std::string SidToString(const void* sid) {
    if (!SidLength(sid)) return {};
    auto* s = static_cast<const UCHAR*>(sid);
    uint64_t authority = 0;
    for (int i = 0; i < 6; ++i)
        authority = (authority << 8) | s[2 + i];
    std::string text = "S-1-" + std::to_string(authority);
    for (int i = 0; i < s[1]; ++i) {
        ULONG sub;
        std::memcpy(&sub, s + 8 + 4 * i, 4);
        text += "-" + std::to_string(sub);
    }
    return text;
}

bool SidFromString(std::string_view text, SidBytes* sid) {
    if (text.size() < 4 || (text[0] != 'S' && text[0] != 's') || text.substr(1, 3) != "-1-")
        return false;
    std::vector<uint64_t> parts;
    const char* p = text.data() + 4;
    const char* end = text.data() + text.size();
    while (true) {
        uint64_t value = 0;
        auto [next, ec] = std::from_chars(p, end, value);
        if (ec != std::errc() || next == p) return false;
        parts.push_back(value);
        p = next;
        if (p == end) break;
        if (*p != '-') return false;
        ++p;
    }
    if (parts.size() < 2 || parts.size() > 1 + SID_MAX_SUB_AUTHORITIES) return false;
    if (parts[0] >= (uint64_t(1) << 48)) return false;
    SidBytes out = MakeSid(parts[0], {});
    for (size_t i = 1; i < parts.size(); ++i) {
        if (parts[i] > 0xFFFFFFFFu) return false;
        ULONG sub = ULONG(parts[i]);
        const auto* b = reinterpret_cast<const uint8_t*>(&sub);
        out.insert(out.end(), b, b + 4);
    }
    out[1] = UCHAR(parts.size() - 1);
    *sid = std::move(out);
    return true;
}

const SidBytes& WorldSid() {
    static const SidBytes sid = MakeSid(1, {0});
    return sid;
}
const SidBytes& LocalSystemSid() {
    static const SidBytes sid = MakeSid(5, {18});
    return sid;
}
const SidBytes& AdministratorsSid() {
    static const SidBytes sid = MakeSid(5, {32, 544});
    return sid;
}
const SidBytes& UsersSid() {
    static const SidBytes sid = MakeSid(5, {32, 545});
    return sid;
}
const SidBytes& AuthenticatedUsersSid() {
    static const SidBytes sid = MakeSid(5, {11});
    return sid;
}
const SidBytes& RestrictedCodeSid() {
    static const SidBytes sid = MakeSid(5, {12});
    return sid;
}

} // namespace ntsim::se

using namespace ntsim;

extern "C" ULONG NTAPI RtlLengthSid(PSID Sid) {
    ULONG length = se::SidLength(Sid);
    // Windows computes the length from SubAuthorityCount without validating the revision.
    if (!length && Sid) length = 8 + 4 * ULONG(static_cast<const UCHAR*>(Sid)[1]);
    return length;
}
NTSIM_EXPORT(RtlLengthSid);

extern "C" BOOLEAN NTAPI RtlValidSid(PSID Sid) {
    return se::SidLength(Sid) != 0;
}
NTSIM_EXPORT(RtlValidSid);

extern "C" BOOLEAN NTAPI RtlEqualSid(PSID Sid1, PSID Sid2) {
    return se::EqualSid(Sid1, Sid2);
}
NTSIM_EXPORT(RtlEqualSid);
