// Backtest: its report as plain values (converted once, on first request) and its renderings,
// which are the backtest stage's (backtest/report.hpp).
#include "api/data_impl.hpp"
#include "backtest/report.hpp"

namespace riskoff {
namespace {

PathMetrics metrics_of(const backtest::PathMetrics& m) {
  return {m.total_return, m.annual_return, m.volatility,  m.max_drawdown,
          m.drawdown_peak, m.drawdown_trough, m.under_water, m.longest_under_water_days};
}

}  // namespace

BacktestReport to_report(const backtest::Replay& r) {
  BacktestReport out;
  out.ruleset = r.ruleset;
  out.version = r.version;
  out.content_hash = r.content_hash;
  out.profile = r.profile;
  out.from = r.from;
  out.to = r.to;
  out.every = r.every;
  out.reference = r.reference;
  for (std::size_t f = 0; f < r.figure_names.size(); ++f) out.figures.emplace_back(r.figure_names[f], r.figure_units[f]);
  out.overlay_options = {r.overlay_options.reduce_to, r.overlay_options.hedge_ratio, r.overlay_options.cost_bp};
  out.episode_threshold = r.episode_threshold;
  out.steps.reserve(r.steps.size());
  for (const auto& step : r.steps) {
    out.steps.push_back({step.time, step.action, step.depends_on_unknown, step.regime, step.groups_on, step.reference,
                         step.figures, step.decided_at});
  }
  for (const auto& change : r.changes) out.changes.push_back({change.time, change.from, change.to, change.because});
  for (std::size_t a = 0; a < r.steps_per_action.size(); ++a) {
    const auto& longest = r.longest[a];
    out.actions.push_back({r.steps_per_action[a].first, r.steps_per_action[a].second, longest.steps, longest.from, longest.to});
  }
  out.undecided = r.undecided;
  out.depends_on_unknown = r.depends_on_unknown;
  for (const auto& gap : r.gaps) {
    out.gaps.push_back({gap.name, gap.optional, gap.first, gap.steps_missing, gap.steps_stale, gap.longest_gap_days,
                        gap.gap_from, gap.gap_to});
  }
  out.reference_gaps = r.reference_gaps;
  out.overlay = {r.overlay.exposure, r.overlay.overlay_value, r.overlay.hold_value, metrics_of(r.overlay.overlay),
                 metrics_of(r.overlay.hold), r.overlay.turnover};
  out.baselines = r.baselines;
  for (const auto& e : r.episodes) {
    out.episodes.push_back({e.peak, e.trough, e.recovered, e.depth, e.overlay_depth, e.avoided, e.left_wait,
                            e.first_action, e.not_wait_at_peak});
  }
  return out;
}

namespace {

void convert(const Backtest::Impl& impl) {
  std::call_once(impl.converted, [&] {
    impl.report = to_report(impl.replay);
    if (!impl.against) return;
    BacktestComparison comparison;
    comparison.parameter_changes = impl.against->parameter_changes;
    for (const auto& diff : impl.against->diffs) {
      comparison.diffs.push_back({diff.time, diff.old_action, diff.new_action, diff.because});
    }
    comparison.older = to_report(*impl.older);
    impl.comparison = std::move(comparison);
  });
}

}  // namespace

const BacktestReport& Backtest::report() const {
  convert(*impl_);
  return impl_->report;
}

const std::optional<BacktestComparison>& Backtest::comparison() const {
  convert(*impl_);
  return impl_->comparison;
}

std::string Backtest::render(ReportFormat format) const {
  const auto* against = impl_->against ? &*impl_->against : nullptr;
  const auto* older = impl_->older ? &*impl_->older : nullptr;
  switch (format) {
    case ReportFormat::kCsv: return backtest::render_replay_csv(impl_->replay);
    case ReportFormat::kJson: return backtest::render_replay_json(impl_->replay, against, older);
    case ReportFormat::kSvg: return backtest::render_replay_svg(impl_->replay);
    case ReportFormat::kTextWithSteps: return backtest::render_replay_text(impl_->replay, against, older, backtest::StepRows::kList);
    case ReportFormat::kText: break;
  }
  return backtest::render_replay_text(impl_->replay, against, older);
}

}  // namespace riskoff
