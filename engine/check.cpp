// The checker's driver: runs the pass table (check/passes.hpp) over one CheckContext, and the
// helpers the CLI shares (closest_match, the window rule).
#include "engine/check.hpp"

#include <algorithm>
#include <cmath>

#include "engine/check/dump.hpp"
#include "engine/check/passes.hpp"

namespace riskoff::engine {

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Optimal string alignment distance: a swapped pair of letters (`chnage`) is one edit. A
  // suggestion must be close for its length, or it misleads more than it helps.
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 4);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    const std::size_t rows = word.size() + 1;
    const std::size_t cols = candidate.size() + 1;
    std::vector<std::size_t> d(rows * cols);
    for (std::size_t i = 0; i < rows; ++i) d[i * cols] = i;
    for (std::size_t j = 0; j < cols; ++j) d[j] = j;
    for (std::size_t i = 1; i < rows; ++i) {
      for (std::size_t j = 1; j < cols; ++j) {
        const std::size_t cost = word[i - 1] == candidate[j - 1] ? 0 : 1;
        std::size_t value = std::min({d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost});
        if (i > 1 && j > 1 && word[i - 1] == candidate[j - 2] && word[i - 2] == candidate[j - 1]) {
          value = std::min(value, d[(i - 2) * cols + j - 2] + 1);
        }
        d[i * cols + j] = value;
      }
    }
    if (d[rows * cols - 1] < best_distance) {
      best_distance = d[rows * cols - 1];
      best = candidate;
    }
  }
  return best;
}

bool window_in_range(TypeKind kind, double value) {
  if (!(value > 0)) return false;
  if (kind == TypeKind::kBars) return value <= kMaxWindowBars && std::floor(value) == value;
  return value <= kMaxWindowDays * 86400;
}

std::string window_limits_text() {
  return "windows are positive, whole in bars, at most " + std::to_string(static_cast<int>(kMaxWindowDays)) +
         " days and " + std::to_string(static_cast<int>(kMaxWindowBars)) + " bars";
}

std::vector<CheckPassInfo> check_passes() {
  std::vector<CheckPassInfo> out;
  for (const auto& pass : detail::kCheckPasses) out.push_back({pass.name, pass.establishes});
  return out;
}

CheckResult check_text(std::string name, std::string text, const SourceLoader& loader, const CheckOptions& options) {
  CheckResult result;
  auto ruleset = std::make_unique<CheckedRuleset>();
  detail::CheckContext ctx{*ruleset,         result.diagnostics, loader, std::move(name), std::move(text),
                           options.sibling_tests, {},                 {},     0,               {}};
  std::size_t passes_run = 0;
  for (const auto& pass : detail::kCheckPasses) {
    pass.run(ctx);
    ++passes_run;
    if (pass.name == options.dump_after) break;
  }
  result.diagnostics.sort_by_location();
  for (std::size_t index = 0; index < ruleset->sources.size(); ++index) {
    const SourceFile& file = ruleset->sources.file(static_cast<SourceId>(index));
    result.sources.add(std::string(file.name()), std::string(file.text()));
  }
  if (!options.dump_after.empty()) result.dump = detail::render_checked(*ruleset, passes_run);
  if (passes_run == detail::kCheckPasses.size() && !result.diagnostics.has_errors()) result.ruleset = std::move(ruleset);
  return result;
}

namespace {
constexpr std::string_view kRulesSuffix = ".rules";
constexpr std::string_view kTestSuffix = "_test.rules";
}  // namespace

std::string sibling_test_file(std::string_view rule_file) {
  if (!rule_file.ends_with(kRulesSuffix) || rule_file.ends_with(kTestSuffix)) return {};
  return std::string(rule_file.substr(0, rule_file.size() - kRulesSuffix.size())) + std::string(kTestSuffix);
}

std::string tested_rule_file(std::string_view test_file) {
  if (!test_file.ends_with(kTestSuffix)) return {};
  return std::string(test_file.substr(0, test_file.size() - kTestSuffix.size())) + std::string(kRulesSuffix);
}

CheckResult check_text(std::string name, std::string text, const std::filesystem::path& directory) {
  const FileSourceLoader loader(name, directory);
  return check_text(std::move(name), std::move(text), loader);
}

CheckResult check_file(const std::filesystem::path& path, const CheckOptions& options) {
  const FileSourceLoader loader;
  Result<std::string> text = loader.read(path.string());
  if (!text) {
    CheckResult result;
    result.io_error = path.string() + ": " + text.error().messages.front();
    return result;
  }
  return check_text(path.string(), std::move(text).value(), loader, options);
}

}  // namespace riskoff::engine
