// A manifest's data files as they stood at an instant: each file cut to the lines whose
// observation was known by then, written with a manifest that reads them. What `riskoff replay
// --lookahead-check` re-decides from (docs/replay.md "Look-ahead check"): a snapshot built from
// these files through the public path cannot hold anything the files did not have yet.
//
// When a line was known is its observation's own time, as the file writes it and its reader
// reads it, through the input's clock (`known_at`, `tz`, `lag`, `time_is` and `bar`: the reader's
// default or the manifest's) — before any transform (`shift_hours`, `daily_at_hour`, `scale`). A
// transform that moves data earlier than its file says is therefore caught by the check.
//
// Only line-based text files are cut (the CSV readers, not a zip); a URL, the history store and
// the JSON readers are read whole, and listed with why (FileCutter::read_whole()).
#pragma once

#include <string>
#include <vector>

#include "adapters/sources.hpp"
#include "riskoff/result.hpp"

namespace riskoff::adapters {

class FileCutter {
 public:
  // Reads every file of the inputs named (all when empty) once, and when each of its lines
  // became known. A file that does not read is an error of the manifest (kData).
  static Result<FileCutter> prepare(const Manifest& manifest, const std::vector<std::string>& inputs);

  // Writes into `folder` (created) the files cut at `at` and a manifest reading them (paths of
  // inputs read whole made absolute, every `source` label kept). Returns the manifest's path;
  // kIo when the folder cannot be written.
  Result<std::string> write(engine::Timestamp at, const std::string& folder) const;

  // Inputs read whole, each with why: "input `dxy` (yahoo_chart_json): a JSON file is not cut by line".
  const std::vector<std::string>& read_whole() const { return read_whole_; }

 private:
  struct File {
    std::string name;                        // the file name, unique within its input
    std::vector<std::string> lines;          // with their line endings
    std::vector<engine::Timestamp> known;    // per line: when its observation became known; min: no observation
  };
  struct Input {
    std::string name;
    std::vector<File> files;
  };
  std::string manifest_text_;  // the original manifest
  std::string base_;           // its folder, absolute
  std::vector<Input> cut_;
  std::vector<std::string> read_whole_;
};

}  // namespace riskoff::adapters
