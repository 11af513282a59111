// Embedding riskoff in a C++ program: load the ruleset, read a snapshot, decide, and print the
// decision with its reasons by walking the explanation as data.
//
//   decide RULES SNAPSHOT [PROFILE]
//
// Build against an installed riskoff with find_package(riskoff) (CMakeLists.txt beside this
// file). Exit codes: 0 decided, 1 the ruleset or snapshot has problems, 2 usage or unreadable file.
#include <riskoff/riskoff.hpp>

#include <iostream>

namespace {

// Prints a because-chain down to the numbers, indented by depth.
void print_reasons(const std::vector<riskoff::Reason>& reasons, int depth) {
  for (const auto& reason : reasons) {
    // `text` is the rendered `because` or comparison; an any/all/count step has only its subject.
    std::cout << std::string(static_cast<std::size_t>(depth) * 2, ' ') << "- "
              << (reason.text.empty() ? reason.subject : reason.text) << '\n';
    if (depth < 3) print_reasons(reason.children, depth + 1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: decide RULES SNAPSHOT [PROFILE]\n";
    return 2;
  }
  try {
    const auto compiled = riskoff::Ruleset::load(argv[1]);
    if (!compiled.ok()) {
      for (const auto& problem : compiled.problems) std::cerr << problem.text << '\n';
      return 1;
    }
    const auto snapshot = riskoff::Snapshot::load(argv[2]);
    if (!snapshot.ok()) {
      for (const auto& error : snapshot.errors) std::cerr << error << '\n';
      return 1;
    }
    riskoff::DecideOptions options;
    if (argc == 4) options.profile = argv[3];
    const auto result = riskoff::decide(*compiled.ruleset, *snapshot.snapshot, options);
    if (!result) {
      for (const auto& error : result.error().messages) std::cerr << error << '\n';
      return 1;
    }
    const riskoff::Decision& decision = *result;
    const riskoff::Explanation& why = decision.explanation();
    std::cout << compiled.ruleset->name() << ' ' << compiled.ruleset->version() << ", profile " << decision.profile()
              << ", as of " << decision.as_of() << '\n';
    std::cout << "decision: " << decision.action() << (decision.depends_on_unknown() ? " (depends on unknown data)" : "")
              << '\n';
    if (!why.advice.empty()) std::cout << "advice: " << why.advice << '\n';
    std::cout << "because:\n";
    print_reasons(why.because.reasons, 1);
    for (const auto& clause : why.why_not) {
      std::cout << "not " << clause.action << ":\n";
      print_reasons(clause.reasons, 1);
    }
    std::cout << "drivers:";
    for (const auto& driver : why.drivers) {
      std::cout << ' ' << driver.name << '=' << (driver.status == riskoff::Truth::kTrue    ? "on"
                                                 : driver.status == riskoff::Truth::kFalse ? "off"
                                                                                            : "unknown");
    }
    std::cout << '\n';
    if (!why.closest.empty()) std::cout << "closest to flipping: " << why.closest.front().text << '\n';
    return 0;
  } catch (const riskoff::IoError& error) {
    std::cerr << "decide: " << error.what() << '\n';
    return 2;
  }
}
