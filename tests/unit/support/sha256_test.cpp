// SHA-256 through nettle: the FIPS 180-4 examples, and a differential test against coreutils'
// sha256sum (an independent implementation, run as a process) at every length around the
// block and padding boundaries and a few long inputs.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "support/sha256.hpp"

using riskoff::support::sha256_hex;
namespace fs = std::filesystem;

TEST_CASE("sha256 gives the FIPS 180-4 digests", "[support][sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 agrees with coreutils' sha256sum on random inputs of every length", "[support][sha256]") {
  const fs::path folder = fs::temp_directory_path() / ("riskoff-sha256-" + std::to_string(std::random_device{}()));
  fs::create_directories(folder);
  std::mt19937 random(20261125);
  std::map<std::string, std::string> ours;  // file name -> our digest
  std::vector<std::size_t> lengths;
  for (std::size_t length = 0; length <= 300; ++length) lengths.push_back(length);
  for (const std::size_t length : {1000u, 4095u, 4096u, 65537u, 1000003u}) lengths.push_back(length);
  for (const std::size_t length : lengths) {
    std::string data(length, '\0');
    for (auto& byte : data) byte = static_cast<char>(random());
    const std::string name = "input-" + std::to_string(length);
    std::ofstream(folder / name, std::ios::binary) << data;
    ours[name] = sha256_hex(data);
  }
  // One sha256sum process for all files: "DIGEST  PATH" per line.
  const std::string command = "cd '" + folder.string() + "' && sha256sum input-*";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  while (const std::size_t read = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, read);
  REQUIRE(pclose(pipe) == 0);
  fs::remove_all(folder);
  std::istringstream lines(output);
  std::string digest, name;
  std::size_t compared = 0;
  while (lines >> digest >> name) {
    INFO(name);
    REQUIRE(ours.count(name) == 1);
    CHECK(ours[name] == digest);
    ++compared;
  }
  CHECK(compared == ours.size());
}
