// Golden tests: every file under tests/golden/<stage>/ with a .rules extension is one ctest.
//   check/   `riskoff check` diagnostics, rendered exactly as users see them (<case>.expected)
//   format/  `riskoff fmt` output (<case>.expected), which must also be a fixed point
//   ruleset_diff/ `riskoff ruleset diff rulesets/riskoff.rules <case>.rules` (<case>.expected):
//            the semantic diff against modified versions of the default ruleset
//   explain/ `riskoff eval` of the default ruleset on each examples/snapshots/<date>.json, per
//            profile, in the three renderings (<date>.<profile>.txt, .md, .json)
// RISKOFF_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing: review the diff.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/snapshot_json.hpp"
#include "dsl/format.hpp"
#include "engine/sha256.hpp"
#include "explain/explanation.hpp"
#include "dsl/parse.hpp"
#include "engine/check.hpp"
#include "audit/ruleset_diff.hpp"
#include "audit/ruleset_text.hpp"

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string render_check(const std::string& relative) {
  const auto result = riskoff::engine::check_file(relative);
  if (!result.io_error.empty()) return "io error: " + result.io_error + "\n";
  std::string out;
  for (const auto& diagnostic : result.diagnostics.all()) out += riskoff::render_text(diagnostic, result.sources) + "\n";
  out += std::to_string(result.diagnostics.error_count()) + " errors, " +
         std::to_string(result.diagnostics.warning_count()) + " warnings\n";
  return out;
}

std::string render_format(const std::string& relative) {
  riskoff::SourceSet sources;
  const auto id = sources.add(relative, read(relative));
  riskoff::DiagnosticSink sink;
  const auto module = riskoff::dsl::parse(sources, id, sink);
  if (sink.has_errors()) {
    std::string out;
    for (const auto& diagnostic : sink.all()) out += riskoff::render_text(diagnostic, sources);
    return out;
  }
  return riskoff::dsl::format(*module, sources.file(id));
}

// The explanation of the default ruleset on one example snapshot, for one profile.
std::string render_explanation(const std::string& snapshot_path, const std::string& profile, const std::string& format) {
  auto checked = riskoff::engine::check_file("rulesets/riskoff.rules");
  if (checked.diagnostics.has_errors()) return "default ruleset has errors\n";
  std::shared_ptr<const riskoff::engine::CheckedRuleset> ruleset = std::move(checked.ruleset);
  const auto hash = riskoff::engine::sha256_hex(
      riskoff::dsl::format(ruleset->root(), ruleset->sources.file(ruleset->root().source)));
  const auto plan = riskoff::engine::Plan::compile(ruleset);
  const auto read = riskoff::adapters::read_snapshot_file(snapshot_path);
  if (!read.ok()) return "snapshot errors: " + read.errors.front() + "\n";
  const auto bound = riskoff::engine::bind(*plan, read.snapshot);
  if (!bound.ok()) return "bind errors: " + bound.errors.front() + "\n";
  riskoff::engine::Evaluation evaluation;
  riskoff::engine::evaluate(*plan, bound.bound, static_cast<std::uint32_t>(plan->find_profile(profile)), {}, evaluation);
  const auto explanation = riskoff::explain::explain(*plan, bound.bound, evaluation, hash);
  if (format == "json") return riskoff::explain::render_json(explanation);
  if (format == "md") return riskoff::explain::render_markdown(explanation);
  return riskoff::explain::render_text(explanation, riskoff::explain::Colour::kNever);
}

// The semantic diff from the default ruleset to a modified version, labelled as the CLI does.
std::string render_ruleset_diff(const std::string& relative) {
  auto before = riskoff::engine::check_file("rulesets/riskoff.rules");
  auto after = riskoff::engine::check_file(relative);
  if (before.diagnostics.has_errors() || after.diagnostics.has_errors()) return "a side has errors\n";
  const auto diff = riskoff::audit::diff_rulesets(*before.ruleset, *after.ruleset);
  return riskoff::audit::render_ruleset_diff(
      diff, riskoff::audit::ruleset_label("rulesets/riskoff.rules", riskoff::audit::ruleset_text(*before.ruleset).hash),
      riskoff::audit::ruleset_label(relative, riskoff::audit::ruleset_text(*after.ruleset).hash));
}

void compare_with_golden(const std::string& actual, const fs::path& expected_path) {
  if (std::getenv("RISKOFF_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    WARN("updated " << expected_path.string());
    return;
  }
  INFO("golden file: " << expected_path.string() << " (RISKOFF_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(fs::exists(expected_path));
  CHECK(actual == read(expected_path));
}

class ExplainCase : public Catch::ITestInvoker {
 public:
  ExplainCase(std::string snapshot, std::string profile) : snapshot_(std::move(snapshot)), profile_(std::move(profile)) {}
  void invoke() const override {
    const std::string stem = "tests/golden/explain/" + fs::path(snapshot_).stem().string() + "." + profile_;
    for (const std::string format : {"txt", "md", "json"}) {
      const std::string actual = render_explanation(snapshot_, profile_, format);
      // The same input gives byte-identical output, every time.
      CHECK(render_explanation(snapshot_, profile_, format) == actual);
      compare_with_golden(actual, stem + "." + format);
    }
  }

 private:
  std::string snapshot_;
  std::string profile_;
};

class GoldenCase : public Catch::ITestInvoker {
 public:
  GoldenCase(std::string stage, std::string relative) : stage_(std::move(stage)), relative_(std::move(relative)) {}

  void invoke() const override {
    const std::string actual = stage_ == "check"          ? render_check(relative_)
                               : stage_ == "ruleset_diff" ? render_ruleset_diff(relative_)
                                                          : render_format(relative_);
    const fs::path expected_path = fs::path(relative_).replace_extension(".expected");
    compare_with_golden(actual, expected_path);
    if (std::getenv("RISKOFF_UPDATE_GOLDEN") != nullptr) return;
    if (stage_ == "format") {
      // The canonical form is a fixed point of the formatter.
      const fs::path temp = fs::temp_directory_path() / ("riskoff-golden-" + expected_path.filename().string() + ".rules");
      std::ofstream(temp, std::ios::binary) << actual;
      riskoff::SourceSet sources;
      const auto id = sources.add(temp.string(), read(temp));
      riskoff::DiagnosticSink sink;
      const auto module = riskoff::dsl::parse(sources, id, sink);
      CHECK_FALSE(sink.has_errors());
      CHECK(riskoff::dsl::format(*module, sources.file(id)) == actual);
      fs::remove(temp);
    }
  }

 private:
  std::string stage_;
  std::string relative_;
};

}  // namespace

int main(int argc, char* argv[]) {
  // Paths in golden output are relative to the source tree, so they match on every machine.
  fs::current_path(RISKOFF_SOURCE_DIR);
  static std::deque<std::string> names;  // Catch keeps StringRefs to these
  for (const std::string stage : {"check", "format", "ruleset_diff"}) {
    std::vector<std::string> cases;
    for (const auto& entry : fs::directory_iterator(fs::path("tests/golden") / stage)) {
      if (entry.path().extension() == ".rules") cases.push_back(entry.path().generic_string());
    }
    std::sort(cases.begin(), cases.end());
    for (const auto& relative : cases) {
      names.push_back("golden " + stage + ": " + fs::path(relative).stem().string());
      const std::string& name = names.back();
      names.push_back("[golden][" + stage + "]");
      const std::string& tags = names.back();
      static std::deque<Catch::AutoReg> registrations;
      registrations.emplace_back(new GoldenCase(stage, relative), Catch::SourceLineInfo(__FILE__, __LINE__),
                                 Catch::StringRef(), Catch::NameAndTags{name, tags});
    }
  }
  static std::deque<Catch::AutoReg> explain_registrations;
  std::vector<std::string> snapshots;
  for (const auto& entry : fs::directory_iterator("examples/snapshots")) {
    if (entry.path().extension() == ".json") snapshots.push_back(entry.path().generic_string());
  }
  std::sort(snapshots.begin(), snapshots.end());
  for (const auto& snapshot : snapshots) {
    for (const std::string profile : {"short_term", "swing", "long_term"}) {
      names.push_back("golden explain: " + fs::path(snapshot).stem().string() + " " + profile);
      const std::string& name = names.back();
      names.push_back("[golden][explain]");
      const std::string& tags = names.back();
      explain_registrations.emplace_back(new ExplainCase(snapshot, profile), Catch::SourceLineInfo(__FILE__, __LINE__),
                                         Catch::StringRef(), Catch::NameAndTags{name, tags});
    }
  }
  return Catch::Session().run(argc, argv);
}
