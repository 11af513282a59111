// SHA-256: the FIPS 180-4 examples, and the CPU-extension path equal to the portable code on
// every length around the block and padding boundaries.
#include <catch2/catch.hpp>
#include <random>

#include "engine/sha256.hpp"

using riskoff::engine::sha256_hex;
using riskoff::engine::sha256_hex_portable;

TEST_CASE("sha256 gives the FIPS 180-4 digests", "[engine][sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(sha256_hex_portable("abc") == sha256_hex("abc"));
}

TEST_CASE("sha256 with CPU extensions equals the portable code at every length", "[engine][sha256]") {
  INFO("CPU extensions in use: " << riskoff::engine::sha256_uses_cpu_extensions());
  std::mt19937 random(20261125);
  std::string data;
  for (std::size_t length = 0; length <= 300; ++length) {
    data.resize(length);
    for (auto& byte : data) byte = static_cast<char>(random());
    INFO("length " << length);
    REQUIRE(sha256_hex(data) == sha256_hex_portable(data));
  }
  data.resize(70000);
  for (auto& byte : data) byte = static_cast<char>(random());
  CHECK(sha256_hex(data) == sha256_hex_portable(data));
}
