// The load pass: the root file and, recursively, its imports, each through the SourceLoader
// (the checker reads nothing itself). Import cycles are reported with their chain.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "support/semver.hpp"
#include "dsl/parse.hpp"
#include "engine/check/passes.hpp"

namespace riskoff::engine::detail {
namespace {

class LoadPass {
 public:
  explicit LoadPass(CheckContext& ctx) : ctx_(ctx) {}

  void run() {
    const std::string root_name = ctx_.root_name;
    stack_.push_back(ctx_.loader.locate(ctx_.root_name, "").identity);
    load(std::move(ctx_.root_name), std::move(ctx_.root_text), "");
    const Module& root = ctx_.rs.root();
    if (root.header && root.header->tests) {
      const std::string tested = tested_rule_file(std::filesystem::path(root_name).filename().string());
      ctx_.sink.error(DiagCode::kTestFileContent, root.source, root.header->span,
                      "this is a test file: its tests run against the ruleset " + backticked(root.header->name))
          .help = tested.empty() ? "name it NAME_test.rules beside NAME.rules, and check or test that ruleset"
                                 : "check or test " + tested + ": `riskoff check` and `riskoff test` read this file beside it";
      return;
    }
    if (ctx_.sibling_tests) load_test_files(root_name);
  }

 private:
  void load(std::string name, std::string text, const std::string& prefix);
  void load_import(const Import& import, const std::string& importing, SourceId source, const std::string& prefix);
  void check_version(const Header& header, SourceId source);
  void load_test_files(const std::string& root_name);
  void load_test_file(const std::string& file, const std::string& root_name);

  // Every file after the root puts its expressions in the root's arena (dsl::ExprArena): one
  // arena per ruleset, whose chunks reach the 2 MiB a huge page holds.
  std::shared_ptr<dsl::ExprArena> shared_arena() const {
    return ctx_.rs.modules.empty() ? nullptr : ctx_.rs.modules.front()->arena;
  }

  CheckContext& ctx_;
  std::vector<std::string> stack_;  // identities of the files being loaded, root first
};

void LoadPass::load(std::string name, std::string text, const std::string& prefix) {
  const std::string importing = name;
  const SourceId source = ctx_.rs.sources.add(std::move(name), std::move(text));
  auto module = dsl::parse(ctx_.rs.sources, source, ctx_.sink, ctx_.rs.expr_ids_end, shared_arena());
  ctx_.rs.expr_ids_end = module->expr_ids_end;
  const std::size_t module_index = ctx_.rs.modules.size();
  ctx_.rs.modules.push_back(std::move(module));
  ctx_.rs.prefixes.push_back(prefix);
  if (ctx_.rs.modules[module_index]->header && !ctx_.rs.modules[module_index]->header->tests) check_version(*ctx_.rs.modules[module_index]->header, source);
  std::set<std::string> aliases;
  for (const auto& decl : ctx_.rs.modules[module_index]->decls) {
    const auto* import_decl = std::get_if<Import>(&decl);
    if (import_decl == nullptr) continue;
    if (!aliases.insert(import_decl->alias).second) {
      ctx_.sink.error(DiagCode::kDuplicateName, source, import_decl->alias_span,
                      "import alias " + backticked(import_decl->alias) + " is used twice in this file");
      continue;
    }
    load_import(*import_decl, importing, source, prefix);
  }
}

void LoadPass::load_import(const Import& import, const std::string& importing, SourceId source, const std::string& prefix) {
  ImportTarget target = ctx_.loader.locate(import.path.value, importing);
  const auto file_name = [](const std::string& identity) { return std::filesystem::path(identity).filename().string(); };
  if (std::find(stack_.begin(), stack_.end(), target.identity) != stack_.end()) {
    std::string chain;
    bool in_cycle = false;
    for (const auto& step : stack_) {
      if (step == target.identity) in_cycle = true;
      if (in_cycle) chain += file_name(step) + " -> ";
    }
    chain += file_name(target.identity);
    ctx_.sink.error(DiagCode::kImportCycle, source, import.path.span, "import cycle: " + chain)
        .help = "move what both files need into a third file that neither imports";
    return;
  }
  if (ctx_.rs.modules.size() >= kMaxImportedFiles) {
    ctx_.sink.error(DiagCode::kTooManyDeclarations, source, import.path.span,
                    "more than " + std::to_string(kMaxImportedFiles) + " files imported");
    return;
  }
  Result<std::string> text = ctx_.loader.read(target.name);
  if (!text) {
    ctx_.sink.error(DiagCode::kImportNotFound, source, import.path.span,
                    "cannot import " + backticked(import.path.value) + ": " + text.error().messages.front())
        .help = "import paths are relative to the importing file's folder (" + target.folder + ")";
    return;
  }
  stack_.push_back(std::move(target.identity));
  load(std::move(target.name), std::move(text).value(), prefix + import.alias + ".");
  stack_.pop_back();
}

// The sibling NAME_test.rules, when there is one, then the parts NAME_test_<part>.rules in name
// order: fixtures and tests of the root, in its scope. A part needs no NAME_test.rules beside it.
void LoadPass::load_test_files(const std::string& root_name) {
  const std::string root_file = std::filesystem::path(root_name).filename().string();
  const std::string sibling = sibling_test_file(root_file);
  if (sibling.empty()) return;
  load_test_file(sibling, root_name);
  const std::string prefix = test_part_prefix(root_file);
  std::vector<std::string> parts = ctx_.loader.list_beside(root_name, prefix, ".rules", kMaxTestParts);
  // NAME_test_a_test_b.rules is a part of NAME_test_a.rules, not of NAME.rules (tested_rule_file).
  std::erase_if(parts, [&](const std::string& part) { return tested_rule_file(part) != root_file; });
  if (parts.size() > kMaxTestParts) {
    const Module& root = ctx_.rs.root();
    ctx_.sink.error(DiagCode::kTooManyDeclarations, root.source, root.header ? root.header->span : Span{},
                    "more than " + std::to_string(kMaxTestParts) + " test files " + prefix + "*.rules beside " + root_file)
        .help = "merge some of them: their tests were not read";
    return;
  }
  for (const auto& part : parts) load_test_file(part, root_name);
}

void LoadPass::load_test_file(const std::string& file, const std::string& root_name) {
  const ImportTarget target = ctx_.loader.locate(file, root_name);
  Result<std::string> text = ctx_.loader.read(target.name);
  if (!text) return;  // no NAME_test.rules (a part that vanished since the listing): nothing to run
  const SourceId source = ctx_.rs.sources.add(target.name, std::move(text).value());
  ctx_.rs.test_files.push_back(dsl::parse(ctx_.rs.sources, source, ctx_.sink, ctx_.rs.expr_ids_end, shared_arena()));
  ctx_.rs.expr_ids_end = ctx_.rs.test_files.back()->expr_ids_end;
  const Module& tests = *ctx_.rs.test_files.back();
  const Module& root = ctx_.rs.root();
  const std::string root_file = std::filesystem::path(root_name).filename().string();
  if (tests.header && !tests.header->tests) {
    ctx_.sink.error(DiagCode::kTestFileContent, source, tests.header->span,
                    "a test file starts with `tests NAME`, not with a ruleset header")
        .help = "beside " + root_file + ", this file holds its tests: start it with `tests " +
                (root.header ? root.header->name : std::string("NAME")) + "`";
  } else if (tests.header && root.header && tests.header->name != root.header->name) {
    ctx_.sink.error(DiagCode::kTestFileContent, source, tests.header->name_span,
                    "these tests are for ruleset " + backticked(tests.header->name) + ", but " + root_file +
                        " is ruleset " + backticked(root.header->name))
        .help = "a test file tests the ruleset beside it: write `tests " + root.header->name + "`";
  }
  for (const auto& decl : tests.decls) {
    if (std::holds_alternative<TestDecl>(decl) || std::holds_alternative<FixtureDecl>(decl)) continue;
    ctx_.sink.error(DiagCode::kTestFileContent, source, decl_span(decl), "a test file holds only fixtures and tests")
        .help = "declare it in " + root_file + ", the ruleset these tests run against";
  }
}

void LoadPass::check_version(const Header& header, SourceId source) {
  // What the registry orders and `ruleset diff` reasons about: SemVer 2.0.0, strictly.
  const std::string& version = header.version.value;
  if (!support::parse_semver(version)) {
    ctx_.sink.error(DiagCode::kInvalidVersion, source, header.version.span,
                    "version " + backticked(version) + " is not a semantic version")
        .help = "write MAJOR.MINOR.PATCH, e.g. \"0.1.0\" or \"1.2.0-rc1\"";
  }
}

}  // namespace

void run_load(CheckContext& ctx) {
  LoadPass(ctx).run();
  // Every expression is parsed now: the later passes record into tables sized once.
  ctx.rs.types.reserve(ctx.rs.expr_ids_end);
  ctx.rs.references.reserve(ctx.rs.expr_ids_end);
}

}  // namespace riskoff::engine::detail
