// The data files of one snapshot build (build_snapshot, sources.cpp), each read once, two at a
// time. Internal to adapters/.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/readers.hpp"
#include "adapters/sources.hpp"

namespace riskoff::adapters {

// Each file is read once: a reading is kept only while another input still names the same file
// and reads it alike. A second thread reads the files ahead, in the manifest's order, while the
// build joins the series already read (eval --sources spent half its time in the readers, on
// one of two cores); `read` takes a file's reading, or reads it itself when the other thread
// has not started it. A reading depends only on its spec, file, as_of and window, so the
// snapshot, its messages and their order are the same as when read one after another; an
// exception a read throws is thrown by `read`, where the build asks for that file.
class ReadOnce {
 public:
  using WindowOf = std::function<std::optional<ReadWindow>(const SourceSpec&)>;
  using Wanted = std::function<bool(const SourceSpec&)>;
  // `window_of`: the rows each input needs (a file read for several is read for all);
  // `wanted`: the inputs the build reads (the others' files are not read ahead).
  ReadOnce(const Manifest& manifest, engine::Timestamp as_of, const WindowOf& window_of, const Wanted& wanted);
  ~ReadOnce();
  ReadOnce(const ReadOnce&) = delete;
  ReadOnce& operator=(const ReadOnce&) = delete;

  SeriesRead read(const SourceSpec& spec, const std::string& path);

 private:
  enum class State : unsigned char { kWaiting, kReading, kRead, kTaken };
  struct Ahead {
    const SourceSpec* spec = nullptr;
    std::string path;
    State state = State::kWaiting;  // under mutex_
    SeriesRead read;
    std::exception_ptr error;
  };
  struct Kept {
    const SourceSpec* spec;
    std::string path;
    SeriesRead read;
  };
  void read_ahead();
  void run(Ahead& ahead);
  SeriesRead read_file(const SourceSpec& spec, const std::string& path) const;

  const Manifest& manifest_;
  engine::Timestamp as_of_;
  std::map<std::string, std::optional<ReadWindow>> windows_;  // filled before the thread starts
  std::map<std::string, std::size_t> uses_;
  std::vector<Kept> kept_;
  std::vector<std::unique_ptr<Ahead>> ahead_;
  std::mutex mutex_;
  std::condition_variable done_;
  static constexpr std::size_t kFilesAhead = 4;
  std::size_t asked_ = 0;  // under mutex_: readings ahead_ the build has asked for, in order
  bool stop_ = false;      // under mutex_: the build ended (or threw); read nothing more
  std::thread reader_;
};

}  // namespace riskoff::adapters
