#include "directory/forum_model.h"

#include <algorithm>
#include <cctype>

#include "common/text.h"
#include "common/time.h"

namespace parley::directory {

bool is_forum_code(const std::string& s) {
  if (s.size() < 2 || s.size() > 16 || !std::isupper(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
           c == '_';
  });
}

namespace {

bool valid_name(const nlohmann::json& v, std::size_t max) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  return !trim(s).empty() && s.size() <= max && is_valid_utf8(s);
}

}  // namespace

StateInput StateInput::parse(JsonInput& in, bool partial) {
  StateInput s;
  if (!partial) {
    s.code = in.text("code", true, 3);
    if (s.code) {
      *s.code = to_upper(*s.code);
      if (!is_alpha3(*s.code)) in.error("code", "must be three letters, e.g. EUU");
    }
    s.kind = in.text("kind", false, 20);
    if (s.kind && *s.kind != "organization")
      in.error("kind", "must be organization: states come from ISO 3166-1 and are already in the directory");
  }
  const auto* names = in.raw("names");
  if (!names && !partial) in.error("names", "is required: the participant's name per language, e.g. {\"en\": \"European Union\"}");
  if (names) {
    if (!names->is_object() || names->size() > kMaxNames) {
      in.error("names", "must be an object of at most 200 names keyed by language");
    } else {
      for (const auto& [lang, v] : names->items()) {
        if (!is_language_tag(lang) || lang.size() > 35) {
          in.error("names." + lang.substr(0, 40), "is not a BCP 47 language tag");
        } else if (v.is_null() && partial) {
          if (lang == "en") in.error("names.en", "cannot be removed: English is the fallback");
          else s.names[lang] = std::nullopt;
        } else if (!valid_name(v, 200)) {
          in.error("names." + lang, "must be a name of 1 to 200 characters");
        } else {
          s.names[lang] = trim(v.get<std::string>());
        }
      }
      if (!partial && !s.names.count("en")) in.error("names.en", "is required: English is the fallback of every name");
    }
  }
  in.finish();
  return s;
}

ForumInput ForumInput::parse(JsonInput& in, bool partial) {
  ForumInput f;
  if (!partial) {
    f.code = in.text("code", true, 16);
    if (f.code) {
      *f.code = to_upper(*f.code);
      if (!is_forum_code(*f.code)) in.error("code", "must be 2 to 16 letters, digits, - or _, starting with a letter (e.g. OSCE)");
    }
  } else if (in.has("code")) {
    in.text("code", false, 16);
    in.error("code", "cannot be changed");
  }
  const auto* names = in.raw("names");
  if (!names && (!partial || in.has("names"))) in.error("names", "is required: the forum's name per language");
  if (names) {
    if (!names->is_object() || names->empty() || names->size() > kMaxNames) {
      in.error("names", "must be an object of 1 to 200 entries keyed by language: {\"en\": {\"name\": ..., \"abbreviation\": ...}}");
    } else {
      auto out = nlohmann::json::object();
      for (const auto& [lang, v] : names->items()) {
        const std::string field = "names." + lang.substr(0, 40);
        if (!is_language_tag(lang) || lang.size() > 35) {
          in.error(field, "is not a BCP 47 language tag");
          continue;
        }
        nlohmann::json entry = nlohmann::json::object();
        if (v.is_string()) {
          if (!valid_name(v, 300)) in.error(field, "must be a name of 1 to 300 characters");
          else entry["name"] = trim(v.get<std::string>());
        } else if (v.is_object()) {
          for (const auto& [k, _] : v.items())
            if (k != "name" && k != "abbreviation") in.error(field + "." + k.substr(0, 40), "is not a known field");
          if (!v.contains("name") || !valid_name(v["name"], 300)) in.error(field + ".name", "must be a name of 1 to 300 characters");
          else entry["name"] = trim(v["name"].get<std::string>());
          if (v.contains("abbreviation") && !v["abbreviation"].is_null()) {
            if (!valid_name(v["abbreviation"], 32)) in.error(field + ".abbreviation", "must be 1 to 32 characters");
            else entry["abbreviation"] = trim(v["abbreviation"].get<std::string>());
          }
        } else {
          in.error(field, "must be a name or {\"name\": ..., \"abbreviation\": ...}");
        }
        out[lang] = entry;
      }
      f.names = out;
    }
  }
  f.languages = in.text_list("languages", false, 20, 35);
  if (f.languages)
    for (std::size_t i = 0; i < f.languages->size(); ++i)
      if (!is_language_tag((*f.languages)[i]))
        in.error("languages." + std::to_string(i), "must be a BCP 47 language tag such as en, ru or zh-Hans");
  f.timezone = in.text("timezone", false, 64);
  if (f.timezone && !is_known_time_zone(*f.timezone))
    in.error("timezone", "must be an IANA time zone such as Europe/Vienna or Asia/Almaty");
  f.website = in.text("website", false, 300);
  if (f.website && f.website->rfind("https://", 0) != 0 && f.website->rfind("http://", 0) != 0)
    in.error("website", "must be an http:// or https:// address");
  f.secretariat = in.text("secretariat", false, 300);
  for (const char* k : {"timezone", "website", "secretariat"})
    if (in.is_null(k)) f.cleared.emplace_back(k);
  if (partial && in.has("languages") && in.is_null("languages")) f.languages = std::vector<std::string>{};
  in.finish();
  return f;
}

ParticipationInput ParticipationInput::parse(JsonInput& in) {
  ParticipationInput p;
  if (auto kind = in.text("kind", false, 20)) {
    if (std::find(kParticipationKinds.begin(), kParticipationKinds.end(), *kind) == kParticipationKinds.end())
      in.error("kind", "must be member, observer or partner");
    else p.kind = *kind;
  }
  p.joined_on = in.text("joined_on", false, 10);
  if (p.joined_on && !is_date(*p.joined_on)) in.error("joined_on", "must be a date YYYY-MM-DD");
  p.left_on = in.text("left_on", false, 10);
  if (p.left_on && !is_date(*p.left_on)) in.error("left_on", "must be a date YYYY-MM-DD");
  if (p.joined_on && p.left_on && is_date(*p.joined_on) && is_date(*p.left_on) && *p.left_on < *p.joined_on)
    in.error("left_on", "must not be before joined_on");
  in.finish();
  return p;
}

GroupInput GroupInput::parse(JsonInput& in) {
  GroupInput g;
  const auto* names = in.raw("names");
  if (!names) {
    in.error("names", "is required: the group's name per language, e.g. {\"en\": \"ASEAN members\"}");
  } else if (!names->is_object() || names->empty() || names->size() > kMaxNames) {
    in.error("names", "must be an object of 1 to 200 names keyed by language");
  } else {
    for (const auto& [lang, v] : names->items()) {
      if (!is_language_tag(lang) || lang.size() > 35) in.error("names." + lang.substr(0, 40), "is not a BCP 47 language tag");
      else if (!valid_name(v, 300)) in.error("names." + lang, "must be a name of 1 to 300 characters");
      else g.names[lang] = trim(v.get<std::string>());
    }
  }
  if (auto members = in.text_list("members", true, 1000, 3)) {
    for (std::size_t i = 0; i < members->size(); ++i) {
      auto a3 = to_upper((*members)[i]);
      if (!is_alpha3(a3)) in.error("members." + std::to_string(i), "must be an alpha-3 code");
      else if (std::find(g.members.begin(), g.members.end(), a3) == g.members.end()) g.members.push_back(a3);
    }
  }
  in.finish();
  return g;
}

}  // namespace parley::directory
