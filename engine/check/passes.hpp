// Internal to engine/: the checker's passes as an ordered table (STYLE G10). Each entry runs one
// small pass class over the shared CheckContext; check.cpp runs them in this order and can stop
// after any of them to show what it established (`riskoff check --dump-after=PASS`).
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "engine/check/context.hpp"

namespace riskoff::engine::detail {

void run_load(CheckContext& ctx);     // load.cpp
void run_declare(CheckContext& ctx);  // declare.cpp
void run_types(CheckContext& ctx);    // types.cpp (with type_checker.*, calls.cpp)
void run_order(CheckContext& ctx);    // order.cpp
void run_decide(CheckContext& ctx);   // decide.cpp, decide_tests.cpp
void run_cost(CheckContext& ctx);     // cost.cpp
void run_unused(CheckContext& ctx);   // unused.cpp

// Inside the decide pass (decide.cpp): the tests and fixtures of the root and its sibling test
// files (decide_tests.cpp); and the one check of a parameter override, shared by profile `param`
// lines and test `set` steps: the parameter exists, the value is a literal of its unit.
void check_rule_tests(CheckContext& ctx);
void check_override(CheckContext& ctx, const ParamDecl& override, const Scope& scope, const std::string& where);

struct CheckPass {
  std::string_view name;
  void (*run)(CheckContext&);
  std::string_view establishes;  // for --dump-after=list and the docs
};

// Units and windows are not a pass of their own: a unit is part of every type, and a window
// call's type depends on its window being valid (an invalid one types as an error, which keeps
// follow-on diagnostics quiet), so both are checked while typing.
inline constexpr std::array<CheckPass, 7> kCheckPasses{{
    // Parses the root and, recursively, its imports (cycles reported). Everything reads modules.
    {"load", &run_load, "modules: the root first, each import once per alias, with its prefix"},
    // One symbol per input, param, let, signal and group; duplicates reported. Needs modules.
    {"declare", &run_declare, "symbols: kind, qualified name, declared type of inputs and params"},
    // Types and units of every expression, windows, templates; names resolved, deps and window
    // cost collected. Needs every symbol declared, so use may precede declaration.
    {"types", &run_types, "types: every symbol's type and unit, the symbols it reads"},
    // Dependency graph: cycles with their path, evaluation order. Needs the deps types found.
    {"order", &run_order, "evaluation order: lets, signals and groups, dependencies first"},
    // Profiles (overrides, clause reachability) and tests. Needs types for conditions and params.
    {"decide", &run_decide, "profiles of the root file"},
    // The static bound on observations read by one evaluation. Needs types' window sizes.
    {"cost", &run_cost, "cost: observations one evaluation reads"},
    // Warnings for inputs, params and lets nothing reads. Last: every earlier pass marks uses.
    {"unused", &run_unused, "used: which inputs, params and lets something reads"},
}};

}  // namespace riskoff::engine::detail
