// Catch2's implementation and the main() of the programs that register cases at run time
// (catch_session.hpp). Compiling Catch2's implementation costs as much CPU under the sanitizers
// as a dozen of our files; here it is paid once instead of once per such program.
#define CATCH_CONFIG_RUNNER
#include "tests/support/catch_session.hpp"

#include <catch2/catch.hpp>

int main(int argc, char* argv[]) {
  riskoff::test::register_cases();
  return Catch::Session().run(argc, argv);
}
