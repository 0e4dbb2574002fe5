// JsonInput: reads one JSON object from a request body and validates it field by field.
//
// Every accessor records the field as known; errors are collected rather than thrown one
// at a time, so a client learns about all its mistakes at once. finish() reports fields
// the caller never asked for ("unknown field") and throws Problem::invalid (422) when any
// error was recorded. Malformed JSON or a non-object throws Problem::bad_request (400) at
// parse time. Not thread-safe: one instance per request.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/problem.h"

namespace parley {

// How deeply objects and arrays may nest in a request body. Parley's own documents
// nest a handful of levels; the bound keeps recursive walks (dump, validation) shallow.
inline constexpr std::size_t kMaxJsonDepth = 64;

// Parses untrusted JSON text. Throws Problem::bad_request (400, naming the reason and
// never echoing the input) when it is malformed, names a member twice in one object
// (RFC 7493), nests deeper than `max_depth`, or holds a number beyond double range.
nlohmann::json parse_json_strictly(std::string_view body, std::size_t max_depth = kMaxJsonDepth);

class JsonInput {
 public:
  // Parses `body`; throws 400 on malformed JSON or when it is not an object.
  static JsonInput parse(std::string_view body);

  // Wraps an already-parsed object; `prefix` is prepended to field names in errors
  // (e.g. "channels.0").
  JsonInput(nlohmann::json object, std::string prefix);

  bool has(std::string_view key) const;       // present, possibly null
  bool is_null(std::string_view key) const;   // present and null

  // Accessors return nullopt when the field is absent or null, or when it was refused.
  // A required field that is absent or null is an error.
  std::optional<std::string> text(std::string_view key, bool required, std::size_t max_len,
                                  std::size_t min_len = 0);
  std::optional<std::int64_t> integer(std::string_view key, bool required,
                                      std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(std::string_view key, bool required);
  std::optional<std::vector<std::string>> text_list(std::string_view key, bool required,
                                                    std::size_t max_items, std::size_t max_len);
  // Array of objects: each becomes a nested JsonInput sharing this one's error list
  // on finish() (errors are merged back).
  std::optional<std::vector<JsonInput>> object_list(std::string_view key, bool required,
                                                    std::size_t max_items);

  // The raw value of an optional field (nullptr when absent or null), for shapes the
  // typed accessors do not cover (e.g. a map); the caller validates it.
  const nlohmann::json* raw(std::string_view key) { return get(key, false); }
  // Takes over a nested input's errors (from object_list), unknown fields included.
  void absorb(JsonInput& nested);
  // Records an error on `key` (the prefix is added).
  void error(std::string_view key, std::string reason);
  bool ok() const { return errors_.empty(); }
  std::string field_name(std::string_view key) const;

  // Reports unknown fields, merges nested errors; throws Problem::invalid if any.
  void finish();
  // Same as finish() but returns the errors instead of throwing (used for nested input).
  std::vector<FieldError> collect();

 private:
  const nlohmann::json* get(std::string_view key, bool required);

  nlohmann::json object_;
  std::string prefix_;
  std::set<std::string, std::less<>> known_;
  std::vector<FieldError> errors_;
};

}  // namespace parley
