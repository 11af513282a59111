#include "engine/sha256.hpp"

#include <array>
#include <cstdint>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define RISKOFF_SHA_NI 1
#endif

namespace riskoff::engine {
namespace {

constexpr std::array<std::uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void compress(std::array<std::uint32_t, 8>& state, const unsigned char* block) {
  std::array<std::uint32_t, 64> w{};
  for (int t = 0; t < 16; ++t) {
    w[t] = (std::uint32_t{block[4 * t]} << 24) | (std::uint32_t{block[4 * t + 1]} << 16) |
           (std::uint32_t{block[4 * t + 2]} << 8) | std::uint32_t{block[4 * t + 3]};
  }
  for (int t = 16; t < 64; ++t) {
    const std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    const std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int t = 0; t < 64; ++t) {
    const std::uint32_t big_s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const std::uint32_t choose = (e & f) ^ (~e & g);
    const std::uint32_t temp1 = h + big_s1 + choose + kRound[t] + w[t];
    const std::uint32_t big_s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const std::uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
    const std::uint32_t temp2 = big_s0 + majority;
    h = g;
    g = f;
    f = e;
    e = d + temp1;
    d = c;
    c = b;
    b = a;
    a = temp1 + temp2;
  }
  state[0] += a, state[1] += b, state[2] += c, state[3] += d;
  state[4] += e, state[5] += f, state[6] += g, state[7] += h;
}

void compress_portable(std::array<std::uint32_t, 8>& state, const unsigned char* blocks, std::size_t count) {
  for (std::size_t block = 0; block < count; ++block) compress(state, blocks + 64 * block);
}

#ifdef RISKOFF_SHA_NI
// The same compression with the x86 SHA extensions, about 20x fewer instructions: the audit
// store hashes every snapshot, trace and explanation it records, and the portable loop was half
// of what recording added to an `eval`. Chosen at run time, only where the CPU has them.
//
// The instructions keep the eight working variables as two vectors, ABEF and CDGH (A in the top
// lane); sha256rnds2 does two rounds and returns the new ABEF, the old ABEF becoming CDGH.
__attribute__((target("sha,sse4.1"))) void compress_sha_ni(std::array<std::uint32_t, 8>& state,
                                                           const unsigned char* blocks, std::size_t count) {
  // Big-endian words: reverse the bytes of each 32-bit lane.
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  const __m128i abcd = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state.data()));
  const __m128i efgh = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state.data() + 4));
  const __m128i badc = _mm_shuffle_epi32(abcd, 0xB1);  // lanes B A D C
  const __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);  // lanes H G F E
  __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);       // lanes F E B A
  __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);    // lanes H G D C
  for (std::size_t block = 0; block < count; ++block) {
    const unsigned char* bytes = blocks + 64 * block;
    const __m128i abef_before = abef;
    const __m128i cdgh_before = cdgh;
    // w[k] holds the schedule words 4k..4k+3 of the current group of sixteen.
    __m128i w[4];
    for (int k = 0; k < 4; ++k) {
      w[k] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + 16 * k)), byte_swap);
    }
    for (int group = 0; group < 16; ++group) {
      __m128i& words = w[group % 4];
      if (group >= 4) {
        // W[t..t+3] from W[t-16..t-13] (words), W[t-12..], W[t-8..] and W[t-4..t-1].
        const __m128i& w12 = w[(group + 1) % 4];
        const __m128i& w8 = w[(group + 2) % 4];
        const __m128i& w4 = w[(group + 3) % 4];
        const __m128i w7 = _mm_alignr_epi8(w4, w8, 4);  // W[t-7..t-4]
        words = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(words, w12), w7), w4);
      }
      __m128i wk = _mm_add_epi32(words, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kRound.data() + 4 * group)));
      // Two rounds: the new ABEF lands in `cdgh`, while `abef` (the old ABEF) is now CDGH; two
      // more rounds put them back in place.
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
      wk = _mm_shuffle_epi32(wk, 0x0E);  // the next two words to the low lanes
      abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }
  const __m128i abef_rev = _mm_shuffle_epi32(abef, 0x1B);  // lanes A B E F
  const __m128i ghcd = _mm_shuffle_epi32(cdgh, 0xB1);      // lanes G H C D
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state.data()), _mm_blend_epi16(abef_rev, ghcd, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state.data() + 4), _mm_alignr_epi8(ghcd, abef_rev, 8));
}

bool cpu_has_sha_ni() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool sha = (ebx >> 29) & 1u;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool sse41 = (ecx >> 19) & 1u;
  const bool ssse3 = (ecx >> 9) & 1u;
  return sha && sse41 && ssse3;
}
#endif

using CompressBlocks = void (*)(std::array<std::uint32_t, 8>&, const unsigned char*, std::size_t);

std::string hash_with(CompressBlocks compress_blocks, std::string_view data) {
  std::array<std::uint32_t, 8> state = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const std::size_t full = data.size() / 64;
  compress_blocks(state, bytes, full);
  // Padding: 0x80, zeros, then the message length in bits as a 64-bit big-endian number.
  std::array<unsigned char, 128> tail{};
  const std::size_t rest = data.size() % 64;
  for (std::size_t k = 0; k < rest; ++k) tail[k] = bytes[64 * full + k];
  tail[rest] = 0x80;
  const std::size_t tail_blocks = rest < 56 ? 1 : 2;
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  for (int k = 0; k < 8; ++k) tail[tail_blocks * 64 - 1 - k] = static_cast<unsigned char>(bits >> (8 * k));
  compress_blocks(state, tail.data(), tail_blocks);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (const std::uint32_t word : state) {
    for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(word >> shift) & 0xF];
  }
  return out;
}

CompressBlocks best_compress() {
#ifdef RISKOFF_SHA_NI
  if (cpu_has_sha_ni()) return compress_sha_ni;
#endif
  return compress_portable;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  static const CompressBlocks compress_blocks = best_compress();
  return hash_with(compress_blocks, data);
}

std::string sha256_hex_portable(std::string_view data) { return hash_with(compress_portable, data); }

bool sha256_uses_cpu_extensions() {
  static const bool uses = best_compress() != compress_portable;
  return uses;
}

}  // namespace riskoff::engine
