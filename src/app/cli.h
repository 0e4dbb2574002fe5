// The `parley` command line: serve, user add|list|passwd|disable|enable, token create,
// journal verify, migrate. Returns the process exit code.
#pragma once

namespace parley::app {
int run_cli(int argc, char** argv);
}
