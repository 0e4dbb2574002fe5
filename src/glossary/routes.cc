#include "glossary/routes.h"

#include "common/problem.h"

namespace parley::glossary {

using auth::Principal;
using http::Request;
using http::Response;

void add_routes(http::Router& router, GlossaryService& glossary, const auth::Guard& guard) {
  router.add("GET", "/api/v1/glossary/terms", guard([&glossary](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum", "q"});
    return Response::json(glossary.list(who, req.query_param("forum").value_or(""), req.query_param("q").value_or("")));
  }));
  router.add("POST", "/api/v1/glossary/terms", guard([&glossary](Request& req, const Principal& who) {
    auto in = req.json();
    auto j = glossary.create(who, TermInput::parse(in, true));
    return Response::json(j, 201).with_header("Location", "/api/v1/glossary/terms/" + std::to_string(j["id"].get<std::int64_t>()));
  }));
  router.add("GET", "/api/v1/glossary/terms/{id}", guard([&glossary](Request& req, const Principal& who) {
    return Response::json(glossary.get(who, req.id_param("id")));
  }));
  router.add("PATCH", "/api/v1/glossary/terms/{id}", guard([&glossary](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(glossary.update(who, req.id_param("id"), TermInput::parse(in, false)));
  }));
  router.add("POST", "/api/v1/glossary/terms/{id}/definitions", guard([&glossary](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(glossary.add_definition(who, req.id_param("id"), parse_definition(in)), 201);
  }));
  router.add("DELETE", "/api/v1/glossary/definitions/{id}", guard([&glossary](Request& req, const Principal& who) {
    glossary.delete_definition(who, req.id_param("id"));
    return Response::no_content();
  }));
  router.add("GET", "/api/v1/glossary/terms/{id}/comparison", guard([&glossary](Request& req, const Principal& who) {
    req.refuse_unknown_params({"lang"});
    return Response::json(glossary.compare(who, req.id_param("id"), req.query_param("lang").value_or("")));
  }));
  router.add("GET", "/api/v1/glossary/export", guard([&glossary](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum", "format"});
    auto e = glossary.export_glossary(who, req.query_param("forum").value_or(""), req.query_param("format").value_or("tbx"));
    return Response::text(std::move(e.body), e.media_type)
        .with_header("Content-Disposition", http::content_disposition("attachment", e.filename))
        .with_header("X-Content-Type-Options", "nosniff");
  }));
  router.add("POST", "/api/v1/glossary/import", guard([&glossary](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum", "format"});
    return Response::json(glossary.import_glossary(who, req.query_param("forum").value_or(""),
                                                   req.query_param("format").value_or("tbx"), req.body));
  }));
}

}  // namespace parley::glossary
