// The options that say which ruleset `riskoff serve` and `riskoff watch` decide with
// (--ruleset FILE | --registry DB [--use NAME[@VERSION]]), declared once so their names, the
// rule that one of the two is given, and their help stay the same in both.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace riskoff::serve {

// Where the ruleset comes from; the fields of ServeOptions and WatchOptions the options fill.
struct RulesetSourceFields {
  std::string& ruleset_file;
  std::string& registry;
  std::string& use;
};

// Declares --ruleset (with `ruleset_help`: what the command does with the file), --registry and
// --use; returns --ruleset, for options that need it (serve's --watch-rules).
inline CLI::Option* add_ruleset_options(CLI::App& app, const RulesetSourceFields& fields, const std::string& ruleset_help) {
  auto* ruleset = app.add_option("--ruleset,-r", fields.ruleset_file, ruleset_help);
  auto* registry = app.add_option("--registry", fields.registry, "A store of published rulesets (riskoff ruleset publish)");
  ruleset->excludes(registry);
  app.add_option("--use", fields.use, "With --registry: NAME or NAME@VERSION (default: the only name published)")->needs(registry);
  return ruleset;
}

// The usage error when neither --ruleset nor --registry was given (CLI11 refuses both), as
// "riskoff serve: give --ruleset FILE or --registry DB"; nullopt when one was.
inline std::optional<std::string> missing_ruleset(const std::string& command, const RulesetSourceFields& fields) {
  if (!fields.ruleset_file.empty() || !fields.registry.empty()) return std::nullopt;
  return "riskoff " + command + ": give --ruleset FILE or --registry DB";
}

}  // namespace riskoff::serve
