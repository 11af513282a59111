// check_rules(): what `riskoff check` reports about a rule file, as data.
#include <algorithm>

#include "api/impl.hpp"
#include "support/json_writer.hpp"
#include "engine/check.hpp"
#include "engine/source_loader.hpp"
#include "riskoff/authoring.hpp"

namespace riskoff {

std::vector<CheckPass> check_passes() {
  std::vector<CheckPass> passes;
  for (const auto& pass : engine::check_passes()) passes.push_back({std::string(pass.name), std::string(pass.establishes)});
  return passes;
}

std::size_t CheckReport::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(problems.begin(), problems.end(), [](const Problem& problem) { return problem.is_error; }));
}

std::size_t CheckReport::warning_count() const { return problems.size() - error_count(); }

Result<std::string> read_rule_file(const std::string& path) {
  auto text = engine::FileSourceLoader().read(path);
  if (!text) return Error(ErrorKind::kIo, text.error().messages);
  return text;
}

Result<CheckReport> check_rules(const std::string& path, const CheckOptions& options) {
  if (!options.dump_after.empty()) {
    const auto passes = engine::check_passes();
    const bool known = std::any_of(passes.begin(), passes.end(),
                                   [&](const auto& pass) { return pass.name == options.dump_after; });
    if (!known) {
      std::string names;
      for (const auto& pass : passes) names += (names.empty() ? "" : ", ") + std::string(pass.name);
      return Error(ErrorKind::kUsage, "unknown pass `" + options.dump_after +
                                          "` for --dump-after; the passes, in order: " + names);
    }
  }
  const auto result = engine::check_file(path, {.dump_after = options.dump_after, .sibling_tests = options.sibling_tests});
  if (!result.io_error.empty()) return Error(ErrorKind::kIo, result.io_error);
  CheckReport report;
  for (const auto& diagnostic : result.diagnostics.all()) report.problems.push_back(problem_of(diagnostic, result.sources));
  report.dropped = result.diagnostics.dropped();
  std::string rendered = render_json(result.diagnostics.all(), result.sources);
  while (!rendered.empty() && rendered.back() == '\n') rendered.pop_back();
  report.json = "{\"file\": " + support::json_quote(path) + ", \"diagnostics\": " + rendered + "}";
  report.dump = result.dump;
  return report;
}

}  // namespace riskoff
