// Matcher: which indicators the observations of a log, event stream or CSV hit.
//
// Indicators whose pattern is one observation of equalities (`[ipv4-addr:value =
// '198.51.100.3' OR domain-name:value = 'c2.example']`, IN sets included) go into a
// hash index of exact values, and an IPv4/IPv6 network compared with = into a list of
// networks; any other supported pattern is evaluated on each observation. Each input
// line is one observation: a STIX observed-data object or a cyber observable as JSON,
// any other JSON event (its string values are scanned), or text and CSV, scanned for
// IPv4 and IPv6 addresses, domain names, URLs, e-mail addresses and MD5, SHA-1,
// SHA-256 and SHA-512 hashes. Values are compared as STIX defines them: domain names and
// hashes without regard to case.
//
// Thread-safety: add() before matching, from one thread; match_line() is const and may
// then run on several threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "exchange/pattern.h"

namespace parley::exchange {

class Matcher {
 public:
  struct Indicator {
    std::string id;
    std::string name;
  };
  struct Hit {
    std::uint32_t indicator;   // index into indicators()
    std::string value;         // what was seen ("" for a pattern evaluated as a whole)
  };

  // Throws PatternError when the pattern is malformed or uses a refused construct.
  void add(const std::string& id, const std::string& name, std::string_view pattern);

  // The hits of one line (one observation), appended to `hits`, each indicator once.
  void match_line(std::string_view line, std::vector<Hit>& hits) const;

  const std::vector<Indicator>& indicators() const { return indicators_; }
  std::size_t exact_values() const { return exact_.size(); }
  std::size_t evaluated_patterns() const { return patterns_.size(); }

 private:
  std::vector<Indicator> indicators_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> exact_;   // index key -> indicators
  // A blocked Bloom filter over exact_'s keys (two bits in one 64-bit word per key, 16
  // bits per key): most observables in a log match nothing, and this answers "no" from
  // one word of a table a few MB large instead of a walk through the hash map's nodes.
  std::vector<std::uint64_t> bloom_;
  void bloom_add(std::size_t hash);
  bool bloom_may_have(std::size_t hash) const;
  std::vector<std::pair<IpNetwork, std::uint32_t>> networks_;
  std::vector<std::pair<Pattern, std::uint32_t>> patterns_;
};

// The observation a line stands for (for patterns evaluated as a whole).
Observation observe(std::string_view line);

}  // namespace parley::exchange
