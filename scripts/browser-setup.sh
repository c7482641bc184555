#!/usr/bin/env bash
# Make sure the browser tests have their browser: Debian's Chromium at /usr/bin/chromium.
# Playwright drives it (executable_path); it never downloads a browser build of its own, which a closed
# network would refuse anyway. As root, a missing Chromium is installed with apt-get.
set -euo pipefail

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
CHROMIUM=/usr/bin/chromium

if [[ ! -x "$CHROMIUM" ]]; then
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "browser-setup: $CHROMIUM is missing; install it as root: apt-get install -y chromium" >&2
        exit 1
    fi
    echo "browser-setup: installing Chromium with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
fi

# A Chromium that cannot start (a missing library, say) fails here with its own message, not in a test.
if ! version="$("$CHROMIUM" --headless --no-sandbox --disable-gpu --version 2>&1)"; then
    echo "browser-setup: $CHROMIUM does not start: $version" >&2
    exit 1
fi
# The Debian wrapper script may print a line of its own first; the version is the last line.
echo "browser-setup: ${version##*$'\n'}" >&2
