// The body of POST /v1/decide, read and checked as a whole before anything is decided:
//   {"snapshot": {...riskoff.snapshot/1...}, "profile": "swing", "overrides": {"yield_jump": "20bp"},
//    "formats": ["json", "text"], "record": false}
// ("formats": ["summary"] answers the decision in a few words, without its explanation),
// or, instead of `snapshot`, {"sources": "NAME", "as_of": "2026-02-04T21:00:00Z"}: a manifest the
// server was started with (--sources NAME=MANIFEST), named, never a path; `as_of` defaults to now.
// One of `snapshot` and `sources` is required. A wrong type or an unknown field is an error naming it, never a
// crash; malformed JSON is an error naming its line and column.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "riskoff/result.hpp"
#include "riskoff/riskoff.hpp"

namespace riskoff::serve {

struct DecideRequest {
  std::string snapshot_json;  // the snapshot object, as JSON text for Snapshot::from_json, or
  std::string sources;        // the name of a manifest of the server's --sources
  std::optional<std::int64_t> as_of;  // with sources: the instant (a date: the end of that UTC day)
  std::string profile;
  std::vector<std::string> overrides;  // "NAME=VALUE"
  // "summary" among the formats: the compact answer (Decision::summary()), no explanation built
  // for it. The explanation JSON is the answer's `decision` unless summary is asked without json.
  bool summary = false;
  bool explanation = true;
  std::vector<std::string> format_names;  // the renderings besides json, as asked, each once: text, text_verbose, markdown
  std::vector<Format> formats;
  bool record = false;
};

// ErrorKind::kUsage with every problem found (all of them, not only the first). The fast path
// passes the snapshot on as its bytes without reading them: when Snapshot::from_json refuses
// them, check_decide_request() tells whether the body itself was malformed.
Result<DecideRequest> parse_decide_request(const std::string& body);
// The same through nlohmann alone, reading every byte of the body.
Result<DecideRequest> check_decide_request(const std::string& body);

}  // namespace riskoff::serve
