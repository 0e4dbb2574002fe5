// Request and Response as the rest of Parley sees them: plain values, no Boost.Beast.
// The server (http/server.cc) converts to and from the wire. One Request per handler
// call; not shared between threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_input.h"
#include "common/problem.h"

namespace parley::http {

struct Request {
  std::string method;          // "GET", "POST", ...
  std::string target;          // as received: path and query
  std::string path;            // percent-decoded path without the query
  std::multimap<std::string, std::string> query;    // decoded query parameters
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  // For upload routes (Router::add_upload): the file the body was written to as it
  // arrived (deleted once the response is sent); `body` is then empty.
  std::string body_file;
  std::string remote;          // peer address
  std::map<std::string, std::string> params;   // path parameters from the route pattern
  std::string user;            // set by authentication, for the access log

  std::string header(std::string_view lower_name) const;   // "" when absent
  std::optional<std::string> cookie(std::string_view name) const;
  std::optional<std::string> query_param(std::string_view name) const;
  const std::string& param(const std::string& name) const { return params.at(name); }
  // A whole-number query parameter in [min, max], `def` when absent; 400 otherwise.
  std::int64_t int_query(const char* name, std::int64_t def, std::int64_t min, std::int64_t max) const;
  // 400 naming every query parameter that is not in `known`.
  void refuse_unknown_params(const std::vector<std::string>& known) const;
  // A numeric path parameter; anything else is a 404 (no such resource).
  std::int64_t id_param(const std::string& name) const;
  // The body as a JSON object; 415 if the Content-Type is not JSON, 400 if malformed.
  JsonInput json() const;
  bool is_safe_method() const { return method == "GET" || method == "HEAD" || method == "OPTIONS"; }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // A body shared with a cache of serialized responses: written from there, never
  // copied. When set, `body` is empty; payload() is the body either way.
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;

  std::string_view payload() const { return shared_body ? std::string_view(*shared_body) : std::string_view(body); }

  static Response json(const nlohmann::json& j, int status = 200);
  static Response problem(const Problem& p, const std::string& instance);
  static Response no_content();
  static Response text(std::string body, std::string content_type, int status = 200);
  static Response shared(std::shared_ptr<const std::string> body, std::string content_type, int status = 200);
  Response& with_header(std::string name, std::string value);
};

std::string percent_decode(std::string_view s, bool plus_as_space);
// A Request from its request line: method, target, the percent-decoded path and the
// parsed query, and the peer's address. Headers and body are the caller's to add.
Request request_from_line(std::string method, std::string target, std::string remote);
// A Content-Disposition value, `kind` ("attachment" or "inline") with `filename` (RFC
// 6266): an ASCII
// fallback in which quotes, backslashes, separators and controls become '_', and the
// name itself percent-encoded in filename*. Whatever the name holds (a document symbol,
// an uploaded file's name), it cannot add a parameter or a header.
std::string content_disposition(std::string_view kind, std::string_view filename);
// The client's address: `peer`, or — when the peer is one of `trusted` proxies — the
// last address of X-Forwarded-For that is not itself a trusted proxy (only an IPv4 or
// IPv6 address is taken; anything else leaves the peer's). `forwarded_for` is every
// X-Forwarded-For line of the request joined with commas, in order: a proxy that adds
// a line of its own after the client's must not leave the client's as the last word.
std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted);
std::multimap<std::string, std::string> parse_query(std::string_view qs);

}  // namespace parley::http
