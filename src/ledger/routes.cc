#include "ledger/routes.h"

#include "common/problem.h"
#include "tlog/checkpoint.h"

namespace parley::ledger {

namespace {
constexpr std::int64_t kMaxIndex = std::int64_t{1} << 47;

std::int64_t index_param(const http::Request& req) {
  const auto& text = req.param("index");
  if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string::npos ||
      (text.size() > 1 && text[0] == '0'))
    throw Problem::not_found("No ledger entry " + text.substr(0, 20) + ".");
  return std::stoll(text);
}

// KIND:ID — a kind of lower-case letters and '_', then printable ASCII (no spaces or
// control characters), 200 characters at most (storage/ledger_refs.h).
bool is_record_key(const std::string& key) {
  const auto colon = key.find(':');
  if (colon == 0 || colon == std::string::npos || colon + 1 == key.size() || key.size() > 200) return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const auto ch = static_cast<unsigned char>(key[i]);
    if (i < colon ? !((ch >= 'a' && ch <= 'z') || ch == '_') : (ch <= 0x20 || ch >= 0x7f)) return false;
  }
  return true;
}

http::Response checkpoint_response(LedgerService& ledger) {
  const auto note = ledger.latest_checkpoint();
  if (!note) throw Problem::not_found("The ledger has no checkpoint yet.");
  return http::Response::text(*note, "text/plain; charset=utf-8").with_header("Cache-Control", "private, max-age=1");
}

void add_tile_route(http::Router& router, LedgerService& ledger, const auth::Guard& guard) {
  router.add("GET", "/ledger/tile/{path...}", guard([&ledger](http::Request& req, const auth::Principal&) {
               req.refuse_unknown_params({});
               const auto t = tlog::parse_tile_path(req.param("path"));
               if (!t || t->level < 0) throw Problem::not_found("No such tile.");   // no entry bundles
               const auto bytes = ledger.tile(t->level, t->index, t->width);
               if (!bytes) throw Problem::not_found("No such tile.");
               // A tile of a given width never changes.
               return http::Response::text(*bytes, "application/octet-stream")
                   .with_header("Cache-Control", "private, max-age=31536000, immutable");
             }));
}
}  // namespace

void add_routes(http::Router& router, LedgerService& ledger, const auth::Guard& guard) {
  router.add("GET", "/api/v1/ledger/key", guard([&ledger](http::Request& req, const auth::Principal&) {
               req.refuse_unknown_params({});
               return http::Response::json({{"origin", ledger.origin()}, {"vkey", ledger.vkey()}});
             }));
  router.add("GET", "/api/v1/ledger/checkpoint", guard([&ledger](http::Request& req, const auth::Principal&) {
               req.refuse_unknown_params({});
               return checkpoint_response(ledger);
             }));
  router.add("GET", "/api/v1/ledger/proof/inclusion", guard([&ledger](http::Request& req, const auth::Principal&) {
               req.refuse_unknown_params({"index", "size"});
               if (!req.query_param("index") || !req.query_param("size"))
                 throw Problem::bad_request("index and size are required",
                                            {{"index", "required"}, {"size", "required"}});
               const auto index = req.int_query("index", 0, 0, kMaxIndex);
               const auto size = req.int_query("size", 0, 1, kMaxIndex);
               return http::Response::json(ledger.inclusion_proof(index, size));
             }));
  router.add("GET", "/api/v1/ledger/proof/consistency", guard([&ledger](http::Request& req, const auth::Principal&) {
               req.refuse_unknown_params({"from", "to"});
               if (!req.query_param("from") || !req.query_param("to"))
                 throw Problem::bad_request("from and to are required", {{"from", "required"}, {"to", "required"}});
               const auto from = req.int_query("from", 0, 0, kMaxIndex);
               const auto to = req.int_query("to", 0, 0, kMaxIndex);
               return http::Response::json(ledger.consistency_proof(from, to));
             }));
  router.add("GET", "/api/v1/ledger/entries/{index}", guard([&ledger](http::Request& req, const auth::Principal& who) {
               req.refuse_unknown_params({});
               // The body is exactly the leaf data: its SHA-256 after 0x00 is the leaf hash.
               return http::Response::text(ledger.entry(who, index_param(req)), "application/json");
             }));
  router.add("GET", "/api/v1/ledger/entries", guard([&ledger](http::Request& req, const auth::Principal& who) {
               req.refuse_unknown_params({"after", "limit"});
               const auto after = req.int_query("after", -1, -1, kMaxIndex);
               const auto limit = req.int_query("limit", 100, 1, 1000);
               return http::Response::json(ledger.list(who, after, limit));
             }));
  router.add("GET", "/api/v1/ledger/records", guard([&ledger](http::Request& req, const auth::Principal& who) {
               req.refuse_unknown_params({"object", "after"});
               const auto after = req.int_query("after", -1, -1, kMaxIndex);
               const auto object = req.query_param("object");
               if (!object || !is_record_key(*object))
                 throw Problem::bad_request("object names what was recorded, e.g. communication:17",
                                            {{"object", "required: KIND:ID, at most 200 printable characters"}});
               return http::Response::json(ledger.records(who, *object, after));
             }));
  router.add("GET", "/api/v1/ledger/receipts/{index}", guard([&ledger](http::Request& req, const auth::Principal& who) {
               req.refuse_unknown_params({});
               const auto index = index_param(req);
               return http::Response::text(ledger.receipt(who, index), "text/plain; charset=utf-8")
                   .with_header("Content-Disposition",
                                http::content_disposition("attachment", "parley-ledger-" + std::to_string(index) +
                                                                            ".tlog-proof"));
             }));
  router.add("GET", "/ledger/checkpoint", guard([&ledger](http::Request& req, const auth::Principal&) {
               req.refuse_unknown_params({});
               return checkpoint_response(ledger);
             }));
  add_tile_route(router, ledger, guard);
}

}  // namespace parley::ledger
