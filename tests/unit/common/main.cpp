// Entry point of every unit-test executable: boots an in-process kernel once, then runs the
// tests. A bug check during a test throws ntsim::test::BugCheckException so tests can assert on
// the stop code and parameters.
#include <gtest/gtest.h>

#include "core/boot.h"
#include "dbg/dbg.h"
#include "test_support.h"

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    ntsim::dbg::SetBugCheckHook(
        [](ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
            throw ntsim::test::BugCheckException{code, p1, p2, p3, p4};
        });
    if (!NT_SUCCESS(ntsim::BootKernel())) return 2;
    return RUN_ALL_TESTS();
}
