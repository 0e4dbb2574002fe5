// The work plan as a document of its forum (the ARF's "Work Plan on Security of and in
// the Use of ICTs", the CICA's plan of implementation): its items (the forum's measures,
// with their coordinators) with the activities that serve them, their leads and where
// each stands; versioned, and circulated like a negotiated text. A draft version shows the
// plan as it stands today; a circulated one is frozen, exactly as the member states got it.
// Here: the document's content as a value, an item's status from its activities, what
// changed since the last version, and its renderings (Markdown, HTML, a timeline in SVG).
// Nothing here reads the database or knows who asks.
// Pure functions over values: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_input.h"

namespace parley::workplan {

// Where an item stands: no activity yet; activities proposed (in approval); under way
// (an activity approved, scheduled or held); completed (every live activity held or
// reported). Activities not approved count for nothing.
inline const std::vector<std::string> kItemStatuses = {"open", "proposed", "under_way", "completed"};

struct PlanActivity {
  std::int64_t id = 0;
  std::string kind, title, status, starts_on, ends_on, venue;
  bool online = false;
  std::vector<std::string> co_leads;
};

struct PlanItem {
  std::int64_t measure_id = 0;   // 0: the activities that serve no item of the catalogue
  std::string code, title, period_from, period_to;
  std::vector<std::string> coordinators, co_coordinators;
  std::string status;
  std::vector<PlanActivity> activities;
};

struct PlanContent {
  std::string forum, forum_name, symbol, title, period_from, period_to, introduction;
  std::int64_t version = 0;
  std::string as_of;             // the day it shows the plan as of
  std::vector<PlanItem> items;
};

// POST /workplan/forums/{forum}/plans (a new draft), and PATCH of a draft (partial).
struct PlanInput {
  std::optional<std::string> title, period_from, period_to, introduction;
  static PlanInput parse(JsonInput& in);
};

std::string item_status(const std::vector<PlanActivity>& activities);

nlohmann::json plan_json(const PlanContent& p);
// The content as plan_json wrote it (a circulated version, read back); throws
// nlohmann::json::exception when it is not.
PlanContent plan_from_json(const nlohmann::json& j);

// What changed from `before` (the last circulated version) to `after`, one readable line
// each: items added and removed, items whose status changed, activities added and removed.
std::vector<std::string> plan_changes(const PlanContent& before, const PlanContent& after);

std::string plan_markdown(const PlanContent& p, const std::vector<std::string>& changes);
std::string plan_html(const PlanContent& p, const std::vector<std::string>& changes);
// The timeline (a Gantt chart): a row per item and per activity, bars over the plan's
// period, month ticks, a line on `as_of`. With `link_prefix` ("#/workplan/activities/"),
// each activity's bar links to it.
std::string plan_timeline_svg(const PlanContent& p, const std::string& link_prefix);

}  // namespace parley::workplan
