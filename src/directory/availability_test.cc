#include "directory/availability.h"

#include <gtest/gtest.h>

#include "common/time.h"

namespace parley::directory {
namespace {

std::int64_t at(const char* rfc3339) { return *parse_rfc3339_ms(rfc3339); }
std::string iso(std::int64_t ms) { return rfc3339_from_ms(ms); }

TEST(OfficeHours, ParsesAndCanonicalises) {
  auto h = OfficeHours::parse("mon-fri 09:00-17:30");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->to_string(), "Mon-Fri 09:00-17:30");
  ASSERT_EQ(h->spans.size(), 1u);
  EXPECT_EQ(h->spans[0].days, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(h->spans[0].start_minute, 540);
  EXPECT_EQ(h->spans[0].end_minute, 1050);

  auto gulf = OfficeHours::parse("Sun-Thu 08:00-16:00; Sat 10:00-24:00");
  ASSERT_TRUE(gulf);
  EXPECT_EQ(gulf->spans[0].days, (std::vector<int>{6, 0, 1, 2, 3}));   // a range wraps the week
  EXPECT_EQ(gulf->to_string(), "Sun-Thu 08:00-16:00; Sat 10:00-24:00");
  EXPECT_EQ(OfficeHours::parse("Mon,Wed,Fri 10:00-12:00")->to_string(), "Mon,Wed,Fri 10:00-12:00");
  EXPECT_TRUE(gulf->open_on(6, 8 * 60));
  EXPECT_FALSE(gulf->open_on(4, 9 * 60));   // Friday
}

TEST(OfficeHours, RefusesWithAReason) {
  for (const char* bad : {"", "Mon-Fri", "09:00-17:00", "Mon-Fri 9-17", "Mon-Fri 17:00-09:00", "Mon-Fri 09:00-09:00",
                          "Moo-Fri 09:00-17:00", "Mon-Fri 09:00-25:00", "Mon-Fri 24:00-24:00", "Mon-Fri 09:60-10:00",
                          "Mon-Fri 09:00-17:00 local time", "Mon-Fri 09:00-17:00;"}) {
    std::string why;
    EXPECT_FALSE(OfficeHours::parse(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
  std::string many;
  for (int i = 0; i < 15; ++i) many += (i ? ";" : "") + std::string("Mon 09:00-10:00");
  std::string why;
  EXPECT_FALSE(OfficeHours::parse(many, &why));
  EXPECT_FALSE(OfficeHours::parse(std::string(201, 'M'), &why));
  EXPECT_NE(why.find("200"), std::string::npos);
}

TEST(Availability, ZonesComeFromTheOsDatabase) {
  EXPECT_TRUE(time_zone_exists("Asia/Almaty"));
  EXPECT_TRUE(time_zone_exists("UTC"));
  EXPECT_FALSE(time_zone_exists("Mars/Olympus_Mons"));
  EXPECT_FALSE(time_zone_exists(""));
}

TEST(Availability, TwentyFourSevenAndUnreadableHoursAreAlwaysOpen) {
  const auto now = at("2026-11-29T03:00:00Z");   // a Sunday
  EXPECT_TRUE(Availability::of("24/7", "", "").open_at(now));
  EXPECT_TRUE(Availability::of("office_hours", "whenever", "Asia/Almaty").always);
  EXPECT_TRUE(Availability::of("office_hours", "Mon-Fri 09:00-17:00", "Nowhere/Land").always);
  EXPECT_EQ(Availability::of("24/7", "", "").next_opening(now), now);
}

TEST(Availability, OpenAndNextOpeningInTheContactsZone) {
  // Almaty is UTC+5 all year (since 2024). Monday 2026-11-30 09:00 local = 04:00Z.
  const auto almaty = Availability::of("office_hours", "Mon-Fri 09:00-18:00", "Asia/Almaty");
  ASSERT_FALSE(almaty.always);
  const auto sunday = at("2026-11-29T10:00:00Z");
  EXPECT_FALSE(almaty.open_at(sunday));
  EXPECT_EQ(iso(almaty.next_opening(sunday)), "2026-11-30T04:00:00.000Z");
  const auto monday_noon = at("2026-11-30T07:00:00Z");   // 12:00 in Almaty
  EXPECT_TRUE(almaty.open_at(monday_noon));
  EXPECT_EQ(almaty.next_opening(monday_noon), monday_noon);
  // Friday 18:00 local closes; the next opening is Monday.
  EXPECT_EQ(iso(almaty.next_opening(at("2026-12-04T13:00:00Z"))), "2026-12-07T04:00:00.000Z");
  // The same instant in New York (UTC-5 in winter) is Sunday evening: opens Monday 14:00Z.
  const auto ny = Availability::of("office_hours", "Mon-Fri 09:00-17:00", "America/New_York");
  EXPECT_EQ(iso(ny.next_opening(sunday)), "2026-11-30T14:00:00.000Z");
}

TEST(Availability, FollowsDaylightSavingChanges) {
  const auto ny = Availability::of("office_hours", "Mon-Fri 09:00-17:00", "America/New_York");
  // Before the spring change (Sunday 2026-03-08) New York is UTC-5; Monday after, UTC-4.
  EXPECT_EQ(iso(ny.next_opening(at("2026-03-06T23:00:00Z"))), "2026-03-09T13:00:00.000Z");
  EXPECT_EQ(iso(ny.next_opening(at("2026-03-02T01:00:00Z"))), "2026-03-02T14:00:00.000Z");
  // A span that opens at 02:30 on the spring-forward night (which does not exist) opens
  // at the transition, 03:00 EDT = 07:00Z.
  const auto night = Availability::of("office_hours", "Sun 02:30-04:00", "America/New_York");
  EXPECT_EQ(iso(night.next_opening(at("2026-03-08T05:00:00Z"))), "2026-03-08T07:00:00.000Z");
  // A span the spring-forward night removes entirely opens the next week (a fuzzing find).
  const auto gone = Availability::of("office_hours", "Sun 02:30-03:00", "America/New_York");
  EXPECT_EQ(iso(gone.next_opening(at("2026-03-08T05:00:00Z"))), "2026-03-15T06:30:00.000Z");
  // Berlin changes on 2026-03-29: Friday 27th 09:00 is 08:00Z, Monday 30th 09:00 is 07:00Z.
  const auto berlin = Availability::of("office_hours", "Mon-Fri 09:00-17:00", "Europe/Berlin");
  EXPECT_EQ(iso(berlin.next_opening(at("2026-03-27T06:00:00Z"))), "2026-03-27T08:00:00.000Z");
  EXPECT_EQ(iso(berlin.next_opening(at("2026-03-27T17:00:00Z"))), "2026-03-30T07:00:00.000Z");
  // An autumn fall-back (2026-11-01 in New York): the ambiguous 01:30 opens at its first occurrence.
  const auto fall = Availability::of("office_hours", "Sun 01:30-03:00", "America/New_York");
  EXPECT_EQ(iso(fall.next_opening(at("2026-11-01T04:00:00Z"))), "2026-11-01T05:30:00.000Z");
}

TEST(Availability, LocalDateIsTheContactsDay) {
  // 2026-12-31T20:00Z is already 1 January in Almaty, still 31 December in New York.
  const auto t = at("2026-12-31T20:00:00Z");
  EXPECT_EQ(local_date(t, "Asia/Almaty"), "2027-01-01");
  EXPECT_EQ(local_date(t, "America/New_York"), "2026-12-31");
  EXPECT_EQ(local_date(t, ""), "2026-12-31");
}

}  // namespace
}  // namespace parley::directory
