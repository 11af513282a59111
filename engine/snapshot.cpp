#include "engine/snapshot.hpp"

#include "support/time.hpp"

namespace riskoff::engine {

std::optional<Timestamp> parse_timestamp(std::string_view text) { return support::parse_utc(text); }

std::string format_timestamp(Timestamp time) { return support::format_utc(time); }

}  // namespace riskoff::engine
