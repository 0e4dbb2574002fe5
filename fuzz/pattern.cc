// Fuzz target: a STIX pattern (exchange/pattern.h), and an indicator made of it in the
// Matcher (exchange/matcher.h).
//
// The bytes are a pattern. If it parses, it is evaluated against a fixed set of
// observations (addresses, a domain, a file with hashes, an e-mail with references, a
// network flow: what pattern_test.cc observes), its equalities are taken, and it is
// added to a Matcher that then reads a few fixed log lines. PatternError is the only
// exception a pattern may cause; anything else escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "exchange/matcher.h"
#include "exchange/pattern.h"
#include "fuzz/property.h"

namespace {

using nlohmann::json;
using parley::exchange::Observation;
using parley::exchange::Pattern;
using parley::exchange::PatternError;

Observation obs(std::vector<json> objects) {
  Observation o;
  for (std::size_t i = 0; i < objects.size(); ++i) o.keys.push_back(std::to_string(i));
  o.objects = std::move(objects);
  return o;
}

const std::vector<Observation>& observations() {
  static const std::vector<Observation> seen = {
      obs({{{"type", "ipv4-addr"}, {"value", "198.51.100.3"}}, {{"type", "domain-name"}, {"value", "evil.example"}}}),
      obs({{{"type", "ipv6-addr"}, {"value", "2001:db8:1::5"}}, {{"type", "ipv4-addr"}, {"value", "198.51.0.0/16"}}}),
      obs({{{"type", "file"},
            {"name", "Final Report 2024.exe"},
            {"size", 10},
            {"hashes", {{"SHA-256", "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c"},
                        {"MD5", "001dd76872d80801692ff942308c64e6"}}}}}),
      obs({{{"type", "email-message"},
            {"is_multipart", true},
            {"from_ref", "1"},
            {"body_multipart", json::array({{{"body_raw_ref", "2"}}})}},
           {{"type", "email-addr"}, {"value", "ceo@victim.example"}},
           {{"type", "file"}, {"name", "Final Report Q3.exe"}, {"size", 20.5}}}),
      obs({{{"type", "network-traffic"}, {"dst_ref", "1"}, {"src_ref", "9"}, {"protocols", {"tcp", "ipv4"}}},
           {{"type", "ipv4-addr"}, {"value", "203.0.113.5"}},
           {{"type", "url"}, {"value", "https://cdn.example.org/a/payload.bin"}},
           {{"type", "x509-certificate"}, {"validity_not_before", "2024-05-01T10:00:00Z"}, {"is_self_signed", false}}}),
      obs({{{"type", "ipv4-addr"}}, {{"type", "file"}, {"hashes", nullptr}, {"name", 7}}, json::object()}),
  };
  return seen;
}

constexpr const char* kLines[] = {
    "Nov 23 10:00:01 fw1 DROP src=198.51.100.3:443 dst=10.0.0.1 host=evil.example",
    "GET https://cdn.example.org/a/payload.bin HTTP/1.1 from 203.0.113.77 [2001:db8::5]:443",
    "av: ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c quarantined <ceo@victim.example>",
    R"({"type":"observed-data","objects":{"0":{"type":"file","name":"a.exe","hashes":{"MD5":"001DD76872D80801692FF942308C64E6"}}}})",
    R"({"type":"ipv4-addr","value":"198.51.100.3"})",
    R"({"event":"dns","answer":{"name":"c2.example.net","ttl":60}})",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = parley::fuzz::text_of(data, size);
  try {
    const auto pattern = Pattern::parse(text);
    for (const auto& o : observations()) (void)pattern.matches(o);
    (void)pattern.matches(observations());
    if (auto eqs = pattern.equalities())
      for (const auto& e : *eqs) FUZZ_PROPERTY(!e.path.empty(), "an equality names its path");
  } catch (const PatternError& e) {
    FUZZ_PROPERTY(e.offset() <= size, "a pattern error points into the pattern");
    return 0;
  }
  parley::exchange::Matcher matcher;
  matcher.add("indicator--1", "fuzzed", text);   // parsed above: must not throw now
  matcher.add("indicator--2", "C2 address", "[ipv4-addr:value = '198.51.100.3']");
  std::vector<parley::exchange::Matcher::Hit> hits;
  for (const char* line : kLines) matcher.match_line(line, hits);
  for (const auto& h : hits) FUZZ_PROPERTY(h.indicator < matcher.indicators().size(), "a hit names an indicator");
  return 0;
}
