// DependencyUnavailable: something the server needs cannot be reached right now (the
// PostgreSQL server is down, restarting, or dropped the connection), so the request may
// succeed if retried later. storage::Unavailable derives from it; the HTTP edge
// (http/server.cc), which knows nothing of storage, answers it with 503
// problem+json and a Retry-After, instead of the 500 of a bug. Immutable: thread-safe.
#pragma once

#include <stdexcept>

namespace parley {

class DependencyUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace parley
