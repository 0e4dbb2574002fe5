// Fuzz target: JsonInput, the validated request body (common/json_input.h).
//
// The bytes are a request body: parsed (a 400 Problem when malformed), then every
// accessor is called on the fields real inputs have (common/*, directory, hotline and
// exchange models), each with the types it does not expect too, nested object lists
// included, and finish() collects the errors into one 422 Problem, rendered as the
// server renders it. Anything but a Problem escaping is a finding, as is an integer
// accessor that returns another number than the one sent.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/json_input.h"
#include "common/text.h"
#include "fuzz/property.h"

namespace {

using parley::JsonInput;
using parley::Problem;

constexpr const char* kFields[] = {"name",     "title",      "description", "state",    "states",  "severity",
                                   "channels", "enabled",    "limit",       "type",     "value",   "recipients",
                                   "agency_id", "attachments", "stix_refs", "revision", "people", "kind"};

void check_integer(JsonInput& in, const char* key, bool required, std::int64_t min, std::int64_t max) {
  const auto n = in.integer(key, required, min, max);
  if (!n) return;
  FUZZ_PROPERTY(*n >= min && *n <= max, "an accepted integer is in range");
  const auto* sent = in.raw(key);
  FUZZ_PROPERTY(sent && sent->is_number_integer(), "an accepted integer was sent as one");
  if (sent->is_number_unsigned())
    FUZZ_PROPERTY(*n >= 0 && static_cast<std::uint64_t>(*n) == sent->get<std::uint64_t>(),
                  "an accepted integer is the number sent");
  else
    FUZZ_PROPERTY(*n == sent->get<std::int64_t>(), "an accepted integer is the number sent");
}

// Every accessor on every field, alternately required and optional.
void read_all(JsonInput& in, int depth) {
  bool required = false;
  for (const char* key : kFields) {
    required = !required;
    (void)in.has(key);
    (void)in.is_null(key);
    if (auto s = in.text(key, required, 40, required ? 1 : 0)) {
      FUZZ_PROPERTY(parley::is_valid_utf8(*s), "accepted text is UTF-8");
      FUZZ_PROPERTY(parley::utf8_length(*s) <= 40, "accepted text is within its length");
    }
    check_integer(in, key, required, 0, 5);
    check_integer(in, key, false, 1, INT64_MAX);
    check_integer(in, key, false, INT64_MIN, INT64_MAX);
    (void)in.boolean(key, required);
    if (auto list = in.text_list(key, required, 20, 64))
      for (const auto& s : *list) FUZZ_PROPERTY(!s.empty() && parley::is_valid_utf8(s), "accepted list items are UTF-8");
    (void)in.raw(key);
    if (depth < 2) {
      if (auto nested = in.object_list(key, false, 20)) {
        for (auto& item : *nested) {
          read_all(item, depth + 1);
          in.absorb(item);
        }
      }
    }
  }
  in.error("x", "a reason the caller found");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    auto in = JsonInput::parse(parley::fuzz::text_of(data, size));
    read_all(in, 0);
    FUZZ_PROPERTY(!in.ok(), "an error recorded is kept");
    in.finish();
    FUZZ_PROPERTY(false, "finish() throws when an error was recorded");
  } catch (const Problem& p) {
    FUZZ_PROPERTY(p.status() == 400 || p.status() == 422, "a body is refused with 400 or 422");
    const auto json = p.to_json("/api/v1/contacts");
    FUZZ_PROPERTY(!json.empty(), "a problem renders");
  }
  return 0;
}
