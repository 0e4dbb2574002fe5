// Fuzz target: TAXII 2.1's query parameters (exchange/taxii_filter.h) and its
// timestamps (parse_taxii_timestamp, exchange/model.h).
//
// The bytes are a query string, as it follows '?' in a TAXII request: decoded with
// parse_query (as http/server.cc does) and read by taxii_filter with the parameters of
// each TAXII endpoint that takes a filter. A refusal is a 400 Problem naming a field;
// anything else escaping is a finding. Each value is also read as a timestamp.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "exchange/model.h"
#include "exchange/taxii_filter.h"
#include "fuzz/property.h"
#include "http/message.h"

namespace {

using parley::Problem;

// The parameters of objects and manifest; an object; DELETE of an object; versions.
const std::vector<std::vector<std::string>> kEndpoints = {
    {"added_after", "limit", "next", "match[id]", "match[type]", "match[version]", "match[spec_version]"},
    {"added_after", "limit", "next", "match[version]", "match[spec_version]"},
    {"match[version]", "match[spec_version]"},
    {"added_after", "limit", "next", "match[spec_version]"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = parley::fuzz::text_of(data, size);
  parley::http::Request req;
  req.method = "GET";
  req.path = "/taxii2/CICA/collections/x/objects/";
  req.target = req.path + "?" + std::string(text);
  req.query = parley::http::parse_query(text);
  for (const auto& known : kEndpoints) {
    try {
      const auto f = parley::exchange::taxii_filter(req, known);
      FUZZ_PROPERTY(f.limit >= 1 && f.limit <= 10000, "a page is 1 to 10,000 objects");
      if (req.query_param("added_after")) FUZZ_PROPERTY(f.added_after_us.has_value(), "added_after is read");
      if (f.after) FUZZ_PROPERTY(parley::exchange::Cursor::parse(f.after->text()).has_value(), "a cursor reads back");
    } catch (const Problem& p) {
      FUZZ_PROPERTY(p.status() == 400, "a bad TAXII query is a 400");
      FUZZ_PROPERTY(!p.errors().empty(), "a bad TAXII query names the parameter");
    }
  }
  for (const auto& [key, value] : req.query) (void)parley::exchange::parse_taxii_timestamp(value);
  (void)parley::exchange::parse_taxii_timestamp(std::string(text));
  return 0;
}
