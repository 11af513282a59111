// index_rules() (riskoff/authoring.hpp): what riskoff-lsp reads about names, through the public
// API only.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "riskoff/authoring.hpp"

namespace {

const std::string kFiles = std::string(RISKOFF_SOURCE_DIR) + "/tests/lsp/files/";

const riskoff::IndexedSymbol& named(const riskoff::RulesetIndex& index, const std::string& name) {
  const auto it = std::find_if(index.symbols.begin(), index.symbols.end(), [&](const auto& s) { return s.name == name; });
  REQUIRE(it != index.symbols.end());
  return *it;
}

std::string text_at(const riskoff::RulesetIndex& index, const riskoff::TextRange& range) {
  const std::string* text = index.text_of(range.file);
  REQUIRE(text != nullptr);
  return text->substr(range.begin, range.end - range.begin);
}

}  // namespace

TEST_CASE("an index keeps names, types and references when the file has an error", "[index]") {
  const std::string text =
      "ruleset t version \"0.1.0\"\n"
      "input vix : series 1d index max_age 4d \"VIX\"\n"
      "param vix_high = 25 \"VIX above 25\"\n"
      "signal vol_high \"Volatility high\" = vix > vix_hgh\n"
      "signal calm \"Calm\" = vix < vix_high\n"
      "profile swing \"Swing\" {\n  decide\n    reduce when vol_high\n    wait otherwise\n}\n";
  const auto index = riskoff::index_rules(text, kFiles + "in_memory.rules");
  const auto& param = named(index, "vix_high");
  CHECK(param.kind == riskoff::IndexedKind::kParam);
  CHECK(param.value == "25");
  CHECK(param.doc == "VIX above 25");
  REQUIRE(param.references.size() == 1);
  CHECK(text_at(index, param.references[0]) == "vix_high");
  CHECK(named(index, "vix").references.size() == 2);
  CHECK(named(index, "vix").value == "series 1d index");
  CHECK(named(index, "vol_high").type == "a condition");
  CHECK(named(index, "swing").kind == riskoff::IndexedKind::kProfile);
  REQUIRE(index.diagnostics.size() == 1);
  CHECK(index.diagnostics[0].problem.code == "E0201");
  CHECK(index.diagnostics[0].replacement == "vix_high");
  CHECK(text_at(index, index.diagnostics[0].range) == "vix_hgh");
}

TEST_CASE("an index follows imports, and an open buffer stands in for the file on disk", "[index]") {
  const std::string path = kFiles + "book.rules";
  const std::string text = *riskoff::read_rule_file(path);
  const auto on_disk = riskoff::index_rules(text, path);
  const auto& rates_up = named(on_disk, "macro.rates_up");
  CHECK(rates_up.declaration.file == kFiles + "macro.rules");
  REQUIRE(rates_up.references.size() == 1);
  CHECK(rates_up.references[0].file == path);
  CHECK(text_at(on_disk, rates_up.references[0]) == "rates_up");  // the segment a rename changes
  CHECK(named(on_disk, "macro.yield_jump").unit == "bp");

  const std::string edited = "ruleset macro version \"0.1.0\"\ninput us10y : series 1d percent max_age 4d \"10y\"\n"
                             "signal rates_higher \"Rates\" = change(us10y, 5d) > 15bp\n";
  const auto with_buffer = riskoff::index_rules(text, path, {.open_files = {{kFiles + "macro.rules", edited}}});
  CHECK(std::none_of(with_buffer.symbols.begin(), with_buffer.symbols.end(),
                     [](const auto& s) { return s.name == "macro.rates_up"; }));
  CHECK(std::any_of(with_buffer.diagnostics.begin(), with_buffer.diagnostics.end(),
                    [](const auto& d) { return d.problem.code == "E0201"; }));
}

TEST_CASE("a test's steps refer to the inputs, conditions and profiles they name", "[index]") {
  const std::string path = kFiles + "book.rules";
  const auto index = riskoff::index_rules(*riskoff::read_rule_file(path), path);
  CHECK(named(index, "swing").references.size() == 1);     // expect swing -> wait
  CHECK(named(index, "vix_high").references.size() == 2);  // vol_high's condition, the profile's override
  CHECK(named(index, "vol_high").references.size() == 3);  // driver vol, a clause, an expectation
  CHECK(named(index, "calm markets wait").kind == riskoff::IndexedKind::kTest);
  CHECK(std::find(index.actions.begin(), index.actions.end(), "hedge") != index.actions.end());
}

TEST_CASE("built-in functions come with their signature and doc", "[index]") {
  const auto builtins = riskoff::builtin_functions();
  const auto change = std::find_if(builtins.begin(), builtins.end(), [](const auto& b) { return b.name == "change"; });
  REQUIRE(change != builtins.end());
  CHECK(change->signature == "change(series, window)");
  CHECK(std::all_of(builtins.begin(), builtins.end(), [](const auto& b) { return !b.doc.empty(); }));
}

TEST_CASE("a unit mistake comes with the fix the checker's help describes", "[index]") {
  const std::string text =
      "ruleset t version \"0.1.0\"\n"
      "input us10y : series 1d percent max_age 4d \"10y\"\n"
      "signal up \"Up\" = change(us10y, 5d) > 0.15%\n"
      "signal down \"Down\" = change(us10y, 5d) < 15\n"
      "profile swing \"Swing\" {\n  decide\n    reduce when up or down\n    wait otherwise\n}\n";
  const auto index = riskoff::index_rules(text, kFiles + "in_memory.rules");
  REQUIRE(index.diagnostics.size() == 2);
  CHECK(index.diagnostics[0].problem.code == "E0305");
  CHECK(text_at(index, index.diagnostics[0].range) == "change(us10y, 5d) > 0.15%");
  CHECK(index.diagnostics[0].replacement == "change(us10y, 5d) > to_bp(0.15%)");
  CHECK(index.diagnostics[1].problem.code == "E0306");
  CHECK(text_at(index, index.diagnostics[1].range) == "15");
  CHECK(index.diagnostics[1].replacement == "15bp");
}
