// The lines `riskoff serve` writes on stderr: one JSON object per line, machine-readable. Events
// (listening, draining, alerts, reloads, stopped) are written as they happen; the one `request`
// line per answer is gathered and written in batches (RequestLog), always before any later event,
// so the log keeps the order things happened in.
#pragma once

#include <condition_variable>
#include <string>
#include <thread>

#include "support/json_writer.hpp"

namespace riskoff::serve {

// A compact writer with the line's time and event; log_line() ends and writes it.
support::JsonWriter log_event(const char* event);
// Writes the event's line now, after every request line still waiting.
void log_line(support::JsonWriter& writer);

// NOTE(serve): one write(2) per request line was a tenth of a summary decide's server CPU. While
// a RequestLog lives, request lines wait in memory and a thread of its own writes them every
// 20 ms; a thread adding a line that finds 1 MiB waiting writes them itself (stderr that is not
// read holds the requests back, as one write per line did). Nothing is lost on a drain: the
// draining and stopped lines write what waits first, and so does the destructor. Without one,
// each line is written at once.
class RequestLog {
 public:
  RequestLog();
  ~RequestLog();
  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;

  // One request's line (the writer ended here); thread-safe.
  static void add(support::JsonWriter& writer);

 private:
  void run();
  bool stopping_ = false;  // under the lines' mutex (log.cpp)
  std::thread writer_;
};

}  // namespace riskoff::serve
