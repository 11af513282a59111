// Shared by the commands that load one ruleset (eval, test, snapshot build, replay, ruleset):
// load and check it through the library and print its problems the way every command prints
// them.
#pragma once

#include <optional>
#include <string>

#include "riskoff/riskoff.hpp"

namespace riskoff::cli {

struct LoadedRuleset {
  std::optional<Ruleset> ruleset;  // the library's handle: every decision goes through it
  int exit_code = 0;               // non-zero when loading failed (diagnostics already printed)
};

// Whether the ruleset's sibling test files (NAME_test.rules, NAME_test_PART.rules) are loaded too: only `riskoff test`
// runs its tests; every other command decides with the ruleset alone.
enum class SiblingTests { kIgnore, kLoad };

// When the ruleset has errors, prints every diagnostic (errors and warnings) to stderr and
// returns exit 1; an unreadable file is exit 2. A clean ruleset prints nothing.
LoadedRuleset load_ruleset(const std::string& path, SiblingTests sibling_tests = SiblingTests::kIgnore);

// The one policy for the library's errors (docs/cli.md): prints each message after the command
// ("riskoff audit list: ...") and returns the exit code, 2 for usage and I/O (a store that cannot
// be opened or written), 1 for everything else (a file that is not a store, damaged, too new, an
// unknown decision or series).
int report_error(const std::string& command, const Error& error);

}  // namespace riskoff::cli
