// Win32 file name -> NT name (what CreateFileW hands to NtCreateFile).
#include "kernel32/k32.h"

#include <unistd.h>

#include <climits>

namespace {

bool IsSeparator(char16_t c) {
    return c == u'\\' || c == u'/';
}
bool IsDriveLetter(char16_t c) {
    return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z');
}

// Appends `s` with '/' turned into '\'.
void AppendNormalized(std::u16string& out, const char16_t* s) {
    for (; *s; ++s)
        out.push_back(*s == u'/' ? u'\\' : *s);
}

// The Linux working directory as a C: path without the drive ("\home\user"; "" for "/").
std::u16string CurrentDirectory() {
    char buffer[PATH_MAX];
    if (!getcwd(buffer, sizeof(buffer))) return u"";
    std::u16string cwd = ntsim::k32::Utf8ToUtf16(buffer);
    for (auto& c : cwd)
        if (c == u'/') c = u'\\';
    while (!cwd.empty() && cwd.back() == u'\\')
        cwd.pop_back();
    return cwd;
}

} // namespace

bool ntsim::k32::Win32PathToNtPath(const char16_t* path, std::u16string& ntPath) {
    ntPath.clear();
    if (!path || !path[0]) return false;
    // Device and verbatim prefixes: \\.\X, \\?\X, \??\X (also with '/' for \\.\ as Windows).
    if (IsSeparator(path[0]) && IsSeparator(path[1]) && (path[2] == u'.' || path[2] == u'?') &&
        IsSeparator(path[3])) {
        ntPath = u"\\??\\";
        if (path[2] == u'?')
            ntPath += path + 4; // verbatim: no normalization at all
        else
            AppendNormalized(ntPath, path + 4);
        return true;
    }
    if (path[0] == u'\\' && path[1] == u'?' && path[2] == u'?' && path[3] == u'\\') {
        ntPath = path;
        return true;
    }
    if (IsSeparator(path[0]) && IsSeparator(path[1])) { // UNC
        ntPath = u"\\??\\UNC\\";
        AppendNormalized(ntPath, path + 2);
        return true;
    }
    if (IsDriveLetter(path[0]) && path[1] == u':') {
        ntPath = u"\\??\\";
        ntPath.push_back(path[0] >= u'a' ? char16_t(path[0] - u'a' + u'A') : path[0]);
        ntPath += u':';
        if (IsSeparator(path[2])) {
            AppendNormalized(ntPath, path + 2);
        } else { // drive-relative: relative to that drive's directory (C: is the only drive)
            ntPath += CurrentDirectory();
            ntPath += u'\\';
            AppendNormalized(ntPath, path + 2);
        }
        return true;
    }
    ntPath = u"\\??\\C:";
    if (IsSeparator(path[0])) { // rooted on the current drive
        AppendNormalized(ntPath, path);
    } else {
        ntPath += CurrentDirectory();
        ntPath += u'\\';
        AppendNormalized(ntPath, path);
    }
    return true;
}
