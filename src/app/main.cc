// parley: the single executable. See `parley --help` and docs/architecture.md.
#include "app/cli.h"

int main(int argc, char** argv) { return parley::app::run_cli(argc, argv); }
