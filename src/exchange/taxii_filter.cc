#include "exchange/taxii_filter.h"

#include <algorithm>

#include "common/text.h"
#include "exchange/stix_validate.h"

namespace parley::exchange {

using http::Request;

namespace {

// The values of a repeatable, comma-separated parameter (match[type]=a,b&match[type]=c).
std::vector<std::string> values(const Request& req, const std::string& key) {
  std::vector<std::string> out;
  auto [a, b] = req.query.equal_range(key);
  for (auto it = a; it != b; ++it)
    for (auto& v : split(it->second, ','))
      if (!trim(v).empty()) out.push_back(trim(v));
  return out;
}

}  // namespace

ObjectFilter taxii_filter(const Request& req, std::vector<std::string> known) {
  req.refuse_unknown_params(known);
  ObjectFilter f;
  std::vector<FieldError> errors;
  const auto has = [&](const char* k) { return std::find(known.begin(), known.end(), k) != known.end(); };
  if (auto a = req.query_param("added_after")) {
    f.added_after_us = parse_taxii_timestamp(*a);
    if (!f.added_after_us) errors.push_back({"added_after", "must be a timestamp like 2024-05-01T10:00:00.000Z"});
  }
  if (has("match[id]")) f.ids = values(req, "match[id]");
  if (has("match[type]")) f.types = values(req, "match[type]");
  if (has("match[version]")) {
    f.versions = values(req, "match[version]");
    for (const auto& v : f.versions)
      if (v != "last" && v != "first" && v != "all" && !timestamp_key(v))
        errors.push_back({"match[version]", "must be last, first, all or a timestamp"});
  }
  if (has("match[spec_version]")) f.spec_versions = values(req, "match[spec_version]");
  if (has("limit")) f.limit = static_cast<std::size_t>(req.int_query("limit", 1000, 1, 10000));
  if (has("next"))
    if (auto n = req.query_param("next")) {
      f.after = Cursor::parse(*n);
      if (!f.after) errors.push_back({"next", "is not a value this server gave"});
    }
  if (!errors.empty()) throw Problem::bad_request("Some query parameters are not valid.", std::move(errors));
  return f;
}

}  // namespace parley::exchange
