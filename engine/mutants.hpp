// Mutants of a compiled plan, for `riskoff test --mutate`: small, deliberate changes to the rules
// (a threshold one step off, a comparison flipped, `and` for `or`, a decide clause dropped) that a
// ruleset's tests should notice. Each mutant is a copy of the Plan with one node, parameter value
// or clause changed; the AST, the checked ruleset and every other node are shared, unchanged. So a
// mutant decides through the same evaluator as the rules themselves (no second interpreter).
//
// The step rule: a number moves by one unit of the last digit it is written with, in its own unit
// (`15bp` -> `14bp` and `16bp`, `1.5%` -> `1.4%` and `1.6%`, `5d` -> `4d` and `6d`, `2` -> `1` and
// `3`), so a window moves by one day, hour or bar and a count threshold by one. A window stepped
// out of the windows' range (to `0d`) is not a mutant.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/plan.hpp"

namespace riskoff::engine {

enum class MutantKind : std::uint8_t {
  kThreshold,       // a number in a condition or a parameter's value, one step up or down
  kWindow,          // a window (a literal or a duration/bars parameter), one unit up or down
  kCountThreshold,  // k in `count(...) >= k` (or any comparison with a count), k-1 and k+1
  kComparison,      // `<` <-> `>=`, `>` <-> `<=`, `==` <-> `!=`
  kLogic,           // `and` <-> `or`
  kDropClause,      // one `decide` clause (not `otherwise`) removed
};
std::string_view mutant_kind_name(MutantKind kind);  // "threshold", "window", ...

// Where a mutant changes the plan. Exactly one target per mutant.
enum class MutantTarget : std::uint8_t { kNode, kParamDefault, kProfileParam, kClause };

struct Mutant {
  MutantKind kind = MutantKind::kThreshold;
  MutantTarget target = MutantTarget::kNode;
  std::uint32_t index = 0;    // node, parameter slot, or profile (kProfileParam, kClause)
  std::uint32_t member = 0;   // kProfileParam: the override's position; kClause: the clause's
  double value = 0;           // the new constant or parameter value, in plan units
  NodeOp op = NodeOp::kConst; // kComparison, kLogic: the new operator
  SourceId source{};          // where the change is written
  Span span;
  std::string from, to;       // as source text: "15bp" -> "16bp", ">" -> "<="
  std::string context;        // the code it sits in: "us10y_move > yield_jump", "param yield_jump"
  // The comparison whose boundary the mutant moves (kThreshold, kWindow, kCountThreshold of a
  // literal in a comparison, kComparison), or -1: where a suggested test aims.
  std::int64_t comparison = -1;
  std::string owner;          // the signal, group, let or profile the change belongs to
};

// Every mutant of the plan, in source order (file, offset), ties in a fixed order of kinds and
// directions: the same plan always gives the same list.
std::vector<Mutant> list_mutants(const Plan& plan);

// A copy of the plan with the mutant applied. The copy shares the checked ruleset.
std::shared_ptr<const Plan> apply_mutant(const Plan& plan, const Mutant& mutant);

// The symbol (let, signal, group) or `profile NAME` each node belongs to, per node: what a
// mutant's or a coverage item's report names.
std::vector<std::string> node_owners(const Plan& plan);
// Per node: whether it reads an optional input (directly, through a reference or a group set),
// so that unknown is one of its designed outcomes, not only what stale data gives.
std::vector<bool> reads_optional_input(const Plan& plan);
// The file each node is written in, per node (a symbol's module; profiles are the root's).
std::vector<SourceId> node_sources(const Plan& plan);

}  // namespace riskoff::engine
