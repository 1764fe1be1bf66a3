#!/usr/bin/env bash
# Installs the tools some tests drive, when they are missing: promtool (Debian package prometheus, for the /metrics
# and Prometheus config checks), docker-compose (Debian package, parses docker/docker-compose.yml), chromium (Debian) and playwright-core (npm, pinned in verticles/src/test/browser/package-lock.json) for the
# dashboard test. Idempotent; nothing is downloaded when everything is there. Never downloads a browser of its own.
# Usage: scripts/test-tools.sh
set -euo pipefail
cd "$(dirname "$0")/.."

apt_updated=false
apt_install() { # packages...
  if [ "$apt_updated" = false ]; then
    apt-get update -qq
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x /usr/bin/promtool ]; then
  echo "test-tools: installing promtool (package prometheus, without its recommended exporters)"
  # services do not start inside this container (policy-rc.d); no Prometheus server is left listening either way
  apt_install --no-install-recommends prometheus
fi
echo "test-tools: $(/usr/bin/promtool --version 2>&1 | head -1)"

if [ ! -x /usr/bin/docker-compose ]; then
  echo "test-tools: installing docker-compose (without the recommended docker.io: the tests only parse compose files)"
  apt_install --no-install-recommends docker-compose
fi
echo "test-tools: $(/usr/bin/docker-compose version --short 2>/dev/null || echo docker-compose)"

if [ ! -x /usr/bin/chromium ]; then
  echo "test-tools: installing chromium"
  apt_install chromium
fi
echo "test-tools: $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"

browser=verticles/src/test/browser
if [ ! -d "$browser/node_modules/playwright-core" ] \
    || ! grep -q "\"version\": \"$(node -p "require('./$browser/package.json').dependencies['playwright-core']")\"" \
        "$browser/node_modules/playwright-core/package.json"; then
  echo "test-tools: installing playwright-core into $browser/node_modules"
  # --ignore-scripts: no install step may fetch a browser
  (cd "$browser" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi
echo "test-tools: playwright-core $(node -p "require('./$browser/node_modules/playwright-core/package.json').version")"
