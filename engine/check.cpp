// The checker's driver: runs the pass table (check/passes.hpp) over one CheckContext, and the
// helpers the CLI shares (closest_match, the window rule).
#include "engine/check.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>

#include "engine/check/dump.hpp"
#include "engine/check/passes.hpp"

namespace riskoff::engine {

double number_value(const dsl::NumberLit& number) {
  if (number.unit == dsl::LiteralUnit::kDays) return number.value * 86400;
  if (number.unit == dsl::LiteralUnit::kHours) return number.value * 3600;
  return number.value;
}

double literal_value(const dsl::Expr& expr) {
  if (const auto* unary = std::get_if<dsl::Unary>(&expr.kind)) return -literal_value(*unary->operand);
  if (const auto* boolean = std::get_if<dsl::BoolLit>(&expr.kind)) return boolean->value ? 1 : 0;
  const auto* number = std::get_if<dsl::NumberLit>(&expr.kind);
  return number != nullptr ? number_value(*number) : 0;
}

namespace {

// Names longer than this get no suggestion: a typo in a name that long is not what a
// suggestion helps with, and the search must stay cheap whatever the input (STYLE: bounded).
constexpr std::size_t kMaxSuggestedLength = 64;
// Candidates within the distance limit are at most this long (limit = length / 4).
constexpr std::size_t kMaxCandidateLength = kMaxSuggestedLength + kMaxSuggestedLength / 4;

// Optimal string alignment distance between `word` and `candidate` when it is at most `bound`,
// else bound + 1. Only the band |i - j| <= bound is computed, three rows at a time (O(n) memory,
// no allocation), and a row whose every cell exceeds `bound` ends the search: later rows can only
// be larger.
std::size_t bounded_distance(std::string_view word, std::string_view candidate, std::size_t bound) {
  const std::size_t over = bound + 1;
  const std::size_t rows = word.size();
  const std::size_t cols = candidate.size();
  if ((rows > cols ? rows - cols : cols - rows) > bound) return over;
  // Invariant: a cell outside its row's band holds `over` (its true value exceeds `bound`).
  std::array<std::size_t, kMaxCandidateLength + 2> two_back{};
  std::array<std::size_t, kMaxCandidateLength + 2> previous{};
  std::array<std::size_t, kMaxCandidateLength + 2> row{};
  for (std::size_t j = 0; j <= cols + 1; ++j) previous[j] = std::min(j, over);
  two_back.fill(over);
  for (std::size_t i = 1; i <= rows; ++i) {
    const std::size_t lo = i > bound ? i - bound : 1;
    const std::size_t hi = std::min(cols, i + bound);
    row.fill(over);
    if (lo == 1) row[0] = std::min(i, over);
    std::size_t row_min = row[lo - 1];
    for (std::size_t j = lo; j <= hi; ++j) {
      const std::size_t cost = word[i - 1] == candidate[j - 1] ? 0 : 1;
      std::size_t value = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && word[i - 1] == candidate[j - 2] && word[i - 2] == candidate[j - 1]) {
        value = std::min(value, two_back[j - 2] + 1);
      }
      row[j] = std::min(value, over);
      row_min = std::min(row_min, row[j]);
    }
    if (row_min > bound) return over;
    two_back = previous;
    previous = row;
  }
  return previous[cols];
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Optimal string alignment distance: a swapped pair of letters (`chnage`) is one edit. A
  // suggestion must be close for its length, or it misleads more than it helps.
  if (word.size() > kMaxSuggestedLength) return {};
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 4);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    // Only a strictly closer candidate replaces the best: the first of equals wins.
    const std::size_t distance = bounded_distance(word, candidate, best_distance - 1);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
      if (distance == 0) break;
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
  const bool valid = !result.diagnostics.has_errors() || options.keep == KeepChecked::kAlways;
  if (passes_run == detail::kCheckPasses.size() && valid) result.ruleset = std::move(ruleset);
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

std::string test_part_prefix(std::string_view rule_file) {
  const std::string sibling = sibling_test_file(rule_file);
  if (sibling.empty()) return {};
  const std::string name = std::filesystem::path(sibling).filename().string();
  return name.substr(0, name.size() - kRulesSuffix.size()) + "_";
}

std::string tested_rule_file(std::string_view test_file) {
  if (test_file.ends_with(kTestSuffix)) {
    return std::string(test_file.substr(0, test_file.size() - kTestSuffix.size())) + std::string(kRulesSuffix);
  }
  if (!test_file.ends_with(kRulesSuffix)) return {};
  // A part: NAME_test_<part>.rules, NAME before the last `_test_` of the file name (not a folder's).
  constexpr std::string_view kPartMark = "_test_";
  const std::string_view stem = test_file.substr(0, test_file.size() - kRulesSuffix.size());
  const std::size_t mark = stem.rfind(kPartMark);
  const std::size_t folder_end = stem.rfind('/');
  const std::size_t name_start = folder_end == std::string_view::npos ? 0 : folder_end + 1;
  if (mark == std::string_view::npos || mark <= name_start || mark + kPartMark.size() >= stem.size()) return {};
  return std::string(stem.substr(0, mark)) + std::string(kRulesSuffix);
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
