// The main() of the test programs that register their Catch2 cases at run time, one per file
// found on disk (tests/golden/): tests/support/catch_session.cpp, which also holds Catch2's
// implementation, compiled once for all of them.
#pragma once

namespace riskoff::test {

// Defined by each such program: registers its cases (Catch::AutoReg) before the session runs.
void register_cases();

}  // namespace riskoff::test
