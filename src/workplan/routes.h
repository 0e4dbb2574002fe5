// The HTTP edge of the work plan: /api/v1/workplan/... (measures, implementation
// reports, a state's row, the matrix as JSON, CSV or SVG; bodies and meetings; rules,
// activities and their approval; capacity building; the work plan's versions as JSON,
// Markdown, HTML and SVG; the annual review; calendars; the week). Errors are RFC 9457
// problems; what a caller may not read answers 404.
#pragma once

#include "auth/routes.h"
#include "http/router.h"
#include "workplan/measure_service.h"
#include "workplan/meeting_service.h"
#include "workplan/activity_service.h"
#include "workplan/calendar_service.h"
#include "workplan/week_service.h"
#include "workplan/plan_service.h"
#include "workplan/review_service.h"

namespace parley::workplan {
// The module's services, as the application holds them.
struct Services {
  MeasureService& measures;
  MeetingService& meetings;
  ActivityService& activities;
  CalendarService& calendars;
  WeekService& week;
  PlanService& plans;
  ReviewService& reviews;
};

void add_routes(http::Router& router, const Services& services, const auth::Guard& guard);
}
