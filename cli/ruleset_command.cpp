// `riskoff ruleset publish|list|show|diff`: named, versioned rulesets in the audit store, and
// semantic diffs between any two versions (files or published).
#include <algorithm>
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/load.hpp"
#include "riskoff/registry.hpp"
#include "riskoff/riskoff.hpp"

namespace riskoff::cli {
namespace {

struct RulesetOptions {
  std::string db;
  std::string file;
  std::string reference;
  std::string old_ref;
  std::string new_ref;
};

Result<RulesetRegistry> open_registry(const RulesetOptions& options, OpenMode mode) {
  return RulesetRegistry::open(options.db.empty() ? default_audit_path() : options.db, mode);
}

// A published ruleset, looked up in the store: nullopt, with why printed, when it is not
// published; a store that fails is the caller's to report.
Result<std::optional<PublishedRuleset>> find_published(const RulesetRegistry& registry, const std::string& reference,
                                                       const char* command) {
  auto found = registry.find(reference);
  if (!found || *found) return found;
  const auto all = registry.published();
  if (!all) return all.error();
  const std::string name = reference.substr(0, reference.find('@'));
  std::string versions;
  for (const auto& entry : *all) {
    if (entry.name == name) versions += " " + entry.version;
  }
  std::cerr << "riskoff ruleset " << command << ": `" << reference << "` is not published in " << registry.path()
            << (versions.empty() ? std::string(" (see `riskoff ruleset list`)") : " (versions:" + versions + ")") << '\n';
  return found;
}

int run_publish(const RulesetOptions& options) {
  const LoadedRuleset loaded = load_ruleset(options.file);
  if (loaded.exit_code != 0) return loaded.exit_code;
  const Ruleset& ruleset = *loaded.ruleset;
  if (ruleset.name().empty()) {
    std::cerr << "riskoff ruleset publish: " << options.file
              << " has no header (`ruleset NAME version \"X.Y.Z\"`), so it has no name or version to publish under\n";
    return kExitProblems;
  }
  auto registry = open_registry(options, OpenMode::kCreate);
  if (!registry) return report_error("riskoff ruleset publish", registry.error());
  const auto published = registry->publish(ruleset);
  if (!published) return report_error("riskoff ruleset publish", published.error());
  const std::string label = ruleset.name() + " " + ruleset.version();
  switch (published->outcome) {
    case PublishOutcome::kPublished: {
      const std::size_t files = ruleset.closure().size();
      std::cout << "published " << label << " (sha256 " << ruleset.content_hash() << ", " << files
                << (files == 1 ? " file" : " files") << ") in " << registry->path() << '\n';
      return kExitOk;
    }
    case PublishOutcome::kAlreadyPublished:
      std::cout << label << " is already published with this content (sha256 " << published->existing_hash << ")\n";
      return kExitOk;
    case PublishOutcome::kConflict:
      std::cerr << "riskoff ruleset publish: " << label << " is already published with different content (sha256 "
                << published->existing_hash.substr(0, 12) << ", this file " << ruleset.content_hash().substr(0, 12)
                << "); a published version never changes: raise the version in the header\n";
      return kExitProblems;
  }
  return kExitOk;
}

int run_list(const RulesetOptions& options) {
  const auto registry = open_registry(options, OpenMode::kReadOnly);
  if (!registry) return report_error("riskoff ruleset list", registry.error());
  const auto published = registry->published();
  if (!published) return report_error("riskoff ruleset list", published.error());
  // Columns as wide as their longest entry (at least the old 20 and 14) plus two spaces, so a
  // long name or version never runs into the next column.
  std::size_t name_width = 18, version_width = 12;
  for (const auto& entry : *published) {
    name_width = std::max(name_width, entry.name.size());
    version_width = std::max(version_width, entry.version.size());
  }
  for (const auto& entry : *published) {
    std::cout << std::left << std::setw(static_cast<int>(name_width + 2)) << entry.name
              << std::setw(static_cast<int>(version_width + 2)) << entry.version << entry.hash.substr(0, 12) << "  "
              << entry.published_at << '\n';
  }
  return kExitOk;
}

int run_show(const RulesetOptions& options) {
  const auto registry = open_registry(options, OpenMode::kReadOnly);
  if (!registry) return report_error("riskoff ruleset show", registry.error());
  const auto found = find_published(*registry, options.reference, "show");
  if (!found) return report_error("riskoff ruleset show", found.error());
  if (!*found) return kExitProblems;
  const auto files = registry->files(**found);
  if (!files) return report_error("riskoff ruleset show", files.error());
  if (files->empty()) {
    std::cerr << "riskoff ruleset show: the stored text of " << options.reference
              << " is missing or was edited (`riskoff audit verify`)\n";
    return kExitProblems;
  }
  // One file: its canonical text, ready to save. Several: each under a comment naming it.
  for (const auto& file : *files) {
    if (files->size() > 1) std::cout << "# ---- " << file.path << '\n';
    std::cout << file.text;
  }
  return kExitOk;
}

// One side of a diff: a rule file, or NAME[@VERSION] from the store.
struct Side {
  std::optional<Ruleset> ruleset;
  std::string label;
  int exit_code = kExitOk;
};

Side load_side(const RulesetOptions& options, const std::string& reference) {
  Side side;
  std::error_code ec;
  if (std::filesystem::exists(reference, ec)) {
    LoadedRuleset loaded = load_ruleset(reference);
    side.exit_code = loaded.exit_code;
    side.ruleset = std::move(loaded.ruleset);
    if (side.ruleset) side.label = ruleset_label(reference, *side.ruleset);
    return side;
  }
  // NAME[@VERSION] never holds a '/' nor ends in .rules: such a reference is a file that is not
  // there, a usage error, not a ruleset missing from the registry.
  if (reference.find('/') != std::string::npos ||
      (reference.size() > 6 && reference.compare(reference.size() - 6, 6, ".rules") == 0)) {
    std::cerr << "riskoff ruleset diff: cannot read " << reference << " (no such file)\n";
    side.exit_code = kExitUsage;
    return side;
  }
  // A store that cannot be opened or read: the reference is neither.
  const auto neither = [&](const Error& error) {
    std::cerr << "riskoff ruleset diff: `" << reference << "` is neither a file nor a published ruleset: "
              << error.messages.front() << '\n';
    side.exit_code = error.kind == ErrorKind::kIo || error.kind == ErrorKind::kUsage ? kExitUsage : kExitProblems;
    return side;
  };
  const auto registry = open_registry(options, OpenMode::kReadOnly);
  if (!registry) return neither(registry.error());
  const auto found = find_published(*registry, reference, "diff");
  if (!found) return neither(found.error());
  if (!*found) {
    side.exit_code = kExitProblems;
    return side;
  }
  const PublishedRuleset& published = **found;
  auto loaded = registry->load(published);
  if (!loaded) {
    std::cerr << "riskoff ruleset diff: " << reference << ": " << loaded.error().messages.front() << '\n';
    side.exit_code = loaded.error().kind == ErrorKind::kIo ? kExitUsage : kExitProblems;
    return side;
  }
  side.ruleset = std::move(*loaded);
  side.label = ruleset_label(published.name + "@" + published.version + " in " + registry->path(), published);
  return side;
}

int run_diff(const RulesetOptions& options) {
  const Side before = load_side(options, options.old_ref);
  if (before.exit_code != kExitOk) return before.exit_code;
  const Side after = load_side(options, options.new_ref);
  if (after.exit_code != kExitOk) return after.exit_code;
  const RulesetDiff diff = diff_rulesets(*before.ruleset, *after.ruleset);
  std::cout << render(diff, before.label, after.label);
  return diff.declared_too_small() ? kExitProblems : kExitOk;
}

}  // namespace

void add_ruleset_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RulesetOptions>();
  auto* ruleset = app.add_subcommand("ruleset", "Published ruleset versions, and semantic diffs between versions");
  ruleset->require_subcommand(1);
  // Its own examples: a subcommand without a footer would print the top-level one.
  ruleset->footer(
      "Examples:\n"
      "  riskoff ruleset publish rulesets/riskoff.rules\n"
      "  riskoff ruleset list\n"
      "  riskoff ruleset diff riskoff@0.1.0 rulesets/riskoff.rules\n"
      "See docs/audit.md (ruleset versions and semantic diffs).");
  const std::string db_help =
      "Audit store: a file, or a postgresql:// URI (default: $RISKOFF_DB, else $XDG_DATA_HOME/riskoff/audit.sqlite)";

  auto* publish = ruleset->add_subcommand("publish", "Store a ruleset's canonical text under its name and version");
  publish->footer("Example:\n  riskoff ruleset publish rulesets/riskoff.rules\n"
                  "Exit codes: 0 published (or already, identical), 1 the version exists with other content or the\n"
                  "file has errors, 2 usage or I/O error.");
  publish->add_option("--db", options->db, db_help);
  publish->add_option("file", options->file, "Rule file (its imports are published with it)")->required();
  publish->callback([options, &exit_code] { exit_code = run_publish(*options); });

  auto* list = ruleset->add_subcommand("list", "List published rulesets and versions");
  list->footer("Example:\n  riskoff ruleset list --db audit.sqlite");
  list->add_option("--db", options->db, db_help);
  list->callback([options, &exit_code] { exit_code = run_list(*options); });

  auto* show = ruleset->add_subcommand("show", "Print a published ruleset's canonical text");
  show->footer("Example:\n  riskoff ruleset show riskoff@0.1.0 > riskoff-0.1.0.rules\n(no version: the highest)");
  show->add_option("--db", options->db, db_help);
  show->add_option("ruleset", options->reference, "NAME or NAME@VERSION")->required();
  show->callback([options, &exit_code] { exit_code = run_show(*options); });

  auto* diff = ruleset->add_subcommand("diff", "Semantic diff: parameters, inputs, signals, groups, clauses, implied bump");
  diff->footer("Examples:\n  riskoff ruleset diff riskoff@0.1.0 rulesets/riskoff.rules\n"
               "  riskoff ruleset diff old.rules new.rules\n"
               "Exit codes: 0 diff printed, 1 a side has errors or the declared version bump is smaller than\n"
               "the changes imply, 2 usage or I/O error.");
  diff->add_option("--db", options->db, db_help);
  diff->add_option("old", options->old_ref, "Rule file or NAME[@VERSION]")->required();
  diff->add_option("new", options->new_ref, "Rule file or NAME[@VERSION]")->required();
  diff->callback([options, &exit_code] { exit_code = run_diff(*options); });
}

}  // namespace riskoff::cli
