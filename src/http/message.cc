#include "http/message.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "common/text.h"

namespace parley::http {

std::string Request::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers)
    if (k == lower_name) return v;
  return {};
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k != "cookie") continue;
    for (const auto& part : split(v, ';')) {
      const auto item = trim(part);
      const auto eq = item.find('=');
      if (eq != std::string::npos && std::string_view(item).substr(0, eq) == name)
        return item.substr(eq + 1);
    }
  }
  return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

void Request::refuse_unknown_params(const std::vector<std::string>& known) const {
  std::vector<FieldError> errors;
  for (const auto& [k, _] : query)
    if (std::find(known.begin(), known.end(), k) == known.end()) errors.push_back({k, "is not a known parameter"});
  if (!errors.empty()) throw Problem::bad_request("Some query parameters are not known.", std::move(errors));
}

std::int64_t Request::int_query(const char* name, std::int64_t def, std::int64_t min, std::int64_t max) const {
  auto v = query_param(name);
  if (!v) return def;
  if (v->empty() || v->size() > 18 || v->find_first_not_of("0123456789") != std::string::npos)
    throw Problem::bad_request("Query parameter " + std::string(name) + " must be a whole number.",
                               {{name, "must be a whole number"}});
  const auto n = std::stoll(*v);
  if (n < min || n > max)
    throw Problem::bad_request("Query parameter " + std::string(name) + " is out of range.",
                               {{name, "must be between " + std::to_string(min) + " and " + std::to_string(max)}});
  return n;
}

std::int64_t Request::id_param(const std::string& name) const {
  const auto& v = param(name);
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
    throw Problem::not_found("No such " + name + ": '" + v + "'.");
  return std::stoll(v);
}

JsonInput Request::json() const {
  const auto ct = to_lower(header("content-type"));
  const auto mime = trim(ct.substr(0, ct.find(';')));
  if (mime != "application/json" && !(mime.size() > 5 && mime.ends_with("+json"))) {
    throw Problem(415, "unsupported-media-type", "Unsupported media type",
                  "Send the body as application/json.", {{"content-type", "must be application/json"}});
  }
  return JsonInput::parse(body);
}

Response Response::json(const nlohmann::json& j, int status) {
  Response r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::problem(const Problem& p, const std::string& instance) {
  Response r;
  r.status = p.status();
  r.content_type = "application/problem+json";
  r.body = p.to_json(instance);
  if (!p.retry_after.empty()) r.headers.emplace_back("Retry-After", p.retry_after);
  if (p.status() == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"parley\"");
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Response::text(std::string body, std::string content_type, int status) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Response Response::shared(std::shared_ptr<const std::string> body, std::string content_type, int status) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.shared_body = std::move(body);
  return r;
}

Response& Response::with_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string percent_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Request request_from_line(std::string method, std::string target, std::string remote) {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  const auto q = r.target.find('?');
  r.path = percent_decode(std::string_view(r.target).substr(0, q), false);
  if (q != std::string::npos) r.query = parse_query(std::string_view(r.target).substr(q + 1));
  r.remote = std::move(remote);
  return r;
}

std::string content_disposition(std::string_view kind, std::string_view filename) {
  std::string ascii, encoded;
  for (const char ch : filename) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = std::isalnum(c) || ch == '.' || ch == '-' || ch == '_' || ch == '+';
    ascii += plain ? ch : '_';
    if (plain) {
      encoded += ch;
    } else {
      static const char* kHex = "0123456789ABCDEF";
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  if (ascii.empty()) ascii = encoded = "download";
  return std::string(kind) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted) {
  const auto is_trusted = [&](const std::string& a) { return std::find(trusted.begin(), trusted.end(), a) != trusted.end(); };
  if (forwarded_for.empty() || !is_trusted(peer)) return peer;
  auto hops = split(forwarded_for, ',');
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    const auto hop = trim(*it);
    if (is_trusted(hop)) continue;
    // An address and nothing else ("203.0.113.3:1234" or a name is not one).
    unsigned char buf[16];
    const bool address = hop.size() <= 45 && (inet_pton(AF_INET, hop.c_str(), buf) == 1 || inet_pton(AF_INET6, hop.c_str(), buf) == 1);
    return address ? hop : peer;
  }
  return peer;
}

std::multimap<std::string, std::string> parse_query(std::string_view qs) {
  std::multimap<std::string, std::string> out;
  if (qs.empty()) return out;
  for (const auto& part : split(qs, '&')) {
    if (part.empty()) continue;
    const auto eq = part.find('=');
    if (eq == std::string::npos) out.emplace(percent_decode(part, true), "");
    else out.emplace(percent_decode(std::string_view(part).substr(0, eq), true),
                     percent_decode(std::string_view(part).substr(eq + 1), true));
  }
  return out;
}

}  // namespace parley::http
