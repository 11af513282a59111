// riskoff's one error idiom outside the rule language: a factory or an operation that can fail
// on what the user gave it returns Result<T>: a value, or an Error with a typed kind and the
// messages that name the file, field, input or option at fault. Problems inside rule text stay
// diagnostics (Problem, with file:line:col); failures of the host are IoError (riskoff.hpp).
//
// Result is a plain value type: copy and move it freely; it is as thread-safe as T.
//
//   riskoff::Result<riskoff::Decision> result = riskoff::decide(ruleset, snapshot, {.profile = "swing"});
//   if (!result) { for (const auto& m : result.error().messages) std::cerr << m << '\n'; return 1; }
//   std::cout << result->action() << '\n';
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "riskoff/export.h"

namespace riskoff {

// What an error is about. The command line maps each kind to one exit code (docs/cli.md):
// kUsage and kIo exit 2, every other kind exits 1.
enum class ErrorKind : std::uint8_t {
  kUsage,     // the options: an unknown profile, a malformed override, a bad argument
  kRuleset,   // the rule text does not check (its problems are diagnostics)
  kSnapshot,  // the snapshot does not parse or does not fit the ruleset
  kData,      // a data file, manifest or history does not read or does not fit
  kStore,     // a store that is not a riskoff store, damaged, newer, or a record that no longer verifies
  kIo,        // a named file cannot be read or written
};

// The spelling used in messages and JSON: "usage", "ruleset", "snapshot", "data", "store", "io".
RISKOFF_API const char* error_kind_name(ErrorKind kind);

// How to open a store (the audit log, the registry, the history store). A file that is there
// must be a store of that kind; an empty one (0 bytes, or SQLite without tables) is not taken
// for a new store unless the caller says so (kCreateInEmptyFile): it may be a store that lost
// its content, and a new chain in it would hide that.
// - kExisting: the file must be there (else ErrorKind::kIo); read and write; an older store is
//   migrated forward.
// - kCreate: as kExisting, and a missing file is made (with its folders) as a new store.
// - kReadOnly: as kExisting, but nothing is ever written: no migration, no WAL fold; opens a
//   store on read-only media or an archived copy. Writing through it is ErrorKind::kIo.
// - kCreateInEmptyFile: as kCreate, and an existing empty file becomes a new store
//   (`eval --record --create`, `data import --create`).
enum class OpenMode : std::uint8_t { kExisting, kCreate, kReadOnly, kCreateInEmptyFile };

struct Error {
  ErrorKind kind = ErrorKind::kUsage;
  std::vector<std::string> messages;  // at least one; lowercase, names in `backticks`

  Error() = default;
  Error(ErrorKind error_kind, std::string message) : kind(error_kind), messages{std::move(message)} {}
  Error(ErrorKind error_kind, std::vector<std::string> error_messages)
      : kind(error_kind), messages(std::move(error_messages)) {}
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}        // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}    // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Preconditions: ok() for value(), !ok() for error(); otherwise std::logic_error.
  T& value() & { return checked_value(); }
  const T& value() const& { return const_cast<Result*>(this)->checked_value(); }
  T&& value() && { return std::move(checked_value()); }
  T* operator->() { return &checked_value(); }
  const T* operator->() const { return &const_cast<Result*>(this)->checked_value(); }
  T& operator*() & { return checked_value(); }
  const T& operator*() const& { return const_cast<Result*>(this)->checked_value(); }

  const Error& error() const {
    if (ok()) throw std::logic_error("riskoff::Result::error() on a result that holds a value");
    return std::get<1>(state_);
  }

 private:
  T& checked_value() {
    if (!ok()) throw std::logic_error("riskoff::Result::value() on an error: " + std::get<1>(state_).messages.front());
    return std::get<0>(state_);
  }
  std::variant<T, Error> state_;
};

}  // namespace riskoff
