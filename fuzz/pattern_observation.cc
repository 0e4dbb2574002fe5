// Fuzz target: a STIX pattern against an observation (exchange/pattern.h, matcher.h).
//
// The bytes are a pattern, a newline, and one line of a log as `parley match` reads it
// (text, CSV, a JSON event, an observed-data or a cyber observable). The line is read
// into an observation (observe()) that the pattern, if it parses, is evaluated against;
// and a Matcher holding the pattern and matcher_test.cc's indicators (index, networks
// and evaluated patterns) matches the line. PatternError is the only exception a pattern
// may cause, and a line none; anything else escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "exchange/matcher.h"
#include "exchange/pattern.h"
#include "fuzz/property.h"

namespace {

using parley::exchange::Matcher;
using parley::exchange::Pattern;
using parley::exchange::PatternError;

void add_indicators(Matcher& m) {
  m.add("ip", "C2 address", "[ipv4-addr:value = '198.51.100.3']");
  m.add("net", "hosting range", "[ipv4-addr:value = '203.0.113.0/24']");
  m.add("dom", "C2 domain", "[domain-name:value = 'C2.Example.net' OR ipv4-addr:value = '192.0.2.1']");
  m.add("url", "payload", "[url:value = 'https://cdn.example.org/a/payload.bin']");
  m.add("mail", "phisher", "[email-addr:value = 'ceo@victim.example']");
  m.add("sha", "dropper", "[file:hashes.'SHA-256' = 'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C']");
  m.add("md5", "old sample", "[file:hashes.md5 = '001dd76872d80801692ff942308c64e6']");
  m.add("v6", "v6 host", "[ipv6-addr:value = '2001:db8::5']");
  m.add("like", "any exe from the CDN", "[url:value LIKE 'https://cdn.example.org/%.exe']");
  m.add("both", "address and domain together", "[ipv4-addr:value = '198.51.100.9' AND domain-name:value = 'x.example']");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = parley::fuzz::text_of(data, size);
  const auto newline = text.find('\n');
  const auto pattern_text = text.substr(0, newline);
  const auto line = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);

  Matcher matcher;
  add_indicators(matcher);
  std::optional<Pattern> pattern;
  try {
    pattern = Pattern::parse(pattern_text);
    matcher.add("fuzzed", "fuzzed", pattern_text);
  } catch (const PatternError&) {
  }

  const auto observation = parley::exchange::observe(line);
  FUZZ_PROPERTY(observation.keys.size() == observation.objects.size(), "each observed object has its key");
  if (pattern) (void)pattern->matches(observation);

  std::vector<Matcher::Hit> hits;
  matcher.match_line(line, hits);
  std::set<std::uint32_t> seen;
  for (const auto& h : hits) {
    FUZZ_PROPERTY(h.indicator < matcher.indicators().size(), "a hit names an indicator");
    FUZZ_PROPERTY(seen.insert(h.indicator).second, "an indicator hits a line once");
  }
  (void)parley::exchange::IpNetwork::parse(line);
  return 0;
}
