#include "http/router.h"

#include <gtest/gtest.h>

namespace parley::http {
namespace {

Handler tag(std::string t) {
  return [t](Request&) { return Response::text(t, "text/plain"); };
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
  r.add_upload("POST", "/b/{x}/objects", [](Request&) { return Response::no_content(); });
  EXPECT_FALSE(r.match("POST", "/a/1").route->upload);
  EXPECT_TRUE(r.match("POST", "/b/1/objects/").route->upload);
  EXPECT_EQ(r.match("GET", "/b/1/objects").route, nullptr);
}

}  // namespace
}  // namespace parley::http
