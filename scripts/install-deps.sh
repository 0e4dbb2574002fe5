#!/usr/bin/env bash
# Installs what Parley needs on Debian 12 and is not there yet: Debian packages with
# apt-get, the web console's npm packages with `npm ci`. Safe to run again: it only
# acts on what is missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  g++ cmake ninja-build pkg-config make
  libboost-dev libssl-dev libsodium-dev libsqlite3-dev nlohmann-json3-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libcurl4-openssl-dev libsimdjson-dev libpcre2-dev
  libicu-dev
  libpq-dev postgresql-15   # the PostgreSQL backend, and the throwaway cluster the tests start (scripts/pg-cluster.sh)
  nginx-light               # the load balancer in front of two instances (tests/api/failover.test.mjs)
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  sqlite3 chromium libxml2-utils
  iso-codes
  python3-aiosmtpd
  libhowardhinnant-date-dev   # IANA time zones from the OS tzdb (contacts' office hours); g++ 12 has no std::chrono zones
  libpoppler-cpp-dev poppler-data libzip-dev libxml2-dev   # the library's text extraction: PDF, DOCX/ODT, HTML (library/extract.h)
  libical-dev               # the work plan's iCalendar feeds and invitations (RFC 5545, VTIMEZONE: workplan/calendar.h)
  fonts-wqy-zenhei fonts-thai-tlwg   # Chinese, Japanese, Korean and Thai glyphs for the PDFs Chromium prints in the tests
)
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> installing Debian packages: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "Parley's web console needs Node.js 20.19 or newer; this machine has $(node --version)." >&2
  exit 1
fi

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "==> installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
