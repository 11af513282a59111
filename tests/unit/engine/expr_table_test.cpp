// Expression ids (dsl::Expr::id) and the checker's tables indexed by them (engine/expr_table.hpp):
// ids unique across a ruleset's files, every name's reference found, and an expression of another
// parse that shares an id never mistaken for the one recorded.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <type_traits>

#include "engine/check.hpp"
#include "engine/expr_table.hpp"
#include "engine/source_loader.hpp"
#include "tests/support/parse.hpp"

using namespace riskoff;

namespace {

// Every expression under `expr`, the expression first.
void walk(const dsl::Expr& expr, std::vector<const dsl::Expr*>& out) {
  out.push_back(&expr);
  std::visit(
      [&](const auto& kind) {
        using K = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<K, dsl::Unary>) {
          walk(*kind.operand, out);
        } else if constexpr (std::is_same_v<K, dsl::Binary>) {
          walk(*kind.lhs, out);
          walk(*kind.rhs, out);
        } else if constexpr (std::is_same_v<K, dsl::IfExpr>) {
          walk(*kind.condition, out);
          walk(*kind.then_value, out);
          walk(*kind.else_value, out);
        } else if constexpr (std::is_same_v<K, dsl::Call>) {
          for (const auto& arg : kind.args) walk(*arg.value, out);
        }
      },
      expr.kind);
}

const dsl::Expr* first_signal_condition(const dsl::Module& module) {
  for (const auto& decl : module.decls) {
    if (const auto* signal = std::get_if<dsl::SignalDecl>(&decl)) return signal->condition.get();
  }
  return nullptr;
}

}  // namespace

TEST_CASE("expression ids are unique across a ruleset's files and every name's reference is found by id") {
  const engine::MemorySourceLoader loader(std::map<std::string, std::string>{
      {"part.rules", "ruleset part version \"1.0.0\"\ninput vix : series 1d index\nparam high = 20\n"
                      "signal stressed \"Stressed\" = vix > high and change(vix, 5d) > 2\n"}});
  const auto result = engine::check_text("root.rules",
                                         "ruleset root version \"1.0.0\"\nimport \"part.rules\" as p\n"
                                         "signal calm \"Calm\" = not p.stressed\n"
                                         "profile main \"Main\" {\n  decide\n    hedge when p.stressed\n    wait otherwise\n}\n",
                                         loader);
  REQUIRE(result.ruleset != nullptr);
  const auto& rs = *result.ruleset;
  REQUIRE(rs.modules.size() == 2);
  std::vector<const dsl::Expr*> exprs;
  for (const auto& module : rs.modules) {
    for (const auto& decl : module->decls) {
      if (const auto* signal = std::get_if<dsl::SignalDecl>(&decl)) walk(*signal->condition, exprs);
    }
  }
  std::set<std::uint32_t> ids;
  std::size_t names = 0;
  for (const dsl::Expr* expr : exprs) {
    INFO("expression `" << dsl::to_source(*expr) << "` has id " << expr->id << ", expr_ids_end " << rs.expr_ids_end);
    CHECK(expr->id < rs.expr_ids_end);
    CHECK(ids.insert(expr->id).second);
    CHECK(rs.types.find(expr) != nullptr);
    if (std::holds_alternative<dsl::NameRef>(expr->kind)) {
      ++names;
      CHECK(rs.references.find(expr) != nullptr);
    }
  }
  CHECK(names == 4);  // vix, high, vix (in change), p.stressed; `5d` and `2` are literals
  // The root is parsed first, its import after it, numbered on from where the root stopped.
  CHECK(rs.modules[0]->expr_ids_end < rs.modules[1]->expr_ids_end);
  CHECK(rs.modules[1]->expr_ids_end == rs.expr_ids_end);
}

TEST_CASE("an ExprTable never mistakes an expression of another parse with the same id") {
  const auto one = testing::parse_text("ruleset a version \"1.0.0\"\nsignal s \"S\" = 1 > 0\n");
  const auto two = testing::parse_text("ruleset b version \"1.0.0\"\nsignal t \"T\" = 2 > 0\n");
  const dsl::Expr* first_found = first_signal_condition(*one->module);
  const dsl::Expr* second_found = first_signal_condition(*two->module);
  REQUIRE(first_found != nullptr);
  REQUIRE(second_found != nullptr);
  const dsl::Expr& first = *first_found;
  const dsl::Expr& second = *second_found;
  REQUIRE(first.id == second.id);  // each parse numbers from 0

  engine::ExprTable<int> table;
  table[&first] = 7;  // before reserve: kept aside, moved into its slot by reserve
  table.reserve(one->module->expr_ids_end);
  CHECK(table.find(&second) == nullptr);
  table[&second] = 9;  // the slot is taken: kept aside
  REQUIRE(table.find(&first) != nullptr);
  REQUIRE(table.find(&second) != nullptr);
  CHECK(*table.find(&first) == 7);
  CHECK(*table.find(&second) == 9);
  CHECK(table.size() == 2);
  CHECK(table.own(first) == 7);  // the expression in its slot: read without the check
  CHECK_THROWS_AS(table.at(std::get<dsl::Binary>(first.kind).lhs.get()), std::out_of_range);
}
