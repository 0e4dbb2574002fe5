// Fuzz target: the Accept-Language header (common/accept_language.h). Only a 400
// Problem naming Accept-Language may escape; accepted ranges are bounded in number,
// ordered by weight, weights within 0..1000; lookup returns one of the available
// languages or the fallback.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/accept_language.h"
#include "common/problem.h"
#include "fuzz/property.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto header = parley::fuzz::text_of(data, size);
  static const std::vector<std::string> kAvailable = {"en", "ru", "zh", "zh-Hans", "zh-Hant", "pt-BR", "sr-Latn"};
  try {
    const auto ranges = parley::parse_accept_language(header);
    FUZZ_PROPERTY(ranges.size() <= parley::kMaxLanguageRanges, "more ranges than the bound");
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      FUZZ_PROPERTY(ranges[i].q >= 0 && ranges[i].q <= 1000, "a weight outside 0..1");
      FUZZ_PROPERTY(i == 0 || ranges[i - 1].q >= ranges[i].q, "ranges not ordered by weight");
      FUZZ_PROPERTY(!ranges[i].range.empty() && ranges[i].range.size() <= size, "an empty or invented range");
    }
    const auto pick = parley::lookup_language(ranges, kAvailable, "fallback");
    bool known = pick == "fallback";
    for (const auto& a : kAvailable) known = known || pick == a;
    FUZZ_PROPERTY(known, "lookup returned a language that is not available");
  } catch (const parley::Problem& p) {
    FUZZ_PROPERTY(p.status() == 400, "a refusal that is not 400");
    FUZZ_PROPERTY(!p.errors().empty() && p.errors()[0].field == "Accept-Language", "a refusal that names no header");
  }
  return 0;
}
