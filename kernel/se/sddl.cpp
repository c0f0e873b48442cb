// The SDDL subset device security strings use (wdmsec's "D:P(A;;GA;;;SY)..." and owners/groups).
#include <cctype>
#include <cstdlib>
#include <map>

#include "se/se.h"

namespace ntsim::se {
namespace {

// SDDL is ASCII: anything else makes the string malformed.
bool ToAscii(std::u16string_view in, std::string* out) {
    out->clear();
    for (char16_t c : in) {
        if (c == 0 || c > 0x7E) return false;
        out->push_back(char(c));
    }
    return true;
}

bool ParseSidToken(std::string_view text, SidBytes* sid) {
    static const std::map<std::string_view, const SidBytes& (*)()> aliases = {
        {"SY", LocalSystemSid}, {"BA", AdministratorsSid},     {"BU", UsersSid},
        {"WD", WorldSid},       {"AU", AuthenticatedUsersSid}, {"RC", RestrictedCodeSid},
    };
    if (auto it = aliases.find(text); it != aliases.end()) {
        *sid = it->second();
        return true;
    }
    if (text == "LS") return (*sid = MakeSid(5, {19})), true;      // LocalService
    if (text == "NS") return (*sid = MakeSid(5, {20})), true;      // NetworkService
    if (text == "BG") return (*sid = MakeSid(5, {32, 546})), true; // BUILTIN\Guests
    if (text == "IU") return (*sid = MakeSid(5, {4})), true;       // Interactive
    if (text.size() > 2 && text[0] == 'S' && text[1] == '-') return SidFromString(text, sid);
    return false;
}

bool ParseRights(std::string_view text, ACCESS_MASK* mask) {
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        std::string digits(text.substr(2));
        char* end = nullptr;
        unsigned long long v = strtoull(digits.c_str(), &end, 16);
        if (*end || digits.empty() || v > 0xFFFFFFFFull || !isxdigit(uint8_t(digits[0])))
            return false;
        *mask = ACCESS_MASK(v);
        return true;
    }
    static const std::map<std::string_view, ACCESS_MASK> codes = {{"GA", GENERIC_ALL},
                                                                  {"GR", GENERIC_READ},
                                                                  {"GW", GENERIC_WRITE},
                                                                  {"GX", GENERIC_EXECUTE},
                                                                  {"FA", FILE_ALL_ACCESS},
                                                                  {"FR", FILE_GENERIC_READ},
                                                                  {"FW", FILE_GENERIC_WRITE},
                                                                  {"FX", FILE_GENERIC_EXECUTE},
                                                                  {"SD", DELETE},
                                                                  {"RC", READ_CONTROL},
                                                                  {"WD", WRITE_DAC},
                                                                  {"WO", WRITE_OWNER},
                                                                  {"KA", KEY_ALL_ACCESS},
                                                                  {"KR", KEY_READ},
                                                                  {"KW", KEY_WRITE},
                                                                  {"KX", KEY_EXECUTE}};
    if (text.empty() || text.size() % 2) return false;
    ACCESS_MASK m = 0;
    for (size_t i = 0; i < text.size(); i += 2) {
        auto it = codes.find(text.substr(i, 2));
        if (it == codes.end()) return false;
        m |= it->second;
    }
    *mask = m;
    return true;
}

bool ParseAceFlags(std::string_view text, UCHAR* flags) {
    static const std::map<std::string_view, UCHAR> codes = {{"CI", CONTAINER_INHERIT_ACE},
                                                            {"OI", OBJECT_INHERIT_ACE},
                                                            {"IO", INHERIT_ONLY_ACE},
                                                            {"NP", NO_PROPAGATE_INHERIT_ACE},
                                                            {"ID", INHERITED_ACE}};
    if (text.size() % 2) return false;
    UCHAR f = 0;
    for (size_t i = 0; i < text.size(); i += 2) {
        auto it = codes.find(text.substr(i, 2));
        if (it == codes.end()) return false;
        f |= it->second;
    }
    *flags = f;
    return true;
}

// "(A;flags;rights;;;sid)" without the parentheses.
bool ParseAce(std::string_view body, AceSpec* ace) {
    std::vector<std::string_view> fields;
    size_t start = 0;
    for (size_t i = 0; i <= body.size(); ++i) {
        if (i == body.size() || body[i] == ';') {
            fields.push_back(body.substr(start, i - start));
            start = i + 1;
        }
    }
    if (fields.size() != 6) return false;
    if (fields[0] == "A")
        ace->type = ACCESS_ALLOWED_ACE_TYPE;
    else if (fields[0] == "D")
        ace->type = ACCESS_DENIED_ACE_TYPE;
    else
        return false;
    if (!fields[3].empty() || !fields[4].empty()) return false; // object ACEs: not supported
    return ParseAceFlags(fields[1], &ace->flags) && ParseRights(fields[2], &ace->mask) &&
           ParseSidToken(fields[5], &ace->sid);
}

} // namespace

NTSTATUS ParseSddl(std::u16string_view sddl, DescriptorSpec* spec) {
    std::string text;
    if (!ToAscii(sddl, &text) || text.empty()) return STATUS_INVALID_PARAMETER;
    DescriptorSpec out;
    bool seenO = false, seenG = false, seenD = false;
    size_t i = 0;
    while (i < text.size()) {
        if (i + 1 >= text.size() || text[i + 1] != ':') return STATUS_INVALID_PARAMETER;
        char part = text[i];
        i += 2;
        if (part == 'O' || part == 'G') {
            bool& seen = part == 'O' ? seenO : seenG;
            if (seen) return STATUS_INVALID_PARAMETER;
            seen = true;
            // The SID runs to the next "X:" component.
            size_t end = i;
            while (end < text.size() && !(end + 1 < text.size() && text[end + 1] == ':'))
                ++end;
            if (!ParseSidToken(std::string_view(text).substr(i, end - i),
                               part == 'O' ? &out.owner : &out.group))
                return STATUS_INVALID_PARAMETER;
            i = end;
        } else if (part == 'D') {
            if (seenD) return STATUS_INVALID_PARAMETER;
            seenD = true;
            out.daclPresent = true;
            while (i < text.size() && text[i] != '(' &&
                   !(i + 1 < text.size() && text[i + 1] == ':')) {
                std::string_view rest = std::string_view(text).substr(i);
                if (rest.starts_with("P")) {
                    out.daclProtected = true;
                    i += 1;
                } else if (rest.starts_with("AI") || rest.starts_with("AR")) {
                    i += 2; // auto-inherit flags: recorded by nothing ntsim checks
                } else {
                    return STATUS_INVALID_PARAMETER;
                }
            }
            while (i < text.size() && text[i] == '(') {
                size_t close = text.find(')', i);
                if (close == std::string::npos) return STATUS_INVALID_PARAMETER;
                AceSpec ace;
                if (!ParseAce(std::string_view(text).substr(i + 1, close - i - 1), &ace))
                    return STATUS_INVALID_PARAMETER;
                out.dacl.push_back(std::move(ace));
                i = close + 1;
            }
        } else {
            return STATUS_INVALID_PARAMETER; // S: (SACL) and anything else are not supported
        }
    }
    *spec = std::move(out);
    return STATUS_SUCCESS;
}

} // namespace ntsim::se
