// Ruleset identity over the import closure, rebuilding a stored closure, traces and the
// semantic ruleset diff.
#include <catch2/catch.hpp>

#include "tests/support/files.hpp"
#include "tests/support/check.hpp"
#include "audit/ruleset_diff.hpp"
#include "audit/ruleset_text.hpp"
#include "audit/trace.hpp"
#include "engine/sha256.hpp"

using namespace riskoff;
using Scratch = riskoff::testing::ScratchFolder;

namespace {

audit::RulesetText text_of(const std::string& path) {
  auto checked = engine::check_file(path);
  INFO(path);
  REQUIRE_FALSE(checked.diagnostics.has_errors());
  return audit::ruleset_text(*checked.ruleset);
}

constexpr const char* kMacro =
    "ruleset macro version \"1.0.0\"\n"
    "input us10y : series 1d percent \"yield\"\n"
    "param jump = 15bp \"shock\"\n"
    "signal rates_up \"Rates up\" = change(us10y, 5d) > jump\n";

constexpr const char* kRoot =
    "ruleset root version \"1.0.0\"\n"
    "import \"../shared/macro.rules\" as macro\n"
    "profile p \"P\" {\n  decide\n    hedge when macro.rates_up\n    wait otherwise\n}\n";

}  // namespace

TEST_CASE("the ruleset hash covers every imported file", "[audit][ruleset]") {
  Scratch scratch("audit-closure");
  scratch.write("shared/macro.rules", kMacro);
  const std::string root = scratch.write("rules/root.rules", kRoot);
  const auto first = text_of(root);
  REQUIRE(first.files.size() == 2);
  CHECK(first.files[0].path == "rules/root.rules");
  CHECK(first.files[1].path == "shared/macro.rules");
  CHECK(first.name == "root");
  CHECK(first.version == "1.0.0");
  // Layout does not matter (canonical text), an imported file's meaning does.
  scratch.write("shared/macro.rules", std::string("# a comment\n") + kMacro);
  CHECK(text_of(root).hash != first.hash);  // comments are kept by the formatter: text changed
  scratch.write("shared/macro.rules", kMacro);
  CHECK(text_of(root).hash == first.hash);
  scratch.write("shared/macro.rules", std::string(kMacro).replace(std::string(kMacro).find("15bp"), 4, "20bp"));
  CHECK(text_of(root).hash != first.hash);
  // A ruleset without imports keeps the hash explanations always showed: sha256 of its text.
  const auto single = text_of("rulesets/riskoff.rules");
  REQUIRE(single.files.size() == 1);
  CHECK(single.hash == engine::sha256_hex(single.files[0].text));
}

TEST_CASE("a stored closure compiles back to the same ruleset; unsafe paths are refused", "[audit][ruleset]") {
  Scratch scratch("audit-stored");
  scratch.write("shared/macro.rules", kMacro);
  const auto original = text_of(scratch.write("rules/root.rules", kRoot));
  std::string error;
  const auto plan = audit::compile_stored(original.files, error);
  INFO(error);
  REQUIRE(plan != nullptr);
  CHECK(audit::ruleset_text(plan->ruleset()).hash == original.hash);

  auto unsafe = original.files;
  unsafe[1].path = "../../etc/macro.rules";
  CHECK(audit::compile_stored(unsafe, error) == nullptr);
  CHECK(error.find("unsafe path") != std::string::npos);
  auto broken = original.files;
  broken[1].text = "signal = oops\n";
  CHECK(audit::compile_stored(broken, error) == nullptr);
  CHECK(error.find("no longer checks") != std::string::npos);
}

TEST_CASE("trace numbers are exact, one zero, unknown as null", "[audit][trace]") {
  CHECK(audit::trace_number(0.1) == "0.1");
  CHECK(audit::trace_number(-0.0) == "0");
  CHECK(audit::trace_number(1.0 / 3.0) == "0.3333333333333333");
  CHECK(audit::trace_number(std::nan("")) == "null");
  CHECK(audit::trace_number(15) == "15");
  CHECK(audit::trace_number(1e300 * 1e10) == "\"inf\"");
}

TEST_CASE("two traces are compared by name, and equal traces compare equal", "[audit][trace]") {
  const std::string a =
      R"({"format":"riskoff.trace/1","profile":"p","action":"hedge","clause":0,"unknown_before":[],)"
      R"("params":[["jump",15]],"symbols":[["x","let",0],["rates_up","signal",1]],"nodes":[12.5,"true"]})";
  std::string b = a;
  b.replace(b.find("\"true\""), 6, "\"false\"");
  b.replace(b.find("\"hedge\""), 7, "\"wait\"");
  CHECK(audit::compare_traces(a, a, 10).empty());
  const auto lines = audit::compare_traces(a, b, 10);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "action: hedge -> wait");
  CHECK(lines[1] == "signal rates_up: true -> false");
  CHECK(audit::parse_trace("{}").error == "not a riskoff.trace/1 document");
  // A stored trace is not trusted: a `format` of another type, or no object at all, is named
  // (nlohmann's value() threw type_error 302 on the first and 306 on an array).
  CHECK(audit::parse_trace(R"({"format": 1})").error == "not a riskoff.trace/1 document");
  CHECK(audit::parse_trace(R"([1])").error == "not a riskoff.trace/1 document");
  CHECK(audit::parse_trace("not json").error == "not a riskoff.trace/1 document");
  CHECK(audit::parse_trace(R"({"format":"riskoff.trace/1","profile":1})").error.rfind("malformed trace: ", 0) == 0);
  CHECK(audit::compare_traces(R"({"format": 1})", R"({"format": []})", 10).size() <= 10);
}

namespace {

audit::RulesetDiff diff_texts(const std::string& before, const std::string& after) {
  const auto a = riskoff::testing::check(before);
  const auto b = riskoff::testing::check(after);
  REQUIRE_FALSE(a.diagnostics.has_errors());
  REQUIRE_FALSE(b.diagnostics.has_errors());
  return audit::diff_rulesets(*a.ruleset, *b.ruleset);
}

constexpr const char* kBase =
    "ruleset t version \"1.0.0\"\n"
    "input us10y : series 1d percent \"yield\"\n"
    "input dxy : series 1d index \"dollar\"\n"
    "param jump = 15bp \"rates shock\"\n"
    "signal rates_up \"Rates up\" = change(us10y, 5d) > jump\n"
    "signal dollar_up \"Dollar up\" = pct_change(dxy, 5d) > 1%\n"
    "profile p \"P\" {\n  decide\n    hedge when rates_up and dollar_up\n    reduce when rates_up\n    wait otherwise\n}\n";

std::string edited(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("the semantic diff names each change and the bump it implies", "[audit][diff]") {
  SECTION("identical") { CHECK(diff_texts(kBase, kBase).changes.empty()); }
  SECTION("a threshold: minor, old and new value with units") {
    const auto diff = diff_texts(kBase, edited(kBase, "15bp", "20bp"));
    REQUIRE(diff.changes.size() == 1);
    CHECK(diff.changes[0].text == "jump: 15bp -> 20bp");
    CHECK(diff.implied == audit::Bump::kMinor);
    CHECK(diff.declared_too_small());  // 1.0.0 -> 1.0.0
  }
  SECTION("wording only: patch") {
    const auto diff = diff_texts(kBase, edited(edited(kBase, "\"Rates up\"", "\"Yields up\""), "1.0.0", "1.0.1"));
    CHECK(diff.implied == audit::Bump::kPatch);
    CHECK(diff.declared == audit::Bump::kPatch);
    CHECK_FALSE(diff.declared_too_small());
  }
  SECTION("a removed input is breaking") {
    const std::string without = edited(edited(kBase, "input dxy : series 1d index \"dollar\"\n", ""),
                                       "signal dollar_up \"Dollar up\" = pct_change(dxy, 5d) > 1%\n",
                                       "signal dollar_up \"Dollar up\" = change(us10y, 20d) > jump\n");
    const auto diff = diff_texts(kBase, without);
    CHECK(diff.implied == audit::Bump::kMajor);
    bool removed = false;
    for (const auto& change : diff.changes) removed = removed || (change.sign == '-' && change.section == "inputs");
    CHECK(removed);
  }
  SECTION("a new required input is breaking, a new optional one is not") {
    const auto required = diff_texts(kBase, edited(kBase, "param jump", "input vix : series 1d index \"vix\"\nparam jump"));
    CHECK(required.implied == audit::Bump::kMajor);
    const auto optional = diff_texts(kBase, edited(kBase, "param jump", "input vix : series 1d index optional \"vix\"\nparam jump"));
    CHECK(optional.implied == audit::Bump::kMinor);
  }
  SECTION("an edited clause reads as one change, an inserted clause as an addition") {
    const auto changed = diff_texts(kBase, edited(kBase, "reduce when rates_up\n", "reduce when dollar_up\n"));
    REQUIRE(changed.changes.size() == 1);
    CHECK(changed.changes[0].text == "p: clause 2 `reduce when rates_up` -> `reduce when dollar_up`");
    const auto added = diff_texts(kBase, edited(kBase, "    wait otherwise", "    reduce when dollar_up\n    wait otherwise"));
    REQUIRE(added.changes.size() == 1);
    CHECK(added.changes[0].sign == '+');
    CHECK(added.changes[0].text == "p: clause 3 `reduce when dollar_up`");
  }
}
