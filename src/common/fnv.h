// 64-bit FNV-1a of a string, as a signed integer (an SQL INTEGER/BIGINT). Stable across
// builds and machines: stored hashes (STIX ids) and cluster-wide lock keys rely on it.
// Not a cryptographic hash. Thread-safe (a pure function).
#pragma once

#include <cstdint>
#include <string_view>

namespace parley {

constexpr std::int64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return static_cast<std::int64_t>(h);
}

}  // namespace parley
