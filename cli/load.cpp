#include "cli/load.hpp"

#include <iostream>

#include "cli/commands.hpp"
#include "riskoff/authoring.hpp"

namespace riskoff::cli {

LoadedRuleset load_ruleset(const std::string& path, SiblingTests sibling_tests) {
  LoadedRuleset loaded;
  CompileResult compiled;
  try {
    compiled = sibling_tests == SiblingTests::kLoad ? load_with_tests(path) : Ruleset::load(path);
  } catch (const IoError& e) {
    std::cerr << "riskoff: " << e.what() << '\n';
    loaded.exit_code = kExitUsage;
    return loaded;
  }
  if (!compiled.ok()) {
    std::size_t errors = 0;
    for (const auto& problem : compiled.problems) {
      std::cerr << problem.text << '\n';
      errors += problem.is_error ? 1 : 0;
    }
    std::cerr << path << ": " << errors << (errors == 1 ? " error" : " errors") << "; nothing evaluated\n";
    loaded.exit_code = kExitProblems;
    return loaded;
  }
  loaded.ruleset = std::move(compiled.ruleset);
  return loaded;
}

int report_error(const std::string& command, const Error& error) {
  for (const auto& message : error.messages) std::cerr << command << ": " << message << '\n';
  return error.kind == ErrorKind::kUsage || error.kind == ErrorKind::kIo ? kExitUsage : kExitProblems;
}

}  // namespace riskoff::cli
