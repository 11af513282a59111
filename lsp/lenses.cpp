// Code lenses over each test ("run test") and each profile ("evaluate"), and the commands behind
// them: a test block of the saved file, run as `riskoff test` runs it (run_rule_tests); a
// profile decided on the configured snapshot as `riskoff eval` decides it (decide() through
// SnapshotValues). The outcome is the answer and a message the editor shows.
#include "lsp/features.hpp"

namespace riskoff::lsp {

namespace {

// "evaluate on snapshots/today.json: reduce" once decided; "evaluate on snapshot" otherwise
// (the command then says why there is no decision).
std::string evaluate_title(SnapshotValues& values, const Document& document, const std::string& profile) {
  if (!values.configured(document)) return "evaluate on snapshot";
  const SnapshotDecision& decided = values.decide(document, profile);
  if (!decided.decision) return "evaluate on snapshot";
  return "evaluate on " + decided.snapshot + ": " + decided.decision->action();
}

}  // namespace

json code_lenses(Workspace& workspace, SnapshotValues& values, const json& params) {
  Document& document = workspace.document(params);
  const RulesetIndex& index = workspace.index(document);
  json lenses = json::array();
  for (const auto& symbol : index.symbols) {
    if (!same_file(symbol.declaration.file, document.path)) continue;
    std::string title;
    std::string_view command;
    if (symbol.kind == IndexedKind::kTest) {
      title = "run test";
      command = kRunTestCommand;
    } else if (symbol.kind == IndexedKind::kProfile) {
      title = evaluate_title(values, document, symbol.name);
      command = kEvaluateProfileCommand;
    } else {
      continue;
    }
    lenses.push_back({{"range", Workspace::range_json(document.text, symbol.declaration.begin, symbol.declaration.end)},
                      {"command", {{"title", title},
                                   {"command", std::string(command)},
                                   {"arguments", json::array({document.uri, symbol.name})}}}});
  }
  return lenses;
}

json evaluate_profile(Workspace& workspace, SnapshotValues& values, const json& arguments) {
  const json params = {{"textDocument", {{"uri", arguments.at(0).get<std::string>()}}}};
  const Document& document = workspace.document(params);
  const std::string profile = arguments.at(1).get<std::string>();
  const SnapshotDecision& decided = values.decide(document, profile);
  if (!decided.decision) throw RequestError(kRequestFailed, "cannot evaluate `" + profile + "`: " + decided.error);
  const Decision& decision = *decided.decision;
  std::string message = decision.profile() + " -> " + decision.action() + " on " + decided.snapshot + " (" +
                        decision.as_of() + ")";
  if (decision.depends_on_unknown()) message += "; depends on unknown data";
  return {{"profile", decision.profile()},
          {"action", decision.action()},
          {"snapshot", decided.snapshot},
          {"as_of", decision.as_of()},
          {"depends_on_unknown", decision.depends_on_unknown()},
          {"message", message},
          {"text", decision.render(Format::kText)},
          {"explanation", json::parse(decision.render(Format::kJson))}};
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
