// Moving a chain between stores (`riskoff audit export --format chain`, `riskoff audit import`),
// between SQLite and PostgreSQL in either direction: every stored field of every record, with the
// ruleset closures and snapshots they name, so the records arrive as the same bytes with the
// same hashes, each appended only as the next link of the destination's chain
// (AuditStore::append_verbatim) and the whole chain verified on arrival. docs/audit.md
// describes the format (riskoff.audit-chain/1).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "audit/store.hpp"

namespace riskoff::audit {

inline constexpr const char* kChainFormat = "riskoff.audit-chain/1";
// The longest line import reads (a record with its documents, or a snapshot): the file is data,
// not trusted, and a line is held in memory whole. A recorded decision's snapshot and documents
// are kilobytes; a ruleset closure line is its rule files' text.
inline constexpr std::size_t kMaxChainLine = 8u << 20;

// Writes the chain, oldest first: a header line, then each ruleset closure and snapshot before
// the first record that names it, then the record. Records are written as stored, tampered ones
// too (import refuses them). Returns how many records.
std::int64_t write_chain(const AuditStore& store, std::ostream& out);

struct ImportReport {
  std::int64_t imported = 0;  // appended now
  std::int64_t present = 0;   // already in the destination, the same record (an import resumed)
  VerifyReport verified;      // the destination's chain after the import
};

// Appends the chain read from `in` (named `source` in messages) to `store`: the whole file is
// read and checked first (held in memory), then appended in one transaction, so a refused file
// writes nothing. Records the destination already holds are skipped when they are the same
// record (same id and hash), so an import can be run again. Throws AuditError, its message
// ending "; nothing imported": kNotAStore for a line that is not of the format (naming the line
// and what was expected: a truncated last line, a line over kMaxChainLine, a hash that is not 64
// hex digits, a duplicated or out-of-order id, a chain not starting at the genesis hash),
// kDamaged for a record that does not verify or does not continue the destination's chain.
ImportReport read_chain(AuditStore& store, std::istream& in, const std::string& source);

}  // namespace riskoff::audit
