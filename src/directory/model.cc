#include "directory/model.h"

#include <algorithm>

#include "common/fold.h"
#include "common/text.h"
#include "directory/availability.h"
#include "common/time.h"

namespace parley::directory {

namespace {

nlohmann::json nullable(const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); }

bool one_of(const std::vector<std::string>& allowed, const std::string& v) {
  return std::find(allowed.begin(), allowed.end(), v) != allowed.end();
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Reads an optional enumerated text field.
std::optional<std::string> choice(JsonInput& in, const char* key, bool required,
                                  const std::vector<std::string>& allowed) {
  auto v = in.text(key, required, 40);
  if (v && !one_of(allowed, *v)) {
    in.error(key, "must be one of: " + joined(allowed));
    return std::nullopt;
  }
  return v;
}

void note_cleared(JsonInput& in, const char* key, std::vector<std::string>& cleared) {
  if (in.is_null(key)) cleared.emplace_back(key);
}

}  // namespace

nlohmann::json Contact::to_json() const {
  // Built member by member: nlohmann's initializer lists copy every value.
  auto ch = nlohmann::json::array();
  for (const auto& c : channels) {
    nlohmann::json one = nlohmann::json::object();
    one["kind"] = c.kind;
    one["value"] = c.value;
    one["use"] = nullable(c.use);
    ch.push_back(std::move(one));
  }
  nlohmann::json j = nlohmann::json::object();
  j["id"] = id;
  j["state"] = state;
  j["state_name"] = state_name;
  j["agency_id"] = agency_id ? nlohmann::json(*agency_id) : nlohmann::json();
  j["agency"] = nullable(agency_name);
  j["name"] = name;
  j["type"] = type;
  j["position"] = nullable(position);
  j["languages"] = languages;
  j["timezone"] = nullable(timezone);
  j["availability"] = availability;
  j["office_hours"] = nullable(office_hours);
  j["channels"] = std::move(ch);
  j["key_fingerprint"] = nullable(key_fingerprint);
  j["nomination_ref"] = nullable(nomination_ref);
  j["valid_from"] = nullable(valid_from);
  j["valid_until"] = nullable(valid_until);
  j["status"] = status;
  j["status_note"] = nullable(status_note);
  j["nominated_by"] = nullable(nominated_by);
  j["decided_by"] = nullable(decided_by);
  j["decided_at"] = nullable(decided_at);
  j["created_at"] = created_at;
  j["updated_at"] = updated_at;
  j["version"] = version;
  j["confirmed_at"] = nullable(confirmed_at);
  j["expired"] = expired(today_date());
  return j;
}

nlohmann::json ContactPage::to_json() const {
  auto arr = nlohmann::json::array();
  for (const auto& k : items) arr.push_back(k.to_json());
  nlohmann::json j = nlohmann::json::object();
  j["items"] = std::move(arr);
  j["total"] = total;
  j["limit"] = limit;
  j["offset"] = offset;
  return j;
}

std::string ContactQuery::key() const {
  std::string k;
  for (const auto* v : {&state, &forum, &type, &language, &q, &status}) {
    k += v->has_value() ? **v : std::string("\x01");
    k += '\x1f';
  }
  k += (expired ? (*expired ? "e1" : "e0") : "e-") + std::string("\x1f");
  k += std::to_string(agency_id.value_or(0)) + '\x1f' + std::to_string(limit) + '\x1f' + std::to_string(offset) + '\x1f' + name_language;
  return k;
}

std::string Contact::search_text() const {
  std::string s = name + " | " + position + " | " + agency_name + " | " + state + " | " + state_name;
  for (const auto& c : channels) s += " | " + c.value;
  return fold_for_search(s);
}

ContactInput ContactInput::parse(JsonInput& in, bool partial) {
  ContactInput c;
  const bool req = !partial;
  if (!partial) {
    c.state = in.text("state", true, 3);
    if (c.state) {
      *c.state = to_upper(*c.state);
      if (!is_alpha3(*c.state)) in.error("state", "must be an ISO 3166-1 alpha-3 code such as KAZ");
    }
  } else if (in.has("state")) {
    in.text("state", false, 3);
    in.error("state", "cannot be changed; withdraw the contact and nominate it for the other state");
  }
  c.agency_id = in.integer("agency_id", false, 1, INT64_MAX);
  c.name = in.text("name", req, 200, 1);
  c.type = choice(in, "type", req, kContactTypes);
  c.position = in.text("position", false, 200);
  c.languages = in.text_list("languages", false, 20, 35);
  if (c.languages) {
    for (std::size_t i = 0; i < c.languages->size(); ++i)
      if (!is_language_tag((*c.languages)[i]))
        in.error("languages." + std::to_string(i), "must be a BCP 47 language tag such as en, ru or zh-Hans");
  }
  c.timezone = in.text("timezone", false, 64);
  if (c.timezone && (!is_time_zone(*c.timezone) || !time_zone_exists(*c.timezone)))
    in.error("timezone", "must be an IANA time zone such as Asia/Almaty or UTC");
  c.availability = choice(in, "availability", req, kAvailabilities);
  c.office_hours = in.text("office_hours", false, kMaxOfficeHoursBytes);
  if (c.office_hours) {
    std::string why;
    if (auto h = OfficeHours::parse(*c.office_hours, &why)) c.office_hours = h->to_string();
    else in.error("office_hours", "must be days and hours such as \"Mon-Fri 09:00-17:00\" (spans joined by ';'): " + why);
  }
  if (auto list = in.object_list("channels", false, 20)) {
    std::vector<Channel> channels;
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto& item = (*list)[i];
      Channel ch;
      auto kind = choice(item, "kind", true, kChannelKinds);
      auto value = item.text("value", true, 254, 1);
      auto use = item.text("use", false, 100);
      if (kind && value) {
        if (*kind == "email" && !is_email(*value)) item.error("value", "is not an e-mail address");
        if ((*kind == "phone" || *kind == "fax") && !is_phone(*value))
          item.error("value", "is not a phone number (digits, spaces, + ( ) - .)");
      }
      in.absorb(item);
      ch.kind = kind.value_or("");
      ch.value = value.value_or("");
      ch.use = use.value_or("");
      channels.push_back(std::move(ch));
    }
    c.channels = std::move(channels);
  }
  c.key_fingerprint = in.text("key_fingerprint", false, 100);
  if (c.key_fingerprint && !is_fingerprint(*c.key_fingerprint))
    in.error("key_fingerprint", "must be an OpenPGP fingerprint of 40 or 64 hexadecimal digits");
  c.nomination_ref = in.text("nomination_ref", false, 200);
  c.valid_from = in.text("valid_from", false, 10);
  if (c.valid_from && !is_date(*c.valid_from)) in.error("valid_from", "must be a date YYYY-MM-DD");
  c.valid_until = in.text("valid_until", false, 10);
  if (c.valid_until && !is_date(*c.valid_until)) in.error("valid_until", "must be a date YYYY-MM-DD");
  if (c.valid_from && c.valid_until && is_date(*c.valid_from) && is_date(*c.valid_until) && *c.valid_until < *c.valid_from)
    in.error("valid_until", "must not be before valid_from");
  for (const char* k : {"agency_id", "position", "languages", "timezone", "office_hours", "channels",
                        "key_fingerprint", "nomination_ref", "valid_from", "valid_until"})
    note_cleared(in, k, c.cleared);
  if (partial)
    for (const char* k : {"name", "type", "availability"})
      if (in.is_null(k)) in.error(k, "cannot be cleared");
  in.finish();
  return c;
}

nlohmann::json Agency::to_json() const {
  return {{"id", id}, {"state", state}, {"name", name}, {"kind", kind}, {"website", nullable(website)}};
}

AgencyInput AgencyInput::parse(JsonInput& in, bool partial) {
  AgencyInput a;
  a.name = in.text("name", !partial, 200, 1);
  a.kind = choice(in, "kind", !partial, kAgencyKinds);
  a.website = in.text("website", false, 300);
  if (a.website && !a.website->empty() && a.website->rfind("https://", 0) != 0)
    in.error("website", "must be an https:// address");
  in.finish();
  return a;
}

void ContactInput::apply_to(Contact& k) const {
  const ContactInput& in = *this;
  if (in.agency_id) k.agency_id = in.agency_id;
  if (in.name) k.name = *in.name;
  if (in.type) k.type = *in.type;
  if (in.position) k.position = *in.position;
  if (in.languages) k.languages = *in.languages;
  if (in.timezone) k.timezone = *in.timezone;
  if (in.availability) k.availability = *in.availability;
  if (in.office_hours) k.office_hours = *in.office_hours;
  if (in.channels) k.channels = *in.channels;
  if (in.key_fingerprint) k.key_fingerprint = to_upper(*in.key_fingerprint);
  if (in.nomination_ref) k.nomination_ref = *in.nomination_ref;
  if (in.valid_from) k.valid_from = *in.valid_from;
  if (in.valid_until) k.valid_until = *in.valid_until;
  for (const auto& f : in.cleared) {
    if (f == "agency_id") k.agency_id.reset();
    else if (f == "position") k.position.clear();
    else if (f == "languages") k.languages.clear();
    else if (f == "timezone") k.timezone.clear();
    else if (f == "office_hours") k.office_hours.clear();
    else if (f == "channels") k.channels.clear();
    else if (f == "key_fingerprint") k.key_fingerprint.clear();
    else if (f == "nomination_ref") k.nomination_ref.clear();
    else if (f == "valid_from") k.valid_from.clear();
    else if (f == "valid_until") k.valid_until.clear();
  }
}


}  // namespace parley::directory
