// The counters `GET /metrics` reports in the Prometheus text format (version 0.0.4): decisions
// by profile and action, the decide latency histogram, audit writes, errors by code, reloads,
// read connections opened.
// Thread-safe: every request thread updates it; one lock, held for a map update only.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace riskoff::serve {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (the last, +Inf, is implicit).
  static constexpr std::array<double, 10> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                             0.025,  0.05,  0.1,    0.25,  1.0};

  void count_decision(const std::string& profile, const std::string& action, double seconds);
  void count_audit_write(bool ok);
  void count_error(const std::string& code);
  void count_reload(bool ok);
  void count_read_connection();

  // The whole exposition; `ruleset_labels` is the `riskoff_ruleset_info` label set.
  std::string render(const std::string& ruleset_labels) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> decisions_;  // (profile, action)
  std::array<std::uint64_t, kLatencyBuckets.size()> latency_buckets_{};      // not cumulative here
  std::uint64_t latency_count_ = 0;
  double latency_sum_ = 0;
  std::map<std::string, std::uint64_t> audit_writes_;  // "ok", "error"
  std::map<std::string, std::uint64_t> errors_;        // by error code
  std::map<std::string, std::uint64_t> reloads_;       // "ok", "error"
  std::uint64_t read_connections_ = 0;                 // audit store connections opened for reads
};

}  // namespace riskoff::serve
