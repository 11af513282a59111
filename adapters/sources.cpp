#include "adapters/sources.hpp"

#include "adapters/clock.hpp"
#include "adapters/history_store.hpp"
#include "adapters/http.hpp"
#include "adapters/read_support.hpp"
#include "adapters/source_reads.hpp"
#include "engine/window_eval.hpp"
#include "support/checked.hpp"
#include "support/json_writer.hpp"
#include "support/time.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "support/redact.hpp"

namespace riskoff::adapters {
namespace {

using nlohmann::json;

std::string number_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

// Whether two inputs read a file the same way (so one reading serves both: btc and btc_4h take
// the same 4h klines file, one as daily closes).
bool reads_alike(const SourceSpec& a, const SourceSpec& b) {
  return a.reader == b.reader && a.column == b.column && a.mapping == b.mapping && a.bar_seconds == b.bar_seconds &&
         a.per_hours == b.per_hours;
}

// The files of a build, each read once: a reading is kept only while another input still
// names the same file.
class ReadOnce {
 public:
  template <class WindowOf>  // the rows each input needs; a file read for several is read for all
  ReadOnce(const Manifest& manifest, engine::Timestamp as_of, const WindowOf& window_of) : manifest_(manifest), as_of_(as_of) {
    for (const auto& spec : manifest.sources) {
      const std::optional<ReadWindow> window = window_of(spec);
      for (const auto& path : spec.paths) {
        auto [at, first] = windows_.try_emplace(path, window);
        if (!first) at->second = widest(at->second, window);
        ++uses_[path];
      }
    }
  }
  // `anchored`: the newest row dated by the window's anchor in the input's other files read so
  // far (ReadWindow::anchor_at_least), raised by this file's; used only for a file no other
  // input reads.
  SeriesRead read(const SourceSpec& spec, const std::string& path, engine::Timestamp& anchored) {
    const std::size_t left = --uses_[path];
    for (auto kept = kept_.begin(); kept != kept_.end(); ++kept) {
      if (kept->path != path || !reads_alike(*kept->spec, spec)) continue;
      if (left > 0) return kept->read;
      SeriesRead read = std::move(kept->read);
      kept_.erase(kept);
      return read;
    }
    std::optional<ReadWindow> window = windows_[path];
    if (window && left == 0) window->anchor_at_least = anchored;
    SeriesRead read = read_one(spec, manifest_, path, as_of_, window);
    if (window) {
      const auto dated = std::upper_bound(read.times.begin(), read.times.end(), window->anchor_by);
      if (dated != read.times.begin()) anchored = std::max(anchored, *std::prev(dated));
    }
    if (left > 0) kept_.push_back({&spec, path, read});
    return read;
  }

 private:
  struct Kept {
    const SourceSpec* spec;
    std::string path;
    SeriesRead read;
  };
  // Both inputs' rows: the longer reach from one anchor; the whole file when they differ.
  static std::optional<ReadWindow> widest(const std::optional<ReadWindow>& a, const std::optional<ReadWindow>& b) {
    return a && b && a->anchor_by == b->anchor_by ? std::optional(ReadWindow{a->anchor_by, std::max(a->reach, b->reach)})
                                                  : std::nullopt;
  }
  const Manifest& manifest_;
  engine::Timestamp as_of_;
  std::map<std::string, std::optional<ReadWindow>> windows_;
  std::map<std::string, std::size_t> uses_;
  std::vector<Kept> kept_;
};

// What lookback_of adds to a window's reach: staleness and holidays at its start.
constexpr double kLookbackMargin = 7 * 86400.0;

// The rows of one input's file a build as of `as_of` can need (ReadWindow, readers.hpp). The
// lookback counts from the last observation known by as_of, which a reader cannot date without
// the clock: anchored at the last row surely known then, `most_late` before as_of (a bar, a lag
// over weekends, a session's close), it reads that much more, and a day for `daily_at_hour`.
// Replay's infinite lookback, and a shift beyond the years read (in doubles), read every row.
std::optional<ReadWindow> read_window(const SourceSpec& spec, engine::Timestamp as_of, double lookback) {
  if (!spec.url.empty() || spec.reader == "store" || !std::isfinite(lookback)) return std::nullopt;
  const auto& clock = spec.clock;
  const double most_late = double(clock.bar_seconds + clock.lag_seconds) + (2.0 * clock.lag_business_days + 6) * 86400;
  const double anchor_by = static_cast<double>(as_of) - spec.shift_hours * 3600 - most_late;
  if (!(anchor_by > static_cast<double>(detail::kFirstTime) && anchor_by < static_cast<double>(as_of))) return std::nullopt;
  return ReadWindow{static_cast<engine::Timestamp>(anchor_by), lookback + most_late + 86400};
}

// The observations of one input a snapshot keeps (all known by as_of, oldest first). Windows are
// anchored at the series' last observation (docs/language.md), so the lookback is measured from
// when that one became known, not from as_of; and the reference observation at or before the
// window's start is kept however long a hole precedes it: the rule engine/window_eval.cpp reads
// it by, so `eval --as-of` reads the same reference as a replay over the whole history. A series
// whose last observation became known more than the lookback before as_of is left out, as before.
void keep_lookback(engine::InputData& data, engine::Timestamp as_of, double lookback) {
  if (data.times.empty()) return;
  std::size_t start = data.times.size();
  if (static_cast<double>(as_of - data.known_at.back()) <= lookback) {
    const double oldest = static_cast<double>(data.known_at.back()) - lookback;
    start = static_cast<std::size_t>(std::lower_bound(data.known_at.begin(), data.known_at.end(), oldest,
                                                      [](engine::Timestamp known, double bound) {
                                                        return static_cast<double>(known) < bound;
                                                      }) -
                                     data.known_at.begin());
    const std::size_t reference =
        engine::window_reference(data.times, std::max(0.0, lookback - kLookbackMargin), engine::WindowKind::kSeconds);
    if (reference != std::string::npos) start = std::min(start, reference);
  }
  const auto cut = static_cast<std::ptrdiff_t>(start);
  data.times.erase(data.times.begin(), data.times.begin() + cut);
  data.values.erase(data.values.begin(), data.values.begin() + cut);
  data.known_at.erase(data.known_at.begin(), data.known_at.begin() + cut);
  if (!data.opens.empty()) data.opens.erase(data.opens.begin(), data.opens.begin() + cut);
}

}  // namespace

BuildResult build_snapshot(const Manifest& manifest, const BuildOptions& options) {
  BuildResult result;
  result.snapshot.as_of = options.as_of;
  // One deadline for every URL source of the build: eleven silent servers cost it once, not eleven times.
  HttpOptions http = manifest.http;
  if (options.fetch_deadline_seconds) http.deadline_seconds = *options.fetch_deadline_seconds;
  http.deadline = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(http.deadline_seconds));
  std::vector<std::string> unresolved_hosts;
  auto lookback_for = [&](const SourceSpec& spec) {
    double lookback = options.default_lookback;
    for (const auto& [name, seconds] : options.lookback) lookback = name == spec.input ? seconds : lookback;
    return lookback;
  };
  ReadOnce files(manifest, options.as_of,
                 [&](const SourceSpec& spec) { return read_window(spec, options.as_of, lookback_for(spec)); });
  auto wanted = [&](const SourceSpec& spec) {
    return !options.inputs_read ||
           std::find(options.inputs_read->begin(), options.inputs_read->end(), spec.input) != options.inputs_read->end();
  };
  std::size_t url_count = 0, url_index = 0;
  for (const auto& spec : manifest.sources) url_count += !spec.url.empty() && wanted(spec) ? 1 : 0;
  for (const auto& spec : manifest.sources) {
    if (!wanted(spec)) {
      result.unused.push_back(spec.input);
      continue;
    }
    const double lookback = lookback_for(spec);
    std::vector<engine::Timestamp> times;
    std::vector<double> values, opens;  // opens: NaN where a file has none
    // Per observation: whether its time is a session date (from its reader), and, for the
    // history store, when it became known as imported (else the clock says).
    std::vector<char> session;
    std::vector<engine::Timestamp> stored_known;
    // Where each observation was read (a file or URL, and its line), to name a value that the
    // scale makes non-finite.
    std::vector<std::string> origins;
    std::vector<std::pair<std::size_t, std::size_t>> read_at;  // origin, line as read (SeriesRead::lines)
    std::vector<SkippedLines> skipped;                          // per origin: what its line numbers leave out
    std::vector<std::string> reasons;
    std::string empty_because;
    std::string per, per_origin;  // what the first file's rates are per, and that file
    auto take = [&](const SeriesRead& read, const std::string& origin) {
      for (const auto& problem : read.problems) reasons.push_back(problem.text());
      if (!read.per.empty() && !per.empty() && read.per != per) {
        reasons.push_back(origin + ": its rates are per " + read.per + " but " + per_origin + "'s are per " + per +
                          ": one series cannot mean both; declare `per` (e.g. \"8h\") to scale every rate to one interval");
      } else if (!read.per.empty() && per.empty()) {
        per = read.per;
        per_origin = origin;
      }
      if (!read.empty_because.empty()) empty_because = origin + ": " + read.empty_because;
      times.insert(times.end(), read.times.begin(), read.times.end());
      values.insert(values.end(), read.values.begin(), read.values.end());
      if (read.opens.empty()) opens.insert(opens.end(), read.times.size(), std::numeric_limits<double>::quiet_NaN());
      opens.insert(opens.end(), read.opens.begin(), read.opens.end());
      session.insert(session.end(), read.times.size(), read.session_dates ? 1 : 0);
      origins.push_back(origin);
      skipped.push_back(read.skipped);
      for (std::size_t k = 0; k < read.times.size(); ++k) {
        read_at.emplace_back(origins.size() - 1, k < read.lines.size() ? read.lines[k] : 0);
      }
    };
    if (spec.reader == "store") {
      // The history store holds the series already read, cut and checked at import, each
      // observation with when it became known.
      try {
        const auto store = HistoryStore::open(spec.paths.front(), OpenMode::kReadOnly);
        // Read whole: the lookback is measured from the series' last observation, and keeps the
        // reference observation before a hole however old it is (keep_lookback).
        const auto stored = store->read(spec.column.empty() ? spec.input : spec.column,
                                        std::numeric_limits<engine::Timestamp>::min() / 2, options.as_of,
                                        HistoryStore::UpTo::kKnownAt);
        SeriesRead read;
        read.times = stored.times;
        read.values = stored.values;
        take(read, spec.paths.front());
        for (std::size_t k = 0; k < stored.times.size(); ++k) stored_known.push_back(stored.known(k));
        if (stored.unit != spec.unit && !stored.times.empty()) {
          reasons.push_back("the store holds it in " + std::string(engine::unit_name(stored.unit)));
        }
      } catch (const StoreError& e) {
        reasons.push_back(e.what());
      }
    }
    // A URL is named by its redacted form only: it may carry an api key or a password.
    if (!spec.url.empty()) {
      if (options.progress) {
        options.progress("[" + std::to_string(++url_index) + "/" + std::to_string(url_count) + "] input `" + spec.input +
                         "` (" + spec.source + "): " + support::redact_url(spec.url));
      }
      take(read_url(spec, http, options.as_of, unresolved_hosts), support::redact_url(spec.url));
    }
    // Several files (monthly dumps) are read last name first: a month before the window then
    // gives its last two rows, counted back from a later month's (ReadOnce::read). They are
    // taken in the manifest's order, which messages follow.
    const auto& paths = spec.reader == "store" || !spec.url.empty() ? std::vector<std::string>{} : spec.paths;
    std::vector<SeriesRead> reads(paths.size());
    engine::Timestamp anchored = std::numeric_limits<engine::Timestamp>::min();
    for (std::size_t k = paths.size(); k-- > 0;) reads[k] = files.read(spec, paths[k], anchored);
    for (std::size_t k = 0; k < paths.size(); ++k) take(reads[k], paths[k]);
    // Several files (monthly dumps) must join into one strictly increasing series.
    std::vector<std::size_t> order(times.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    if (!std::is_sorted(times.begin(), times.end())) {
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return times[a] < times[b]; });
    }
    engine::InputData data;
    data.name = spec.input;
    data.unit = spec.unit;
    data.source = spec.source;
    data.is_series = spec.is_series;
    InputClock clock_shown;
    clock_shown.input = spec.input;
    clock_shown.reader = spec.reader;
    clock_shown.session_dates = !session.empty() && session.front() != 0;
    clock_shown.why = describe(spec.clock, spec.reader, clock_shown.session_dates);
    if (spec.daily_at_hour) {
      clock_shown.why += "; one bar a day, the one closing at " + std::to_string(*spec.daily_at_hour) + ":00 UTC, dated by its close";
      clock_shown.session_dates = true;
    }
    const TimeZone zone = TimeZone::find(spec.clock.tz).value_or(TimeZone::utc());
    // Checked: the shift is the manifest's and the times the data's; either may be extreme.
    const auto shift = support::checked_int64(spec.shift_hours * 3600);
    if (!shift) {
      reasons.push_back("shift_hours " + support::json_number(spec.shift_hours) + " is out of range: times would leave the years 0000 to 9999");
      order.clear();
    }
    // Where the data ends before as_of (or starts after it): what an empty lookback is explained by.
    std::optional<engine::Timestamp> last_before, first_after;
    for (const std::size_t k : order) {
      const auto shifted = support::checked_add(times[k], *shift);
      if (!shifted || !support::in_supported_years(*shifted)) {
        reasons.push_back("time " + std::to_string(times[k]) + " shifted by " + support::json_number(spec.shift_hours) +
                          " hours is outside the years 0000 to 9999");
        break;
      }
      engine::Timestamp time = *shifted;
      // When it became known (adapters/clock.hpp); the store kept it at import.
      const engine::Timestamp known =
          stored_known.empty() ? known_at(spec.clock, zone, time, session[k] != 0) : stored_known[k];
      if (!support::in_supported_years(known)) {
        reasons.push_back("time " + engine::format_timestamp(time) + " becomes known outside the years 0000 to 9999");
        break;
      }
      if (spec.daily_at_hour) {
        // One bar a day, the one closing at that UTC hour: stamped with its date, known at its close.
        const engine::Timestamp close = time + spec.clock.bar_seconds;
        if ((close % 86400) / 3600 != *spec.daily_at_hour || close % 3600 != 0) continue;
        time = close - close % 86400;
      }
      // No look-ahead: nothing known after as_of; and only the lookback the windows need.
      if (known > options.as_of || time > options.as_of) {
        if (!clock_shown.next_time) {
          clock_shown.next_time = time;
          clock_shown.next_known = known;
        }
        if (!first_after) first_after = time;
        continue;
      }
      last_before = time;
      if (!data.times.empty() && time == data.times.back()) {
        reasons.push_back("two files give " + engine::format_timestamp(time));
        break;
      }
      if (!data.known_at.empty() && known < data.known_at.back()) {
        reasons.push_back("the observation of " + engine::format_timestamp(time) + " becomes known at " +
                          engine::format_timestamp(known) + ", before the one of " +
                          engine::format_timestamp(data.times.back()) + " (" + engine::format_timestamp(data.known_at.back()) +
                          "): files with different clocks in one input");
        break;
      }
      // A scale must not carry a value out of the finite numbers: an infinity would be written
      // as null, decide, and then never read back.
      const double scaled = values[k] * spec.scale;
      if (!std::isfinite(scaled)) {
        const std::size_t origin = read_at[k].first, line = skipped[origin].shift(read_at[k].second);
        reasons.push_back(origins[origin] + (line > 0 ? ":" + std::to_string(line) : "") + ": the value " +
                          number_text(values[k]) + " times `scale` " + number_text(spec.scale) +
                          " is not a finite number");
        break;
      }
      data.times.push_back(time);
      data.values.push_back(scaled);
      data.known_at.push_back(known);
      data.opens.push_back(opens[k]);
    }
    if (std::all_of(data.opens.begin(), data.opens.end(), [](double open) { return std::isnan(open); })) data.opens.clear();
    keep_lookback(data, options.as_of, lookback);
    if (!data.times.empty()) {
      clock_shown.last_time = data.times.back();
      clock_shown.last_known = data.known_at.back();
    }
    result.clocks.push_back(std::move(clock_shown));
    if (!spec.is_series && !data.times.empty()) {
      data.times.erase(data.times.begin(), data.times.end() - 1);
      data.values.erase(data.values.begin(), data.values.end() - 1);
      data.known_at.erase(data.known_at.begin(), data.known_at.end() - 1);
      data.opens.clear();
    }
    if (reasons.empty() && data.times.empty()) {
      std::string reason =
          "no observation at or before " + engine::format_timestamp(options.as_of) + " within the lookback" +
          (empty_because.empty() ? "" : " (" + empty_because + ")");
      // Say where the data is: a file that ends months before the as-of is the usual cause.
      if (last_before) {
        const auto days = (options.as_of - *last_before) / 86400;
        reason += ": the data of `" + spec.input + "` ends on " + engine::format_timestamp(*last_before).substr(0, 10) + ", " +
                  std::to_string(days) + " day" + (days == 1 ? "" : "s") + " before the as-of";
      } else if (first_after) {
        reason += ": the data of `" + spec.input + "` starts on " + engine::format_timestamp(*first_after).substr(0, 10) +
                  ", after the as-of";
      }
      if (std::find(options.optional_inputs.begin(), options.optional_inputs.end(), spec.input) !=
          options.optional_inputs.end()) {
        result.skipped.push_back("input `" + spec.input + "` (optional): " + reason);
        continue;
      }
      reasons.push_back(reason);
    }
    if (!reasons.empty()) {
      std::string message = "input `" + spec.input + "` (" + spec.reader + "): ";
      for (std::size_t k = 0; k < std::min<std::size_t>(reasons.size(), 3); ++k) message += (k ? "; " : "") + reasons[k];
      if (reasons.size() > 3) message += "; and " + std::to_string(reasons.size() - 3) + " more";
      if (options.allow_missing) {
        result.skipped.push_back(std::move(message));
        continue;
      }
      result.problems.push_back(std::move(message));
      continue;
    }
    result.snapshot.inputs.push_back(std::move(data));
  }
  return result;
}

std::vector<std::pair<std::string, double>> lookback_of(const engine::Plan& plan) {
  std::vector<double> seconds(plan.inputs().size(), 0);
  const auto& nodes = plan.nodes();
  for (const auto& node : nodes) {
    if (node.op != engine::NodeOp::kWindow) continue;
    const engine::PlanNode& window = nodes[node.b];
    double length = window.op == engine::NodeOp::kConst ? window.constant
                    : window.op == engine::NodeOp::kParam ? plan.params()[window.a].default_value
                                                          : 0;
    for (const std::uint32_t slot : {node.a, node.c}) {
      if (slot >= seconds.size()) continue;
      const auto& input = plan.inputs()[slot];
      double reach = node.window_kind == engine::WindowKind::kBars ? (length + 1) * input.frequency_hours * 3600 : length;
      // Trading calendars skip weekends and holidays: bars of a business-day series span 7/5
      // of their count in calendar time, and a week of margin covers holidays and staleness.
      if (node.window_kind == engine::WindowKind::kBars && input.decl->calendar != "crypto") reach *= 1.5;
      seconds[slot] = std::max(seconds[slot], reach + kLookbackMargin);
      if (engine::builtins()[node.fn].shape != engine::BuiltinShape::kPairWindow) break;
    }
  }
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t slot = 0; slot < seconds.size(); ++slot) {
    // Inputs read only for their last value still need their freshness: keep a week.
    out.emplace_back(plan.inputs()[slot].name, std::max(seconds[slot], kLookbackMargin));
  }
  return out;
}

}  // namespace riskoff::adapters
