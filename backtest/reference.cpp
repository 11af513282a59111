// The reference's returns per step, and the checks that make them mean something.
#include <cmath>
#include <limits>
#include <sstream>

#include "backtest/reference.hpp"
#include "explain/explanation.hpp"

namespace riskoff::backtest {
namespace {

using engine::kNaN;

double total_weight(const std::vector<ReferenceLeg>& legs) {
  double weights = 0;
  for (const auto& leg : legs) weights += leg.weight;
  return weights;
}

// Price of a leg at each step: the last observation known at the step, NaN before its first;
// with `opens`, the open of the same bar (NaN where it has none).
std::vector<double> leg_prices(const engine::InputData& series, const std::vector<engine::Timestamp>& steps,
                               const std::vector<double>& values) {
  std::vector<double> out(steps.size(), kNaN);
  std::size_t count = 0;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    while (count < series.times.size() && series.known(count) <= steps[k]) ++count;
    if (count > 0) out[k] = values[count - 1];
  }
  return out;
}

}  // namespace

std::string reference_name(const std::vector<ReferenceLeg>& legs) {
  const double weights = total_weight(legs);
  std::string out;
  for (const auto& leg : legs) {
    if (!out.empty()) out += " + ";
    out += leg.input;
    if (legs.size() > 1) out += " " + explain::format_figure(100 * leg.weight / weights, engine::Unit::kNumber) + "%";
  }
  return out;
}

std::optional<Error> bind_reference(std::vector<ReferenceLeg>& legs, const engine::Snapshot& history, bool opens) {
  for (auto& leg : legs) {
    if (leg.input == "cash") continue;
    for (const auto& input : history.inputs) {
      if (input.name == leg.input) leg.series = &input;
    }
    // The overlay holds the reference: it must be a price (index or usd), positive and finite,
    // or returns, drawdowns and episodes mean nothing (a yield, a rate, a zero close).
    if (leg.series == nullptr) continue;
    if (opens && leg.series->opens.empty()) {
      return Error(ErrorKind::kData, "--execution next-open: the reference `" + leg.input +
                                         "` has no opens (its source gives one close per bar): give --execution "
                                         "next-close, or a source with opens (a Yahoo file's Open column)");
    }
    if (leg.series->unit != engine::Unit::kIndex && leg.series->unit != engine::Unit::kUsd) {
      return Error(ErrorKind::kUsage, "--reference `" + leg.input + "` is in " +
                                          std::string(engine::unit_name(leg.series->unit)) +
                                          ": the overlay holds a price, so give an input in index or usd (spx, btc)");
    }
    for (std::size_t k = 0; k < leg.series->values.size(); ++k) {
      const double value = leg.series->values[k];
      if (!std::isfinite(value) || value <= 0) {
        std::ostringstream message;  // the value as a stream prints it, as the command always has
        message << "reference `" << leg.input << "` has " << value << " at "
                << engine::format_timestamp(leg.series->times[k]) << ": a price must be positive and finite";
        return Error(ErrorKind::kData, message.str());
      }
    }
  }
  return std::nullopt;
}

ReferencePath reference_path(const std::vector<ReferenceLeg>& legs, const std::vector<engine::Timestamp>& steps,
                             bool opens) {
  ReferencePath out;
  out.step_return.assign(steps.size(), 0);
  if (opens) out.open_gap.assign(steps.size(), 0);
  out.known.assign(steps.size(), false);
  const double weights = total_weight(legs);
  for (const auto& leg : legs) {
    if (leg.series == nullptr) continue;
    out.all_cash = false;
    const auto prices = leg_prices(*leg.series, steps, leg.series->values);
    const auto open_prices = opens ? leg_prices(*leg.series, steps, leg.series->opens) : std::vector<double>{};
    std::size_t without = 0;
    for (std::size_t k = 0; k < steps.size(); ++k) {
      if (std::isnan(prices[k])) {
        ++without;
        continue;
      }
      out.known[k] = true;
      if (k > 0 && !std::isnan(prices[k - 1]) && prices[k - 1] > 0) {
        out.step_return[k] += leg.weight / weights * (prices[k] / prices[k - 1] - 1);
        // No open at the step (or the same bar as the last step's): traded at the close.
        const bool open_known = opens && !std::isnan(open_prices[k]) && open_prices[k] > 0;
        if (opens) out.open_gap[k] += leg.weight / weights * ((open_known ? open_prices[k] : prices[k]) / prices[k - 1] - 1);
      }
    }
    if (without > 0) {
      out.gaps.push_back("`" + leg.input + "` has no price before " + short_time(leg.series->times.front()) + ": " +
                         std::to_string(without) + " step" + (without == 1 ? "" : "s") + " earn nothing on this leg");
    }
  }
  return out;
}

}  // namespace riskoff::backtest
