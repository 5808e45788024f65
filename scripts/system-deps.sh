#!/usr/bin/env bash
# Installs the Debian packages the tool and its tests use, when missing.
# Idempotent; never fails the build: without root or apt it says what to install.
set -u
# (Tesseract is no longer among them: the note reader does not use it; bench/annotations.py's
# plain-Tesseract baseline says what to install for it)
PKGS="fonts-nanum fonts-nanum-extra fonts-arphic-ukai fonts-noto-cjk libimage-exiftool-perl libmagic1 chromium
libarchive13 sleuthkit"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "forensics setup: no apt-get here; please install:$missing" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "forensics setup: not root; please run: sudo apt-get install$missing" >&2
    exit 0
  fi
fi
echo "forensics setup: installing$missing"
export DEBIAN_FRONTEND=noninteractive
if ! ($SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 ||
      ($SUDO apt-get update -qq >/dev/null 2>&1 &&
       $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null)); then
  echo "forensics setup: apt-get failed; please install:$missing" >&2
fi
exit 0
