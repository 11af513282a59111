// Code lenses over each test ("run test") and the command that runs one: the test blocks of
// the saved file, run as `riskoff test` runs them (run_rule_tests), the outcome as the answer
// and as a message the editor shows.
#include "lsp/features.hpp"

namespace riskoff::lsp {

json code_lenses(Workspace& workspace, const json& params) {
  Document& document = workspace.document(params);
  const RulesetIndex& index = workspace.index(document);
  json lenses = json::array();
  for (const auto& symbol : index.symbols) {
    if (symbol.kind != IndexedKind::kTest || !same_file(symbol.declaration.file, document.path)) continue;
    lenses.push_back({{"range", Workspace::range_json(document.text, symbol.declaration.begin, symbol.declaration.end)},
                      {"command", {{"title", "run test"},
                                   {"command", std::string(kRunTestCommand)},
                                   {"arguments", json::array({document.uri, symbol.name})}}}});
  }
  return lenses;
}

json run_test(const json& arguments) {
  const std::string path = path_of_uri(arguments.at(0).get<std::string>());
  const std::string name = arguments.at(1).get<std::string>();
  // A test file runs against the ruleset it tests, as `riskoff test` does.
  const std::string tested = tested_rule_file(path);
  CompileResult loaded = [&] {
    try {
      return load_with_tests(tested.empty() ? path : tested);
    } catch (const std::exception& error) {
      throw RequestError(kRequestFailed, error.what());
    }
  }();
  if (!loaded.ok()) {
    throw RequestError(kRequestFailed, "the saved file does not check: " +
                                           (loaded.problems.empty() ? std::string() : loaded.problems.front().message));
  }
  for (const auto& outcome : run_rule_tests(*loaded.ruleset)) {
    if (outcome.name != name) continue;
    json expectations = json::array();
    std::string failed;
    for (const auto& expectation : outcome.expectations) {
      expectations.push_back({{"line", expectation.line}, {"expected", expectation.expected},
                              {"actual", expectation.actual}, {"passed", expectation.passed}});
      if (!expectation.passed && failed.empty()) failed = "expected " + expectation.expected + ", got " + expectation.actual;
    }
    std::string message = (outcome.passed() ? "PASS " : "FAIL ") + name;
    if (!outcome.errors.empty()) message += ": " + outcome.errors.front();
    else if (!failed.empty()) message += ": " + failed;
    return {{"passed", outcome.passed()}, {"message", message}, {"errors", outcome.errors}, {"expectations", expectations}};
  }
  throw RequestError(kRequestFailed, "no test `" + name + "` in the saved file");
}

}  // namespace riskoff::lsp
