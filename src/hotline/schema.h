// The hotline's tables: communications with their recipient states, the people they
// reached, their lifecycle events and attachments; forum policies; communication
// checks and their schedules. Migrations 300-399.
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace parley::hotline {
std::vector<storage::Migration> migrations();
}
