#include "storage/open.h"

#include <stdexcept>
#include <string>

#include "storage/postgres/postgres_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace parley::storage {

std::optional<std::string> sqlite_path(std::string_view url) {
  if (url.rfind("sqlite://", 0) == 0) return std::string(url.substr(9));
  if (url.rfind("sqlite:", 0) == 0) return std::string(url.substr(7));
  return std::nullopt;
}

bool is_postgresql_url(std::string_view url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

std::unique_ptr<Database> open_database(std::string_view url, std::size_t max_connections) {
  if (const auto path = sqlite_path(url)) return open_sqlite(*path, max_connections);
  if (is_postgresql_url(url)) return open_postgresql(std::string(url), max_connections);
  throw std::invalid_argument("unknown database URL scheme in '" + std::string(url) +
                              "' (expected sqlite:PATH or postgresql://...)");
}

}  // namespace parley::storage
