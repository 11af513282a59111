// RuleCoverage::render(): the coverage report as text, JSON (through the one JSON writer) and an
// lcov tracefile. Items come in source order, so every rendering is deterministic.
#include <algorithm>
#include <cstdio>
#include <map>

#include "riskoff/coverage.hpp"
#include "support/json_writer.hpp"

namespace riskoff {
namespace {

std::string percent(std::size_t part, std::size_t whole) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", whole == 0 ? 100.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return text;
}

std::size_t failed_tests(const std::vector<RuleTestOutcome>& tests) {
  return static_cast<std::size_t>(
      std::count_if(tests.begin(), tests.end(), [](const RuleTestOutcome& test) { return !test.passed(); }));
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

// Items per kind, in a fixed order of kinds (the order they first appear would depend on the file).
std::string kind_totals(const std::vector<CoverageItem>& items) {
  std::map<std::string, std::pair<std::size_t, std::size_t>> kinds;  // kind -> covered, total
  for (const auto& item : items) {
    auto& [covered, total] = kinds[item.kind];
    covered += item.missing().empty() ? 1 : 0;
    ++total;
  }
  std::string out;
  for (const auto& [kind, counts] : kinds) {
    char line[96];
    std::snprintf(line, sizeof line, "  %-12s %zu of %zu fully covered\n", kind.c_str(), counts.first, counts.second);
    out += line;
  }
  return out;
}

std::string render_text(const RuleCoverage& coverage) {
  const std::size_t failed = failed_tests(coverage.tests);
  std::string out = "rule coverage of " + coverage.ruleset + ": " + std::to_string(coverage.tests.size()) + " tests (" +
                    std::to_string(coverage.tests.size() - failed) + " passed, " + std::to_string(failed) + " failed)\n";
  out += "  outcomes     " + std::to_string(coverage.outcomes_seen()) + " of " + std::to_string(coverage.outcomes_needed()) +
         " (" + percent(coverage.outcomes_seen(), coverage.outcomes_needed()) + ")\n";
  out += "  items        " + std::to_string(coverage.items_covered()) + " of " + std::to_string(coverage.items.size()) +
         " fully covered (" + percent(coverage.items_covered(), coverage.items.size()) + ")\n";
  out += kind_totals(coverage.items);
  std::string gaps;
  for (const auto& item : coverage.items) {
    const auto missing = item.missing();
    if (missing.empty()) continue;
    gaps += item.file + ":" + std::to_string(item.line) + ":" + std::to_string(item.column) + ": " + item.kind +
            (item.kind == "comparison" ? " in `" : " `") + item.name + "` " + joined(missing) + " (true " + std::to_string(item.true_count) + ", false " +
            std::to_string(item.false_count) + ", unknown " + std::to_string(item.unknown_count) + ")\n    " +
            item.text + "\n";
  }
  out += gaps.empty() ? "every condition was driven to each of its outcomes\n" : "not covered:\n" + gaps;
  return out;
}

std::string render_json(const RuleCoverage& coverage) {
  support::JsonWriter json;
  json.begin_object();
  json.field("ruleset", coverage.ruleset);
  const std::size_t failed = failed_tests(coverage.tests);
  json.key("tests").begin_object(support::JsonLayout::kSpaced);
  json.field_integer("total", static_cast<std::int64_t>(coverage.tests.size()));
  json.field_integer("passed", static_cast<std::int64_t>(coverage.tests.size() - failed));
  json.field_integer("failed", static_cast<std::int64_t>(failed)).end_object();
  json.key("totals").begin_object(support::JsonLayout::kSpaced);
  json.field_integer("items", static_cast<std::int64_t>(coverage.items.size()));
  json.field_integer("items_covered", static_cast<std::int64_t>(coverage.items_covered()));
  json.field_integer("outcomes_needed", static_cast<std::int64_t>(coverage.outcomes_needed()));
  json.field_integer("outcomes_seen", static_cast<std::int64_t>(coverage.outcomes_seen())).end_object();
  json.key("items").begin_array();
  for (const auto& item : coverage.items) {
    json.begin_object(support::JsonLayout::kSpaced);
    json.field("kind", item.kind).field("name", item.name).field("file", item.file);
    json.field_integer("line", item.line).field_integer("column", item.column).field("condition", item.text);
    json.field_integer("evaluations", static_cast<std::int64_t>(item.evaluations));
    json.field_integer("true", static_cast<std::int64_t>(item.true_count));
    json.field_integer("false", static_cast<std::int64_t>(item.false_count));
    json.field_integer("unknown", static_cast<std::int64_t>(item.unknown_count));
    json.field_bool("unknown_expected", item.unknown_expected);
    json.key("missing").begin_array();
    for (const auto& gap : item.missing()) json.string(gap);
    json.end_array().end_object();
  }
  json.end_array().end_object();
  return json.take() + "\n";
}

// lcov's tracefile: per file, one BRDA per outcome (branch 0 true, 1 false, 2 unknown when it is
// expected; "-" when the condition was never evaluated), then one DA per line holding items.
std::string render_lcov(const RuleCoverage& coverage) {
  std::map<std::string, std::vector<const CoverageItem*>> files;  // by name: a stable order
  for (const auto& item : coverage.items) files[item.file].push_back(&item);
  std::string out;
  for (const auto& [file, items] : files) {
    out += "TN:\nSF:" + file + "\n";
    std::map<std::uint32_t, std::size_t> lines;  // line -> evaluations of the items on it
    std::map<std::uint32_t, std::uint32_t> blocks;  // line -> items seen on it so far
    std::size_t branches = 0, branches_hit = 0;
    for (const CoverageItem* item : items) {
      lines[item->line] += item->evaluations;
      const std::uint32_t block = blocks[item->line]++;
      const std::size_t counts[] = {item->true_count, item->false_count, item->unknown_count};
      for (std::size_t branch = 0; branch < (item->unknown_expected ? 3U : 2U); ++branch) {
        ++branches;
        branches_hit += counts[branch] > 0 ? 1 : 0;
        out += "BRDA:" + std::to_string(item->line) + "," + std::to_string(block) + "," + std::to_string(branch) + "," +
               (item->evaluations == 0 ? "-" : std::to_string(counts[branch])) + "\n";
      }
    }
    out += "BRF:" + std::to_string(branches) + "\nBRH:" + std::to_string(branches_hit) + "\n";
    std::size_t hit = 0;
    for (const auto& [line, evaluations] : lines) {
      out += "DA:" + std::to_string(line) + "," + std::to_string(evaluations) + "\n";
      hit += evaluations > 0 ? 1 : 0;
    }
    out += "LF:" + std::to_string(lines.size()) + "\nLH:" + std::to_string(hit) + "\nend_of_record\n";
  }
  return out;
}

}  // namespace

std::string RuleCoverage::render(TestReportFormat format) const {
  switch (format) {
    case TestReportFormat::kJson: return render_json(*this);
    case TestReportFormat::kLcov: return render_lcov(*this);
    case TestReportFormat::kText: break;
  }
  return render_text(*this);
}

}  // namespace riskoff
