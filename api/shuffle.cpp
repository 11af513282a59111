// shuffle_test(): a finished replay against chance with the same exposure budget; the draws and
// ranks are the backtest stage's (backtest/shuffle.hpp).
#include <cmath>

#include "api/data_impl.hpp"
#include "api/impl.hpp"
#include "backtest/shuffle.hpp"

namespace riskoff {

Result<ShuffleReport> shuffle_test(const Backtest& replay, const ShuffleOptions& options) {
  if (options.shuffles == 0 || options.shuffles > kMaxShuffles) {
    return Error(ErrorKind::kUsage, "--shuffle takes 1 to " + std::to_string(kMaxShuffles) + " draws");
  }
  if (!(options.level > 0 && options.level < 1)) return Error(ErrorKind::kUsage, "the level must be between 0 and 1");
  if (options.only) {
    std::vector<bool> taken(options.shuffles);
    for (const std::size_t draw : *options.only) {
      if (draw >= options.shuffles) {
        return Error(ErrorKind::kUsage, "shuffle: draw " + std::to_string(draw) + " is not among the " +
                                            std::to_string(options.shuffles) + " draws (only takes indices from 0)");
      }
      if (taken[draw]) return Error(ErrorKind::kUsage, "shuffle: draw " + std::to_string(draw) + " is listed twice in only");
      taken[draw] = true;
    }
  }
  return backtest::shuffle_test(ApiAccess::of(replay).replay, options);
}

void rank_shuffle(ShuffleReport& report) { backtest::rank_draws(report); }

std::string render_shuffle(const ShuffleReport& report, ReportFormat format) {
  switch (format) {
    case ReportFormat::kCsv: return backtest::render_shuffle_csv(report);
    case ReportFormat::kJson: return backtest::render_shuffle_json(report);
    case ReportFormat::kSvg: return "";
    case ReportFormat::kText:
    case ReportFormat::kTextWithSteps: break;
  }
  return backtest::render_shuffle_text(report);
}

}  // namespace riskoff
