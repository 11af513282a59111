// The one bounded reader (support/bounded_read): regular files only, limits checked while
// reading, FIFOs and devices refused without blocking; a mapped file truncated under its reader
// reads as zeros where it was cut, never SIGBUS.
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <string_view>
#include <vector>

#include "support/bounded_read.hpp"
#include "support/shrink_guard.hpp"
#include "tests/support/files.hpp"

using riskoff::ErrorKind;
using riskoff::support::Links;
using riskoff::support::Oversize;
using riskoff::support::read_file_bounded;
using riskoff::support::ReadLimit;

TEST_CASE("bounded read: a regular file within the limit is read whole", "[bounded_read]") {
  const riskoff::testing::ScratchFolder scratch("bounded-read-ok");
  const auto path = scratch.write("a.txt", "hello");
  const auto text = read_file_bounded(path, {.max_bytes = 5});
  REQUIRE(text.ok());
  CHECK(*text == "hello");
}

TEST_CASE("bounded read: a file over the limit is refused, naming the limit", "[bounded_read]") {
  const riskoff::testing::ScratchFolder scratch("bounded-read-big");
  const auto path = scratch.write("a.txt", "hello!");
  const auto text = read_file_bounded(path, {.max_bytes = 5, .what = "test files"});
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().kind == ErrorKind::kData);
  CHECK(text.error().messages.front() == "is larger than the limit of 5 bytes for test files");
  const auto prefix = read_file_bounded(path, {.max_bytes = 4, .oversize = Oversize::kKeepPrefix});
  REQUIRE(prefix.ok());
  CHECK(*prefix == "hello");  // one byte past the limit: enough for the caller to report it
}

TEST_CASE("bounded read: /dev/zero is refused at once, not read until memory runs out", "[bounded_read]") {
  const auto text = read_file_bounded("/dev/zero", {.max_bytes = 1u << 20});
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().kind == ErrorKind::kIo);
  CHECK(text.error().messages.front() == "is not a regular file (a character device); only regular files are read");
}

TEST_CASE("bounded read: a FIFO with no writer is refused without blocking", "[bounded_read]") {
  const riskoff::testing::ScratchFolder scratch("bounded-read-fifo");
  const auto path = (scratch.root / "pipe").string();
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  auto read = std::async(std::launch::async, [&] { return read_file_bounded(path, {.max_bytes = 100}); });
  REQUIRE(read.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  const auto text = read.get();
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().messages.front() == "is not a regular file (a FIFO); only regular files are read");
}

TEST_CASE("bounded read: a directory, a missing file, a refused symbolic link", "[bounded_read]") {
  const riskoff::testing::ScratchFolder scratch("bounded-read-kinds");
  CHECK(read_file_bounded(scratch.root.string(), {.max_bytes = 10}).error().messages.front() == "is a directory");
  CHECK(read_file_bounded((scratch.root / "none").string(), {.max_bytes = 10}).error().messages.front() ==
        "cannot open file");
  const auto target = scratch.write("target", "secret");
  std::filesystem::create_symlink(target, scratch.root / "link");
  const auto link = (scratch.root / "link").string();
  CHECK(read_file_bounded(link, {.max_bytes = 10}).ok());
  const auto refused = read_file_bounded(link, {.max_bytes = 10, .links = Links::kRefuse});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().messages.front() == "is a symbolic link (refused)");
}

TEST_CASE("bounded read: a stream past the limit stops one byte after it", "[bounded_read]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  REQUIRE(::write(fds[1], "0123456789", 10) == 10);
  ::close(fds[1]);
  const auto text = riskoff::support::read_descriptor_bounded(fds[0], {.max_bytes = 4, .what = "standard input"});
  ::close(fds[0]);
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().messages.front() == "is larger than the limit of 4 bytes for standard input");
}

TEST_CASE("bounded read: a file is read into its own buffer, with the padding a parser reads ahead into",
          "[bounded_read]") {
  const riskoff::testing::ScratchFolder scratch("bounded-read-padding");
  for (const std::size_t size : {std::size_t{0}, std::size_t{5}, std::size_t{29523}, std::size_t{200000}}) {
    std::string bytes(size, 'x');
    for (std::size_t k = 0; k < size; ++k) bytes[k] = static_cast<char>('a' + k % 26);
    const auto path = scratch.write("f" + std::to_string(size), bytes);
    const auto text = read_file_bounded(path, {.max_bytes = 1u << 20});
    REQUIRE(text.ok());
    CHECK(*text == bytes);
    CHECK(text->capacity() >= size + riskoff::support::kReadPadding);
  }
}

TEST_CASE("bounded read: a stream longer than one read is read whole, and stops one byte past the limit",
          "[bounded_read]") {
  std::string bytes;
  for (std::size_t k = 0; bytes.size() < 300000; ++k) bytes += std::to_string(k) + ',';
  const auto read_piped = [&](const ReadLimit& limit) {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    // A socket holds less than the stream: the writer runs beside the reader, which grows its
    // buffer as it goes (MSG_NOSIGNAL: no SIGPIPE once the reader stops at its limit).
    auto writer = std::async(std::launch::async, [&] {
      std::size_t at = 0;
      while (at < bytes.size()) {
        const ssize_t put = ::send(fds[1], bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
        if (put <= 0) break;  // the reader stopped at its limit and closed its end
        at += static_cast<std::size_t>(put);
      }
      ::close(fds[1]);
    });
    auto text = riskoff::support::read_descriptor_bounded(fds[0], limit);
    ::close(fds[0]);
    writer.wait();
    return text;
  };
  const auto whole = read_piped({.max_bytes = 1u << 20});
  REQUIRE(whole.ok());
  CHECK(*whole == bytes);
  const auto prefix = read_piped({.max_bytes = 100000, .oversize = Oversize::kKeepPrefix});
  REQUIRE(prefix.ok());
  CHECK(*prefix == bytes.substr(0, 100001));
}

TEST_CASE("bounded read: limits are written as people read them", "[bounded_read]") {
  using riskoff::support::describe_bytes;
  CHECK(describe_bytes(256u << 20) == "256 MiB");
  CHECK(describe_bytes(4096) == "4 KiB");
  CHECK(describe_bytes(1000) == "1000 bytes");
}

TEST_CASE("bounded read: a mapped file has the bytes a read gives, small files read, large ones mapped", "[bounded_read]") {
  using riskoff::support::map_file_bounded;
  using riskoff::support::MappedFile;
  const riskoff::testing::ScratchFolder scratch("bounded-read-map");
  std::string large;
  for (std::size_t k = 0; large.size() < MappedFile::kMapFrom + 4096; ++k) large += "2024-01-01," + std::to_string(k) + "\n";
  for (const auto& [name, bytes] : {std::pair<std::string, std::string>{"empty", ""}, {"small", "date,value\n2024-01-01,1\n"},
                                    {"large", large}}) {
    const auto path = scratch.write(name, bytes);
    auto mapped = map_file_bounded(path, {.max_bytes = 2 * MappedFile::kMapFrom});
    REQUIRE(mapped.ok());
    CHECK(mapped->text() == bytes);
    CHECK(mapped->mapped() == (bytes.size() >= MappedFile::kMapFrom));
    const MappedFile moved = std::move(mapped).value();  // a move keeps the bytes (and the mapping)
    CHECK(moved.text() == bytes);
  }
}

TEST_CASE("bounded read: a mapping refuses what a read refuses, in the same words", "[bounded_read]") {
  using riskoff::support::map_file_bounded;
  const riskoff::testing::ScratchFolder scratch("bounded-read-map-refused");
  const auto path = scratch.write("a.txt", "hello!");
  // Over the limit: refused even when the read would keep a prefix (a mapping has none).
  const auto big = map_file_bounded(path, {.max_bytes = 5, .what = "data files", .oversize = Oversize::kKeepPrefix});
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().messages.front() == "is larger than the limit of 5 bytes for data files");
  CHECK(map_file_bounded(scratch.root.string(), {.max_bytes = 10}).error().messages.front() == "is a directory");
  CHECK(map_file_bounded("/dev/zero", {.max_bytes = 10}).error().messages.front() ==
        "is not a regular file (a character device); only regular files are read");
  const auto fifo = (scratch.root / "pipe").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto opened = std::async(std::launch::async, [&] { return map_file_bounded(fifo, {.max_bytes = 100}); });
  REQUIRE(opened.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  CHECK(opened.get().error().messages.front() == "is not a regular file (a FIFO); only regular files are read");
}

TEST_CASE("bounded read: a mapped file truncated under its reader reads zeros past the cut and says it shrank",
          "[bounded_read]") {
  using riskoff::support::map_file_bounded;
  using riskoff::support::MappedFile;
  const riskoff::testing::ScratchFolder scratch("bounded-read-shrunk");
  const std::string bytes(MappedFile::kMapFrom + 3 * 4096, 'x');
  const auto path = scratch.write("large", bytes);
  auto mapped = map_file_bounded(path, {.max_bytes = 2 * MappedFile::kMapFrom});
  REQUIRE(mapped.ok());
  REQUIRE(mapped->mapped());
  CHECK_FALSE(mapped->shrank());
  std::filesystem::resize_file(path, 100);  // another process rewriting the file cuts it
  // Every byte read: the first page past the new end used to end the process with SIGBUS.
  const std::string_view text = mapped->text();
  REQUIRE(text.size() == bytes.size());
  CHECK(text.substr(0, 100) == bytes.substr(0, 100));
  CHECK(text.find_first_not_of('\0', 100) == std::string_view::npos);
  CHECK(mapped->shrank());
  // A file mapped afterwards, whole, has not shrunk: the watch is its own.
  const auto other = scratch.write("other", bytes);
  const auto again = map_file_bounded(other, {.max_bytes = 2 * MappedFile::kMapFrom});
  REQUIRE(again.ok());
  CHECK(again->text() == bytes);
  CHECK_FALSE(again->shrank());
}

TEST_CASE("bounded read: past the mappings that can be watched, a large file is read, not mapped", "[bounded_read]") {
  using riskoff::support::map_file_bounded;
  using riskoff::support::MappedFile;
  const riskoff::testing::ScratchFolder scratch("bounded-read-watches");
  const std::string bytes(MappedFile::kMapFrom, 'y');
  const auto path = scratch.write("large", bytes);
  std::vector<MappedFile> held;
  for (std::size_t k = 0; k < riskoff::support::shrink_guard::kWatches; ++k) {
    auto mapped = map_file_bounded(path, {.max_bytes = 2 * MappedFile::kMapFrom});
    REQUIRE(mapped.ok());
    REQUIRE(mapped->mapped());
    held.push_back(std::move(mapped).value());
  }
  const auto read = map_file_bounded(path, {.max_bytes = 2 * MappedFile::kMapFrom});
  REQUIRE(read.ok());
  CHECK_FALSE(read->mapped());
  CHECK(read->text() == bytes);
  held.pop_back();  // a watch given back is used again
  const auto remapped = map_file_bounded(path, {.max_bytes = 2 * MappedFile::kMapFrom});
  REQUIRE(remapped.ok());
  CHECK(remapped->mapped());
}
