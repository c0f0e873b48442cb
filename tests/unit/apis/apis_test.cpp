// The export table as a whole: NOT_IMPLEMENTED stubs fail loudly, every implemented function is
// exercised by some test, and names/symbols are unique.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "core/export.h"
#include "dbg/dbg.h"
#include "ntstatus.h"

// A stub registered by this test binary only, so the NOT_IMPLEMENTED path is always exercised.
NTSIM_NOT_IMPLEMENTED(NtsimApisTestNotImplemented);

namespace {

bool IsIdentifierChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Whether `name` occurs in `text` as a whole identifier.
bool MentionsIdentifier(const std::string& text, const std::string& name) {
    for (size_t pos = text.find(name); pos != std::string::npos; pos = text.find(name, pos + 1)) {
        bool before = pos > 0 && IsIdentifierChar(text[pos - 1]);
        size_t end = pos + name.size();
        bool after = end < text.size() && IsIdentifierChar(text[end]);
        if (!before && !after) return true;
    }
    return false;
}

// Every test source under tests/ except this folder (which names no API on purpose).
std::string AllTestSources() {
    namespace fs = std::filesystem;
    const fs::path root = fs::path(NTSIM_SOURCE_DIR) / "tests";
    const fs::path self = root / "unit" / "apis";
    std::string all;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        const auto& path = entry.path();
        if (path.parent_path() == self) continue;
        auto ext = path.extension().string();
        if (ext != ".cpp" && ext != ".c" && ext != ".h" && ext != ".hpp" && ext != ".cc") continue;
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        all += text.str();
        all += '\n';
    }
    return all;
}

} // namespace

TEST(Apis, NotImplementedExportsReturnNotImplementedAndLogTheirName) {
    size_t checked = 0;
    for (const auto& e : ntsim::Exports()) {
        if (e.state != ntsim::ApiState::NotImplemented) continue;
        ASSERT_FALSE(e.isData) << e.name;
        auto before = ntsim::dbg::LastDebugSequence();
        auto stub = reinterpret_cast<NTSTATUS(NTAPI*)()>(e.address);
        EXPECT_EQ(stub(), STATUS_NOT_IMPLEMENTED) << e.name;
        bool logged = false;
        const std::string expected = std::string(e.name) + " is not implemented";
        for (const auto& r : ntsim::dbg::ReadDebugLog(before))
            logged |= r.text.find(expected) != std::string::npos;
        EXPECT_TRUE(logged) << e.name << " did not log its name";
        ++checked;
    }
    EXPECT_GE(checked, 1u); // at least this binary's own stub
}

TEST(Apis, TestStubIsListedAsNotImplemented) {
    const auto* e = ntsim::FindExportByName("NtsimApisTestNotImplemented");
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->state, ntsim::ApiState::NotImplemented);
    EXPECT_FALSE(e->isData);
}

TEST(Apis, EveryImplementedFunctionIsNamedInSomeTest) {
    const std::string sources = AllTestSources();
    ASSERT_FALSE(sources.empty());
    std::string missing;
    size_t count = 0;
    for (const auto& e : ntsim::Exports()) {
        if (e.state != ntsim::ApiState::Implemented || e.isData) continue;
        if (!MentionsIdentifier(sources, e.name)) {
            missing += std::string(missing.empty() ? "" : ", ") + e.name;
            ++count;
        }
    }
    EXPECT_TRUE(missing.empty()) << count << " implemented export(s) appear in no test under "
                                 << NTSIM_SOURCE_DIR "/tests: " << missing;
}

TEST(Apis, NamesAndSymbolsAreUniqueAndFindable) {
    std::set<std::string> names, symbols;
    for (const auto& e : ntsim::Exports()) {
        EXPECT_TRUE(names.insert(e.name).second) << "duplicate export name " << e.name;
        EXPECT_TRUE(symbols.insert(e.symbol).second) << "duplicate export symbol " << e.symbol;
        EXPECT_NE(e.address, nullptr) << e.name;
        EXPECT_EQ(ntsim::FindExportByName(e.name), &e) << e.name;
        EXPECT_EQ(ntsim::FindExportBySymbol(e.symbol), &e) << e.symbol;
    }
}

TEST(Apis, IdentifierMatchingIsWholeWord) {
    EXPECT_TRUE(MentionsIdentifier("x = DbgPrint(\"a\");", "DbgPrint"));
    EXPECT_FALSE(MentionsIdentifier("DbgPrintEx(1, 2, \"a\");", "DbgPrint"));
    EXPECT_FALSE(MentionsIdentifier("vDbgPrintEx(1, 2, \"a\", ap);", "DbgPrintEx"));
    EXPECT_TRUE(MentionsIdentifier("a\nDbgPrintEx\n", "DbgPrintEx"));
}
