#include "hotline/routes.h"

#include <algorithm>
#include <memory>

#include "common/text.h"
#include "hotline/address_book.h"
#include "hotline/addressing.h"

namespace parley::hotline {

using auth::Principal;
using http::Request;
using http::Response;

namespace {

CommQuery parse_query(const Request& req) {
  req.refuse_unknown_params({"box", "type", "status", "forum", "thread_id", "severity_min", "unacknowledged", "limit",
                              "offset"});
  CommQuery q;
  std::vector<FieldError> errors;
  if (auto b = req.query_param("box")) {
    if (*b != "inbox" && *b != "sent" && *b != "all") errors.push_back({"box", "must be inbox, sent or all"});
    q.box = *b;
  }
  if (auto t = req.query_param("type")) {
    if (std::find(kTypes.begin(), kTypes.end(), *t) == kTypes.end()) errors.push_back({"type", "is not a communication type"});
    q.type = *t;
  }
  if (auto s = req.query_param("status")) {
    if (*s != "open" && *s != "closed") errors.push_back({"status", "must be open or closed"});
    q.status = *s;
  }
  if (auto f = req.query_param("forum")) q.forum = to_upper(*f);
  if (req.query_param("thread_id")) q.thread_id = req.int_query("thread_id", 0, 1, INT64_MAX / 2);
  if (req.query_param("severity_min")) q.severity_min = req.int_query("severity_min", 0, 0, 5);
  if (auto u = req.query_param("unacknowledged")) {
    if (*u != "true" && *u != "false") errors.push_back({"unacknowledged", "must be true or false"});
    q.unacknowledged = *u == "true";
  }
  q.limit = req.int_query("limit", 50, 1, 200);
  q.offset = req.int_query("offset", 0, 0, 100000000);
  if (!errors.empty()) throw Problem::bad_request("Some query parameters are not valid.", std::move(errors));
  return q;
}

Response created(const nlohmann::json& j) {
  return Response::json(j, 201).with_header("Location", "/api/v1/communications/" + std::to_string(j["id"].get<std::int64_t>()));
}

// ?forum=, defaulting to a secretariat's own forum.
std::string forum_param(const Request& req, const Principal& who) {
  req.refuse_unknown_params({"forum"});
  auto forum = req.query_param("forum");
  if (!forum && !who.forum.empty()) forum = who.forum;
  if (!forum) throw Problem::bad_request("Name the forum.", {{"forum", "is required"}});
  return to_upper(*forum);
}

std::vector<std::string> upper_list(std::vector<std::string> v) {
  for (auto& s : v) s = to_upper(trim(s));
  return v;
}

}  // namespace

void add_routes(http::Router& router, HotlineService& hotline, CheckService& checks, const auth::Guard& guard) {
  router.add("POST", "/api/v1/communications", guard([&hotline](Request& req, const Principal& who) {
    auto in = req.json();
    auto c = CommunicationInput::parse(in, false, hotline.time().now_ms());
    return created(hotline.send(who, c));
  }));
  router.add("GET", "/api/v1/communications", guard([&hotline](Request& req, const Principal& who) {
    return Response::json(hotline.list(who, parse_query(req)));
  }));
  router.add("GET", "/api/v1/communications/{id}", guard([&hotline](Request& req, const Principal& who) {
    return Response::json(hotline.get(who, req.id_param("id")));
  }));
  router.add("POST", "/api/v1/communications/{id}/ack", guard([&hotline](Request& req, const Principal& who) {
    if (!req.body.empty()) req.json().finish();   // no fields; an empty object is fine
    return Response::json(hotline.acknowledge(who, req.id_param("id")));
  }));
  router.add("POST", "/api/v1/communications/{id}/reply", guard([&hotline](Request& req, const Principal& who) {
    const auto id = req.id_param("id");
    auto in = req.json();
    auto c = CommunicationInput::parse(in, true, hotline.time().now_ms());
    return created(hotline.reply(who, id, c));
  }));
  router.add("POST", "/api/v1/communications/{id}/close", guard([&hotline](Request& req, const Principal& who) {
    std::string note;
    if (!req.body.empty()) {
      auto in = req.json();
      note = in.text("note", false, 1000).value_or("");
      in.finish();
    }
    return Response::json(hotline.close(who, req.id_param("id"), note));
  }));
  router.add("GET", "/api/v1/communications/{id}/attachments/{sha256}",
             guard([&hotline](Request& req, const Principal& who) {
               auto d = hotline.attachment(who, req.id_param("id"), req.param("sha256"));
               return Response::text(std::move(d.content), d.media_type)
                   .with_header("Content-Disposition", http::content_disposition("attachment", d.filename));
             }));
  router.add("POST", "/api/v1/attachments", guard([&hotline](Request& req, const Principal& who) {
    return Response::json(hotline.upload(who, req.body, req.header("content-type")), 201);
  }));

  router.add("GET", "/api/v1/forums/{forum}/hotline-policy", guard([&hotline](Request& req, const Principal& who) {
    return Response::json(hotline.policy(who, to_upper(req.param("forum"))));
  }));
  router.add("PUT", "/api/v1/forums/{forum}/hotline-policy", guard([&hotline](Request& req, const Principal& who) {
    auto in = req.json();
    auto p = Policy::parse(in);
    return Response::json(hotline.set_policy(who, to_upper(req.param("forum")), p));
  }));

  router.add("POST", "/api/v1/checks", guard([&checks](Request& req, const Principal& who) {
    auto in = req.json();
    const auto forum = to_upper(trim(in.text("forum", true, 20, 1).value_or("")));
    CheckScope scope;
    if (auto s = in.text_list("states", false, 300, 3)) scope.states = upper_list(*s);
    if (const auto* k = in.raw("contacts")) {
      if (!k->is_array() || k->size() > 3000) in.error("contacts", "must be a list of at most 3000 contact ids or usernames");
      else
        for (std::size_t i = 0; i < k->size(); ++i) {
          const auto& v = (*k)[i];
          if (v.is_number_integer() && v.get<std::int64_t>() > 0) scope.contacts.push_back(std::to_string(v.get<std::int64_t>()));
          else if (v.is_string() && !v.get<std::string>().empty() && v.get<std::string>().size() <= 64 &&
                   is_valid_utf8(v.get<std::string>()))
            scope.contacts.push_back(v.get<std::string>());
          else in.error("contacts." + std::to_string(i), "must be a directory contact's id or an account's username");
        }
    }
    if (auto kind = in.text("kind", false, 20)) {
      if (std::find(kContactKinds.begin(), kContactKinds.end(), *kind) == kContactKinds.end())
        in.error("kind", "must be one of all, policy, technical, law_enforcement");
      else scope.kind = *kind;
    }
    std::optional<int> every;
    if (auto e = in.integer("repeat_every_days", false, 1, 3660)) every = static_cast<int>(*e);
    in.finish();
    auto report = checks.start(who, forum, scope, every);
    return Response::json(report, 201).with_header("Location", "/api/v1/checks/" + std::to_string(report["id"].get<std::int64_t>()));
  }));
  router.add("GET", "/api/v1/checks", guard([&checks](Request& req, const Principal& who) {
    return Response::json(checks.history(who, forum_param(req, who)));
  }));
  router.add("GET", "/api/v1/checks/{id}", guard([&checks](Request& req, const Principal& who) {
    req.refuse_unknown_params({"format"});
    const auto format = req.query_param("format").value_or("json");
    const auto id = req.id_param("id");
    if (format == "csv")
      return Response::text(checks.report_csv(&who, id), "text/csv; charset=utf-8")
          .with_header("Content-Disposition", "attachment; filename=\"parley-check-" + std::to_string(id) + ".csv\"");
    if (format != "json") throw Problem::bad_request("Unknown format.", {{"format", "must be json or csv"}});
    return Response::json(checks.report(&who, id));
  }));
  // The directory as the hotline's address book (address_book.h).
  auto book = std::make_shared<AddressBook>(hotline.db(), hotline.time());
  router.add("GET", "/api/v1/hotline/addressees", guard([book](Request& req, const Principal& who) {
    return Response::json(book->addressees(who, forum_param(req, who)));
  }));
  router.add("PUT", "/api/v1/contacts/{id}/account", guard([book](Request& req, const Principal& who) {
    const auto id = req.id_param("id");
    auto in = req.json();
    const auto username = trim(in.text("username", true, 64, 1).value_or(""));
    in.finish();
    return Response::json(book->link(who, id, username));
  }));
  router.add("DELETE", "/api/v1/contacts/{id}/account", guard([book](Request& req, const Principal& who) {
    book->unlink(who, req.id_param("id"));
    return Response::no_content();
  }));
  router.add("GET", "/api/v1/check-schedules", guard([&checks](Request& req, const Principal& who) {
    return Response::json(checks.schedules(who, forum_param(req, who)));
  }));
  router.add("DELETE", "/api/v1/check-schedules/{id}", guard([&checks](Request& req, const Principal& who) {
    checks.cancel_schedule(who, req.id_param("id"));
    return Response::no_content();
  }));
}

}  // namespace parley::hotline
