#include "exchange/matcher.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace parley::exchange {

namespace {

// Index keys: one character for the kind of value, then the value as compared.
constexpr char kIpv4 = 'i', kIpv6 = '6', kDomain = 'd', kUrl = 'u', kEmail = 'e', kMd5 = 'm', kSha1 = '1',
               kSha256 = '2', kSha512 = '5';

std::string squeeze_hash_name(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '-' && c != '_' && c != '\'') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The kind of an equality's path, or 0 when it is not one of the indexed kinds.
char kind_of(const std::string& path) {
  if (path == "ipv4-addr:value") return kIpv4;
  if (path == "ipv6-addr:value") return kIpv6;
  if (path == "domain-name:value") return kDomain;
  if (path == "url:value") return kUrl;
  if (path == "email-addr:value") return kEmail;
  if (path.starts_with("file:hashes.")) {
    const auto name = squeeze_hash_name(path.substr(12));
    if (name == "md5") return kMd5;
    if (name == "sha1") return kSha1;
    if (name == "sha256") return kSha256;
    if (name == "sha512") return kSha512;
  }
  return 0;
}

// Appends `value` as the index compares it: domain names, e-mail addresses, IPv6
// addresses and hashes without regard to case, a domain name without its final dot.
void append_normalised(std::string& out, char kind, std::string_view value) {
  const std::size_t at = out.size();
  out += value;
  if (kind == kDomain || kind == kEmail || kind == kIpv6 || kind == kMd5 || kind == kSha1 || kind == kSha256 ||
      kind == kSha512)
    for (std::size_t i = at; i < out.size(); ++i) out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
  if (kind == kDomain && out.size() > at && out.back() == '.') out.pop_back();
}

std::string normalise(char kind, std::string_view value) {
  std::string out;
  append_normalised(out, kind, value);
  return out;
}

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

bool is_ipv4(std::string_view s) {
  if (s.size() < 7 || s.size() > 15) return false;
  int dots = 0, digits = 0, value = 0;
  for (char c : s) {
    if (c == '.') {
      if (digits == 0) return false;
      ++dots;
      digits = value = 0;
    } else if (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      if (++digits > 3 || value > 255) return false;
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0;
}

bool is_domain(std::string_view s) {
  if (s.size() < 4 || s.size() > 253 || s.front() == '.' || s.front() == '-') return false;
  std::size_t label = 0, last_start = 0;
  bool alpha = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      last_start = i + 1;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') {
      ++label;
      if (std::isalpha(static_cast<unsigned char>(c))) alpha = true;
    } else {
      return false;
    }
  }
  if (last_start == 0 || label < 2 || !alpha) return false;
  for (std::size_t i = last_start; i < s.size(); ++i)
    if (!std::isalpha(static_cast<unsigned char>(s[i]))) return false;   // a top-level domain is letters
  return true;
}

// The observables found in a line, kept in one reused buffer (no allocation per value
// once warm): each is its kind and a span of `text`, normalised.
struct Candidates {
  struct Item {
    char kind;
    std::size_t at, len;
  };
  std::vector<Item> items;
  std::string text;
  void clear() {
    items.clear();
    text.clear();
  }
  void add(char kind, std::string_view v) {
    const std::size_t at = text.size();
    append_normalised(text, kind, v);
    items.push_back({kind, at, text.size() - at});
  }
  std::string_view value(const Item& i) const { return std::string_view(text).substr(i.at, i.len); }
};

void classify(std::string_view t, Candidates& out, int depth = 0);

void host(std::string_view h, Candidates& out) {
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (is_ipv4(h)) out.add(kIpv4, h);
  else if (is_domain(h)) out.add(kDomain, h);
  else if (h.find(':') != std::string_view::npos && h.size() <= 45 &&
           h.find_first_not_of("0123456789abcdefABCDEF:.") == std::string_view::npos) {
    char text[46];
    h.copy(text, h.size());
    text[h.size()] = '\0';
    unsigned char buf[16];
    if (inet_pton(AF_INET6, text, buf) == 1) out.add(kIpv6, h);
  }
}

void classify(std::string_view t, Candidates& out, int depth) {
  if (t.size() > 2 && t.front() == '[')   // [IPv6]:port
    if (auto close = t.find(']'); close != std::string_view::npos) return host(t.substr(1, close - 1), out);
  while (!t.empty() && std::strchr(".:]!?", t.back())) t.remove_suffix(1);
  while (!t.empty() && std::strchr("[", t.front())) t.remove_prefix(1);
  if (t.size() < 4) return;
  if (auto scheme = t.find("://"); scheme != std::string_view::npos && scheme > 0) {
    out.add(kUrl, t);
    auto rest = t.substr(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
    if (!rest.empty() && rest.front() != '[')
      if (auto colon = rest.rfind(':'); colon != std::string_view::npos && rest.find(':') == colon) rest = rest.substr(0, colon);
    host(rest, out);
    return;
  }
  if (auto eq = t.find('='); eq != std::string_view::npos && depth == 0) {
    classify(t.substr(0, eq), out, 1);
    classify(t.substr(eq + 1), out, 1);
    return;
  }
  if (auto at = t.find('@'); at != std::string_view::npos && at > 0) {
    const auto domain = t.substr(at + 1);
    if (is_domain(domain)) {
      out.add(kEmail, t);
      out.add(kDomain, domain);
    }
    return;
  }
  if (is_hex(t)) {
    switch (t.size()) {
      case 32: out.add(kMd5, t); return;
      case 40: out.add(kSha1, t); return;
      case 64: out.add(kSha256, t); return;
      case 128: out.add(kSha512, t); return;
      default: break;
    }
  }
  if (is_ipv4(t)) return out.add(kIpv4, t);
  // address:port
  if (auto colon = t.rfind(':'); colon != std::string_view::npos && t.find(':') == colon && is_ipv4(t.substr(0, colon)))
    return out.add(kIpv4, t.substr(0, colon));
  if (t.find(':') != std::string_view::npos) return host(t, out);
  if (is_domain(t)) out.add(kDomain, t);
}

struct DelimiterTable {
  bool is[256] = {};
  DelimiterTable() {
    for (unsigned char c : std::string_view(" \t\r\n\v\f\"'<>(),;|{}`")) is[c] = true;
    is[0] = true;
  }
};
const DelimiterTable kDelimiters;
inline bool delimiter(char c) { return kDelimiters.is[static_cast<unsigned char>(c)]; }

void scan_text(std::string_view text, Candidates& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && delimiter(text[i])) ++i;
    std::size_t j = i;
    while (j < text.size() && !delimiter(text[j])) ++j;
    if (j > i) classify(text.substr(i, j - i), out);
    i = j;
  }
}

void scan_json(const nlohmann::json& j, Candidates& out) {
  if (j.is_string()) scan_text(j.get_ref<const std::string&>(), out);
  else if (j.is_object() || j.is_array())
    for (const auto& v : j) scan_json(v, out);
}

// An object's "type", or "" when it has none or it is not a string: a log line is
// anything a local tool wrote, {"type": 19} included.
std::string type_of(const nlohmann::json& j) {
  const auto it = j.find("type");
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Values of STIX cyber observables, as the index keys them.
void observable_values(const nlohmann::json& o, Candidates& out) {
  if (!o.is_object()) return;
  const auto type = type_of(o);
  const auto value = o.contains("value") && o["value"].is_string() ? o["value"].get<std::string>() : std::string();
  if (type == "ipv4-addr") out.add(kIpv4, value);
  else if (type == "ipv6-addr") out.add(kIpv6, value);
  else if (type == "domain-name") out.add(kDomain, value);
  else if (type == "url") out.add(kUrl, value);
  else if (type == "email-addr") out.add(kEmail, value);
  else if (type == "file" && o.contains("hashes") && o["hashes"].is_object())
    for (auto it = o["hashes"].begin(); it != o["hashes"].end(); ++it)
      if (it->is_string())
        if (const char k = kind_of("file:hashes." + it.key())) out.add(k, it->get<std::string>());
}

bool is_sco(const nlohmann::json& j) {
  static const char* types[] = {"ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr", "file", "network-traffic",
                                "process", "artifact", "directory", "email-message", "mac-addr", "mutex", "software",
                                "user-account", "windows-registry-key", "x509-certificate", "autonomous-system"};
  const auto t = type_of(j);
  return std::any_of(std::begin(types), std::end(types), [&](const char* s) { return t == s; });
}

// A line as JSON, when it is a JSON object; null otherwise. What nests deeper than 64
// levels is left out as it is read, so that the walks over it (scan_json) stay shallow.
nlohmann::json as_json(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
  if (i == line.size() || line[i] != '{') return nullptr;
  static const nlohmann::json::parser_callback_t shallow = [](int depth, nlohmann::json::parse_event_t,
                                                              nlohmann::json&) { return depth <= 64; };
  return nlohmann::json::parse(line.substr(i), shallow, false);
}

}  // namespace

void Matcher::add(const std::string& id, const std::string& name, std::string_view pattern_text) {
  auto pattern = Pattern::parse(pattern_text);
  const auto index = static_cast<std::uint32_t>(indicators_.size());
  indicators_.push_back({id, name});
  if (auto eqs = pattern.equalities()) {
    const bool indexable = std::all_of(eqs->begin(), eqs->end(), [](const auto& e) { return kind_of(e.path) != 0; });
    if (indexable) {
      for (const auto& e : *eqs) {
        const char k = kind_of(e.path);
        if ((k == kIpv4 || k == kIpv6) && e.value.find('/') != std::string::npos) {
          if (auto net = IpNetwork::parse(e.value)) networks_.emplace_back(*net, index);
          continue;
        }
        auto key = k + normalise(k, e.value);
        const auto hash = std::hash<std::string_view>{}(key);
        auto& list = exact_[std::move(key)];
        if (list.empty()) {
          if (exact_.size() * 16 > bloom_.size() * 64) {   // grow to 16 bits per key, rehashing all
            bloom_.assign(std::max<std::size_t>(1024, bloom_.size() * 2), 0);
            for (const auto& [other, _] : exact_) bloom_add(std::hash<std::string_view>{}(other));
          } else {
            bloom_add(hash);
          }
        }
        if (list.empty() || list.back() != index) list.push_back(index);
      }
      return;
    }
  }
  patterns_.emplace_back(std::move(pattern), index);
}

void Matcher::bloom_add(std::size_t hash) {
  bloom_[hash & (bloom_.size() - 1)] |= (1ULL << ((hash >> 40) & 63)) | (1ULL << ((hash >> 52) & 63));
}

bool Matcher::bloom_may_have(std::size_t hash) const {
  if (bloom_.empty()) return false;
  const std::uint64_t bits = (1ULL << ((hash >> 40) & 63)) | (1ULL << ((hash >> 52) & 63));
  return (bloom_[hash & (bloom_.size() - 1)] & bits) == bits;
}

Observation observe(std::string_view line) {
  Observation o;
  auto j = as_json(line);
  if (j.is_object() && type_of(j) == "observed-data" && j.contains("objects") && j["objects"].is_object()) {
    for (auto it = j["objects"].begin(); it != j["objects"].end(); ++it) {
      o.keys.push_back(it.key());
      o.objects.push_back(*it);
    }
    return o;
  }
  if (j.is_object() && is_sco(j)) {
    o.keys.push_back("0");
    o.objects.push_back(std::move(j));
    return o;
  }
  Candidates c;
  if (j.is_object()) scan_json(j, c);
  else scan_text(line, c);
  for (const auto& item : c.items) {
    const char kind = item.kind;
    const std::string value(c.value(item));
    nlohmann::json obj;
    switch (kind) {
      case kIpv4: obj = {{"type", "ipv4-addr"}, {"value", value}}; break;
      case kIpv6: obj = {{"type", "ipv6-addr"}, {"value", value}}; break;
      case kDomain: obj = {{"type", "domain-name"}, {"value", value}}; break;
      case kUrl: obj = {{"type", "url"}, {"value", value}}; break;
      case kEmail: obj = {{"type", "email-addr"}, {"value", value}}; break;
      case kMd5: obj = {{"type", "file"}, {"hashes", {{"MD5", value}}}}; break;
      case kSha1: obj = {{"type", "file"}, {"hashes", {{"SHA-1", value}}}}; break;
      case kSha256: obj = {{"type", "file"}, {"hashes", {{"SHA-256", value}}}}; break;
      case kSha512: obj = {{"type", "file"}, {"hashes", {{"SHA-512", value}}}}; break;
      default: continue;
    }
    o.keys.push_back(std::to_string(o.objects.size()));
    o.objects.push_back(std::move(obj));
  }
  return o;
}

void Matcher::match_line(std::string_view line, std::vector<Hit>& hits) const {
  const std::size_t first = hits.size();
  thread_local Candidates c;
  thread_local std::string key;
  c.clear();
  Observation structured;
  bool have_observation = false;
  const auto brace = line.find('{');
  if (brace != std::string_view::npos && line.find_first_not_of(" \t") == brace) {
    auto j = as_json(line);
    if (j.is_object()) {
      if (type_of(j) == "observed-data" || is_sco(j)) {
        structured = observe(line);
        have_observation = true;
        for (const auto& o : structured.objects) observable_values(o, c);
      } else {
        scan_json(j, c);
      }
    } else {
      scan_text(line, c);
    }
  } else {
    scan_text(line, c);
  }
  for (const auto& item : c.items) {
    const auto value = c.value(item);
    key.assign(1, item.kind);
    key += value;
    if (bloom_may_have(std::hash<std::string_view>{}(key)))
      if (auto it = exact_.find(key); it != exact_.end())
        for (auto i : it->second) hits.push_back({i, std::string(value)});
    if (!networks_.empty() && (item.kind == kIpv4 || item.kind == kIpv6))
      if (auto ip = IpNetwork::parse(value))
        for (const auto& [net, i] : networks_)
          if (net.contains(*ip)) hits.push_back({i, std::string(value)});
  }
  if (!patterns_.empty()) {
    if (!have_observation) structured = observe(line);
    for (const auto& [p, i] : patterns_)
      if (p.matches(structured)) hits.push_back({i, ""});
  }
  if (hits.size() - first < 2) return;
  // Each indicator once per line.
  const auto begin = hits.begin() + static_cast<std::ptrdiff_t>(first);
  std::stable_sort(begin, hits.end(), [](const Hit& a, const Hit& b) { return a.indicator < b.indicator; });
  hits.erase(std::unique(begin, hits.end(), [](const Hit& a, const Hit& b) { return a.indicator == b.indicator; }),
             hits.end());
}

}  // namespace parley::exchange
