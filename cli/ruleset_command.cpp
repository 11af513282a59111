// `riskoff ruleset publish|list|show|diff`: named, versioned rulesets in the audit store, and
// semantic diffs between any two versions (files or published).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "audit/ruleset_diff.hpp"
#include "audit/store.hpp"
#include "cli/commands.hpp"
#include "cli/load.hpp"

namespace riskoff::cli {
namespace {

struct RulesetOptions {
  std::string db;
  std::string file;
  std::string reference;
  std::string old_ref;
  std::string new_ref;
};

std::string store_path(const RulesetOptions& options) {
  return options.db.empty() ? audit::default_store_path() : options.db;
}

int store_error(const char* command, const audit::AuditError& e) {
  std::cerr << "riskoff ruleset " << command << ": " << e.what() << '\n';
  return e.kind() == audit::AuditError::Kind::kIo ? kExitUsage : kExitProblems;
}

// NAME or NAME@VERSION.
std::pair<std::string, std::string> split_reference(const std::string& reference) {
  const auto at = reference.find('@');
  if (at == std::string::npos) return {reference, ""};
  return {reference.substr(0, at), reference.substr(at + 1)};
}

// A published ruleset, looked up in the store; prints why not and returns nullopt.
std::optional<audit::Published> find_published(const audit::AuditStore& store, const std::string& reference,
                                               const char* command) {
  const auto [name, version] = split_reference(reference);
  auto found = store.find_published(name, version);
  if (!found) {
    std::cerr << "riskoff ruleset " << command << ": `" << reference << "` is not published in " << store.path();
    std::string versions;
    for (const auto& entry : store.published()) {
      if (entry.name == name) versions += " " + entry.version;
    }
    std::cerr << (versions.empty() ? std::string(" (see `riskoff ruleset list`)") : " (versions:" + versions + ")") << '\n';
  }
  return found;
}

int run_publish(const RulesetOptions& options) {
  const LoadedRuleset loaded = load_ruleset(options.file);
  if (loaded.exit_code != 0) return loaded.exit_code;
  if (loaded.text.name.empty()) {
    std::cerr << "riskoff ruleset publish: " << options.file
              << " has no header (`ruleset NAME version \"X.Y.Z\"`), so it has no name or version to publish under\n";
    return kExitProblems;
  }
  try {
    const auto store = audit::AuditStore::open(store_path(options), true);
    std::string existing;
    const std::string label = loaded.text.name + " " + loaded.text.version;
    switch (store->publish(loaded.text, existing)) {
      case audit::PublishOutcome::kPublished:
        std::cout << "published " << label << " (sha256 " << loaded.text.hash << ", " << loaded.text.files.size()
                  << (loaded.text.files.size() == 1 ? " file" : " files") << ") in " << store->path() << '\n';
        return kExitOk;
      case audit::PublishOutcome::kAlreadyPublished:
        std::cout << label << " is already published with this content (sha256 " << existing << ")\n";
        return kExitOk;
      case audit::PublishOutcome::kConflict:
        std::cerr << "riskoff ruleset publish: " << label << " is already published with different content (sha256 "
                  << existing.substr(0, 12) << ", this file " << loaded.text.hash.substr(0, 12)
                  << "); a published version never changes: raise the version in the header\n";
        return kExitProblems;
    }
  } catch (const audit::AuditError& e) {
    return store_error("publish", e);
  }
  return kExitOk;
}

int run_list(const RulesetOptions& options) {
  try {
    const auto store = audit::AuditStore::open(store_path(options), false);
    for (const auto& entry : store->published()) {
      std::cout << std::left << std::setw(20) << entry.name << std::setw(14) << entry.version << entry.hash.substr(0, 12)
                << "  " << entry.published_at << '\n';
    }
  } catch (const audit::AuditError& e) {
    return store_error("list", e);
  }
  return kExitOk;
}

int run_show(const RulesetOptions& options) {
  try {
    const auto store = audit::AuditStore::open(store_path(options), false);
    const auto found = find_published(*store, options.reference, "show");
    if (!found) return kExitProblems;
    const auto files = store->ruleset_files(found->hash);
    if (files.empty() || audit::closure_hash(files) != found->hash) {
      std::cerr << "riskoff ruleset show: the stored text of " << options.reference
                << " is missing or was edited (`riskoff audit verify`)\n";
      return kExitProblems;
    }
    // One file: its canonical text, ready to save. Several: each under a comment naming it.
    for (const auto& file : files) {
      if (files.size() > 1) std::cout << "# ---- " << file.path << '\n';
      std::cout << file.text;
    }
  } catch (const audit::AuditError& e) {
    return store_error("show", e);
  }
  return kExitOk;
}

// One side of a diff: a rule file, or NAME[@VERSION] from the store.
struct Side {
  std::shared_ptr<const engine::Plan> plan;
  std::string label;
  int exit_code = kExitOk;
};

Side load_side(const RulesetOptions& options, const std::string& reference) {
  Side side;
  std::error_code ec;
  if (std::filesystem::exists(reference, ec)) {
    const LoadedRuleset loaded = load_ruleset(reference);
    side.exit_code = loaded.exit_code;
    side.plan = loaded.plan;
    side.label = audit::ruleset_label(reference, loaded.content_hash);
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
  try {
    const auto store = audit::AuditStore::open(store_path(options), false);
    const auto found = find_published(*store, reference, "diff");
    if (!found) {
      side.exit_code = kExitProblems;
      return side;
    }
    std::string error;
    side.plan = audit::compile_stored(store->ruleset_files(found->hash), error);
    if (!side.plan) {
      std::cerr << "riskoff ruleset diff: " << reference << ": " << error << '\n';
      side.exit_code = kExitProblems;
      return side;
    }
    side.label = audit::ruleset_label(found->name + "@" + found->version + " in " + store->path(), found->hash);
  } catch (const audit::AuditError& e) {
    std::cerr << "riskoff ruleset diff: `" << reference << "` is neither a file nor a published ruleset: " << e.what() << '\n';
    side.exit_code = e.kind() == audit::AuditError::Kind::kIo ? kExitUsage : kExitProblems;
  }
  return side;
}

int run_diff(const RulesetOptions& options) {
  const Side before = load_side(options, options.old_ref);
  if (before.exit_code != kExitOk) return before.exit_code;
  const Side after = load_side(options, options.new_ref);
  if (after.exit_code != kExitOk) return after.exit_code;
  const auto diff = audit::diff_rulesets(before.plan->ruleset(), after.plan->ruleset());
  std::cout << audit::render_ruleset_diff(diff, before.label, after.label);
  return diff.declared_too_small() ? kExitProblems : kExitOk;
}

}  // namespace

void add_ruleset_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RulesetOptions>();
  auto* ruleset = app.add_subcommand("ruleset", "Published ruleset versions, and semantic diffs between versions");
  ruleset->require_subcommand(1);
  const std::string db_help = "Audit store (default: $RISKOFF_DB, else $XDG_DATA_HOME/riskoff/audit.sqlite)";

  auto* publish = ruleset->add_subcommand("publish", "Store a ruleset's canonical text under its name and version");
  publish->footer("Example:\n  riskoff ruleset publish rulesets/riskoff.rules\n"
                  "Exit codes: 0 published (or already, identical), 1 the version exists with other content or the\n"
                  "file has errors, 2 usage or I/O error.");
  publish->add_option("--db", options->db, db_help);
  publish->add_option("file", options->file, "Rule file (its imports are published with it)")->required();
  publish->callback([options, &exit_code] { exit_code = run_publish(*options); });

  auto* list = ruleset->add_subcommand("list", "List published rulesets and versions");
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
