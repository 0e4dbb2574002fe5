#include "common/json_input.h"

#include <gtest/gtest.h>

namespace parley {
namespace {

std::vector<FieldError> errors_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Problem& p) {
    return p.errors();
  }
  ADD_FAILURE() << "expected a Problem";
  return {};
}

TEST(JsonInput, MalformedJsonIs400NamingTheBody) {
  try {
    JsonInput::parse("{\"name\": ");
    FAIL();
  } catch (const Problem& p) {
    EXPECT_EQ(p.status(), 400);
    ASSERT_EQ(p.errors().size(), 1u);
    EXPECT_EQ(p.errors()[0].field, "body");
  }
}

TEST(JsonInput, NonObjectIs400) {
  EXPECT_THROW(JsonInput::parse("[1,2]"), Problem);
}

TEST(JsonInput, CollectsEveryErrorAndUnknownFields) {
  auto errors = errors_of([] {
    auto in = JsonInput::parse(R"({"name": 5, "extra": true, "age": "x"})");
    in.text("name", true, 10);
    in.integer("age", true, 0, 200);
    in.text("missing", true, 10);
    in.finish();
  });
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].field, "name");
  EXPECT_EQ(errors[0].reason, "must be a string");
  EXPECT_EQ(errors[1].field, "age");
  EXPECT_EQ(errors[2].field, "missing");
  EXPECT_EQ(errors[2].reason, "is required");
  EXPECT_EQ(errors[3].field, "extra");
  EXPECT_EQ(errors[3].reason, "is not a known field");
}

TEST(JsonInput, LengthIsCountedInCharactersNotBytes) {
  auto in = JsonInput::parse(R"({"name": "Қазақстан"})");   // 9 characters, 18 bytes
  EXPECT_EQ(in.text("name", true, 9).value(), "Қазақстан");
  in.finish();
}

TEST(JsonInput, RejectsControlCharactersAndTooLong) {
  auto errors = errors_of([] {
    auto in = JsonInput::parse("{\"a\": \"x\\u0001y\", \"b\": \"abcdef\"}");
    in.text("a", true, 10);
    in.text("b", true, 5);
    in.finish();
  });
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].reason, "must not contain control characters");
  EXPECT_EQ(errors[1].reason, "must be at most 5 characters");
}

TEST(JsonInput, NestedObjectsReportQualifiedFieldNames) {
  auto in = JsonInput::parse(R"({"channels": [{"kind": "email"}, 3]})");
  auto list = in.object_list("channels", true, 5);
  EXPECT_FALSE(list.has_value());   // the second item is not an object
  auto errors = in.collect();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "channels.1");
}

TEST(JsonInput, DuplicateMemberNamesAreRefusedEvenNested) {
  // RFC 7493: one reader would take the first "tlp", another the last.
  for (const char* body : {R"({"tlp": "TLP:RED", "tlp": "TLP:CLEAR"})", R"({"a": [{"b": 1, "c": 2, "b": 3}]})"}) {
    try {
      JsonInput::parse(body);
      ADD_FAILURE() << body;
    } catch (const Problem& p) {
      EXPECT_EQ(p.status(), 400);
      ASSERT_EQ(p.errors().size(), 1u);
      EXPECT_EQ(p.errors()[0].reason, "is a duplicate key");
    }
  }
  // The same name in two different objects is fine.
  EXPECT_NO_THROW(JsonInput::parse(R"({"a": {"x": 1}, "b": {"x": 2}})"));
}

TEST(JsonInput, NumbersBeyondADoubleAre400NotEchoed) {
  for (const char* body : {R"({"n": 1e400})", R"({"n": -1e400})"}) {
    try {
      JsonInput::parse(body);
      ADD_FAILURE() << body;
    } catch (const Problem& p) {
      EXPECT_EQ(p.status(), 400);
      EXPECT_EQ(p.errors()[0].reason, "number out of range");
      EXPECT_EQ(p.to_json("").find("1e400"), std::string::npos);
    }
  }
}

TEST(JsonInput, AnUnsignedIntegerAboveInt64IsOutOfRangeNotWrapped) {
  auto in = JsonInput::parse(R"({"n": 18446744073709551615})");
  EXPECT_FALSE(in.integer("n", true, 0, 100).has_value());
  EXPECT_FALSE(in.ok());
}

TEST(JsonInput, DeepNestingIsRefusedBeforeAnythingWalksIt) {
  const std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  try {
    JsonInput::parse(deep);
    FAIL();
  } catch (const Problem& p) {
    EXPECT_EQ(p.status(), 400);
    EXPECT_EQ(p.errors()[0].reason, "nested too deeply");
  }
}

TEST(Problem, InvalidUtf8FromAClientIsReplacedNotThrown) {
  const Problem p = Problem::not_found("No such state: '\xff\xfe'.");
  std::string out;
  EXPECT_NO_THROW(out = p.to_json("/api/v1/states/\xff"));
  EXPECT_TRUE(nlohmann::json::accept(out));
}

}  // namespace
}  // namespace parley
