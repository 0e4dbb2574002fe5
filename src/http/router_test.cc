#include "http/router.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace parley::http {
namespace {

Handler tag(std::string t) {
  return [t](Request&) { return Response::text(t, "text/plain"); };
}

TEST(Message, SharedBodyIsTheCachesBytesNotACopy) {
  auto cached = std::make_shared<const std::string>(std::string(50000, 'x'));
  const auto r = Response::shared(cached, "application/json");
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.payload().data(), cached->data());   // the same bytes, not a copy
  EXPECT_EQ(r.payload().size(), cached->size());
  const auto owned = Response::text("abc", "text/plain");
  EXPECT_EQ(owned.payload(), "abc");
  EXPECT_EQ(owned.payload().data(), owned.body.data());
}

TEST(Router, LiteralSegmentsBeatParameters) {
  Router r;
  r.add("GET", "/api/v1/contacts/{id}", tag("one"));
  r.add("GET", "/api/v1/contacts/export", tag("export"));
  Request req;
  auto m = r.match("GET", "/api/v1/contacts/export");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->handler(req).body, "export");
  m = r.match("GET", "/api/v1/contacts/42");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("id"), "42");
}

TEST(Router, RestParameterTakesTheRemainingSegments) {
  Router r;
  r.add("GET", "/ledger/tile/{path...}", tag("tile"));
  r.add("GET", "/ledger/checkpoint", tag("checkpoint"));
  auto m = r.match("GET", "/ledger/tile/0/x001/x234/067.p/17");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("path"), "0/x001/x234/067.p/17");
  m = r.match("GET", "/ledger/tile/0");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("path"), "0");
  EXPECT_EQ(r.match("GET", "/ledger/tile").route, nullptr);   // at least one segment
  Request req;
  EXPECT_EQ(r.match("GET", "/ledger/checkpoint").route->handler(req).body, "checkpoint");
}

TEST(Router, WrongMethodListsAllowedOnes) {
  Router r;
  r.add("GET", "/api/v1/contacts", tag("list"));
  r.add("POST", "/api/v1/contacts", tag("create"));
  auto m = r.match("PUT", "/api/v1/contacts");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "POST"}));
  EXPECT_TRUE(r.match("GET", "/api/v1/nothing").allowed.empty());
}

TEST(Router, RefusesDuplicates) {
  Router r;
  r.add("GET", "/a", tag("a"));
  EXPECT_THROW(r.add("GET", "/a", tag("b")), std::logic_error);
}

TEST(Message, QueryAndCookieParsing) {
  Request req;
  req.query = parse_query("q=ali%20ce&state=KAZ&x");
  req.headers = {{"cookie", "a=1; parley_session=abc; b=2"}};
  EXPECT_EQ(req.query_param("q").value(), "ali ce");
  EXPECT_EQ(req.query_param("x").value(), "");
  EXPECT_EQ(req.cookie("parley_session").value(), "abc");
  EXPECT_FALSE(req.cookie("none").has_value());
}

}  // namespace
}  // namespace parley::http

namespace parley::http {
namespace {

TEST(Router, UploadRoutesAreMarkedForSpooling) {
  Router r;
  r.add("POST", "/a/{x}", [](Request&) { return Response::no_content(); });
  r.add_upload("POST", "/b/{x}/objects", [](Request& req) -> std::string {
    if (req.header("authorization").empty()) throw Problem::unauthenticated();
    return "someone";
  }, [](Request&) { return Response::no_content(); });
  EXPECT_FALSE(r.match("POST", "/a/1").route->upload);
  const auto m = r.match("POST", "/b/1/objects/");
  ASSERT_TRUE(m.route->upload);
  Request anonymous;
  EXPECT_THROW(m.route->admit(anonymous), Problem);
  EXPECT_EQ(r.match("GET", "/b/1/objects").route, nullptr);
}

TEST(Router, DispatchAnswers404And405AsProblemsAndPassesParameters) {
  Router r;
  r.add("GET", "/api/v1/states/{alpha3}", [](Request& req) { return Response::text(req.param("alpha3"), "text/plain"); });
  Request get = request_from_line("GET", "/api/v1/states/K%41Z?x=1", "127.0.0.1");
  EXPECT_EQ(get.path, "/api/v1/states/KAZ");
  EXPECT_EQ(get.query_param("x"), "1");
  EXPECT_EQ(r.dispatch(get).body, "KAZ");
  Request del = request_from_line("DELETE", "/api/v1/states/KAZ", "127.0.0.1");
  const auto refused = r.dispatch(del);
  EXPECT_EQ(refused.status, 405);
  EXPECT_EQ(refused.content_type, "application/problem+json");
  Request none = request_from_line("GET", "/api/v1/nothing", "127.0.0.1");
  EXPECT_EQ(r.dispatch(none).status, 404);
}

TEST(Router, AnUploadRouteWithoutAnAdmissionCheckIsRefused) {
  Router r;
  EXPECT_THROW(r.add_upload("POST", "/b", nullptr, [](Request&) { return Response::no_content(); }), std::logic_error);
}

TEST(ContentDisposition, NoNameCanAddAParameterOrAHeader) {
  EXPECT_EQ(content_disposition("attachment", "report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
  const auto evil = content_disposition("inline", "SUM\"; filename*=UTF-8''evil.html\r\nX: y");
  EXPECT_EQ(evil.find('\r'), std::string::npos);
  EXPECT_EQ(evil.find("evil.html\""), std::string::npos);
  EXPECT_EQ(std::count(evil.begin(), evil.end(), '"'), 2);
  EXPECT_EQ(std::count(evil.begin(), evil.end(), ';'), 2);
  EXPECT_NE(content_disposition("attachment", "Доклад.pdf").find("filename*=UTF-8''%D0%94"), std::string::npos);
}

TEST(ClientAddress, OnlyATrustedProxyNamesTheClient) {
  const std::vector<std::string> trusted = {"10.0.0.5"};
  EXPECT_EQ(client_address("192.0.2.7", "198.51.100.1", trusted), "192.0.2.7");   // not a proxy: ignored
  EXPECT_EQ(client_address("10.0.0.5", "198.51.100.1", trusted), "198.51.100.1");
  // The client may prepend anything; the proxy appends the address it saw, last.
  EXPECT_EQ(client_address("10.0.0.5", "203.0.113.9, 198.51.100.1", trusted), "198.51.100.1");
  EXPECT_EQ(client_address("10.0.0.5", "198.51.100.1, 10.0.0.5", trusted), "198.51.100.1");
  EXPECT_EQ(client_address("10.0.0.5", "2001:db8::1", trusted), "2001:db8::1");
  EXPECT_EQ(client_address("10.0.0.5", "<script>", trusted), "10.0.0.5");
  EXPECT_EQ(client_address("10.0.0.5", "203.0.113.3:1234", trusted), "10.0.0.5");
  EXPECT_EQ(client_address("10.0.0.5", "1.2.3", trusted), "10.0.0.5");
  // Two header lines, the proxy's last: the client's own line does not decide.
  EXPECT_EQ(client_address("10.0.0.5", "203.0.113.9,198.51.100.1", trusted), "198.51.100.1");
  EXPECT_EQ(client_address("10.0.0.5", "", trusted), "10.0.0.5");
}

}  // namespace
}  // namespace parley::http
