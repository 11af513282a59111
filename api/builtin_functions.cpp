// builtin_functions(): the built-ins the checker knows (engine/builtins.cpp), each with a one-line
// doc for editors. docs/language.md ("Built-in functions") is the full reference.
#include <map>

#include "engine/builtins.hpp"
#include "riskoff/authoring.hpp"

namespace riskoff {

namespace {

// Keyed by name; a built-in missing here still gets its signature.
const std::map<std::string_view, std::string_view>& docs() {
  static const std::map<std::string_view, std::string_view> kDocs = {
      {"last", "the last observation at or before as_of (same as writing the series); unit of the series"},
      {"ago", "the value N bars ago, or at t_last - window; unit of the series"},
      {"change", "x_t - x_ref: in bp for a percent series, else in the series' unit"},
      {"pct_change", "(x_t / x_ref - 1) x 100, in %"},
      {"log_return", "100 x ln(x_t / x_ref), in %"},
      {"sma", "arithmetic mean over the window; unit of the series"},
      {"ema", "exponential average over the window's n observations, alpha = 2 / (n + 1); unit of the series"},
      {"stdev", "sample standard deviation (ddof = 1) over the window; unit of the series"},
      {"realized_vol", "annualised close-to-close volatility of the log returns, in %"},
      {"zscore", "(x_t - mean) / stdev over the window, the current point included; a plain number"},
      {"percentile_rank", "share of the window's observations at or below x_t, in %"},
      {"highest", "the maximum over the window; unit of the series"},
      {"lowest", "the minimum over the window; unit of the series"},
      {"drawdown", "(x_t / max - 1) x 100 over the window, at most 0, in %"},
      {"slope", "least-squares slope per bar over the window; unit of the series per bar"},
      {"corr", "Pearson correlation of both series' log returns on the times both have; a plain number"},
      {"abs", "absolute value; unit of x"},
      {"min", "the smallest of two or more values of one unit"},
      {"max", "the largest of two or more values of one unit"},
      {"clamp", "x limited to [low, high]; one unit for all three"},
      {"to_bp", "x x 100: a quantity in % as bp"},
      {"to_pct", "x / 100: a quantity in bp as %"},
      {"any", "true when any member is true (conditions or a set: drivers, checks, regimes, groups)"},
      {"all", "true when every member is true"},
      {"count", "how many members are true; a plain number"},
      {"at_least", "true when at least n members are true"},
      {"score", "the sum of the weights of the true members (weight 1 when omitted); a plain number"},
  };
  return kDocs;
}

}  // namespace

std::vector<BuiltinFunction> builtin_functions() {
  std::vector<BuiltinFunction> out;
  for (const auto& builtin : engine::builtins()) {
    const auto doc = docs().find(builtin.name);
    out.push_back({std::string(builtin.name), std::string(builtin.signature),
                   doc == docs().end() ? std::string() : std::string(doc->second)});
  }
  return out;
}

}  // namespace riskoff
