#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

#include "adapters/snapshot_json.hpp"
#include "audit/store.hpp"
#include "audit/trace.hpp"
#include "cli/commands.hpp"
#include "cli/load.hpp"
#include "cli/sources.hpp"
#include "explain/explanation.hpp"

namespace riskoff::cli {
namespace {

struct EvalOptions {
  std::string ruleset;
  std::string snapshot;
  std::string sources;
  std::string as_of;
  bool allow_missing = false;
  std::string profile;
  std::vector<std::string> sets;
  std::string format = "text";
  std::string colour = "auto";
  bool record = false;
  std::string db;
};

// Appends the decision to the audit store: the closure's text, the snapshot as evaluated, the
// trace and the three renderings, so `audit show` prints what was seen and `audit replay` can
// re-run it. Returns the exit code.
int record_decision(const EvalOptions& options, const LoadedRuleset& loaded, std::string snapshot_text,
                    const engine::Evaluation& evaluation, const explain::Explanation& explanation,
                    const std::string& json, const std::string& markdown, const std::string& text) {
  const std::string path = options.db.empty() ? audit::default_store_path() : options.db;
  audit::DecisionInput input;
  input.as_of = explanation.as_of;
  input.profile = explanation.profile;
  input.action = explanation.action;
  input.ruleset = &loaded.text;
  input.snapshot_json = std::move(snapshot_text);
  input.overrides = options.sets;
  input.engine_version = RISKOFF_VERSION;
  input.trace = audit::serialize_trace(*loaded.plan, evaluation, explanation.action);
  input.explanation_json = json;
  input.explanation_markdown = markdown;
  input.explanation_text = text;
  try {
    const auto store = audit::AuditStore::open(path, true);
    const std::int64_t id = store->record(input);
    // stderr: standard output stays the explanation alone, as without --record.
    std::cerr << "recorded decision " << id << " in " << path << '\n';
  } catch (const audit::AuditError& e) {
    std::cerr << "riskoff eval: not recorded: " << e.what() << '\n';
    return e.kind() == audit::AuditError::Kind::kIo ? kExitUsage : kExitProblems;
  }
  return kExitOk;
}

int run_eval(const EvalOptions& options) {
  if (!options.as_of.empty() && !engine::parse_timestamp(options.as_of)) {
    std::cerr << "riskoff eval: --as-of `" << options.as_of << "` is not a UTC time such as 2026-02-04T21:00:00Z\n";
    return kExitUsage;
  }
  const LoadedRuleset loaded = load_ruleset(options.ruleset);
  if (loaded.exit_code != 0) return loaded.exit_code;
  const engine::Plan& plan = *loaded.plan;
  if (plan.profiles().empty()) {
    std::cerr << "riskoff eval: " << options.ruleset << " has no profile, so nothing to decide\n";
    return kExitProblems;
  }
  std::int64_t profile = 0;
  if (!options.profile.empty()) {
    profile = plan.find_profile(options.profile);
    if (profile < 0) {
      std::cerr << "riskoff eval: unknown profile `" << options.profile << "`; profiles are:";
      for (const auto& p : plan.profiles()) std::cerr << ' ' << p.name;
      std::cerr << '\n';
      return kExitUsage;
    }
  }
  std::vector<engine::ParamOverride> overrides;
  for (const auto& assignment : options.sets) {
    engine::ParamOverride override;
    if (const auto error = engine::parse_override(plan, assignment, override); !error.empty()) {
      std::cerr << "riskoff eval: --set " << assignment << ": " << error << '\n';
      return kExitUsage;
    }
    overrides.push_back(override);
  }
  engine::Snapshot snapshot;
  // What the audit store keeps: the snapshot file's bytes as read, or a built snapshot as
  // compact canonical JSON. Either reads back to the same snapshot.
  std::string snapshot_text;
  if (!options.sources.empty()) {
    // Build the snapshot in memory from the data files, then evaluate in one step.
    auto built = snapshot_from_sources(options.sources, options.as_of, &plan, options.allow_missing);
    if (!built) return kExitProblems;
    snapshot = std::move(*built);
    if (options.record) snapshot_text = adapters::write_snapshot_json(snapshot, adapters::JsonLayout::kCompact);
  } else {
    auto read = adapters::read_snapshot_file(options.snapshot);
    if (!read.ok()) {
      for (const auto& error : read.errors) std::cerr << "riskoff eval: " << error << '\n';
      return read.io_error ? kExitUsage : kExitProblems;
    }
    snapshot = std::move(read.snapshot);
    snapshot_text = std::move(read.text);
  }
  const auto bound = engine::bind(plan, snapshot);
  if (!bound.ok()) {
    for (const auto& error : bound.errors) std::cerr << "riskoff eval: " << options.snapshot << ": " << error << '\n';
    return kExitProblems;
  }
  engine::Evaluation evaluation;
  engine::evaluate(plan, bound.bound, static_cast<std::uint32_t>(profile), overrides, evaluation);
  const auto explanation = explain::explain(plan, bound.bound, evaluation, loaded.content_hash);
  // Colour only for a terminal, and never when NO_COLOR is set (no-color.org).
  bool colour = options.colour == "always";
  if (options.colour == "auto") colour = isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
  if (options.record) {
    // The store keeps all three renderings, uncoloured, so `audit show` can print any of them.
    const std::string json = explain::render_json(explanation);
    const std::string markdown = explain::render_markdown(explanation);
    const std::string text = explain::render_text(explanation, explain::Colour::kNever);
    const int recorded = record_decision(options, loaded, std::move(snapshot_text), evaluation, explanation, json, markdown, text);
    if (recorded != kExitOk) return recorded;
    if (options.format == "json") {
      std::cout << json;
    } else if (options.format == "markdown") {
      std::cout << markdown;
    } else {
      std::cout << (colour ? explain::render_text(explanation, explain::Colour::kAlways) : text);
    }
    return kExitOk;
  }
  if (options.format == "json") {
    std::cout << explain::render_json(explanation);
  } else if (options.format == "markdown") {
    std::cout << explain::render_markdown(explanation);
  } else {
    std::cout << explain::render_text(explanation, colour ? explain::Colour::kAlways : explain::Colour::kNever);
  }
  return kExitOk;
}

}  // namespace

void add_eval_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<EvalOptions>();
  auto* command = app.add_subcommand("eval", "Evaluate a ruleset on a snapshot: HEDGE, REDUCE or WAIT, and why");
  command->footer(
      "Examples:\n"
      "  riskoff eval --ruleset rulesets/riskoff.rules --snapshot examples/snapshots/2026-02-04.json\n"
      "  riskoff eval --ruleset my.rules --snapshot - --profile swing --set yield_jump=20bp --format json\n"
      "  riskoff eval -r rulesets/riskoff.rules -s examples/snapshots/2026-02-04.json --record --db audit.sqlite\n"
      "Exit codes: 0 a decision was made (and recorded), 1 ruleset or snapshot error or a store that is\n"
      "not a riskoff audit store, 2 usage or I/O error.");
  command->add_option("--ruleset,-r", options->ruleset, "Rule file")->required();
  auto* snapshot = command->add_option("--snapshot,-s", options->snapshot, "Snapshot JSON file, or - for standard input");
  auto* sources = command->add_option("--sources", options->sources, "Build the snapshot from a sources manifest instead");
  snapshot->excludes(sources);
  command->add_option("--as-of", options->as_of, "With --sources: the UTC instant (default: now)")->needs(sources);
  command->add_flag("--allow-missing", options->allow_missing, "With --sources: leave out inputs that cannot be read")->needs(sources);
  command->add_option("--profile,-p", options->profile, "Profile to decide for (default: the first)");
  command->add_option("--set", options->sets, "Override a parameter: NAME=VALUE with its unit, e.g. yield_jump=20bp");
  command->add_option("--format,-f", options->format, "Output format")->check(CLI::IsMember({"text", "markdown", "json"}));
  command->add_option("--color", options->colour, "Colour in text output")->check(CLI::IsMember({"auto", "always", "never"}));
  auto* record = command->add_flag("--record", options->record,
                                   "Append the decision to the audit store (docs/audit.md); prints its id on stderr");
  command->add_option("--db", options->db,
                      "Audit store (default: $RISKOFF_DB, else $XDG_DATA_HOME/riskoff/audit.sqlite, else "
                      "~/.local/share/riskoff/audit.sqlite)")
      ->needs(record);
  command->callback([options, &exit_code] {
    if (options->snapshot.empty() && options->sources.empty()) {
      std::cerr << "riskoff eval: give --snapshot FILE or --sources FILE\n";
      exit_code = kExitUsage;
      return;
    }
    exit_code = run_eval(*options);
  });
}

}  // namespace riskoff::cli
