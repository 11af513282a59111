// What the JSON readers share (json_readers.cpp, market_json_readers.cpp): loading a provider's
// answer through its schema, and reading numbers and times the way providers write them.
// Internal to adapters/.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "adapters/json_schema.hpp"
#include "adapters/read_support.hpp"

namespace riskoff::adapters::detail {

// The validated document, or nothing with every reason given to `builder`: an error page
// (HTML, `No data`, a rate-limit text) rather than JSON's own message when the text looks like one.
std::optional<nlohmann::json> load_json(std::string_view text, const schema::Node& root, Builder& builder);
// A finite number, or a string that is one ("0.00010000") read strictly.
bool json_number(const nlohmann::json& value, double& out);
// Milliseconds (13 digits) or microseconds (16) since 1970, as a number or a string: seconds.
bool json_time_ms(const nlohmann::json& value, engine::Timestamp& out);

}  // namespace riskoff::adapters::detail
