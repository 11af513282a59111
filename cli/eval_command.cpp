#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/load.hpp"
#include "cli/sources.hpp"
#include "riskoff/audit.hpp"
#include "riskoff/riskoff.hpp"

namespace riskoff::cli {
namespace {

struct EvalOptions {
  std::string ruleset;
  std::string snapshot;
  std::string sources;
  std::string as_of;
  bool allow_missing = false;
  double fetch_deadline = 0;
  std::string sources_root;
  std::string profile;
  std::vector<std::string> sets;
  std::string format = "text";
  std::string colour = "auto";
  bool verbose = false;
  bool record = false;
  bool create = false;
  std::string db;
};

// The exit code of an error from the library: one policy for every command (docs/cli.md).
int exit_code_for(const Error& error) {
  return error.kind == ErrorKind::kUsage || error.kind == ErrorKind::kIo ? kExitUsage : kExitProblems;
}

// Appends the decision to the audit store (AuditLog::record: the closure's text, the snapshot
// as evaluated, the trace and the three renderings), so `audit show` prints what was seen and
// `audit recheck` can re-run it. Returns the exit code.
int record_decision(const EvalOptions& options, std::string_view snapshot_text, const Decision& decision) {
  const std::string path = options.db.empty() ? default_audit_path() : options.db;
  // A missing store is created; an existing empty file only with --create (it may be a store
  // that lost its content, and a new chain from record 1 would hide that).
  auto log = AuditLog::open(path, options.create ? OpenMode::kCreateInEmptyFile : OpenMode::kCreate);
  const auto id = log ? log->record(decision, snapshot_text) : Result<std::int64_t>(log.error());
  if (!id) {
    for (const auto& message : id.error().messages) std::cerr << "riskoff eval: not recorded: " << message << '\n';
    return exit_code_for(id.error());
  }
  // stderr: standard output stays the explanation alone, as without --record. The head, kept
  // elsewhere, is what `audit verify --expect-head` checks a copy of the store against.
  // The store's name as the library shows it: a PostgreSQL URI without its password.
  std::cerr << "recorded decision " << *id << " in " << log->path() << '\n';
  if (const auto recorded = log->get(*id)) std::cerr << "head " << *id << ':' << recorded->record_hash << '\n';
  return kExitOk;
}

// The snapshot to decide on, from a file (or standard input) or built from a sources manifest;
// `text` receives what an audit record keeps: the bytes read, or (with --record) a built
// snapshot as compact canonical JSON. Either reads back to the same snapshot.
std::optional<Snapshot> read_snapshot(const EvalOptions& options, const Ruleset& ruleset, std::string& text,
                                      int& exit_code) {
  if (!options.sources.empty()) {
    auto built = snapshot_from_sources(
        {.command = "riskoff eval",
         .manifest = options.sources,
         .as_of = options.as_of,
         .missing = options.allow_missing ? MissingInputs::kLeaveOut : MissingInputs::kFail,
         .fetch_deadline_seconds = options.fetch_deadline,
         .allow_missing_hint = "--allow-missing decides without them: their conditions are unknown",
         .sources_root = options.sources_root},
        &ruleset);
    exit_code = kExitProblems;
    // Only a record keeps it: writing it costs a tenth of an `eval --sources` (every observation's
    // time printed), paid for nothing without --record.
    if (built && options.record) text = built->to_json(JsonLayout::kCompact);
    return built;
  }
  try {
    auto read = Snapshot::load(options.snapshot);
    if (!read.ok()) {
      for (const auto& error : read.errors) std::cerr << "riskoff eval: " << error << '\n';
      exit_code = kExitProblems;
      return std::nullopt;
    }
    text = std::move(read.text);
    return std::move(*read.snapshot);
  } catch (const IoError& e) {
    std::cerr << "riskoff eval: " << e.what() << '\n';
    exit_code = kExitUsage;
    return std::nullopt;
  }
}

// `--profile all`: every profile on the same snapshot, one line each, then what they share.
int eval_all_profiles(const EvalOptions& options, const Ruleset& ruleset, const Snapshot& snapshot, Format format) {
  std::vector<Explanation> explanations;
  for (const auto& profile : ruleset.profiles()) {
    const auto decision = decide(ruleset, snapshot, {.profile = profile, .overrides = options.sets});
    if (!decision) {
      const std::string where = decision.error().kind == ErrorKind::kSnapshot
                                    ? (options.sources.empty() ? options.snapshot : options.sources) + ": "
                                    : "";
      for (const auto& message : decision.error().messages) std::cerr << "riskoff eval: " << where << message << '\n';
      return exit_code_for(decision.error());
    }
    explanations.push_back(decision->explanation());
  }
  std::cout << render_profiles(explanations, format);
  return kExitOk;
}

int run_eval(const EvalOptions& options) {
  if (options.profile == "all" && options.record) {
    std::cerr << "riskoff eval: --record keeps one decision: give one --profile, not all\n";
    return kExitUsage;
  }
  if (!options.as_of.empty() && !parse_as_of(options.as_of)) {
    std::cerr << "riskoff eval: --as-of `" << options.as_of
              << "` is not a UTC date or time such as 2026-02-04 or 2026-02-04T21:00:00Z\n";
    return kExitUsage;
  }
  const LoadedRuleset loaded = load_ruleset(options.ruleset);
  if (loaded.exit_code != 0) return loaded.exit_code;
  int exit_code = kExitOk;
  std::string snapshot_text;
  const auto snapshot = read_snapshot(options, *loaded.ruleset, snapshot_text, exit_code);
  if (!snapshot) return exit_code;

  // Colour only for a terminal, and never when NO_COLOR is set (no-color.org).
  bool colour = options.colour == "always";
  if (options.colour == "auto") colour = isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
  const Format format = options.format == "json"       ? Format::kJson
                        : options.format == "markdown" ? Format::kMarkdown
                        : options.verbose              ? (colour ? Format::kTextVerboseColour : Format::kTextVerbose)
                        : colour                       ? Format::kTextColour
                                                       : Format::kText;
  if (options.profile == "all") return eval_all_profiles(options, *loaded.ruleset, *snapshot, format);
  DecideOptions decide_options{.profile = options.profile, .overrides = options.sets, .renderings = {format}};
  if (options.record) decide_options.renderings = {Format::kJson, Format::kMarkdown, Format::kText, format};
  const auto decision = decide(*loaded.ruleset, *snapshot, decide_options);
  if (!decision) {
    // A snapshot problem names the file it came from (the manifest for --sources, and
    // "standard input" for `-`), never an empty name.
    const std::string file = !options.sources.empty() ? options.sources
                             : options.snapshot == "-" ? std::string("standard input")
                                                       : options.snapshot;
    const std::string where = decision.error().kind == ErrorKind::kSnapshot ? file + ": " : "";
    for (const auto& message : decision.error().messages) std::cerr << "riskoff eval: " << where << message << '\n';
    return exit_code_for(decision.error());
  }
  if (options.record) {
    const int recorded = record_decision(options, snapshot_text, *decision);
    if (recorded != kExitOk) return recorded;
  }
  std::cout << decision->render(format);
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
      "  riskoff eval -r rulesets/riskoff.rules -s examples/snapshots/2026-02-04.json --profile all\n"
      "  riskoff eval -r rulesets/riskoff.rules -s examples/snapshots/2026-02-04.json --verbose\n"
      "  riskoff eval -r rulesets/riskoff.rules -s examples/snapshots/2026-02-04.json --record --db audit.sqlite\n"
      "Exit codes: 0 a decision was made (and recorded), 1 ruleset or snapshot error or a store that is\n"
      "not a riskoff audit store, 2 usage or I/O error.");
  command->add_option("--ruleset,-r", options->ruleset, "Rule file")->required();
  auto* snapshot = command->add_option("--snapshot,-s", options->snapshot, "Snapshot JSON file, or - for standard input");
  auto* sources = command->add_option("--sources", options->sources, "Build the snapshot from a sources manifest instead");
  snapshot->excludes(sources);
  command->add_option("--as-of", options->as_of, "With --sources: a UTC time, or a date meaning the end of that UTC day (default: now)")->needs(sources);
  command->add_flag("--allow-missing", options->allow_missing, "With --sources: leave out inputs that cannot be read")->needs(sources);
  command->add_option("--fetch-deadline", options->fetch_deadline, kFetchDeadlineHelp)
      ->check(CLI::Range(0.001, 86400.0))
      ->needs(sources);
  command->add_option("--sources-root", options->sources_root, kSourcesRootHelp)->check(CLI::ExistingDirectory)->needs(sources);
  command->add_option("--profile,-p", options->profile,
                      "Profile to decide for (default: the first); `all`: one line per profile, then what they share");
  command->add_option("--set", options->sets, "Override a parameter: NAME=VALUE with its unit, e.g. yield_jump=20bp");
  command->add_option("--format,-f", options->format, "Output format")->check(CLI::IsMember({"text", "markdown", "json"}));
  command->add_flag("--verbose", options->verbose,
                    "Text: the full reason tree, why not, every table and the five comparisons closest to changing it");
  command->add_option("--color", options->colour, "Colour in text output")->check(CLI::IsMember({"auto", "always", "never"}));
  auto* record = command->add_flag("--record", options->record,
                                   "Append the decision to the audit store (docs/audit.md); prints its id on stderr");
  command->add_option("--db", options->db,
                      "Audit store: a file or a postgresql:// URI (default: $RISKOFF_DB, else $XDG_DATA_HOME/riskoff/audit.sqlite, else "
                      "~/.local/share/riskoff/audit.sqlite)")
      ->needs(record);
  command->add_flag("--create", options->create,
                    "With --record: start a new store in an existing empty file (a missing file is created anyway)")
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
