#include "directory/currency_routes.h"

#include "common/problem.h"

namespace parley::directory {

using auth::Principal;
using http::Request;
using http::Response;

namespace {

bool dry_run_param(const Request& req) {
  const auto v = req.query_param("dry_run");
  if (!v || *v == "false" || *v == "0") return false;
  if (*v == "true" || *v == "1" || v->empty()) return true;
  throw Problem::bad_request("dry_run must be true or false.", {{"dry_run", "must be true or false"}});
}

}  // namespace

void add_currency_routes(http::Router& router, ReconfirmationService& rc, ContactImporter& importer,
                         const auth::Guard& guard) {
  router.add("POST", "/api/v1/forums/{forum}/reconfirmations", guard([&rc](Request& req, const Principal& who) {
    auto in = req.json();
    ReconfirmationInput r;
    r.due_date = in.text("due_date", true, 10).value_or("");
    r.message = in.text("message", true, 4000, 1).value_or("");
    r.remind_days_before = in.integer("remind_days_before", false, 1, 90).value_or(7);
    in.finish();
    auto out = rc.start(&who, req.param("forum"), r);
    return Response::json(out, 201).with_header(
        "Location", "/api/v1/forums/" + out["forum"].get<std::string>() + "/reconfirmations/" +
                        std::to_string(out["id"].get<std::int64_t>()));
  }));
  router.add("GET", "/api/v1/forums/{forum}/reconfirmations", guard([&rc](Request& req, const Principal& who) {
    return Response::json(rc.list(&who, req.param("forum")));
  }));
  router.add("GET", "/api/v1/forums/{forum}/reconfirmations/{id}", guard([&rc](Request& req, const Principal& who) {
    return Response::json(rc.detail(&who, req.param("forum"), req.id_param("id")));
  }));
  router.add("POST", "/api/v1/forums/{forum}/reconfirmations/{id}/states/{alpha3}/confirm",
             guard([&rc](Request& req, const Principal& who) {
               std::string note;
               if (!req.body.empty()) {
                 auto in = req.json();
                 note = in.text("note", false, 2000).value_or("");
                 in.finish();
               }
               return Response::json(rc.confirm(who, req.param("forum"), req.id_param("id"), req.param("alpha3"), note));
             }));
  router.add("GET", "/api/v1/directory/reconfirmations/pending", guard([&rc](Request&, const Principal& who) {
    return Response::json(rc.pending(who));
  }));
  router.add("POST", "/api/v1/directory/import", guard([&importer](Request& req, const Principal& who) {
    req.refuse_unknown_params({"dry_run"});
    const bool dry = dry_run_param(req);
    auto in = req.json();
    auto r = ImportRequest::parse(in);
    r.dry_run = dry || !r.mapping;
    return Response::json(importer.run(&who, r));
  }));
}

}  // namespace parley::directory
