#include "serve/log.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <mutex>
#include <string_view>

#include "riskoff/riskoff.hpp"

namespace riskoff::serve {
namespace {

constexpr auto kGather = std::chrono::milliseconds(20);  // a request line waits at most about this
constexpr std::size_t kMostWaiting = 1U << 20U;           // bytes of lines before an adding thread writes them

// Lock order: `writing` before `waiting`. `writing` keeps one writer of stderr at a time, so a
// batch and an event never interleave and an event taken after a batch is written after it;
// `waiting` guards the lines not yet written, taken for an append only.
std::mutex writing;
std::mutex waiting;
std::condition_variable lines_waiting;
std::string waiting_lines;      // under `waiting`
std::string writing_lines;      // under `writing`: the batch being written (its capacity kept)
bool batching = false;          // under `waiting`: a RequestLog lives

void write_all(std::string_view bytes) {
  for (std::size_t written = 0; written < bytes.size();) {
    const ssize_t n = ::write(STDERR_FILENO, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr is gone: nothing else to tell it
    written += static_cast<std::size_t>(n);
  }
}

// Takes the lines waiting into `writing_lines`, with `writing` held.
void take_waiting() {
  writing_lines.clear();
  const std::lock_guard lock(waiting);
  writing_lines.swap(waiting_lines);
}

std::string ended(support::JsonWriter& writer) {
  writer.end_object();
  return writer.take().append(1, '\n');
}

}  // namespace

support::JsonWriter log_event(const char* event) {
  support::JsonWriter writer(support::JsonLayout::kCompact);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  writer.begin_object().field("time", format_time(std::chrono::duration_cast<std::chrono::seconds>(now).count()));
  writer.field("event", event);
  return writer;
}

void log_line(support::JsonWriter& writer) {
  const std::string line = ended(writer);
  const std::lock_guard lock(writing);
  take_waiting();
  writing_lines += line;  // one write for both
  write_all(writing_lines);
}

void RequestLog::add(support::JsonWriter& writer) {
  const std::string line = ended(writer);
  std::unique_lock lock(waiting);
  if (!batching) {
    lock.unlock();
    const std::lock_guard write_lock(writing);
    return write_all(line);
  }
  const bool first = waiting_lines.empty();
  waiting_lines += line;
  const bool full = waiting_lines.size() >= kMostWaiting;
  lock.unlock();
  if (first) lines_waiting.notify_one();
  if (full) {
    const std::lock_guard write_lock(writing);
    take_waiting();
    write_all(writing_lines);
  }
}

RequestLog::RequestLog() {
  {
    const std::lock_guard lock(waiting);
    batching = true;
  }
  writer_ = std::thread([this] { run(); });
}

RequestLog::~RequestLog() {
  {
    const std::lock_guard lock(waiting);
    stopping_ = true;
    batching = false;
  }
  lines_waiting.notify_one();
  writer_.join();
  const std::lock_guard lock(writing);
  take_waiting();
  write_all(writing_lines);
}

void RequestLog::run() {
  std::unique_lock lock(waiting);
  while (!stopping_) {
    lines_waiting.wait(lock, [this] { return stopping_ || !waiting_lines.empty(); });
    // The lines of the next kGather join this batch.
    lines_waiting.wait_for(lock, kGather, [this] { return stopping_; });
    lock.unlock();
    {
      const std::lock_guard write_lock(writing);
      take_waiting();
      write_all(writing_lines);
    }
    lock.lock();
  }
}

}  // namespace riskoff::serve
