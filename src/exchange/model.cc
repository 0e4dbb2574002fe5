#include "exchange/model.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "common/text.h"
#include "common/time.h"

namespace parley::exchange {

CollectionInput CollectionInput::parse(JsonInput& in) {
  CollectionInput c;
  c.title = in.text("title", true, 200, 1).value_or("");
  c.description = in.text("description", false, 2000).value_or("");
  c.kind = in.text("kind", true, 20).value_or("");
  c.states = in.text_list("states", false, 200, 3).value_or(std::vector<std::string>{});
  for (auto& s : c.states) s = to_upper(trim(s));
  c.people = in.text_list("people", false, 200, 64).value_or(std::vector<std::string>{});
  if (!c.kind.empty() && c.kind != "states" && c.kind != "bilateral")
    in.error("kind", "must be states or bilateral (each forum has its one forum-wide collection already)");
  if (c.kind == "bilateral" && c.states.size() != 2) in.error("states", "a bilateral collection names exactly two states");
  if (c.kind == "states" && c.states.empty()) in.error("states", "name at least one state");
  std::vector<std::string> sorted = c.states;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) in.error("states", "names a state twice");
  in.finish();
  return c;
}

std::optional<Cursor> Cursor::parse(const std::string& s) {
  const auto dot = s.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == s.size() || s.size() > 40) return std::nullopt;
  const auto digits = [](std::string_view v) { return std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }); };
  if (!digits(std::string_view(s).substr(0, dot)) || !digits(std::string_view(s).substr(dot + 1))) return std::nullopt;
  // Digits that do not fit 64 bits are no cursor this server gave (std::stoll threw).
  Cursor c;
  if (std::from_chars(s.data(), s.data() + dot, c.added_us).ec != std::errc() ||
      std::from_chars(s.data() + dot + 1, s.data() + s.size(), c.pk).ec != std::errc())
    return std::nullopt;
  return c;
}

std::string StoredObject::taxii_version() const { return version.empty() ? taxii_timestamp(added_us) : version; }

std::string taxii_timestamp(std::int64_t us) {
  const auto ms = us / 1000;
  auto s = rfc3339_from_ms(ms);   // "...SS.mmmZ"
  s.pop_back();
  return s + fmt::format("{:03d}Z", static_cast<int>(us % 1000));
}

std::optional<std::int64_t> parse_taxii_timestamp(const std::string& s) {
  // Split off digits beyond the millisecond, which parse_rfc3339_ms does not keep.
  const auto dot = s.find('.');
  if (dot == std::string::npos || s.empty() || s.back() != 'Z') {
    auto ms = parse_rfc3339_ms(s);
    if (!ms) return std::nullopt;
    return *ms * 1000;
  }
  std::string frac = s.substr(dot + 1, s.size() - dot - 2);
  if (frac.empty() || frac.size() > 9 || !std::all_of(frac.begin(), frac.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  auto ms = parse_rfc3339_ms(s.substr(0, dot) + "Z");
  if (!ms) return std::nullopt;
  frac.resize(6, '0');
  return *ms * 1000 + std::stoll(frac);
}

nlohmann::json to_json(const Collection& c) {
  nlohmann::json people = nlohmann::json::array();
  for (const auto& p : c.people_names) people.push_back(p);
  return {{"id", c.id},           {"forum", c.forum},     {"kind", c.kind},
          {"title", c.title},     {"description", c.description},
          {"states", c.states},   {"people", people},     {"created_by", c.created_by},
          {"created_at", rfc3339_from_ms(c.created_at)}};
}

}  // namespace parley::exchange
