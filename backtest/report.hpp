// A replay for people and programs: text (summary first, then grouped changes and which rule
// fired when; every step on request) in report_text.cpp, CSV (one row per step) and JSON
// (`riskoff.replay/1`, docs/replay.md) in report.cpp, and the SVG chart in chart_svg.cpp. Rendering never changes the data; the same input always gives the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "backtest/against.hpp"
#include "backtest/replay.hpp"
#include "riskoff/evidence.hpp"

namespace riskoff::backtest {

// Whether the text lists every change and every step (`riskoff replay --steps`) or only the
// changes grouped by transition and reason.
enum class StepRows : std::uint8_t { kOmit, kList };

// report_text.cpp
std::string render_replay_text(const Replay& replay, const AgainstReport* against, const Replay* old_replay,
                               StepRows rows = StepRows::kOmit);
std::string render_replay_csv(const Replay& replay);
// `riskoff.replay/1`, docs/replay.md; byte-identical for the same input.
std::string render_replay_json(const Replay& replay, const AgainstReport* against, const Replay* old_replay);
inline constexpr std::string_view kReplaySchema = "riskoff.replay/1";
// The overlay's assumptions in one sentence (text header, JSON `overlay.assumptions`).
std::string overlay_assumptions(const Replay& replay);
// What the sweep, shuffle and walk-forward reports state first, read off one replay.
ReplayHeader replay_header(const Replay& replay);

// The picture: reference price (log scale) with actions as coloured bands and change markers,
// the drawdown below it, axes, dates and a legend. Self-contained SVG, no fonts or scripts fetched.
std::string render_replay_svg(const Replay& replay);

}  // namespace riskoff::backtest
