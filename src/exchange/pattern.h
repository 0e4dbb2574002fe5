// STIX 2.1 patterning (STIX 2.1, section 9; the ANTLR grammar in the OASIS schemas'
// pattern_grammar): parsing into a tree and evaluating it against observations.
//
// Supported: comparisons with =, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET,
// ISSUPERSET (IPv4/IPv6 CIDR), EXISTS and NOT; AND/OR within an observation expression
// and across observation expressions; object paths with quoted keys
// (file:hashes.'SHA-256'), list indexes and [*], and references followed through
// *_ref / *_refs[*]. MATCHES runs under PCRE2 match, depth and heap limits (JIT where
// available); a match that exceeds them counts as no match. An ipv4-addr/ipv6-addr value compared with = to a CIDR literal
// matches the addresses in the network. Everything else the grammar allows — FOLLOWEDBY,
// the WITHIN, REPEATS and START/STOP qualifiers — is parsed and refused with a
// PatternError naming the construct: Parley matches what was observed, not when.
//
// Thread-safety: a Pattern is immutable after parse(); evaluate() may be called from
// several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace parley::exchange {

// Parentheses in a pattern nest at most this deep; deeper is a syntax error (a pattern
// is written by another state: it must not be able to exhaust a reader's stack).
inline constexpr std::size_t kMaxPatternDepth = 64;

class PatternError : public std::runtime_error {
 public:
  PatternError(const std::string& what, std::size_t offset, bool unsupported)
      : std::runtime_error(what + " (at character " + std::to_string(offset + 1) + ")"),
        offset_(offset),
        unsupported_(unsupported) {}
  std::size_t offset() const { return offset_; }
  // True when the pattern is valid STIX but uses a construct Parley refuses.
  bool unsupported() const { return unsupported_; }

 private:
  std::size_t offset_;
  bool unsupported_;
};

// One observation: the cyber observables seen together (an observed-data's objects,
// keyed as there, or what one log line contained).
struct Observation {
  std::vector<nlohmann::json> objects;   // each with "type"; optional "id" or key for _ref
  std::vector<std::string> keys;         // observed-data's key of each object ("0", …) or ""
};

struct PathStep {
  enum Kind { kKey, kIndex, kAnyIndex } kind = kKey;
  std::string key;
  std::int64_t index = 0;
};

struct ObjectPath {
  std::string type;
  std::vector<PathStep> steps;
  std::string text() const;   // "file:hashes.'SHA-256'"
};

struct Literal {
  enum Kind { kString, kInt, kFloat, kBool, kTimestamp, kBinary, kHex } kind = kString;
  std::string text;   // string value (unescaped), timestamp, base64 or hex digits
  double number = 0;
  bool boolean = false;
};

struct Comparison {
  enum Op { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kLike, kMatches, kIsSubset, kIsSuperset, kExists } op = kEq;
  bool negated = false;
  ObjectPath path;
  std::vector<Literal> values;   // one, or the set of IN
  std::shared_ptr<const void> regex;   // compiled MATCHES expression
};

struct ComparisonExpr {
  enum Kind { kTest, kAnd, kOr } kind = kTest;
  Comparison test;
  std::vector<ComparisonExpr> children;
};

struct ObservationExpr {
  enum Kind { kObservation, kAnd, kOr } kind = kObservation;
  ComparisonExpr comparison;
  std::vector<ObservationExpr> children;
};

class Pattern {
 public:
  // Throws PatternError (syntax errors and refused constructs, with the position).
  static Pattern parse(std::string_view text);

  // Whether the observations (seen together: a log, an event stream) satisfy it.
  bool matches(const std::vector<Observation>& observations) const;
  bool matches(const Observation& observation) const;

  // When the whole pattern is one observation of equality tests joined by OR, each
  // `type:path = 'value'` (with IN expanded): the exact values an index can look up.
  struct Equality {
    std::string path;    // ObjectPath::text()
    std::string value;
  };
  std::optional<std::vector<Equality>> equalities() const;

  const ObservationExpr& root() const { return root_; }

 private:
  ObservationExpr root_;
};

// IP networks for ISSUBSET/ISSUPERSET: "10.0.0.0/8", "2001:db8::/32" or one address.
struct IpNetwork {
  bool v6 = false;
  unsigned char bytes[16] = {};
  int prefix = 0;
  static std::optional<IpNetwork> parse(std::string_view text);
  bool contains(const IpNetwork& other) const;   // other is within this network
};

}  // namespace parley::exchange
