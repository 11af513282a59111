// What every golden explanation must be, read off the files the shipped binary wrote
// (tests/golden/explain/*.stdout): a marked comparison never contradicts its own mark, and the
// default text form is short enough to read in ten seconds. Part of riskoff_golden_tests.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/files.hpp"

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMostDefaultLines = 40;

std::vector<fs::path> golden_files(const std::string& ending) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(fs::path(RISKOFF_SOURCE_DIR) / "tests/golden/explain")) {
    const std::string name = entry.path().filename().string();
    if (name.size() > ending.size() && name.compare(name.size() - ending.size(), ending.size(), ending) == 0) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::size_t indent_of(const std::string& line) { return line.find_first_not_of(' '); }

// The marked lines (`[x]`, `[ ]`; ✅, ❌ in markdown), each joined with the lines it wraps onto.
struct Marked {
  bool truth = false;
  std::string text;
};
std::vector<Marked> marked_lines(const std::vector<std::string>& lines) {
  std::vector<Marked> out;
  for (std::size_t at = 0; at < lines.size(); ++at) {
    const std::string& line = lines[at];
    std::optional<bool> truth;
    std::size_t mark = std::string::npos;
    for (const auto& [token, value] : {std::pair<const char*, bool>{"[x] ", true}, {"[ ] ", false}, {"✅ ", true}, {"❌ ", false}}) {
      const auto found = line.find(token);
      if (found != std::string::npos && (mark == std::string::npos || found < mark)) {
        mark = found;
        truth = value;
      }
    }
    if (!truth) continue;
    Marked marked{*truth, line.substr(mark)};
    const std::size_t indent = indent_of(line);
    while (at + 1 < lines.size() && !lines[at + 1].empty() && indent_of(lines[at + 1]) > indent &&
           lines[at + 1].find('[') != indent_of(lines[at + 1]) && lines[at + 1].find("- ") != indent_of(lines[at + 1])) {
      ++at;
      marked.text += " " + lines[at].substr(indent_of(lines[at]));
    }
    out.push_back(marked);
  }
  return out;
}

// The number a side ends with, as printed: "+14.0bp", "1.64%", "2.10B usd", "82.69".
std::optional<double> last_number(const std::string& side) {
  std::optional<double> found;
  for (std::size_t at = 0; at < side.size(); ++at) {
    const bool starts = std::isdigit(static_cast<unsigned char>(side[at])) != 0 &&
                        (at == 0 || side[at - 1] == ' ' || side[at - 1] == '-' || side[at - 1] == '+');
    if (!starts) continue;
    std::size_t begin = at;
    if (begin > 0 && (side[begin - 1] == '-' || side[begin - 1] == '+')) --begin;
    // A range ("0-1", a count with unknown members) has no one value to check.
    if (begin > 0 && side[begin] == '-' && std::isdigit(static_cast<unsigned char>(side[begin - 1])) != 0) return std::nullopt;
    char* end = nullptr;
    double value = std::strtod(side.c_str() + begin, &end);
    const std::size_t stop = static_cast<std::size_t>(end - side.c_str());
    if (stop < side.size() && side[stop] == 'B') value *= 1e9;
    if (stop < side.size() && side[stop] == 'M') value *= 1e6;
    // A name such as `us10y_5d` is not a number: the token must end at a space, unit or end.
    if (stop < side.size() && std::isalpha(static_cast<unsigned char>(side[stop])) != 0 && side[stop] != 'B' &&
        side[stop] != 'M' && side.compare(stop, 2, "bp") != 0) {
      at = stop;
      continue;
    }
    found = value;
    at = stop;
  }
  return found;
}

struct Checked {
  bool comparison = false;
  bool agrees = true;
};

Checked check(const Marked& marked) {
  static const char* const kOps[] = {" >= ", " <= ", " > ", " < "};
  std::string text = marked.text;
  if (const auto margin = text.find(", margin"); margin != std::string::npos) text.resize(margin);
  if (const auto tick = text.find('`'); tick != std::string::npos) text.erase(0, tick + 1);
  if (const auto tick = text.find('`'); tick != std::string::npos) text.resize(tick);
  if (const auto also = text.find("; also "); also != std::string::npos) text.resize(also);  // names, not the comparison
  if (const auto dash = text.find(" — "); dash != std::string::npos) text.resize(dash);     // what a flip would do
  for (const char* op : kOps) {
    const auto at = text.find(op);
    if (at == std::string::npos) continue;
    const auto lhs = last_number(text.substr(0, at));
    const auto rhs = last_number(text.substr(at + std::string(op).size()));
    if (!lhs || !rhs) return {};
    const std::string o(op);
    // `[x] not: signal: a < b` marks the `not`: the comparison itself is false.
    bool expected = marked.truth;
    for (auto found = text.find("not: "); found != std::string::npos && found < at; found = text.find("not: ", found + 1)) {
      expected = !expected;
    }
    const bool holds = o == " >= " ? *lhs >= *rhs : o == " <= " ? *lhs <= *rhs : o == " > " ? *lhs > *rhs : *lhs < *rhs;
    return {true, holds == expected};
  }
  return {};
}

}  // namespace

TEST_CASE("golden explanations: no printed comparison contradicts its mark", "[golden][explain]") {
  std::size_t comparisons = 0;
  for (const std::string ending : {".text.stdout", ".markdown.stdout", ".verbose.stdout"}) {
    for (const auto& path : golden_files(ending)) {
      for (const auto& marked : marked_lines(lines_of(riskoff::testing::read_file(path)))) {
        const Checked checked = check(marked);
        if (!checked.comparison) continue;
        ++comparisons;
        INFO(path.filename().string() << ": " << marked.text);
        CHECK(checked.agrees);
      }
    }
  }
  CHECK(comparisons > 50);  // the parser above found the comparisons it is meant to check
}

TEST_CASE("golden explanations: the default text form is at most 40 lines", "[golden][explain]") {
  const auto files = golden_files(".text.stdout");
  REQUIRE(files.size() >= 9);
  for (const auto& path : files) {
    const auto lines = lines_of(riskoff::testing::read_file(path));
    INFO(path.filename().string() << " has " << lines.size() << " lines");
    CHECK(lines.size() <= kMostDefaultLines);
  }
}

TEST_CASE("golden explanations: the checker catches a contradicting line", "[golden][explain]") {
  const auto marked = marked_lines({"    [x] spx_btc_corr 0.40 > corr_high 0.40, margin +0.00",
                                    "    [x] us10y_5d +18.0bp > yield_jump 15.0bp, margin +3.0bp",
                                    "    [ ] semis_vs_spx -2.10% < semis_gap",
                                    "        -3.00%, margin -0.90%",
                                    "  [x] not: correlation_normal: spx_btc_corr 0.28 < corr_normal 0.20",
                                    "  [x] not: correlation_normal: spx_btc_corr 0.18 < corr_normal 0.20"});
  REQUIRE(marked.size() == 5);
  CHECK(check(marked[3]).agrees);
  CHECK_FALSE(check(marked[4]).agrees);
  CHECK(check(marked[0]).comparison);
  CHECK_FALSE(check(marked[0]).agrees);
  CHECK(check(marked[1]).agrees);
  CHECK(check(marked[2]).comparison);
  CHECK(check(marked[2]).agrees);
}
