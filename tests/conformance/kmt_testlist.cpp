// The conformance tests the driver knows, by name ("<area>.<subject>"). The ctest names are
// "conformance.<name>"; tests/conformance/CMakeLists.txt reads the names from this file.
#include "kmt.h"

void Test_RtlStrings();
void Test_ExPool();
void Test_ExLookaside();
void Test_ObReference();
void Test_IoDevice();
void Test_IoIrp();
void Test_IoIoctl();

const KMT_TEST KmtTests[] = {
    {"rtl.strings", Test_RtlStrings},   {"ex.pool", Test_ExPool},
    {"ex.lookaside", Test_ExLookaside}, {"ob.reference", Test_ObReference},
    {"io.device", Test_IoDevice},       {"io.irp", Test_IoIrp},
    {"io.ioctl", Test_IoIoctl},         {nullptr, nullptr},
};
