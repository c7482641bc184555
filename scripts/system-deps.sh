#!/usr/bin/env bash
# System packages the tests need beyond Python: GNU gettext (the translation check extracts messages),
# LibreOffice Writer (tests open generated DOCX files in it), DejaVu fonts and Pango (PDFs in Cyrillic and
# Kazakh).
# Installs them with apt-get when missing and running as root; otherwise says what to install.
set -euo pipefail
missing=()
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
# WeasyPrint draws PDFs with Pango.
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Please install: ${missing[*]} (e.g. sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
