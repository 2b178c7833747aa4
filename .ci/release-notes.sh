#!/usr/bin/env bash
# Prints the notes of one release from CHANGELOG.md:
#   .ci/release-notes.sh VERSION [CHANGELOG]
# The notes are the lines under "## VERSION" (followed by anything, such as
# a date) up to the next "## " heading. No section, or an empty one, is an
# error: a release is not cut without its notes.
set -euo pipefail

if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
  echo "usage: $0 VERSION [CHANGELOG]" >&2
  exit 2
fi
version=$1
changelog=${2:-$(dirname "$0")/../CHANGELOG.md}

notes=$(awk -v v="$version" '
  /^## / { if (found) exit; split($0, f, " "); if (f[2] == v) { found = 1; next } }
  found { print }
' "$changelog")
if [ -z "${notes//[[:space:]]/}" ]; then
  echo "release-notes: $changelog has no notes under \"## $version\"; rename \"## Unreleased\" to \"## $version\" before tagging" >&2
  exit 1
fi
printf '%s\n' "$notes"
