#include "serve/metrics.hpp"

#include "support/json_writer.hpp"

namespace riskoff::serve {
namespace {

// A label value as the exposition format quotes it: backslash, quote and newline escaped.
std::string label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void help(std::string& out, const char* name, const char* type, const char* text) {
  out += std::string("# HELP ") + name + ' ' + text + "\n# TYPE " + name + ' ' + type + '\n';
}

}  // namespace

void Metrics::count_decision(const std::string& profile, const std::string& action, double seconds) {
  const std::lock_guard lock(mutex_);
  ++decisions_[{profile, action}];
  ++latency_count_;
  latency_sum_ += seconds;
  for (std::size_t bucket = 0; bucket < kLatencyBuckets.size(); ++bucket) {
    if (seconds <= kLatencyBuckets[bucket]) {
      ++latency_buckets_[bucket];
      break;
    }
  }
}

void Metrics::count_audit_write(bool ok) {
  const std::lock_guard lock(mutex_);
  ++audit_writes_[ok ? "ok" : "error"];
}

void Metrics::count_error(const std::string& code) {
  const std::lock_guard lock(mutex_);
  ++errors_[code];
}

void Metrics::count_reload(bool ok) {
  const std::lock_guard lock(mutex_);
  ++reloads_[ok ? "ok" : "error"];
}

void Metrics::count_read_connection() {
  const std::lock_guard lock(mutex_);
  ++read_connections_;
}

std::string Metrics::render(const std::string& ruleset_labels) const {
  const std::lock_guard lock(mutex_);
  std::string out;
  help(out, "riskoff_ruleset_info", "gauge", "The ruleset being served (1), by name, version, sha256 and generation.");
  out += "riskoff_ruleset_info{" + ruleset_labels + "} 1\n";
  help(out, "riskoff_decisions_total", "counter", "Decisions made, by profile and action.");
  for (const auto& [key, count] : decisions_) {
    out += "riskoff_decisions_total{profile=\"" + label(key.first) + "\",action=\"" + label(key.second) + "\"} " +
           std::to_string(count) + '\n';
  }
  help(out, "riskoff_decide_seconds", "histogram", "Time to decide and render one request's decision.");
  std::uint64_t cumulative = 0;
  for (std::size_t bucket = 0; bucket < kLatencyBuckets.size(); ++bucket) {
    cumulative += latency_buckets_[bucket];
    out += "riskoff_decide_seconds_bucket{le=\"" + support::json_number(kLatencyBuckets[bucket]) + "\"} " +
           std::to_string(cumulative) + '\n';
  }
  out += "riskoff_decide_seconds_bucket{le=\"+Inf\"} " + std::to_string(latency_count_) + '\n';
  out += "riskoff_decide_seconds_sum " + support::json_number(latency_sum_) + '\n';
  out += "riskoff_decide_seconds_count " + std::to_string(latency_count_) + '\n';
  help(out, "riskoff_audit_writes_total", "counter", "Decisions appended to the audit store, by outcome.");
  for (const auto& [outcome, count] : audit_writes_) {
    out += "riskoff_audit_writes_total{outcome=\"" + outcome + "\"} " + std::to_string(count) + '\n';
  }
  help(out, "riskoff_errors_total", "counter", "Error responses, by error code.");
  for (const auto& [code, count] : errors_) {
    out += "riskoff_errors_total{code=\"" + label(code) + "\"} " + std::to_string(count) + '\n';
  }
  help(out, "riskoff_reloads_total", "counter", "Ruleset reloads, by outcome.");
  for (const auto& [outcome, count] : reloads_) {
    out += "riskoff_reloads_total{outcome=\"" + outcome + "\"} " + std::to_string(count) + '\n';
  }
  help(out, "riskoff_audit_read_connections_total", "counter",
       "Read-only audit store connections opened (each worker thread keeps its own).");
  out += "riskoff_audit_read_connections_total " + std::to_string(read_connections_) + '\n';
  return out;
}

}  // namespace riskoff::serve
