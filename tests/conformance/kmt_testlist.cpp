// The head of the registered conformance test list (see KMT_TEST in kmt.h).
#include "kmt.h"

KMT_TEST* KmtTests = nullptr;
