// The order pass: the dependency graph the types pass collected, cycles reported with their
// path, and the evaluation order (dependencies first) the compiler follows.
#include <algorithm>

#include "engine/check/passes.hpp"

namespace riskoff::engine::detail {
namespace {

class OrderPass {
 public:
  explicit OrderPass(CheckContext& ctx) : ctx_(ctx) {}
  void order();

 private:
  void report_cycle(const std::vector<std::uint32_t>& stack, std::uint32_t target, std::vector<bool>& reported);

  CheckContext& ctx_;
};

void OrderPass::order() {
  const std::size_t count = ctx_.rs.symbols.size();
  std::vector<std::uint8_t> state(count, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<std::uint32_t> stack;
  std::vector<bool> reported(count, false);
  ctx_.rs.symbol_heads.assign(count, {});
  // Iterative DFS so that a long chain of lets cannot exhaust the stack.
  for (std::uint32_t start = 0; start < count; ++start) {
    if (state[start] != 0) continue;
    std::vector<std::pair<std::uint32_t, std::size_t>> frames{{start, 0}};
    state[start] = 1;
    stack.push_back(start);
    while (!frames.empty()) {
      auto& [node, next] = frames.back();
      auto& deps = ctx_.rs.symbols[node].deps;
      if (next < deps.size()) {
        const std::uint32_t dep = deps[next++];
        if (state[dep] == 0) {
          state[dep] = 1;
          stack.push_back(dep);
          frames.push_back({dep, 0});
        } else if (state[dep] == 1) {
          report_cycle(stack, dep, reported);
        }
        continue;
      }
      state[node] = 2;
      stack.pop_back();
      // Each symbol is done once; its first line is in the cache now (deps are in the second),
      // so its head costs compile's one pass over the symbols nothing more than a store here.
      const Symbol& symbol = ctx_.rs.symbols[node];
      const SymbolKind kind = symbol.kind;
      ctx_.rs.symbol_heads[node] = {kind, symbol.group_kind, symbol.type.kind, symbol.body};
      if (kind == SymbolKind::kLet || kind == SymbolKind::kSignal || kind == SymbolKind::kGroup) {
        ctx_.rs.evaluation_order.push_back(node);
      }
      frames.pop_back();
    }
  }
}

void OrderPass::report_cycle(const std::vector<std::uint32_t>& stack, std::uint32_t target, std::vector<bool>& reported) {
  const auto from = std::find(stack.begin(), stack.end(), target);
  if (std::any_of(from, stack.end(), [&](std::uint32_t index) { return reported[index]; })) return;
  std::string path;
  for (auto it = from; it != stack.end(); ++it) {
    path += backticked(ctx_.rs.symbols[*it].name) + " -> ";
    reported[*it] = true;
  }
  path += backticked(ctx_.rs.symbols[target].name);
  const Symbol& symbol = ctx_.rs.symbols[target];
  ctx_.sink.error(DiagCode::kDependencyCycle, symbol.source, symbol.span, "dependency cycle: " + path)
      .help = "every value must be computable from inputs and parameters; break the cycle";
}

}  // namespace

void run_order(CheckContext& ctx) { OrderPass(ctx).order(); }

}  // namespace riskoff::engine::detail
