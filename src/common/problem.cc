#include "common/problem.h"

#include <nlohmann/json.hpp>

namespace parley {

Problem::Problem(int status, std::string slug, std::string title, std::string detail,
                 std::vector<FieldError> errors)
    : std::runtime_error(detail),
      status_(status),
      slug_(std::move(slug)),
      title_(std::move(title)),
      detail_(std::move(detail)),
      errors_(std::move(errors)) {}

std::string Problem::to_json(const std::string& instance) const {
  nlohmann::json j = {
      {"type", "urn:parley:problem:" + slug_},
      {"title", title_},
      {"status", status_},
      {"detail", detail_},
  };
  if (!instance.empty()) j["instance"] = instance;
  if (!errors_.empty()) {
    auto arr = nlohmann::json::array();
    for (const auto& e : errors_) arr.push_back({{"field", e.field}, {"reason", e.reason}});
    j["errors"] = std::move(arr);
  }
  // Details and field names may quote client input, which need not be valid UTF-8.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Problem Problem::bad_request(std::string detail, std::vector<FieldError> errors) {
  return Problem(400, "bad-request", "Bad request", std::move(detail), std::move(errors));
}

Problem Problem::invalid(std::vector<FieldError> errors) {
  std::string detail;
  for (const auto& e : errors) {
    if (!detail.empty()) detail += "; ";
    detail += e.field + ": " + e.reason;
  }
  return Problem(422, "validation-error", "The input is not valid", std::move(detail),
                 std::move(errors));
}

Problem Problem::invalid(std::string field, std::string reason) {
  return invalid(std::vector<FieldError>{{std::move(field), std::move(reason)}});
}

Problem Problem::unauthenticated(std::string detail) {
  return Problem(401, "unauthenticated", "Authentication required", std::move(detail));
}

Problem Problem::forbidden(std::string detail) {
  return Problem(403, "forbidden", "Not allowed", std::move(detail));
}

Problem Problem::not_found(std::string detail) {
  return Problem(404, "not-found", "Not found", std::move(detail));
}

Problem Problem::conflict(std::string detail, std::vector<FieldError> errors) {
  return Problem(409, "conflict", "Conflict", std::move(detail), std::move(errors));
}

Problem Problem::precondition_failed(std::string detail) {
  return Problem(412, "precondition-failed", "Precondition failed", std::move(detail));
}

Problem Problem::too_many_requests(std::string detail, int retry_after_seconds) {
  Problem p(429, "too-many-requests", "Too many requests", std::move(detail));
  p.retry_after = std::to_string(retry_after_seconds);
  return p;
}

}  // namespace parley
