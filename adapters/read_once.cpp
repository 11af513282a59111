#include "adapters/read_once.hpp"

#include <algorithm>

#include "adapters/source_reads.hpp"

namespace riskoff::adapters {
namespace {

// Whether two inputs read a file the same way (so one reading serves both: btc and btc_4h take
// the same 4h klines file, one as daily closes).
bool reads_alike(const SourceSpec& a, const SourceSpec& b) {
  return a.reader == b.reader && a.column == b.column && a.mapping == b.mapping && a.bar_seconds == b.bar_seconds &&
         a.per_hours == b.per_hours;
}

// Both inputs' rows: the longer reach from one anchor; the whole file when they differ.
std::optional<ReadWindow> widest(const std::optional<ReadWindow>& a, const std::optional<ReadWindow>& b) {
  return a && b && a->anchor_by == b->anchor_by ? std::optional(ReadWindow{a->anchor_by, std::max(a->reach, b->reach)})
                                                : std::nullopt;
}

// A spec whose data are files of its own (not the history store, not a URL).
bool reads_files(const SourceSpec& spec) { return spec.reader != "store" && spec.url.empty(); }

}  // namespace

ReadOnce::ReadOnce(const Manifest& manifest, engine::Timestamp as_of, const WindowOf& window_of, const Wanted& wanted)
    : manifest_(manifest), as_of_(as_of) {
  for (const auto& spec : manifest.sources) {
    const std::optional<ReadWindow> window = window_of(spec);
    for (const auto& path : spec.paths) {
      auto [at, first] = windows_.try_emplace(path, window);
      if (!first) at->second = widest(at->second, window);
      ++uses_[path];
    }
  }
  // One reading ahead per file and way of reading it, in the order the build asks for them.
  for (const auto& spec : manifest.sources) {
    if (!wanted(spec) || !reads_files(spec)) continue;
    for (const auto& path : spec.paths) {
      const bool listed = std::any_of(ahead_.begin(), ahead_.end(), [&](const auto& ahead) {
        return ahead->path == path && reads_alike(*ahead->spec, spec);
      });
      if (listed) continue;
      ahead_.push_back(std::make_unique<Ahead>());
      ahead_.back()->spec = &spec;
      ahead_.back()->path = path;
    }
  }
  // A thread is worth starting for two files or more, on a machine with a second core.
  if (ahead_.size() >= 2 && std::thread::hardware_concurrency() > 1) reader_ = std::thread([this] { read_ahead(); });
}

ReadOnce::~ReadOnce() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  done_.notify_all();
  if (reader_.joinable()) reader_.join();
}

SeriesRead ReadOnce::read_file(const SourceSpec& spec, const std::string& path) const {
  return read_one(spec, manifest_, path, as_of_, windows_.at(path));
}

void ReadOnce::run(Ahead& ahead) {
  try {
    ahead.read = read_file(*ahead.spec, ahead.path);
  } catch (...) {
    ahead.error = std::current_exception();
  }
  {
    const std::lock_guard lock(mutex_);
    ahead.state = State::kRead;
  }
  done_.notify_all();
}

void ReadOnce::read_ahead() {
  for (std::size_t k = 0; k < ahead_.size(); ++k) {
    {
      // A few files ahead of the build at most: readings wait in memory until it takes them.
      std::unique_lock lock(mutex_);
      done_.wait(lock, [&] { return stop_ || k < asked_ + kFilesAhead; });
      if (stop_) return;
      if (ahead_[k]->state != State::kWaiting) continue;
      ahead_[k]->state = State::kReading;
    }
    run(*ahead_[k]);
  }
}

SeriesRead ReadOnce::read(const SourceSpec& spec, const std::string& path) {
  const std::size_t left = --uses_[path];
  for (auto kept = kept_.begin(); kept != kept_.end(); ++kept) {
    if (kept->path != path || !reads_alike(*kept->spec, spec)) continue;
    if (left > 0) return kept->read;
    SeriesRead read = std::move(kept->read);
    kept_.erase(kept);
    return read;
  }
  SeriesRead read;
  const auto ahead = std::find_if(ahead_.begin(), ahead_.end(), [&](const auto& candidate) {
    return candidate->path == path && reads_alike(*candidate->spec, spec);
  });
  if (ahead == ahead_.end()) {
    read = read_file(spec, path);
  } else {
    bool mine = false;
    {
      std::unique_lock lock(mutex_);
      asked_ = std::max(asked_, static_cast<std::size_t>(ahead - ahead_.begin()) + 1);
      done_.notify_all();
      if ((*ahead)->state == State::kWaiting) {
        (*ahead)->state = State::kReading;
        mine = true;
      } else {
        done_.wait(lock, [&] { return (*ahead)->state != State::kReading; });
      }
    }
    if (mine) run(**ahead);
    // Taken once: the kept copy below serves the file's other inputs.
    const std::lock_guard lock(mutex_);
    if ((*ahead)->state == State::kTaken) {
      read = read_file(spec, path);
    } else {
      (*ahead)->state = State::kTaken;
      if ((*ahead)->error) std::rethrow_exception((*ahead)->error);
      read = std::move((*ahead)->read);
    }
  }
  if (left > 0) kept_.push_back({&spec, path, read});
  return read;
}

}  // namespace riskoff::adapters
