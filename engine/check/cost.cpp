// The cost pass: the static bound on observations one evaluation reads (summed by the types
// pass over every window call) must stay under the limit; the costliest window is named.
#include <sstream>

#include "engine/check/passes.hpp"

namespace riskoff::engine::detail {

void run_cost(CheckContext& ctx) {
  if (ctx.rs.cost_bars <= kMaxCostBars) return;
  const Module& root = ctx.rs.root();
  const Span at = root.header ? root.header->name_span : Span{};
  std::ostringstream bars;
  bars << static_cast<long long>(ctx.rs.cost_bars);
  auto& diagnostic = ctx.sink.error(DiagCode::kCostTooHigh, root.source, at,
                                 "one evaluation would read " + bars.str() + " observations; the limit is " +
                                     std::to_string(static_cast<long long>(kMaxCostBars)));
  diagnostic.help = "shorten the longest windows or use a lower-frequency input";
  if (ctx.costliest_bars > 0) {
    DiagnosticNote note = ctx.costliest;
    note.message = "the costliest window reads " + std::to_string(static_cast<long long>(ctx.costliest_bars)) + " observations";
    diagnostic.note = note;
  }
}

}  // namespace riskoff::engine::detail
