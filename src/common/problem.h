// Problem: the one error type of Parley (see docs/architecture.md, "Error model").
//
// Domain and service code throw parley::Problem when a request cannot be honoured;
// the HTTP edge (http/server.cc) turns it into an RFC 9457 application/problem+json
// response. Anything else that escapes a handler is a bug and becomes a 500 whose
// details are logged, never sent. Problem is an immutable value: thread-safe to copy.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace parley {

// One reason a field of the input was refused. `field` is a JSON-pointer-like dotted
// path ("channels.0.value"), or a query parameter name.
struct FieldError {
  std::string field;
  std::string reason;
};

class Problem : public std::runtime_error {
 public:
  Problem(int status, std::string slug, std::string title, std::string detail,
          std::vector<FieldError> errors = {});

  int status() const { return status_; }
  const std::string& slug() const { return slug_; }     // e.g. "validation-error"
  const std::string& title() const { return title_; }
  const std::string& detail() const { return detail_; }
  const std::vector<FieldError>& errors() const { return errors_; }

  // Extra response header (e.g. Retry-After for 429). Empty when none.
  std::string retry_after;

  // The problem as an RFC 9457 JSON document. `instance` is the request path.
  std::string to_json(const std::string& instance) const;

  // Constructors for the common cases.
  static Problem bad_request(std::string detail, std::vector<FieldError> errors = {});
  static Problem invalid(std::vector<FieldError> errors);          // 422
  static Problem invalid(std::string field, std::string reason);   // 422, one field
  static Problem unauthenticated(std::string detail = "Sign in or present an API token.");
  static Problem forbidden(std::string detail);
  static Problem not_found(std::string detail);
  static Problem conflict(std::string detail, std::vector<FieldError> errors = {});
  static Problem precondition_failed(std::string detail);
  static Problem too_many_requests(std::string detail, int retry_after_seconds);

 private:
  int status_;
  std::string slug_;
  std::string title_;
  std::string detail_;
  std::vector<FieldError> errors_;
};

}  // namespace parley
