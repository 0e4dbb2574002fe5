#include "ledger/witness_routes.h"

#include "common/text.h"

namespace parley::ledger {

namespace {
std::string forum_param(const http::Request& req) {
  const auto& f = req.param("forum");
  if (f.empty() || f.size() > 20) throw Problem::not_found("No such forum.");
  return to_upper(f);
}
}  // namespace

void add_witness_routes(http::Router& router, WitnessService& witnesses, const auth::Guard& guard) {
  router.add("GET", "/api/v1/forums/{forum}/witnesses",
             guard([&witnesses](http::Request& req, const auth::Principal& who) {
               req.refuse_unknown_params({});
               return http::Response::json(witnesses.list(who, forum_param(req)));
             }));
  router.add("POST", "/api/v1/forums/{forum}/witnesses",
             guard([&witnesses](http::Request& req, const auth::Principal& who) {
               const auto forum = forum_param(req);
               auto in = req.json();
               return http::Response::json(witnesses.add(who, forum, in), 201);
             }));
  router.add("DELETE", "/api/v1/forums/{forum}/witnesses/{id}",
             guard([&witnesses](http::Request& req, const auth::Principal& who) {
               witnesses.remove(who, forum_param(req), req.id_param("id"));
               return http::Response::no_content();
             }));
}

}  // namespace parley::ledger
