#include "storage/open.h"

#include <stdexcept>
#include <string>

#include "storage/postgres/postgres_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace parley::storage {

std::unique_ptr<Database> open_database(std::string_view url, std::size_t max_connections) {
  if (url.rfind("sqlite://", 0) == 0) return open_sqlite(std::string(url.substr(9)), max_connections);
  if (url.rfind("sqlite:", 0) == 0) return open_sqlite(std::string(url.substr(7)), max_connections);
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    return open_postgresql(std::string(url), max_connections);
  throw std::invalid_argument("unknown database URL scheme in '" + std::string(url) +
                              "' (expected sqlite:PATH or postgresql://...)");
}

}  // namespace parley::storage
