#!/usr/bin/env bash
# Sets up Broadsheet on a fresh machine and builds the sample edition.
#   1. a browser: $CHROME_PATH / $PUPPETEER_EXECUTABLE_PATH, else a system Chromium or Chrome;
#      on Debian/Ubuntu as root, installs Debian's chromium where none is found, and its
#      chromium-headless-shell (the same PDF in about half the time) unless a browser is set;
#   2. the PDF tools the tests read the PDF back with (poppler-utils, mupdf-tools), and what
#      press output needs: Ghostscript, Argyll (colprof, collink) and icc-profiles-free (TR002);
#   3. the node modules (Puppeteer's own browser download is skipped: it cannot work here);
#   4. the fonts: the six TrueType files the page uses, out of two npm packages whose integrity
#      is checked against fonts/package-lock.json (scripts/fonts.mjs);
#   5. compiles, makes the newsprint press profile and its colour link once (icc/, about a
#      minute; kept), then builds data/yuhu-2025 into out/yuhu-2025/.
set -euo pipefail
cd "$(dirname "$0")/.."

have_browser() {
  for v in "${CHROME_PATH:-}" "${PUPPETEER_EXECUTABLE_PATH:-}"; do [ -n "$v" ] && [ -x "$v" ] && return 0; done
  for p in /usr/lib/chromium/chromium-headless-shell /usr/lib/chromium/chromium /usr/bin/chromium \
    /usr/bin/chromium-browser /usr/bin/google-chrome-stable /usr/bin/google-chrome; do
    [ -x "$p" ] && return 0
  done
  return 1
}

missing_pkgs=()
have_browser || missing_pkgs+=(chromium)
can_apt() { command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; }
command -v pdftotext >/dev/null 2>&1 || missing_pkgs+=(poppler-utils)
command -v mutool >/dev/null 2>&1 || missing_pkgs+=(mupdf-tools)
command -v gs >/dev/null 2>&1 || missing_pkgs+=(ghostscript)
command -v colprof >/dev/null 2>&1 && command -v collink >/dev/null 2>&1 || missing_pkgs+=(argyll)
[ -f /usr/share/color/icc/TR002.ti3 ] || missing_pkgs+=(icc-profiles-free)

if [ ${#missing_pkgs[@]} -gt 0 ]; then
  if can_apt; then
    echo "setup: installing ${missing_pkgs[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_pkgs[@]}" fonts-dejavu-core >/dev/null
  else
    echo "setup: missing ${missing_pkgs[*]}." >&2
    echo "  Install them with your package manager (Debian/Ubuntu: sudo apt-get install ${missing_pkgs[*]}), or" >&2
    echo "  set CHROME_PATH to a Chrome/Chromium binary, then run npm run setup again." >&2
    exit 1
  fi
fi

# optional: where the package exists (Debian), the headless shell prints the same PDF in about half
# the time
if [ -z "${CHROME_PATH:-}${PUPPETEER_EXECUTABLE_PATH:-}" ] && [ ! -x /usr/lib/chromium/chromium-headless-shell ] &&
  can_apt; then
  echo "setup: installing chromium-headless-shell from Debian's packages"
  { [ ${#missing_pkgs[@]} -gt 0 ] || apt-get update -qq; } &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell fonts-dejavu-core >/dev/null ||
    echo "setup: chromium-headless-shell is not available here; Chromium prints instead (slower, the same PDF)"
fi

export PUPPETEER_SKIP_DOWNLOAD=1
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error
else npm install --no-audit --no-fund --loglevel=error; fi
node scripts/fonts.mjs
npm run compile --silent
# press output's profiles (src/press/profiles.ts): made once, what exists is kept
node dist/scripts/press-profiles.js
node bin/broadsheet.js build data/yuhu-2025
