#include "engine/replay.hpp"

#include <algorithm>

namespace riskoff::engine {

Replayer::Replayer(const Plan& plan, const Snapshot& history, std::vector<std::string>& errors) : plan_(plan) {
  auto bound = bind(plan, history);
  errors = std::move(bound.errors);
  full_ = std::move(bound.bound);
  bound_ = full_;
  cursor_.assign(full_.inputs.size(), 0);
}

void Replayer::advance(Timestamp time) {
  for (std::size_t slot = 0; slot < full_.inputs.size(); ++slot) {
    const SeriesView& all = full_.inputs[slot];
    if (all.data == nullptr) continue;
    std::size_t& count = cursor_[slot];
    // An observation is in once it is known (InputData::known_at), not from its own date.
    const std::vector<Timestamp>& known = all.data->known_at.empty() ? all.data->times : all.data->known_at;
    if (started_ && time >= last_time_) {
      // Forward in time: walk on from where the last step stopped (amortised O(1)).
      while (count < known.size() && known[count] <= time) ++count;
    } else {
      count = static_cast<std::size_t>(std::upper_bound(known.begin(), known.end(), time) - known.begin());
    }
  }
  last_time_ = time;
  started_ = true;
}

const Evaluation& Replayer::step(Timestamp time, std::uint32_t profile, const std::vector<ParamOverride>& overrides) {
  advance(time);
  bound_.as_of = time;
  missing_required_.clear();
  for (std::size_t slot = 0; slot < full_.inputs.size(); ++slot) {
    const InputSlot& input = plan_.inputs()[slot];
    const SeriesView& all = full_.inputs[slot];
    const std::size_t count = all.data == nullptr ? 0 : cursor_[slot];
    if (count == 0) {
      bound_.set(slot, SeriesView{}, InputStatus::kMissing);
      if (!input.optional) missing_required_.push_back(static_cast<std::uint32_t>(slot));
      continue;
    }
    bound_.set(slot, SeriesView::prefix(*all.data, count), age_status(input, time, all.data->known(count - 1)));
  }
  evaluate(plan_, bound_, profile, overrides, evaluation_, memo_);
  return evaluation_;
}

}  // namespace riskoff::engine
