#include "directory/names.h"

namespace parley::directory {

std::vector<std::string> state_languages(storage::Connection& c) {
  std::vector<std::string> out;
  for (const auto& r : c.query("SELECT DISTINCT language FROM state_names")) out.push_back(r.text("language"));
  return out;
}

std::string pick_language(const nlohmann::json& names, const Languages& ranges) {
  if (!names.is_object() || names.empty()) return "";
  std::vector<std::string> keys;
  for (const auto& [k, _] : names.items()) keys.push_back(k);
  const auto hit = lookup_language(ranges, keys, "");
  if (!hit.empty()) return hit;
  if (names.contains("en")) return "en";
  return keys.front();
}

void localize_forum(nlohmann::json& f, const Languages& ranges) {
  const auto& names = f["names"];
  const auto lang = pick_language(names, ranges);
  if (lang.empty()) {
    f["language"] = "en";
    return;
  }
  const auto& n = names[lang];
  if (n.is_string()) {
    f["name"] = n;
  } else {
    if (n.contains("name")) f["name"] = n["name"];
    if (n.contains("abbreviation") && n["abbreviation"].is_string()) f["abbreviation"] = n["abbreviation"];
  }
  f["language"] = lang;
}

}  // namespace parley::directory
