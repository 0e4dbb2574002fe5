#include "directory/forum_routes.h"

#include "directory/negotiated.h"

namespace parley::directory {

using auth::Principal;
using http::Request;
using http::Response;

void add_forum_routes(http::Router& router, ForumAdmin& admin, DirectoryService& dir, const auth::Guard& guard) {
  router.add("POST", "/api/v1/states", guard([&admin, &dir](Request& req, const Principal& who) {
    const auto langs = accepted(req);
    auto in = req.json();
    auto s = admin.create_state(who, StateInput::parse(in, false));
    const auto code = s["alpha3"].get<std::string>();
    return localized(Response::json(dir.state(who, code, langs), 201), dir.state_language(langs))
        .with_header("Location", "/api/v1/states/" + code);
  }));
  router.add("PATCH", "/api/v1/states/{alpha3}", guard([&admin, &dir](Request& req, const Principal& who) {
    const auto langs = accepted(req);
    auto in = req.json();
    auto s = admin.update_state(who, req.param("alpha3"), StateInput::parse(in, true));
    return localized(Response::json(dir.state(who, s["alpha3"].get<std::string>(), langs)), dir.state_language(langs));
  }));
  router.add("POST", "/api/v1/forums", guard([&admin, &dir](Request& req, const Principal& who) {
    const auto langs = accepted(req);
    auto in = req.json();
    auto f = admin.create_forum(who, ForumInput::parse(in, false));
    const auto code = f["code"].get<std::string>();
    auto out = dir.forum(who, code, langs);
    const std::string lang = out.value("language", "en");
    return localized(Response::json(out, 201), lang).with_header("Location", "/api/v1/forums/" + code);
  }));
  router.add("PATCH", "/api/v1/forums/{forum}", guard([&admin, &dir](Request& req, const Principal& who) {
    const auto langs = accepted(req);
    auto in = req.json();
    auto f = admin.update_forum(who, req.param("forum"), ForumInput::parse(in, true));
    auto out = dir.forum(who, f["code"].get<std::string>(), langs);
    const std::string lang = out.value("language", "en");
    return localized(Response::json(out), lang);
  }));
  router.add("GET", "/api/v1/forums/{forum}/participants", guard([&admin, &dir](Request& req, const Principal& who) {
    const auto lang = dir.state_language(accepted(req));
    return localized(Response::json({{"items", admin.participants(who, req.param("forum"), lang)}}), lang);
  }));
  router.add("PUT", "/api/v1/forums/{forum}/members/{alpha3}", guard([&admin](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(admin.set_participation(who, req.param("forum"), req.param("alpha3"), ParticipationInput::parse(in)));
  }));
  router.add("DELETE", "/api/v1/forums/{forum}/members/{alpha3}", guard([&admin](Request& req, const Principal& who) {
    return Response::json(admin.end_participation(who, req.param("forum"), req.param("alpha3")));
  }));
  router.add("GET", "/api/v1/forums/{forum}/groups", guard([&admin, &dir](Request& req, const Principal& who) {
    const auto langs = accepted(req);
    const auto lang = dir.state_language(langs);
    return localized(Response::json({{"items", admin.groups(who, req.param("forum"), langs, lang)}}), lang);
  }));
  router.add("PUT", "/api/v1/forums/{forum}/groups/{group}", guard([&admin](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(admin.set_group(who, req.param("forum"), req.param("group"), GroupInput::parse(in)));
  }));
  router.add("DELETE", "/api/v1/forums/{forum}/groups/{group}", guard([&admin](Request& req, const Principal& who) {
    admin.delete_group(who, req.param("forum"), req.param("group"));
    return Response::no_content();
  }));
}

}  // namespace parley::directory
