// The compiled plan against the checker's facts: compile (engine/compile.cpp) decides whether a
// node is a condition from its op, without reading the checker's type table; these tests hold
// the two equal, node by node, on every ruleset of the repository that checks, and on one that
// uses every kind of expression. Compile reads no Symbol either, only the symbol heads and the
// input and parameter slots the checker fills beside them: these must agree with the symbols.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "engine/plan.hpp"
#include "tests/support/check.hpp"

using namespace riskoff;
using namespace riskoff::engine;

namespace {

// Every node compiled from an expression: is_condition equals "the checker typed it a condition".
// Returns how many nodes were compared.
std::size_t compare_conditions(const Plan& plan, const std::string& where) {
  std::size_t compared = 0;
  for (std::size_t index = 0; index < plan.nodes().size(); ++index) {
    const PlanNode& node = plan.nodes()[index];
    if (node.expr == nullptr) continue;  // synthetic (a score's default weight)
    const Type* type = plan.ruleset().types.find(node.expr);
    const bool typed_condition = type != nullptr && type->kind == TypeKind::kBool;
    INFO(where << ": node " << index << " (op " << static_cast<int>(node.op) << ")");
    CHECK(node.is_condition == typed_condition);
    ++compared;
  }
  return compared;
}

// The symbol heads and the slots (check.hpp) say what the symbols say. Returns how many symbols
// were compared.
std::size_t compare_heads_and_slots(const CheckedRuleset& rs, const std::string& where) {
  REQUIRE(rs.symbol_heads.size() == rs.symbols.size());
  std::size_t inputs = 0;
  std::size_t params = 0;
  for (std::uint32_t index = 0; index < rs.symbols.size(); ++index) {
    const Symbol& symbol = rs.symbols[index];
    const SymbolHead& head = rs.symbol_heads[index];
    INFO(where << ": symbol " << symbol.name);
    CHECK(head.kind == symbol.kind);
    CHECK(head.group_kind == symbol.group_kind);
    CHECK(head.type_kind == symbol.type.kind);
    CHECK(head.body == symbol.body);
    if (symbol.kind == SymbolKind::kInput) {
      REQUIRE(inputs < rs.input_slots.size());
      const InputSlot& slot = rs.input_slots[inputs++];
      CHECK(slot.symbol == index);
      CHECK(slot.name == symbol.name);
      CHECK(slot.decl == symbol.decl);
      CHECK(slot.unit == symbol.type.unit);
    } else if (symbol.kind == SymbolKind::kParam) {
      REQUIRE(params < rs.param_slots.size());
      const ParamSlot& slot = rs.param_slots[params++];
      CHECK(slot.name == symbol.name);
      CHECK(slot.decl == symbol.decl);
      CHECK(slot.type.kind == symbol.type.kind);
      CHECK(slot.type.unit == symbol.type.unit);
    }
  }
  CHECK(inputs == rs.input_slots.size());
  CHECK(params == rs.param_slots.size());
  return rs.symbols.size();
}

}  // namespace

TEST_CASE("a node is a condition exactly when the checker typed its expression a condition", "[engine][compile]") {
  auto result = testing::check(std::string(testing::kPrelude) +
                               "param strict = true \"strict\"\n"
                               "param level = 2 \"level\"\n"
                               "let spread = abs(change(us10y, 5d)) + max(1bp, min(2bp, 3bp))\n"
                               "let pick = if strict then spread else clamp(spread, 0bp, 20bp)\n"
                               "let either = if dxy > 100 then strict else not strict\n"
                               "signal a \"a\" = pick > jump and either\n"
                               "signal b \"b\" = not (dxy < 90) or to_pct(spread) > 0.1%\n"
                               "signal c \"c\" = strict == (last(dxy) >= 95) or -level < 0\n"
                               "driver d \"d\" = any(a, b) or all(a, c)\n"
                               "check 1 k \"k\" = at_least(1, a, b, c)\n"
                               "regime r \"r\" = score(a: 2, b, drivers) >= count(checks, a) * 1\n"
                               "profile main \"main\" {\n  decide\n    hedge when count(drivers) >= 1 and strict\n"
                               "    wait otherwise\n}\n");
  for (const auto& diagnostic : result.diagnostics.all()) UNSCOPED_INFO(diagnostic.message);
  REQUIRE_FALSE(result.diagnostics.has_errors());
  CHECK(compare_heads_and_slots(*result.ruleset, "inline") > 10);
  const auto plan = Plan::compile(std::shared_ptr<const CheckedRuleset>(std::move(result.ruleset)));
  CHECK(compare_conditions(*plan, "inline") > 40);
}

TEST_CASE("every ruleset of the repository that checks compiles its conditions as the checker typed them", "[engine][compile]") {
  const std::filesystem::path root(RISKOFF_SOURCE_DIR);
  std::size_t rulesets = 0;
  std::size_t nodes = 0;
  std::size_t symbols = 0;
  for (const char* folder : {"rulesets", "examples", "tests/golden"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / folder)) {
      if (entry.path().extension() != ".rules") continue;
      auto result = check_file(entry.path());
      if (!result.ruleset) continue;  // a golden of a diagnostic, a test file
      symbols += compare_heads_and_slots(*result.ruleset, entry.path().string());
      const auto plan = Plan::compile(std::shared_ptr<const CheckedRuleset>(std::move(result.ruleset)));
      nodes += compare_conditions(*plan, entry.path().string());
      ++rulesets;
    }
  }
  INFO(rulesets << " rulesets, " << nodes << " nodes, " << symbols << " symbols");
  CHECK(rulesets > 20);
  CHECK(nodes > 500);
  CHECK(symbols > 200);
}
