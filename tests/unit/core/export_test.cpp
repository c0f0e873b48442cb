#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/export.h"

TEST(ExportTable, NamesAreUniqueAndSorted) {
    const auto& exports = ntsim::Exports();
    std::set<std::string> seen;
    std::string previous;
    for (const auto& e : exports) {
        EXPECT_TRUE(seen.insert(e.name).second) << "duplicate export " << e.name;
        EXPECT_LE(previous, std::string(e.name));
        EXPECT_NE(e.address, nullptr) << e.name;
        previous = e.name;
    }
}

TEST(ExportTable, LookupByNameFindsNothingForUnknownNames) {
    EXPECT_EQ(ntsim::FindExportByName("NtsimNoSuchApi"), nullptr);
    EXPECT_EQ(ntsim::FindExportBySymbol("NtsimNoSuchApi"), nullptr);
}
