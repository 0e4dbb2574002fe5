// The directory migrations that make contacts' office hours structured (see
// availability.h): version 130 rewrites the office hours already stored in the canonical
// form where they can be read, and leaves the others as they are (the hotline treats a
// contact whose hours it cannot read as available). Stateless; thread-safe.
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::directory {

std::vector<storage::Migration> availability_migrations();

}  // namespace parley::directory
