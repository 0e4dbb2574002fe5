// Fuzz target: a contact's office hours (directory/availability.h), as a client writes
// them in the directory ("Mon-Fri 09:00-17:00; Sat 10:00-12:00").
//
// The bytes are the text. What must hold: parsing never throws; accepted text is within
// the bounds (200 bytes, 14 spans) and its canonical form parses to the same spans and
// prints itself; with a time zone from the OS database, the next opening from a fixed
// instant is never earlier than the instant and is itself open.
#include <cstddef>
#include <cstdint>
#include <string>

#include "directory/availability.h"
#include "fuzz/property.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using parley::directory::Availability;
  using parley::directory::OfficeHours;
  const auto text = parley::fuzz::text_of(data, size);
  std::string why;
  const auto hours = OfficeHours::parse(text, &why);
  if (!hours) {
    FUZZ_PROPERTY(!why.empty(), "a refusal gives its reason");
    return 0;
  }
  FUZZ_PROPERTY(text.size() <= parley::directory::kMaxOfficeHoursBytes, "accepted text is within 200 bytes");
  FUZZ_PROPERTY(!hours->spans.empty() && hours->spans.size() <= parley::directory::kMaxOfficeSpans, "1 to 14 spans");
  const auto canonical = hours->to_string();
  const auto again = OfficeHours::parse(canonical);
  FUZZ_PROPERTY(again.has_value(), "the canonical form parses");
  FUZZ_PROPERTY(again->to_string() == canonical, "the canonical form prints itself");
  for (const char* zone : {"Asia/Almaty", "America/New_York"}) {
    const auto a = Availability::of("office_hours", canonical, zone);
    const std::int64_t t = 1'772'928'000'000;   // 2026-03-08T00:00:00Z, a DST change in New York
    const auto next = a.next_opening(t);
    FUZZ_PROPERTY(next >= t, "the next opening is not in the past");
    FUZZ_PROPERTY(a.open_at(next), "it is open at its next opening");
  }
  return 0;
}
