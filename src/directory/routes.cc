#include "directory/routes.h"

#include <fmt/format.h>

#include "common/text.h"
#include "directory/negotiated.h"
#include "directory/export.h"

namespace parley::directory {

using auth::Principal;
using http::Request;
using http::Response;

namespace {


ContactQuery parse_query(const Request& req, std::int64_t max_limit) {
  static const std::vector<std::string> kKnown = {"state", "forum", "type", "language", "q", "status",
                                                  "agency_id", "limit", "offset", "format", "expired"};
  std::vector<FieldError> errors;
  for (const auto& [k, _] : req.query)
    if (std::find(kKnown.begin(), kKnown.end(), k) == kKnown.end()) errors.push_back({k, "is not a known parameter"});
  ContactQuery q;
  auto text = [&](const char* name) -> std::optional<std::string> {
    auto v = req.query_param(name);
    if (!v) return std::nullopt;
    auto t = trim(*v);
    if (t.empty()) return std::nullopt;
    if (t.size() > 200 || !is_valid_utf8(t)) {
      errors.push_back({name, "is too long or not UTF-8"});
      return std::nullopt;
    }
    return t;
  };
  q.state = text("state");
  if (q.state) {
    q.state = to_upper(*q.state);
    if (!is_alpha3(*q.state)) errors.push_back({"state", "must be an ISO 3166-1 alpha-3 code"});
  }
  q.forum = text("forum");
  if (q.forum) q.forum = to_upper(*q.forum);
  q.type = text("type");
  if (q.type && std::find(kContactTypes.begin(), kContactTypes.end(), *q.type) == kContactTypes.end())
    errors.push_back({"type", "must be policy or technical"});
  q.language = text("language");
  if (q.language && !is_language_tag(*q.language)) errors.push_back({"language", "must be a BCP 47 language tag"});
  q.q = text("q");
  q.status = text("status");
  if (q.status && std::find(kStatuses.begin(), kStatuses.end(), *q.status) == kStatuses.end())
    errors.push_back({"status", "must be active, pending or rejected"});
  if (auto e = text("expired")) {
    if (*e == "true") q.expired = true;
    else if (*e == "false") q.expired = false;
    else errors.push_back({"expired", "must be true or false"});
  }
  if (req.query_param("agency_id")) q.agency_id = req.int_query("agency_id", 0, 1, 999999999);
  q.limit = req.int_query("limit", std::min<std::int64_t>(50, max_limit), 1, max_limit);
  q.offset = req.int_query("offset", 0, 0, 100000000);
  if (!errors.empty()) throw Problem::bad_request("Some query parameters are not valid.", std::move(errors));
  return q;
}


std::optional<std::int64_t> if_match(const Request& req) {
  auto v = trim(req.header("if-match"));
  if (v.empty()) return std::nullopt;
  if (v.size() > 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
    throw Problem::bad_request("If-Match must be the contact's version in quotes, e.g. \"3\".",
                               {{"If-Match", "is not a version"}});
  return std::stoll(v);
}

Response contact_response(const Contact& k, int status = 200) {
  return Response::json(k.to_json(), status).with_header("ETag", fmt::format("\"{}\"", k.version));
}

}  // namespace

void add_routes(http::Router& router, DirectoryService& dir, const auth::Guard& guard) {
  router.add("GET", "/api/v1/forums", guard([&dir](Request& req, const Principal& who) {
    const auto langs = accepted(req);
    auto items = dir.forums(who, langs);
    // Each forum says the language of its name; Content-Language is the first's.
    const std::string lang = items.empty() ? "en" : items[0].value("language", "en");
    return localized(Response::json({{"items", items}}), lang);
  }));
  router.add("GET", "/api/v1/forums/{forum}", guard([&dir](Request& req, const Principal& who) {
    auto f = dir.forum(who, req.param("forum"), accepted(req));
    const std::string lang = f.value("language", "en");
    return localized(Response::json(f), lang);
  }));
  router.add("GET", "/api/v1/forums/{forum}/states", guard([&dir](Request& req, const Principal& who) {
    const auto langs = accepted(req);
    return localized(Response::json({{"items", dir.forum_states(who, req.param("forum"), langs)}}),
                     dir.state_language(langs));
  }));
  router.add("GET", "/api/v1/states", guard([&dir](Request& req, const Principal& who) {
    const auto langs = accepted(req);
    return localized(Response::json({{"items", dir.states(who, langs)}}), dir.state_language(langs));
  }));
  router.add("GET", "/api/v1/states/{alpha3}", guard([&dir](Request& req, const Principal& who) {
    const auto langs = accepted(req);
    return localized(Response::json(dir.state(who, req.param("alpha3"), langs)), dir.state_language(langs));
  }));
  router.add("GET", "/api/v1/states/{alpha3}/agencies", guard([&dir](Request& req, const Principal& who) {
    return Response::json({{"items", dir.agencies(who, req.param("alpha3"))}});
  }));
  router.add("POST", "/api/v1/states/{alpha3}/agencies", guard([&dir](Request& req, const Principal& who) {
    auto in = req.json();
    auto a = AgencyInput::parse(in, false);
    return Response::json(dir.create_agency(who, req.param("alpha3"), a).to_json(), 201);
  }));
  router.add("PATCH", "/api/v1/agencies/{id}", guard([&dir](Request& req, const Principal& who) {
    auto in = req.json();
    auto a = AgencyInput::parse(in, true);
    return Response::json(dir.update_agency(who, req.id_param("id"), a).to_json());
  }));
  router.add("DELETE", "/api/v1/agencies/{id}", guard([&dir](Request& req, const Principal& who) {
    dir.delete_agency(who, req.id_param("id"));
    return Response::no_content();
  }));

  router.add("GET", "/api/v1/contacts", guard([&dir](Request& req, const Principal& who) {
    if (req.query_param("format")) throw Problem::bad_request("Use /api/v1/contacts/export for other formats.", {{"format", "is only accepted by /api/v1/contacts/export"}});
    auto q = parse_query(req, 500);
    q.name_language = dir.state_language(accepted(req));
    return localized(Response::shared(dir.search_json(who, q), "application/json"), q.name_language);
  }));
  router.add("GET", "/api/v1/contacts/export", guard([&dir](Request& req, const Principal& who) {
    auto q = parse_query(req, 10000);
    if (!req.query_param("limit")) q.limit = 10000;
    q.name_language = dir.state_language(accepted(req));
    const auto format = req.query_param("format").value_or("json");
    auto page = dir.search(who, q);
    if (format == "csv")
      return Response::text(to_csv(page.items), "text/csv; charset=utf-8")
          .with_header("Content-Disposition", "attachment; filename=\"parley-contacts.csv\"");
    if (format == "vcard" || format == "vcf")
      return Response::text(to_vcard(page.items), "text/vcard; charset=utf-8")
          .with_header("Content-Disposition", "attachment; filename=\"parley-contacts.vcf\"");
    if (format == "json")
      return Response::json(page.to_json()).with_header("Content-Disposition",
                                                         "attachment; filename=\"parley-contacts.json\"");
    throw Problem::bad_request("Unknown export format.", {{"format", "must be json, csv or vcard"}});
  }));
  router.add("POST", "/api/v1/contacts", guard([&dir](Request& req, const Principal& who) {
    auto in = req.json();
    auto c = ContactInput::parse(in, false);
    auto k = dir.create(who, c);
    return contact_response(k, 201).with_header("Location", "/api/v1/contacts/" + std::to_string(k.id));
  }));
  router.add("GET", "/api/v1/contacts/{id}", guard([&dir](Request& req, const Principal& who) {
    const auto lang = dir.state_language(accepted(req));
    return localized(contact_response(dir.contact(who, req.id_param("id"), lang)), lang);
  }));
  router.add("PATCH", "/api/v1/contacts/{id}", guard([&dir](Request& req, const Principal& who) {
    const auto id = req.id_param("id");
    const auto version = if_match(req);
    auto in = req.json();
    auto c = ContactInput::parse(in, true);
    return contact_response(dir.update(who, id, c, version));
  }));
  router.add("DELETE", "/api/v1/contacts/{id}", guard([&dir](Request& req, const Principal& who) {
    dir.remove(who, req.id_param("id"));
    return Response::no_content();
  }));
  auto decide = [&dir](bool approve) {
    return [&dir, approve](Request& req, const Principal& who) {
      std::string note;
      if (!req.body.empty()) {
        auto in = req.json();
        note = in.text("note", !approve, 500).value_or("");
        in.finish();
      } else if (!approve) {
        throw Problem::invalid("note", "is required: say why the nomination is rejected");
      }
      return contact_response(dir.decide(who, req.id_param("id"), approve, note));
    };
  };
  router.add("POST", "/api/v1/contacts/{id}/approve", guard(decide(true)));
  router.add("POST", "/api/v1/contacts/{id}/reject", guard(decide(false)));
}

}  // namespace parley::directory
