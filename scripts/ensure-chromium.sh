#!/usr/bin/env bash
# The browser tests drive Debian's Chromium. Install it when it is missing and this machine
# can (root with apt-get); otherwise say so — the browser tests then skip (or fail under CI).
if command -v chromium > /dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq > /dev/null && apt-get install -y -qq chromium > /dev/null
else
  echo "Chromium is not installed; the browser tests will be skipped (apt-get install chromium)." >&2
fi
exit 0
