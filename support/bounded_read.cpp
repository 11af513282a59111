#include "support/bounded_read.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

#include "support/huge_pages.hpp"
#include "support/shrink_guard.hpp"

namespace riskoff::support {
namespace {

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Closes the descriptor on every path out of read_file_bounded.
struct Descriptor {
  int fd = -1;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string describe_bytes(std::uint64_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

std::string too_large_message(const ReadLimit& limit) {
  const std::string readable = describe_bytes(limit.max_bytes);
  const std::string exact = std::to_string(limit.max_bytes) + " bytes";
  return "is larger than the limit of " + readable + (readable == exact ? "" : " (" + exact + ")") + " for " +
         std::string(limit.what);
}

namespace {

// One read(2) into [at, at + room), again when a signal interrupted it: how many bytes it read,
// 0 at the end of the file.
Result<std::size_t> read_once(int fd, char* at, std::size_t room) {
  for (;;) {
    const ssize_t got = ::read(fd, at, room);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR) return Error(ErrorKind::kIo, std::string("read error: ") + std::strerror(errno));
  }
}

// Reads to the end into `text`, straight into its spare capacity (a file's text is reserved to
// its size, so its bytes are read where they stay: no copy through a buffer on the stack); a
// full string grows by 64 KiB (standard input, a file that grew). `size`, a regular file's
// size when it was opened: a read that stops short there is its end (a regular file reads short
// only at its end), so no second read is made to be told so.
Result<std::string> read_into(int fd, const ReadLimit& limit, std::string text,
                              std::uint64_t size = std::numeric_limits<std::uint64_t>::max()) {
  constexpr std::size_t kStep = 1 << 16;
  for (;;) {
    const std::size_t held = text.size();
    if (held == text.capacity()) text.reserve(held + kStep);
    // Stop one byte past the limit: enough to know it is exceeded, never the whole file.
    const std::size_t room = static_cast<std::size_t>(
        std::min<std::uint64_t>(text.capacity() - held, limit.max_bytes + 1 - held));
    text.resize(held + room);
    const auto got = read_once(fd, text.data() + held, room);
    text.resize(held + (got ? *got : 0));
    if (!got) return got.error();
    if (*got == 0) break;
    if (text.size() > limit.max_bytes) {
      if (limit.oversize == Oversize::kKeepPrefix) return text;
      return Error(ErrorKind::kData, too_large_message(limit));
    }
    if (text.size() == size && *got < room) break;
  }
  return text;
}

}  // namespace

Result<std::string> read_descriptor_bounded(int fd, const ReadLimit& limit) { return read_into(fd, limit, {}); }

namespace {

// Opens a regular file for reading, within the limit when the limit refuses larger files.
// O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever. The kind is checked
// on the opened descriptor, so a file swapped after a stat() cannot slip through.
Result<std::uint64_t> open_regular(const std::string& path, const ReadLimit& limit, Descriptor& file) {
  int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
  if (limit.links == Links::kRefuse) flags |= O_NOFOLLOW;
  file.fd = ::open(path.c_str(), flags);
  if (file.fd < 0) {
    if (errno == ELOOP && limit.links == Links::kRefuse) return Error(ErrorKind::kIo, "is a symbolic link (refused)");
    if (errno == ENOENT || errno == ENOTDIR) return Error(ErrorKind::kIo, "cannot open file");
    return Error(ErrorKind::kIo, std::string("cannot open file: ") + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) return Error(ErrorKind::kIo, std::string("cannot stat file: ") + std::strerror(errno));
  if (S_ISDIR(info.st_mode)) return Error(ErrorKind::kIo, "is a directory");
  if (!S_ISREG(info.st_mode)) {
    return Error(ErrorKind::kIo, std::string("is not a regular file (") + kind_of(info.st_mode) + "); only regular files are read");
  }
  if (limit.oversize == Oversize::kRefuse && static_cast<std::uint64_t>(info.st_size) > limit.max_bytes) {
    return Error(ErrorKind::kData, too_large_message(limit));
  }
  // O_NONBLOCK stays: it has no effect on a regular file (open(2)), and clearing it cost two
  // fcntl calls per file (78 monthly dumps: 156 system calls).
  return static_cast<std::uint64_t>(info.st_size);
}

}  // namespace

Result<std::string> read_file_bounded(const std::string& path, const ReadLimit& limit) {
  Descriptor file;
  const auto size = open_regular(path, limit, file);
  if (!size) return size.error();
  // One allocation of the file's size and the padding (the header says why): a string grown by
  // doubling would briefly hold the old and the new buffer, twice the file.
  std::string text;
  text.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*size, limit.max_bytes)) + 1 + kReadPadding);
  // Read into 2 MiB pages when large: an 82 MB snapshot read into 4 KiB pages took ~0.3 s of
  // page faults here, into 2 MiB pages ~0.02 s (support/huge_pages.hpp). Only from 32 MiB, the
  // most glibc's malloc serves from its heap (its largest mmap threshold): a block that size is a
  // mapping of its own, unmapped when freed, so the advice never outlives it on the heap, where
  // khugepaged could grow a long-running server's memory by 2 MiB pages.
  constexpr std::size_t kAdviseFrom = std::size_t{32} << 20;
  if (text.capacity() >= kAdviseFrom) advise_huge_pages(text.data(), text.capacity());
  return read_into(file.fd, limit, std::move(text), *size);
}

namespace {

void unmap(void* data, std::size_t size, int watch) {
  if (!data) return;
  shrink_guard::release(watch);  // before the addresses can be mapped again for another file
  ::munmap(data, size);
}

}  // namespace

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)),
      watch_(std::exchange(other.watch_, -1)), read_(std::move(other.read_)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    unmap(data_, size_, watch_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    watch_ = std::exchange(other.watch_, -1);
    read_ = std::move(other.read_);
  }
  return *this;
}

MappedFile::~MappedFile() { unmap(data_, size_, watch_); }

bool MappedFile::shrank() const { return data_ && shrink_guard::shrank(watch_); }

Result<MappedFile> map_file_bounded(const std::string& path, const ReadLimit& limit) {
  ReadLimit refusing = limit;
  refusing.oversize = Oversize::kRefuse;  // a mapping has no prefix to keep: its size is known
  Descriptor file;
  const auto size = open_regular(path, refusing, file);
  if (!size) return size.error();
  MappedFile mapped;
  const auto read_whole = [&]() -> Result<MappedFile> {
    // One allocation of the file's size and a byte more (to see it end), not zero-filled first:
    // the bytes are read where they stay.
    const auto wanted = static_cast<std::size_t>(*size);
    auto bytes = std::make_unique_for_overwrite<char[]>(wanted + 1);
    std::size_t held = 0;
    for (;;) {
      const std::size_t room = wanted + 1 - held;
      const auto got = read_once(file.fd, bytes.get() + held, room);
      if (!got) return got.error();
      held += *got;
      // A regular file reads short only at its end: where it was sized, no second read is needed
      // to be told so.
      if (*got == 0 || (held == wanted && *got < room)) break;
      if (held == wanted + 1) {
        // It grew since it was opened: the rest as read_file_bounded reads, within the limit.
        std::string grown(bytes.get(), held);
        grown.reserve(held + (1 << 16));
        auto text = read_into(file.fd, refusing, std::move(grown));
        if (!text) return text.error();
        bytes = std::make_unique_for_overwrite<char[]>(text->size());
        std::memcpy(bytes.get(), text->data(), text->size());
        held = text->size();
        break;
      }
    }
    mapped.read_ = std::move(bytes);
    mapped.size_ = held;
    return std::move(mapped);
  };
  if (*size < MappedFile::kMapFrom) return read_whole();
  // Not populated: a windowed read touches only its header and newest rows (the lines between
  // are counted only when a message names a row, adapters::SkippedLines).
  void* data = ::mmap(nullptr, static_cast<std::size_t>(*size), PROT_READ, MAP_PRIVATE, file.fd, 0);
  if (data == MAP_FAILED) return Error(ErrorKind::kIo, std::string("cannot map file: ") + std::strerror(errno));
  const int watch = shrink_guard::watch(data, static_cast<std::size_t>(*size));
  if (watch < 0) {
    // Every watch is taken: a mapping nothing watches would end the process if the file shrank.
    ::munmap(data, static_cast<std::size_t>(*size));
    return read_whole();
  }
  mapped.data_ = data;
  mapped.size_ = static_cast<std::size_t>(*size);
  mapped.watch_ = watch;
  return mapped;
}

}  // namespace riskoff::support
