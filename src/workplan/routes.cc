#include "workplan/routes.h"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "workplan/render.h"

namespace parley::workplan {

using auth::Principal;
using http::Request;
using http::Response;

namespace {

// A comma-separated query parameter; each value checked by `valid`, else a 400 naming it.
std::vector<std::string> list_param(const Request& req, const std::string& name, bool upper,
                                    const std::function<bool(const std::string&)>& valid, const std::string& reason) {
  std::vector<std::string> out;
  const auto text = req.query_param(name).value_or("");
  if (text.size() > 4000) throw Problem::bad_request("The query is too long.", {{name, "is longer than 4000 bytes"}});
  for (auto& v : split(text, ',')) {
    auto value = upper ? to_upper(trim(v)) : trim(v);
    if (value.empty()) continue;
    if (!valid(value)) throw Problem::bad_request("The matrix cannot be filtered so.", {{name, "'" + value + "' " + reason}});
    out.push_back(std::move(value));
  }
  return out;
}

// A document to read, print or save: inline, under its file name, under a policy that
// lets its own style sheet apply and nothing run.
Response document_response(std::string body, const std::string& content_type, const std::string& filename) {
  return Response::text(std::move(body), content_type)
      .with_header("Content-Disposition", http::content_disposition("inline", filename))
      .with_header("Content-Security-Policy", printable::kPagePolicy);
}

MatrixQuery matrix_query(const Request& req) {
  MatrixQuery q;
  q.forum = req.query_param("forum").value_or("");
  q.as_of = req.query_param("as_of").value_or("");
  if (!q.as_of.empty() && !is_date(q.as_of)) throw Problem::bad_request("The matrix cannot be drawn for that day.", {{"as_of", "is a date, YYYY-MM-DD"}});
  q.filter.statuses = list_param(
      req, "status", false,
      [](const std::string& s) { return std::find(matrix_statuses().begin(), matrix_statuses().end(), s) != matrix_statuses().end(); },
      "is not a status (not_started, in_progress, implemented, not_applicable, not_reported)");
  q.filter.measures = list_param(req, "measure", false, [](const std::string& s) { return s.size() <= 32; }, "is not a measure's code");
  q.filter.states = list_param(req, "state", true, [](const std::string& s) { return is_alpha3(s); }, "is not an ISO 3166 alpha-3 code");
  q.group = to_upper(trim(req.query_param("group").value_or("")));
  if (q.group.size() > 32) throw Problem::bad_request("The matrix cannot be filtered so.", {{"group", "is not a group's code"}});
  return q;
}

}  // namespace

void add_routes(http::Router& router, const Services& services, const auth::Guard& guard) {
  auto& measures = services.measures;
  auto& meetings = services.meetings;
  auto& activities = services.activities;
  auto& calendars = services.calendars;
  auto& week = services.week;
  auto& plans = services.plans;
  auto& reviews = services.reviews;
  router.add("GET", "/api/v1/workplan/measures", guard([&measures](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum"});
    return Response::json(measures.list(who, req.query_param("forum").value_or("")));
  }));
  router.add("POST", "/api/v1/workplan/measures", guard([&measures](Request& req, const Principal& who) {
    auto in = req.json();
    auto j = measures.create(who, MeasureInput::parse(in, true));
    return Response::json(j, 201).with_header("Location", "/api/v1/workplan/measures/" + std::to_string(j["id"].get<std::int64_t>()));
  }));
  router.add("GET", "/api/v1/workplan/measures/{id}", guard([&measures](Request& req, const Principal& who) {
    req.refuse_unknown_params({});
    return Response::json(measures.get(who, req.id_param("id")));
  }));
  router.add("PATCH", "/api/v1/workplan/measures/{id}", guard([&measures](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(measures.update(who, req.id_param("id"), MeasureInput::parse(in, false)));
  }));
  router.add("GET", "/api/v1/workplan/measures/{id}/reports", guard([&measures](Request& req, const Principal& who) {
    req.refuse_unknown_params({"state"});
    return Response::json(measures.reports(who, req.id_param("id"), req.query_param("state").value_or("")));
  }));
  router.add("POST", "/api/v1/workplan/measures/{id}/reports", guard([&measures](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(measures.report(who, req.id_param("id"), ReportInput::parse(in)), 201);
  }));
  router.add("GET", "/api/v1/workplan/implementation", guard([&measures](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum", "state"});
    return Response::json(measures.state_row(who, req.query_param("forum").value_or(""), req.query_param("state").value_or("")));
  }));
  router.add("GET", "/api/v1/workplan/matrix", guard([&measures](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum", "as_of", "status", "measure", "state", "group", "format"});
    const auto format = req.query_param("format").value_or("json");
    if (format != "json" && format != "csv" && format != "svg")
      throw Problem::bad_request("The matrix comes as json, csv or svg.", {{"format", "must be json, csv or svg"}});
    const auto m = measures.matrix(who, matrix_query(req));
    if (format == "json") return Response::json(MeasureService::matrix_json(m));
    const auto filename = to_lower(m.forum) + "-implementation-" + m.as_of + "." + format;
    auto body = format == "csv" ? matrix_csv(m) : matrix_svg(m);
    return Response::text(std::move(body), format == "csv" ? "text/csv; charset=utf-8" : "image/svg+xml; charset=utf-8")
        .with_header("Content-Disposition", http::content_disposition(format == "csv" ? "attachment" : "inline", filename))
        .with_header("X-Content-Type-Options", "nosniff");
  }));

  router.add("GET", "/api/v1/workplan/bodies", guard([&meetings](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum"});
    return Response::json(meetings.bodies(who, req.query_param("forum").value_or("")));
  }));
  router.add("POST", "/api/v1/workplan/bodies", guard([&meetings](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(meetings.create_body(who, BodyInput::parse(in, true)), 201);
  }));
  router.add("PATCH", "/api/v1/workplan/bodies/{id}", guard([&meetings](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(meetings.update_body(who, req.id_param("id"), BodyInput::parse(in, false)));
  }));
  router.add("GET", "/api/v1/workplan/meetings", guard([&meetings](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum", "body", "from", "to"});
    const auto from = req.query_param("from").value_or("");
    const auto to = req.query_param("to").value_or("");
    if (!from.empty() && !is_date(from)) throw Problem::bad_request("Name the days as dates.", {{"from", "is a date, YYYY-MM-DD"}});
    if (!to.empty() && !is_date(to)) throw Problem::bad_request("Name the days as dates.", {{"to", "is a date, YYYY-MM-DD"}});
    const auto body = req.int_query("body", 0, 1, INT64_MAX);
    return Response::json(meetings.meetings(who, req.query_param("forum").value_or(""), body, from, to));
  }));
  router.add("POST", "/api/v1/workplan/meetings", guard([&meetings](Request& req, const Principal& who) {
    auto in = req.json();
    auto j = meetings.create(who, MeetingInput::parse(in, true));
    return Response::json(j, 201).with_header("Location", "/api/v1/workplan/meetings/" + std::to_string(j["id"].get<std::int64_t>()));
  }));
  router.add("GET", "/api/v1/workplan/meetings/{id}", guard([&meetings](Request& req, const Principal& who) {
    req.refuse_unknown_params({});
    return Response::json(meetings.get(who, req.id_param("id")));
  }));
  router.add("PATCH", "/api/v1/workplan/meetings/{id}", guard([&meetings](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(meetings.update(who, req.id_param("id"), MeetingInput::parse(in, false)));
  }));
  router.add("POST", "/api/v1/workplan/meetings/{id}/convene", guard([&meetings](Request& req, const Principal& who) {
    return Response::json(meetings.convene(who, req.id_param("id")));
  }));
  router.add("POST", "/api/v1/workplan/meetings/{id}/cancel", guard([&meetings](Request& req, const Principal& who) {
    return Response::json(meetings.cancel(who, req.id_param("id")));
  }));
  router.add("PUT", "/api/v1/workplan/meetings/{id}/delegations/{state}", guard([&meetings](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(meetings.set_delegation(who, req.id_param("id"), req.param("state"), parse_delegation(in)));
  }));
  router.add("POST", "/api/v1/workplan/meetings/{id}/documents", guard([&meetings](Request& req, const Principal& who) {
    auto in = req.json();
    MeetingDocument d;
    d.contribution_id = in.integer("contribution", true, 1, INT64_MAX).value_or(0);
    d.label = trim(in.text("label", false, 200).value_or(""));
    in.finish();
    return Response::json(meetings.add_document(who, req.id_param("id"), d), 201);
  }));
  router.add("POST", "/api/v1/workplan/meetings/{id}/decisions", guard([&meetings](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(meetings.record_decision(who, req.id_param("id"), parse_decision(in)), 201);
  }));
  router.add("POST", "/api/v1/workplan/meetings/{id}/held", guard([&meetings](Request& req, const Principal& who) {
    std::optional<std::vector<std::int64_t>> participants;
    if (!req.body.empty()) {
      auto in = req.json();
      if (const auto* raw = in.raw("participants")) {
        if (!raw->is_array() || raw->size() > 2000) in.error("participants", "is a list of delegates' ids");
        else {
          participants.emplace();
          for (const auto& v : *raw)
            if (v.is_number_integer() && v.get<std::int64_t>() > 0) participants->push_back(v.get<std::int64_t>());
            else in.error("participants", "holds delegates' ids (positive integers)");
        }
      }
      in.finish();
    }
    return Response::json(meetings.held(who, req.id_param("id"), participants));
  }));

  router.add("GET", "/api/v1/workplan/forums/{forum}/rules", guard([&activities](Request& req, const Principal& who) {
    req.refuse_unknown_params({});
    return Response::json(activities.rules(who, req.param("forum")));
  }));
  router.add("PUT", "/api/v1/workplan/forums/{forum}/rules", guard([&activities](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(activities.set_rules(who, req.param("forum"), RulesInput::parse(in)));
  }));
  router.add("GET", "/api/v1/workplan/activities", guard([&activities](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum", "status"});
    return Response::json(activities.list(who, req.query_param("forum").value_or(""), req.query_param("status").value_or("")));
  }));
  router.add("POST", "/api/v1/workplan/activities", guard([&activities](Request& req, const Principal& who) {
    auto in = req.json();
    auto j = activities.propose(who, ActivityInput::parse(in, true));
    return Response::json(j, 201).with_header("Location", "/api/v1/workplan/activities/" + std::to_string(j["id"].get<std::int64_t>()));
  }));
  router.add("GET", "/api/v1/workplan/activities/{id}", guard([&activities](Request& req, const Principal& who) {
    req.refuse_unknown_params({});
    return Response::json(activities.get(who, req.id_param("id")));
  }));
  router.add("PATCH", "/api/v1/workplan/activities/{id}", guard([&activities](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(activities.update(who, req.id_param("id"), ActivityInput::parse(in, false)));
  }));
  router.add("POST", "/api/v1/workplan/activities/{id}/submit", guard([&activities](Request& req, const Principal& who) {
    return Response::json(activities.submit(who, req.id_param("id")));
  }));
  router.add("POST", "/api/v1/workplan/activities/{id}/withdraw", guard([&activities](Request& req, const Principal& who) {
    return Response::json(activities.withdraw(who, req.id_param("id")));
  }));
  router.add("POST", "/api/v1/workplan/activities/{id}/decisions", guard([&activities](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(activities.decide(who, req.id_param("id"), StageDecisionInput::parse(in)), 201);
  }));
  router.add("POST", "/api/v1/workplan/activities/{id}/silence", guard([&activities](Request& req, const Principal& who) {
    auto in = req.json();
    const auto deadline = in.text("deadline", true, 40).value_or("");
    const auto ms = parse_rfc3339_ms(deadline);
    if (!deadline.empty() && !ms) in.error("deadline", "is a moment, RFC 3339: 2026-12-08T12:00:00Z");
    in.finish();
    return Response::json(activities.start_silence(who, req.id_param("id"), *ms), 201);
  }));
  router.add("POST", "/api/v1/workplan/activities/{id}/silence/break", guard([&activities](Request& req, const Principal& who) {
    auto in = req.json();
    const auto reason = trim(in.text("reason", true, 2000, 1).value_or(""));
    if (in.has("reason") && reason.empty()) in.error("reason", "is blank: say why silence is broken");
    in.finish();
    return Response::json(activities.break_silence(who, req.id_param("id"), reason));
  }));
  router.add("POST", "/api/v1/workplan/activities/{id}/schedule", guard([&activities](Request& req, const Principal& who) {
    auto in = req.json();
    JsonInput only = in;
    auto parsed = ActivityInput::parse(only, false);
    if (parsed.kind || parsed.title || parsed.objectives || parsed.co_leads || parsed.concept_paper || parsed.measure_id ||
        parsed.expected_participants || parsed.budget_note)
      throw Problem::invalid("schedule", "takes starts_on, ends_on, venue and online only");
    return Response::json(activities.schedule(who, req.id_param("id"), parsed));
  }));
  router.add("POST", "/api/v1/workplan/activities/{id}/held", guard([&activities](Request& req, const Principal& who) {
    return Response::json(activities.held(who, req.id_param("id")));
  }));
  router.add("POST", "/api/v1/workplan/activities/{id}/report", guard([&activities](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(activities.report(who, req.id_param("id"), ActivityReport::parse(in)));
  }));
  router.add("GET", "/api/v1/workplan/capacity", guard([&activities](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum", "kind", "state"});
    return Response::json(activities.capacity(who, req.query_param("forum").value_or(""), req.query_param("kind").value_or(""),
                                              req.query_param("state").value_or("")));
  }));
  router.add("POST", "/api/v1/workplan/capacity", guard([&activities](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(activities.post_capacity(who, CapacityInput::parse(in)), 201);
  }));
  router.add("GET", "/api/v1/workplan/capacity/{id}", guard([&activities](Request& req, const Principal& who) {
    req.refuse_unknown_params({});
    return Response::json(activities.capacity_entry(who, req.id_param("id")));
  }));
  router.add("POST", "/api/v1/workplan/capacity/{id}/withdraw", guard([&activities](Request& req, const Principal& who) {
    return Response::json(activities.withdraw_capacity(who, req.id_param("id")));
  }));
  router.add("POST", "/api/v1/workplan/capacity/match", guard([&activities](Request& req, const Principal& who) {
    auto in = req.json();
    const auto need = in.integer("need", true, 1, INT64_MAX).value_or(0);
    const auto offer = in.integer("offer", true, 1, INT64_MAX).value_or(0);
    const auto kind = in.text("kind", false, 32).value_or("training");
    if (std::find(kActivityKinds.begin(), kActivityKinds.end(), kind) == kActivityKinds.end())
      in.error("kind", "must be workshop, seminar, training, table_top_exercise or study");
    in.finish();
    return Response::json(activities.match(who, need, offer, kind), 201);
  }));

  router.add("GET", "/api/v1/workplan/week", guard([&week](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum", "days"});
    return Response::json(week.week(who, req.query_param("forum").value_or(""), req.int_query("days", 7, 1, 31)));
  }));
  router.add("GET", "/api/v1/workplan/calendar-feeds", guard([&calendars](Request& req, const Principal& who) {
    req.refuse_unknown_params({});
    return Response::json(calendars.feeds(who));
  }));
  router.add("POST", "/api/v1/workplan/calendar-feeds", guard([&calendars](Request& req, const Principal& who) {
    std::string forum;
    if (!req.body.empty()) {
      auto in = req.json();
      forum = in.text("forum", false, 16).value_or("");
      in.finish();
    }
    return Response::json(calendars.create_feed(who, forum), 201);
  }));
  router.add("DELETE", "/api/v1/workplan/calendar-feeds/{id}", guard([&calendars](Request& req, const Principal& who) {
    calendars.revoke_feed(who, req.id_param("id"));
    return Response::no_content();
  }));
  router.add("GET", "/api/v1/workplan/meetings/{id}/invitation.ics", guard([&calendars](Request& req, const Principal& who) {
    req.refuse_unknown_params({});
    return Response::text(calendars.invitation(who, req.id_param("id")), "text/calendar; charset=utf-8; method=REQUEST")
        .with_header("Content-Disposition", http::content_disposition("attachment", "invitation.ics"));
  }));
  // A calendar application subscribes with the secret URL alone: the secret is the
  // credential (no session, no token), so this route is not guarded.
  router.add("GET", "/api/v1/calendar/{file}", [&calendars](Request& req) {
    req.refuse_unknown_params({});
    auto file = req.param("file");
    if (file.size() < 5 || file.compare(file.size() - 4, 4, ".ics") != 0) throw Problem::not_found("There is no such calendar.");
    return Response::text(calendars.feed(file.substr(0, file.size() - 4)), "text/calendar; charset=utf-8")
        .with_header("Content-Disposition", http::content_disposition("inline", "parley.ics"))
        .with_header("Referrer-Policy", "no-referrer");
  });

  router.add("GET", "/api/v1/workplan/plans", guard([&plans](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum"});
    return Response::json(plans.list(who, req.query_param("forum").value_or("")));
  }));
  router.add("POST", "/api/v1/workplan/forums/{forum}/plans", guard([&plans](Request& req, const Principal& who) {
    auto in = req.json();
    auto j = plans.create(who, req.param("forum"), PlanInput::parse(in));
    return Response::json(j, 201).with_header("Location", "/api/v1/workplan/plans/" + std::to_string(j["id"].get<std::int64_t>()));
  }));
  router.add("GET", "/api/v1/workplan/plans/{id}", guard([&plans](Request& req, const Principal& who) {
    req.refuse_unknown_params({"format", "links"});
    const auto format = req.query_param("format").value_or("json");
    if (format == "json") return Response::json(plans.get(who, req.id_param("id")));
    if (format != "md" && format != "html" && format != "svg")
      throw Problem::bad_request("The work plan comes as json, md, html or svg.", {{"format", "must be json, md, html or svg"}});
    // links=console: the timeline's activities link into the console (the console's own picture).
    const auto links = req.query_param("links").value_or("");
    if (!links.empty() && links != "console") throw Problem::bad_request("Links go to the console or nowhere.", {{"links", "must be console"}});
    auto doc = plans.render(who, req.id_param("id"), format, links == "console" ? "#/workplan/activities/" : "");
    return document_response(std::move(doc.body), doc.content_type, doc.filename);
  }));
  router.add("PATCH", "/api/v1/workplan/plans/{id}", guard([&plans](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(plans.update(who, req.id_param("id"), PlanInput::parse(in)));
  }));
  router.add("DELETE", "/api/v1/workplan/plans/{id}", guard([&plans](Request& req, const Principal& who) {
    plans.discard(who, req.id_param("id"));
    return Response::no_content();
  }));
  router.add("POST", "/api/v1/workplan/plans/{id}/circulate", guard([&plans](Request& req, const Principal& who) {
    return Response::json(plans.circulate(who, req.id_param("id")));
  }));

  router.add("GET", "/api/v1/workplan/review", guard([&reviews](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum", "year", "format", "chart"});
    const auto year = static_cast<int>(req.int_query("year", 0, 0, 9999));
    if (year == 0) throw Problem::bad_request("Name the year to review.", {{"year", "is required: a year such as 2026"}});
    const auto format = req.query_param("format").value_or("json");
    if (format != "json" && format != "md" && format != "html" && format != "svg")
      throw Problem::bad_request("The review comes as json, md, html or svg.", {{"format", "must be json, md, html or svg"}});
    const auto chart = req.query_param("chart").value_or("");
    if (format == "svg" && std::find(kReviewCharts.begin(), kReviewCharts.end(), chart) == kReviewCharts.end())
      throw Problem::bad_request("Name the chart.", {{"chart", "must be implementation, responses or contributions"}});
    if (format != "svg" && !chart.empty()) throw Problem::bad_request("Charts come as svg.", {{"chart", "is for format=svg"}});
    const auto review = reviews.review(who, req.query_param("forum").value_or(""), year);
    if (format == "json") return Response::json(review_json(review));
    const auto name = fmt::format("{}-review-{}", to_lower(review.forum), review.year);
    if (format == "md") return document_response(review_markdown(review), "text/markdown; charset=utf-8", name + ".md");
    if (format == "html") return document_response(review_html(review), "text/html; charset=utf-8", name + ".html");
    return document_response(review_chart_svg(review, chart), "image/svg+xml; charset=utf-8", name + "-" + chart + ".svg");
  }));
}

}  // namespace parley::workplan
