// The significance test for people and programs: text (per kind of draw, where the real run
// ranks on total return, Sharpe and max drawdown, with the verdict), CSV (one row per draw) and
// JSON (`riskoff.shuffle/1`, docs/replay.md). Same report, same bytes.
#include "backtest/figures_row.hpp"
#include "backtest/shuffle.hpp"
#include "backtest/text_layout.hpp"
#include "engine/snapshot.hpp"
#include "support/json_writer.hpp"

namespace riskoff::backtest {
namespace {

const char* kKindHelp[] = {
    "the replay's own spells in a random order: same durations, same share off WAIT",
    "its spells off WAIT entered at random dates, WAIT between: same count, same durations",
};


struct Figure {
  const char* name;
  const ShuffleRank ShuffleKind::*rank;
  std::string (*shown)(double);
};
const Figure kFigures[] = {
    {"total return", &ShuffleKind::total_return, &pct},
    {"sharpe", &ShuffleKind::sharpe, &sharpe_text},
    {"max drawdown", &ShuffleKind::max_drawdown, &pct},
};

}  // namespace

std::string render_shuffle_text(const ShuffleReport& r) {
  std::string out = "riskoff replay --shuffle · " + r.header.ruleset + " " + r.header.version + " · profile " +
                    r.header.profile + "\n";
  out += short_time(r.header.from) + " → " + short_time(r.header.to) + " · " + std::to_string(r.header.steps) +
         " steps · reference " + r.header.reference + " · " + std::to_string(r.shuffles) +
         " draws of each kind, seed " + std::to_string(r.seed) + "\n";
  out += wrap("overlay: ", r.header.assumptions, 9);
  out += wrap("the replay: ", std::to_string(r.spells) + " spells, " + std::to_string(r.entries) + " of them off WAIT; " +
                                 pct_plain(r.real.off_wait) + " of steps off WAIT; total return " + pct(r.real.total_return) +
                                 ", sharpe " + sharpe_text(r.real.sharpe) + ", max drawdown " + pct(r.real.max_drawdown),
              12);
  for (std::size_t k = 0; k < r.kinds.size(); ++k) {
    const auto& kind = r.kinds[k];
    out += "\n" + upper(kind.name.substr(0, 1)) + kind.name.substr(1) + " (" + (k < 2 ? kKindHelp[k] : "") + ")\n";
    out += "  " + pad("", 14) + lpad("real", 9) + lpad("draws: 5%", 12) + lpad("median", 9) + lpad("95%", 9) + "\n";
    for (const auto& figure : kFigures) {
      const ShuffleRank& rank = kind.*(figure.rank);
      out += "  " + pad(figure.name, 14) + lpad(figure.shown(rank.real), 9) + lpad(figure.shown(rank.low), 12) +
             lpad(figure.shown(rank.median), 9) + lpad(figure.shown(rank.high), 9) + "\n";
    }
    for (const auto& figure : kFigures) out += wrap("  " + pad(figure.name, 14), (kind.*(figure.rank)).verdict, 16);
  }
  return out;
}

std::string render_shuffle_csv(const ShuffleReport& r) {
  std::string out = std::string("kind,draw,") + kFiguresCsvHeader + "\n";
  auto row = [&out](const std::string& kind, const std::string& draw, const ReplayFigures& f) {
    out += kind + "," + draw + "," + figures_csv(f) + "\n";
  };
  row("real", "", r.real);
  for (const auto& kind : r.kinds) {
    for (std::size_t d = 0; d < kind.draws.size(); ++d) row(kind.name, std::to_string(d + 1), kind.draws[d]);
  }
  return out;
}

std::string render_shuffle_json(const ShuffleReport& r) {
  using support::JsonLayout;
  support::JsonWriter w(JsonLayout::kPretty);
  w.begin_object().field("schema", kShuffleSchema);
  write_ruleset_and_profile(w, r.header);
  w.field("reference", r.header.reference)
      .field("from", engine::format_timestamp(r.header.from))
      .field("to", engine::format_timestamp(r.header.to))
      .field_integer("steps", static_cast<std::int64_t>(r.header.steps))
      .field_integer("draws", static_cast<std::int64_t>(r.shuffles))
      .field_integer("seed", static_cast<std::int64_t>(r.seed))
      .field_number("level", r.level)
      .field_integer("spells", static_cast<std::int64_t>(r.spells))
      .field_integer("entries", static_cast<std::int64_t>(r.entries));
  w.key("real")
      .begin_object(JsonLayout::kSpaced)
      .field_number("total_return", r.real.total_return)
      .field_number("sharpe", r.real.sharpe)
      .field_number("max_drawdown", r.real.max_drawdown)
      .field_number("off_wait", r.real.off_wait)
      .field_integer("changes", static_cast<std::int64_t>(r.real.changes))
      .end_object();
  w.key("kinds").begin_array();
  for (const auto& kind : r.kinds) {
    w.begin_object().field("name", kind.name);
    for (const auto& figure : kFigures) {
      const ShuffleRank& rank = kind.*(figure.rank);
      std::string key = figure.name;
      for (char& ch : key) ch = ch == ' ' ? '_' : ch;
      w.key(key)
          .begin_object(JsonLayout::kSpaced)
          .field_number("real", rank.real)
          .field_number("percentile", rank.percentile)
          .field_number("median", rank.median)
          .field_number("p05", rank.low)
          .field_number("p95", rank.high)
          .field_bool("significant", rank.significant)
          .field("verdict", rank.verdict)
          .end_object();
    }
    w.end_object();
  }
  w.end_array().end_object();
  return w.take() + "\n";
}

}  // namespace riskoff::backtest
