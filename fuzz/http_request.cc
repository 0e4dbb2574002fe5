// Fuzz target: an HTTP/1.1 request from the wire to a route's helpers.
//
// The bytes are read by Beast's request parser with the server's limits (http/server.h
// Limits), one request after another while the connection would be kept alive; each is
// turned into a parley::http::Request as http/server.cc's to_request does, routed by a
// Router holding Parley's real route patterns (src/app/openapi.json), and answered the
// way Server::Impl::dispatch answers: a 404/405 Problem, or the route's handler, which
// here calls every Request helper a real handler calls. Every Problem is rendered with
// Response::problem, as the server renders it — with the percent-decoded path as its
// instance, which may hold any byte.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/text.h"
#include "fuzz/property.h"
#include "http/router.h"
#include "http/server.h"

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using parley::Problem;
using parley::http::Request;
using parley::http::Response;
using parley::http::Router;

// Every route of src/app/openapi.json; the two upload routes are marked.
constexpr const char* kRoutes[][2] = {
    {"GET", "/api/v1/health"},
    {"GET", "/api/v1/openapi.json"},
    {"GET", "/api/v1/stream"},
    {"POST", "/api/v1/session"},
    {"GET", "/api/v1/session"},
    {"DELETE", "/api/v1/session"},
    {"GET", "/api/v1/me"},
    {"PATCH", "/api/v1/me"},
    {"POST", "/api/v1/me/password"},
    {"GET", "/api/v1/me/tokens"},
    {"POST", "/api/v1/me/tokens"},
    {"DELETE", "/api/v1/me/tokens/{id}"},
    {"POST", "/api/v1/me/totp"},
    {"DELETE", "/api/v1/me/totp"},
    {"POST", "/api/v1/me/totp/confirm"},
    {"GET", "/api/v1/users"},
    {"GET", "/api/v1/forums"},
    {"GET", "/api/v1/forums/{forum}"},
    {"GET", "/api/v1/forums/{forum}/states"},
    {"GET", "/api/v1/states"},
    {"GET", "/api/v1/states/{alpha3}"},
    {"GET", "/api/v1/states/{alpha3}/agencies"},
    {"POST", "/api/v1/states/{alpha3}/agencies"},
    {"PATCH", "/api/v1/agencies/{id}"},
    {"DELETE", "/api/v1/agencies/{id}"},
    {"GET", "/api/v1/contacts"},
    {"POST", "/api/v1/contacts"},
    {"GET", "/api/v1/contacts/export"},
    {"GET", "/api/v1/contacts/{id}"},
    {"PATCH", "/api/v1/contacts/{id}"},
    {"DELETE", "/api/v1/contacts/{id}"},
    {"POST", "/api/v1/contacts/{id}/approve"},
    {"POST", "/api/v1/contacts/{id}/reject"},
    {"POST", "/api/v1/communications"},
    {"GET", "/api/v1/communications"},
    {"GET", "/api/v1/communications/{id}"},
    {"POST", "/api/v1/communications/{id}/ack"},
    {"POST", "/api/v1/communications/{id}/reply"},
    {"POST", "/api/v1/communications/{id}/close"},
    {"GET", "/api/v1/communications/{id}/attachments/{sha256}"},
    {"POST", "/api/v1/attachments"},
    {"GET", "/api/v1/forums/{forum}/hotline-policy"},
    {"PUT", "/api/v1/forums/{forum}/hotline-policy"},
    {"POST", "/api/v1/checks"},
    {"GET", "/api/v1/checks"},
    {"GET", "/api/v1/checks/{id}"},
    {"GET", "/api/v1/check-schedules"},
    {"DELETE", "/api/v1/check-schedules/{id}"},
    {"GET", "/api/v1/exchange/collections"},
    {"POST", "/api/v1/exchange/collections"},
    {"POST", "/api/v1/exchange/objects"},   // upload
    {"GET", "/api/v1/exchange/objects"},
    {"GET", "/api/v1/exchange/objects/{id}"},
    {"GET", "/api/v1/exchange/export"},
    {"GET", "/taxii2"},
    {"GET", "/taxii2/{root}"},
    {"GET", "/taxii2/{root}/status/{id}"},
    {"GET", "/taxii2/{root}/collections"},
    {"GET", "/taxii2/{root}/collections/{id}"},
    {"GET", "/taxii2/{root}/collections/{id}/objects"},
    {"POST", "/taxii2/{root}/collections/{id}/objects"},   // upload
    {"GET", "/taxii2/{root}/collections/{id}/objects/{object_id}"},
    {"DELETE", "/taxii2/{root}/collections/{id}/objects/{object_id}"},
    {"GET", "/taxii2/{root}/collections/{id}/objects/{object_id}/versions"},
    {"GET", "/taxii2/{root}/collections/{id}/manifest"},
    {"POST", "/api/v1/negotiation/check"},
    {"GET", "/api/v1/negotiation/documents"},
    {"POST", "/api/v1/negotiation/documents"},
    {"GET", "/api/v1/negotiation/documents/{id}"},
    {"GET", "/api/v1/negotiation/documents/{id}/revisions/{rev}"},
    {"PUT", "/api/v1/negotiation/documents/{id}/revisions/{rev}/text"},
    {"POST", "/api/v1/negotiation/documents/{id}/proposals"},
    {"POST", "/api/v1/negotiation/documents/{id}/proposals/{proposal}/position"},
    {"POST", "/api/v1/negotiation/documents/{id}/proposals/{proposal}/comments"},
    {"POST", "/api/v1/negotiation/documents/{id}/proposals/{proposal}/resolve"},
    {"POST", "/api/v1/negotiation/documents/{id}/paragraphs/{paragraph}/ad-ref"},
    {"POST", "/api/v1/negotiation/documents/{id}/circulate"},
    {"GET", "/api/v1/negotiation/documents/{id}/diff"},
    {"POST", "/api/v1/negotiation/documents/{id}/silence"},
    {"POST", "/api/v1/negotiation/documents/{id}/silence/break"},
    {"POST", "/api/v1/negotiation/documents/{id}/adopt"},
    {"POST", "/api/v1/negotiation/documents/{id}/withdraw"},
    {"GET", "/api/v1/negotiation/forums/{forum}/note-scheme"},
    {"PUT", "/api/v1/negotiation/forums/{forum}/note-scheme"},
};

// Runs one helper as a handler would, and renders its Problem as the server would.
template <class F>
void helper(const Request& req, F&& f) {
  try {
    f();
  } catch (const Problem& p) {
    const auto res = Response::problem(p, req.path);
    FUZZ_PROPERTY(res.status == p.status(), "a problem response keeps the problem's status");
  }
}

// The route handler: every helper a real one calls, each on its own.
Response exercise(Request& req) {
  helper(req, [&] { (void)req.cookie("parley_session"); });
  helper(req, [&] { (void)req.header("authorization"); });
  helper(req, [&] { (void)req.query_param("q"); });
  helper(req, [&] { req.refuse_unknown_params({"forum", "collection", "type", "q", "tlp", "limit", "offset"}); });
  helper(req, [&] { (void)req.int_query("limit", 50, 1, 200); });
  helper(req, [&] { (void)req.int_query("offset", 0, 0, 100000000); });
  helper(req, [&] { (void)req.int_query("thread_id", 0, 1, INT64_MAX / 2); });
  for (const auto& param : req.params) {   // (clang 14 cannot capture a structured binding)
    helper(req, [&] {
      const auto id = req.id_param(param.first);
      FUZZ_PROPERTY(id >= 0 && std::to_string(id).size() <= param.second.size(), "an id is the digits sent");
    });
  }
  if (!req.is_safe_method()) {
    helper(req, [&] {
      auto in = req.json();
      (void)in.text("name", false, 200);
      (void)in.integer("limit", false, 1, 1000);
      (void)in.boolean("enabled", false);
      (void)in.text_list("states", false, 50, 3);
      in.finish();
    });
  }
  return Response::json({{"ok", true}});
}

// An upload's admission as the server runs it on the headers alone: the client's
// address from X-Forwarded-For (as a trusted proxy's), then who is sending.
std::string admit(Request& req) {
  const std::vector<std::string> proxies = {"127.0.0.1", "::1"};
  (void)parley::http::client_address("127.0.0.1", req.header("x-forwarded-for"), proxies);
  if (req.header("authorization").empty()) throw Problem::unauthenticated();
  return req.header("authorization");
}

const Router& router() {
  static const Router r = [] {
    Router out;
    for (const auto& [method, pattern] : kRoutes) {
      const std::string p = pattern;
      if (std::string(method) == "POST" &&
          (p == "/api/v1/exchange/objects" || p == "/taxii2/{root}/collections/{id}/objects"))
        out.add_upload(method, p, admit, exercise);
      else
        out.add(method, p, exercise);
    }
    return out;
  }();
  return r;
}

// As http/server.cc's to_request: the request line by the server's own function.
Request to_request(const bhttp::request<bhttp::string_body>& in) {
  Request r = parley::http::request_from_line(std::string(in.method_string()), std::string(in.target()), "192.0.2.1");
  for (const auto& f : in)
    r.headers.emplace_back(parley::to_lower(std::string_view(f.name_string().data(), f.name_string().size())),
                           std::string(f.value()));
  r.body = in.body();
  return r;
}

// As Server::Impl::dispatch, for the routed paths (static files are not fuzzed here).
Response dispatch(Request& req) {
  const bool routed = req.path.starts_with("/api/") || req.path == "/taxii2" || req.path.starts_with("/taxii2/");
  if (!routed)
    return Response::problem(Problem(405, "method-not-allowed", "Method not allowed", "Static files are read-only."),
                             req.path);
  try {
    return router().dispatch(req);
  } catch (const Problem& p) {
    return Response::problem(p, req.path);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const parley::http::Limits limits;
  boost::asio::const_buffer rest(data, size);
  // A keep-alive connection: requests one after the other, as the server reads them.
  for (int n = 0; n < 8 && rest.size() > 0; ++n) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
    parser.body_limit(std::max(limits.body_bytes, limits.upload_bytes));
    parser.eager(false);   // the header first, then the limit that applies to the body
    beast::error_code ec;
    rest += parser.put(rest, ec);
    if (ec == bhttp::error::need_more) parser.put_eof(ec);
    if (ec) return 0;
    if (!parser.is_done()) {
      const auto target = std::string(parser.get().target());
      const auto m = router().match(std::string(parser.get().method_string()),
                                    parley::http::percent_decode(std::string_view(target).substr(0, target.find('?')), false));
      const bool upload = m.route && m.route->upload;
      if (upload) {
        // Admitted or refused on the headers, as the server does before reading the body.
        auto head = to_request(parser.get());
        head.params = m.params;
        try {
          (void)m.route->admit(head);
        } catch (const Problem& p) {
          (void)Response::problem(p, head.path);
        }
      }
      const auto length = parser.content_length();
      if (!upload && length && *length > limits.body_bytes) return 0;   // the server answers 413
      parser.body_limit(upload ? limits.upload_bytes : limits.body_bytes);
      parser.eager(true);
      rest += parser.put(rest, ec);
      if (ec == bhttp::error::need_more) parser.put_eof(ec);
      if (ec || !parser.is_done()) return 0;
    }
    const bool keep_alive = parser.keep_alive();
    auto req = to_request(parser.get());
    const auto res = dispatch(req);
    FUZZ_PROPERTY(res.status >= 200 && res.status < 600, "a response has an HTTP status");
    if (!keep_alive) break;
  }
  return 0;
}
