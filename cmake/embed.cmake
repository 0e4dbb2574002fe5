# Turns a text file into a C++ source defining parley::app::openapi_document().
# Written as a byte array: -Wpedantic rejects string literals over 4095 bytes.
file(READ ${IN} CONTENT HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," BYTES "${CONTENT}")
file(WRITE ${OUT} "// Generated from src/app/openapi.json by cmake/embed.cmake. Do not edit.\n#include <string_view>\nnamespace parley::app {\nnamespace { const char kDoc[] = {${BYTES}}; }\nstd::string_view openapi_document() { return {kDoc, sizeof kDoc}; }\n}\n")
