// A reply of `riskoff serve` that is an error: its status and code, and a message that names
// what is wrong (the serve tests' shared check).
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "tests/serve/server_process.hpp"

namespace riskoff::test {

inline void check_error(const Reply& reply, int status, const std::string& code, const std::string& message_part) {
  INFO(reply.text);
  CHECK(reply.status == status);
  REQUIRE(reply.body.is_object());
  CHECK(reply.body.at("error").at("code") == code);
  CHECK(reply.body.at("error").at("messages").dump().find(message_part) != std::string::npos);
}

}  // namespace riskoff::test
