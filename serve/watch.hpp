// --watch-rules: a thread that polls the served rule file and reloads the service when its
// content changes. No HTTP here; server.cpp logs what it reports.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "serve/service.hpp"

namespace riskoff::serve {

class RuleWatcher {
 public:
  // What a poll that saw a change did: the reload's result (the new version, or why the old
  // one stays).
  using Report = std::function<void(const Result<std::shared_ptr<const ServedRuleset>>& reloaded)>;

  // Starts polling `service`'s rule file every `interval`. Precondition: it serves a rule file.
  RuleWatcher(Service& service, std::chrono::milliseconds interval, Report report);
  // Stops the thread (at once, not after the interval) and joins it.
  ~RuleWatcher();
  RuleWatcher(const RuleWatcher&) = delete;
  RuleWatcher& operator=(const RuleWatcher&) = delete;

 private:
  struct Seen {
    std::int64_t mtime_ns = -1;
    std::uintmax_t size = 0;
    std::size_t content_hash = 0;
  };
  // True when a watched file's content differs from the last poll's (mtime and size first, so an
  // unchanged file is not read; a touch that keeps the bytes is no change).
  bool changed();
  void run();

  Service& service_;
  std::chrono::milliseconds interval_;
  Report report_;
  std::map<std::string, Seen> seen_;  // by path; used only by the watcher thread
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // Invariant: used only under mutex_
  std::thread thread_;
};

}  // namespace riskoff::serve
