#include "exchange/stix_validate.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <unordered_set>

#include "exchange/pattern.h"

namespace parley::exchange {

namespace dom = simdjson::dom;

namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// ^[a-z][a-z0-9-]+[a-z0-9]$ (a STIX type name)
bool is_type_name(std::string_view t) {
  if (t.size() < 3 || t.size() > 250 || !(t[0] >= 'a' && t[0] <= 'z')) return false;
  for (char c : t)
    if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-')) return false;
  return t.back() != '-';
}

bool is_uuid(std::string_view u) {
  // 8-4-4-4-12 hex; version 1–5; variant 8, 9, a or b (RFC 4122), as the OASIS schema says
  if (u.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (u[i] != '-') return false;
    } else if (!is_hex(u[i])) {
      return false;
    }
  }
  if (u[14] < '1' || u[14] > '5') return false;
  const char v = static_cast<char>(u[19] | 0x20);
  return v == '8' || v == '9' || v == 'a' || v == 'b';
}

bool is_property_name(std::string_view n) {
  if (n.empty() || n.size() > 250) return false;
  for (char c : n)
    if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '_')) return false;
  return true;
}

bool one_of(std::string_view v, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

const std::array<std::string_view, 19> kSdoTypes = {
    "attack-pattern", "campaign", "course-of-action", "grouping", "identity", "incident", "indicator",
    "infrastructure", "intrusion-set", "location", "malware", "malware-analysis", "note", "observed-data",
    "opinion", "report", "threat-actor", "tool", "vulnerability"};
const std::array<std::string_view, 18> kScoTypes = {
    "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file",
    "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url",
    "user-account", "windows-registry-key", "x509-certificate"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& a, std::string_view v) {
  return std::find(a.begin(), a.end(), v) != a.end();
}

// RFC 7493 (I-JSON), which STIX 2.1 requires: member names are unique in an object.
// simdjson keeps duplicates and finds the first; another reader would take the last,
// so a duplicate could show one marking to Parley and another to a member's tool.
// The first duplicated name, or nothing. Iterative; small objects by linear scan.
std::optional<std::string> duplicate_member(dom::element root) {
  std::vector<dom::element> pending{root};
  std::vector<std::string_view> names;
  std::unordered_set<std::string_view> many;
  while (!pending.empty()) {
    const auto e = pending.back();
    pending.pop_back();
    if (e.is_array()) {
      for (auto v : dom::array(e)) pending.push_back(v);
      continue;
    }
    if (!e.is_object()) continue;
    const auto obj = dom::object(e);
    names.clear();
    many.clear();
    const bool large = obj.size() > 16;
    for (auto [key, value] : obj) {
      if (large ? !many.insert(key).second : std::find(names.begin(), names.end(), key) != names.end())
        return std::string(key);
      if (!large) names.push_back(key);
      if (value.is_object() || value.is_array()) pending.push_back(value);
    }
  }
  return std::nullopt;
}

class Checker {
 public:
  Checker(dom::object obj, StixCheck& out) : obj_(obj), out_(out) {}

  void run() {
    auto& info = out_.info;
    info.type = str_required("type");
    if (info.type.empty()) return;
    if (!is_type_name(info.type)) return fail("type", "must be lower-case letters, digits and hyphens (3–250)");
    if (info.type == "bundle") return fail("type", "a bundle cannot be stored as an object");
    info.id = str_required("id");
    if (!info.id.empty()) {
      if (!is_stix_identifier(info.id)) fail("id", "must be <type>--<UUID>");
      else if (info.id.substr(0, info.id.size() - 38) != info.type) fail("id", "must start with the object's type, '" + info.type + "--'");
    }
    const bool sco = contains(kScoTypes, info.type);
    const bool marking = info.type == "marking-definition";
    const bool lang_content = info.type == "language-content";
    const bool extension_def = info.type == "extension-definition";
    // spec_version: required on SDOs, SROs and marking definitions; optional on SCOs.
    if (auto sv = get("spec_version")) {
      if (!sv->is_string()) fail("spec_version", "must be a string");
      else if (sv->get_string().value_unsafe() != "2.1") fail("spec_version", "must be \"2.1\" (STIX 2.1)");
    } else if (!sco) {
      fail("spec_version", "is required");
    }
    info.spec_version = "2.1";
    for (auto [key, value] : obj_) {
      (void)value;
      if (!is_property_name(key)) fail(std::string(key), "property names are lower-case ASCII letters, digits and '_'");
    }
    // created / modified: required on SDOs and SROs (to the millisecond); created on
    // marking definitions; neither on SCOs.
    if (!sco) {
      info.created = timestamp("created", true, true);
      if (!marking) info.modified = timestamp("modified", true, true);
      if (!info.created.empty() && !info.modified.empty() &&
          timestamp_key(info.modified) < timestamp_key(info.created))
        fail("modified", "must not be earlier than created");
    }
    common();
    if (sco) observable();
    else if (marking) marking_definition();
    else if (info.type == "relationship") relationship();
    else if (info.type == "sighting") sighting();
    else if (contains(kSdoTypes, info.type)) domain_object();
    else if (lang_content) {
      identifier("object_ref", true);
      required_object("contents");
    } else if (extension_def) {
      for (auto p : {"name", "schema", "version"}) str_required(p);
      string_list("extension_types", true);
    }
    // else: a custom object type (STIX 2.1, section 11.1): common properties only.

    info.version = !info.modified.empty() ? info.modified : info.created;
    if (!info.version.empty()) info.version_key = timestamp_key(info.version).value_or("");
    tlp_marking(marking);
  }

 private:
  std::optional<dom::element> get(std::string_view key) {
    dom::element e;
    if (obj_.at_key(key).get(e)) return std::nullopt;
    return e;
  }
  void fail(std::string property, std::string rule) { out_.errors.push_back({std::move(property), std::move(rule)}); }
  // The property, or nullopt when absent (an error when it is required).
  std::optional<dom::element> field(std::string_view key, bool required) {
    auto e = get(key);
    if (!e && required) fail(std::string(key), "is required");
    return e;
  }

  std::string str_required(std::string_view key) {
    auto e = field(key, true);
    return e ? str(key, *e) : std::string();
  }
  std::string str_optional(std::string_view key) {
    auto e = get(key);
    return e ? str(key, *e) : std::string();
  }
  std::string str(std::string_view key, dom::element e) {
    std::string_view s;
    if (e.get_string().get(s)) {
      fail(std::string(key), "must be a string");
      return {};
    }
    if (s.empty()) fail(std::string(key), "must not be empty");
    return std::string(s);
  }
  std::string timestamp(std::string_view key, bool required, bool millis) {
    auto e = field(key, required);
    if (!e) return {};
    std::string_view s;
    if (e->get_string().get(s) || !timestamp_key(s)) {
      fail(std::string(key), "must be an RFC 3339 timestamp in UTC ending in 'Z' (e.g. 2024-05-01T10:00:00.000Z)");
      return {};
    }
    if (millis) {
      const auto dot = s.find('.');
      if (dot == std::string_view::npos || s.size() - dot - 2 < 3)
        fail(std::string(key), "must be precise to the millisecond (e.g. 2024-05-01T10:00:00.000Z)");
    }
    return std::string(s);
  }
  void identifier(std::string_view key, bool required, std::string_view must_type = {}) {
    auto e = field(key, required);
    if (!e) return;
    std::string_view s;
    if (e->get_string().get(s) || !is_stix_identifier(s)) return fail(std::string(key), "must be a STIX identifier (<type>--<UUID>)");
    if (!must_type.empty() && s.substr(0, s.size() - 38) != must_type)
      fail(std::string(key), "must reference a " + std::string(must_type));
  }
  void identifier_list(std::string_view key, bool required) {
    auto e = field(key, required);
    if (!e) return;
    dom::array a;
    if (e->get_array().get(a) || a.size() == 0) return fail(std::string(key), "must be a non-empty list of STIX identifiers");
    std::size_t i = 0;
    for (auto item : a) {
      std::string_view s;
      if (item.get_string().get(s) || !is_stix_identifier(s))
        fail(std::string(key) + "." + std::to_string(i), "must be a STIX identifier (<type>--<UUID>)");
      ++i;
    }
  }
  void string_list(std::string_view key, bool required) {
    auto e = field(key, required);
    if (!e) return;
    dom::array a;
    if (e->get_array().get(a) || a.size() == 0) return fail(std::string(key), "must be a non-empty list of strings");
    for (auto item : a)
      if (!item.is_string()) return fail(std::string(key), "must be a non-empty list of strings");
  }
  void integer(std::string_view key, bool required, std::int64_t min, std::int64_t max) {
    auto e = field(key, required);
    if (!e) return;
    std::int64_t v = 0;
    if (e->get_int64().get(v)) return fail(std::string(key), "must be an integer");
    if (v < min || v > max) fail(std::string(key), "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  void boolean(std::string_view key, bool required) {
    auto e = field(key, required);
    if (!e) return;
    if (!e->is_bool()) fail(std::string(key), "must be true or false");
  }
  void required_object(std::string_view key) {
    auto e = field(key, true);
    if (!e) return;
    dom::object o;
    if (e->get_object().get(o) || o.size() == 0) fail(std::string(key), "must be a non-empty object");
  }
  void enumerated(std::string_view key, bool required, std::initializer_list<std::string_view> values) {
    const auto v = required ? str_required(key) : str_optional(key);
    if (v.empty()) return;
    if (!one_of(v, values)) {
      std::string list;
      for (auto x : values) list += (list.empty() ? "" : ", ") + std::string(x);
      fail(std::string(key), "must be one of " + list);
    }
  }
  bool has(std::string_view key) { return get(key).has_value(); }
  // Calls f(object, "key.i") for each element of the non-empty list of objects at `key`.
  template <class F>
  void each_object(std::string_view key, F&& f) {
    auto e = get(key);
    if (!e) return;
    dom::array a;
    if (e->get_array().get(a) || a.size() == 0) return fail(std::string(key), "must be a non-empty list");
    std::size_t i = 0;
    for (auto item : a) {
      const std::string p = std::string(key) + "." + std::to_string(i++);
      dom::object o;
      if (item.get_object().get(o)) {
        fail(p, "must be an object");
        continue;
      }
      f(o, p);
    }
  }

  // Properties every object may have, with their types.
  void common() {
    if (has("created_by_ref")) identifier("created_by_ref", false, "identity");
    if (has("labels")) string_list("labels", false);
    if (has("confidence")) integer("confidence", false, 0, 100);
    if (has("lang")) str_optional("lang");
    if (has("revoked")) boolean("revoked", false);
    if (has("defanged")) boolean("defanged", false);
    if (has("object_marking_refs")) identifier_list("object_marking_refs", false);
    each_object("external_references", [&](dom::object r, const std::string& p) {
      std::string_view sn;
      if (r.at_key("source_name").get_string().get(sn) || sn.empty()) fail(p + ".source_name", "is required");
      dom::element x;
      if (r.at_key("description").get(x) && r.at_key("url").get(x) && r.at_key("external_id").get(x))
        fail(p, "needs at least one of description, url or external_id");
    });
    each_object("granular_markings", [&](dom::object g, const std::string& p) {
      dom::array sel;
      if (g.at_key("selectors").get_array().get(sel) || sel.size() == 0) fail(p + ".selectors", "must be a non-empty list");
      std::string_view ref, lang;
      const bool has_ref = !g.at_key("marking_ref").get_string().get(ref);
      const bool has_lang = !g.at_key("lang").get_string().get(lang);
      if (has_ref == has_lang) fail(p, "needs exactly one of marking_ref or lang");
      else if (has_ref && !is_stix_identifier(ref)) fail(p + ".marking_ref", "must be a STIX identifier");
    });
    if (auto e = get("extensions")) {
      dom::object ext;
      if (e->get_object().get(ext) || ext.size() == 0) fail("extensions", "must be a non-empty object");
    }
    // Any other *_ref / *_refs at the top level: identifiers (their targets may be absent).
    for (auto [key, value] : obj_) {
      if (key == "created_by_ref" || key == "object_marking_refs" || key.size() < 5) continue;
      if (key.ends_with("_ref")) {
        std::string_view s;
        if (value.get_string().get(s) || !is_stix_identifier(s)) fail(std::string(key), "must be a STIX identifier (<type>--<UUID>)");
      } else if (key.ends_with("_refs")) {
        dom::array a;
        if (value.get_array().get(a)) {
          fail(std::string(key), "must be a list of STIX identifiers");
          continue;
        }
        std::size_t i = 0;
        for (auto item : a) {
          std::string_view s;
          if (item.get_string().get(s) || !is_stix_identifier(s))
            fail(std::string(key) + "." + std::to_string(i), "must be a STIX identifier (<type>--<UUID>)");
          ++i;
        }
      }
    }
  }

  void domain_object() {
    auto& info = out_.info;
    const auto& t = info.type;
    if (one_of(t, {"attack-pattern", "campaign", "course-of-action", "identity", "incident", "infrastructure",
                   "intrusion-set", "threat-actor", "tool", "vulnerability"})) {
      info.name = str_required("name");
    } else if (t == "grouping") {
      info.name = str_optional("name");
      str_required("context");
      identifier_list("object_refs", true);
    } else if (t == "report") {
      info.name = str_required("name");
      timestamp("published", true, false);
      identifier_list("object_refs", true);
    } else if (t == "note") {
      info.name = str_required("content");
      identifier_list("object_refs", true);
    } else if (t == "opinion") {
      enumerated("opinion", true, {"strongly-disagree", "disagree", "neutral", "agree", "strongly-agree"});
      identifier_list("object_refs", true);
    } else if (t == "indicator") {
      info.name = str_optional("name");
      const auto pattern = str_required("pattern");
      const auto pattern_type = str_required("pattern_type");
      // A STIX pattern is parsed here, once, so that no member's matcher ever meets
      // one that does not parse (or nests without bound). Constructs Parley cannot
      // match (FOLLOWEDBY, WITHIN…) are valid STIX and are stored.
      if (pattern_type == "stix" && !pattern.empty()) {
        try {
          Pattern::parse(pattern);
        } catch (const PatternError& e) {
          if (!e.unsupported()) fail("pattern", std::string("is not a valid STIX pattern: ") + e.what());
        }
      }
      const auto from = timestamp("valid_from", true, false);
      const auto until = timestamp("valid_until", false, false);
      if (!from.empty() && !until.empty() && timestamp_key(until) <= timestamp_key(from))
        fail("valid_until", "must be later than valid_from");
      if (info.name.empty()) info.name = pattern;
    } else if (t == "malware") {
      boolean("is_family", true);
      auto fam = get("is_family");
      bool family = false;
      if (fam && fam->is_bool()) family = fam->get_bool().value_unsafe();
      info.name = family ? str_required("name") : str_optional("name");
    } else if (t == "malware-analysis") {
      info.name = str_required("product");
      if (!has("result") && !has("analysis_sco_refs")) fail("result", "result or analysis_sco_refs is required");
    } else if (t == "location") {
      info.name = str_optional("name");
      const bool lat = has("latitude"), lon = has("longitude");
      if (lat != lon) fail(lat ? "longitude" : "latitude", "latitude and longitude go together");
      if (!has("region") && !has("country") && !lat) fail("region", "one of region, country or latitude/longitude is required");
    } else if (t == "observed-data") {
      const auto first = timestamp("first_observed", true, false);
      const auto last = timestamp("last_observed", true, false);
      if (!first.empty() && !last.empty() && timestamp_key(last) < timestamp_key(first))
        fail("last_observed", "must not be earlier than first_observed");
      integer("number_observed", true, 1, 999'999'999);
      const bool refs = has("object_refs"), objects = has("objects");
      if (refs == objects) fail("object_refs", "exactly one of object_refs or objects (deprecated) is required");
      if (refs) identifier_list("object_refs", true);
    }
  }

  void relationship() {
    auto& info = out_.info;
    info.name = str_required("relationship_type");
    identifier("source_ref", true);
    identifier("target_ref", true);
    const auto start = timestamp("start_time", false, false);
    const auto stop = timestamp("stop_time", false, false);
    if (!start.empty() && !stop.empty() && timestamp_key(stop) <= timestamp_key(start))
      fail("stop_time", "must be later than start_time");
  }

  void sighting() {
    identifier("sighting_of_ref", true);
    if (has("count")) integer("count", false, 0, 999'999'999);
    const auto first = timestamp("first_seen", false, false);
    const auto last = timestamp("last_seen", false, false);
    if (!first.empty() && !last.empty() && timestamp_key(last) < timestamp_key(first))
      fail("last_seen", "must not be earlier than first_seen");
    if (has("observed_data_refs")) identifier_list("observed_data_refs", false);
    if (has("where_sighted_refs")) identifier_list("where_sighted_refs", false);
  }

  void observable() {
    auto& info = out_.info;
    const auto& t = info.type;
    if (one_of(t, {"ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr", "mac-addr"})) {
      info.name = str_required("value");
    } else if (t == "autonomous-system") {
      integer("number", true, 0, INT64_MAX);
    } else if (t == "directory") {
      info.name = str_required("path");
    } else if (t == "mutex" || t == "software") {
      info.name = str_required("name");
    } else if (t == "file") {
      info.name = str_optional("name");
      if (!has("hashes") && info.name.empty()) fail("hashes", "a file needs hashes or a name");
    } else if (t == "artifact") {
      if (has("payload_bin") == has("url")) fail("payload_bin", "exactly one of payload_bin or url is required");
      if (has("url") && !has("hashes")) fail("hashes", "is required with url");
    } else if (t == "email-message") {
      boolean("is_multipart", true);
    } else if (t == "network-traffic") {
      if (!has("src_ref") && !has("dst_ref")) fail("src_ref", "src_ref or dst_ref is required");
      string_list("protocols", true);
    }
  }

  void marking_definition() {
    auto& info = out_.info;
    info.name = str_optional("name");
    const bool legacy = has("definition_type") || has("definition");
    if (legacy) {
      enumerated("definition_type", true, {"statement", "tlp"});
      required_object("definition");
    } else if (!has("extensions")) {
      fail("extensions", "a marking definition needs extensions (or, deprecated, definition_type and definition)");
    }
  }

  // Parley's rule: exactly one TLP 2.0 marking, in object_marking_refs (the most
  // restrictive of several wins, granular markings included, so nothing is under-marked).
  void tlp_marking(bool is_marking_definition) {
    auto& info = out_.info;
    if (is_marking_definition) {
      if (auto t = tlp_from_marking_id(info.id)) {
        info.tlp = Tlp::kClear;   // the standard TLP definitions are public
        (void)t;
        return;
      }
    }
    const auto consider = [&](std::string_view ref, const std::string& where) {
      if (is_tlp1_marking_id(ref)) {
        fail(where, "is a TLP 1.0 marking; use the TLP 2.0 marking definitions (TLP:WHITE is now TLP:CLEAR)");
        return;
      }
      if (auto t = tlp_from_marking_id(ref); t && (!info.tlp || *t > *info.tlp)) info.tlp = t;
    };
    bool any_tlp = false;
    if (auto e = get("object_marking_refs")) {
      dom::array a;
      if (!e->get_array().get(a)) {
        std::size_t i = 0;
        for (auto item : a) {
          std::string_view s;
          if (!item.get_string().get(s)) {
            consider(s, "object_marking_refs." + std::to_string(i));
            any_tlp = any_tlp || tlp_from_marking_id(s).has_value();
          }
          ++i;
        }
      }
    }
    if (auto e = get("granular_markings")) {
      dom::array a;
      if (!e->get_array().get(a)) {
        std::size_t i = 0;
        for (auto item : a) {
          std::string_view s;
          if (!item.at_key("marking_ref").get_string().get(s)) consider(s, "granular_markings." + std::to_string(i) + ".marking_ref");
          ++i;
        }
      }
    }
    if (!any_tlp)
      fail("object_marking_refs",
           "must include a TLP 2.0 marking definition (TLP:CLEAR, GREEN, AMBER, AMBER+STRICT or RED): "
           "Parley does not guess a label");
  }

  dom::object obj_;
  StixCheck& out_;
};

}  // namespace

bool is_stix_identifier(std::string_view id) {
  if (id.size() < 3 + 2 + 36) return false;
  const auto type = id.substr(0, id.size() - 38);
  return id.substr(id.size() - 38, 2) == "--" && is_type_name(type) && is_uuid(id.substr(id.size() - 36));
}

std::optional<std::string> timestamp_key(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.f+]Z
  if (s.size() < 20 || s.back() != 'Z') return std::nullopt;
  for (std::size_t i = 0; i < 19; ++i) {
    const char c = s[i];
    const bool sep = i == 4 || i == 7 || i == 10 || i == 13 || i == 16;
    if (sep) {
      if (c != (i == 10 ? 'T' : i < 10 ? '-' : ':')) return std::nullopt;
    } else if (!is_digit(c)) {
      return std::nullopt;
    }
  }
  const auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) v = v * 10 + (s[at + i] - '0');
    return v;
  };
  const int mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), sec = num(17, 2);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::string key(s.substr(0, 19));
  key += '.';
  std::string frac;
  if (s.size() > 20) {
    if (s[19] != '.' || s.size() < 22) return std::nullopt;
    frac = std::string(s.substr(20, s.size() - 21));
    for (char c : frac)
      if (!is_digit(c)) return std::nullopt;
  } else if (s[19] != 'Z') {
    return std::nullopt;
  }
  frac.resize(9, '0');
  key += frac.substr(0, 9);
  key += 'Z';
  return key;
}

std::optional<IndicatorFields> indicator_fields(std::string_view json) {
  thread_local dom::parser parser;
  dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc)) return std::nullopt;
  std::string_view type, id, pattern;
  if (doc["type"].get_string().get(type) || type != "indicator") return std::nullopt;
  if (doc["id"].get_string().get(id) || doc["pattern"].get_string().get(pattern)) return std::nullopt;
  IndicatorFields f;
  f.id = id;
  f.pattern = pattern;
  std::string_view s;
  if (!doc["name"].get_string().get(s)) f.name = s;
  f.pattern_type = doc["pattern_type"].get_string().get(s) ? "stix" : std::string(s);
  bool revoked = false;
  if (!doc["revoked"].get_bool().get(revoked)) f.revoked = revoked;
  return f;
}

struct StixValidator::Impl {
  dom::parser parser;
};

StixValidator::StixValidator() : impl_(std::make_unique<Impl>()) {}
StixValidator::~StixValidator() = default;

StixCheck StixValidator::check(std::string_view json) {
  StixCheck out;
  dom::element doc;
  if (auto err = impl_->parser.parse(json.data(), json.size()).get(doc)) {
    out.errors.push_back({"", std::string("is not valid JSON: ") + simdjson::error_message(err)});
    return out;
  }
  dom::object obj;
  if (doc.get_object().get(obj)) {
    out.errors.push_back({"", "must be a JSON object"});
    return out;
  }
  if (auto dup = duplicate_member(doc)) {
    out.errors.push_back({*dup, "is a duplicate property name (RFC 7493)"});
    return out;
  }
  Checker(obj, out).run();
  return out;
}

}  // namespace parley::exchange
