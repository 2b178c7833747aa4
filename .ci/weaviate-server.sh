#!/usr/bin/env bash
# Builds a real Weaviate server for wvlint's live preflight tests, once per
# version, into the cache the tests read:
#   ${WVLINT_WEAVIATE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wvlint/weaviate}/vVERSION/weaviate-server
# It does nothing when that binary is there. The first build takes 15-20
# minutes on a 2-core machine (a few with a warm Go build cache).
# Usage: .ci/weaviate-server.sh VERSION...   e.g. .ci/weaviate-server.sh 1.35.2 1.36.23
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: $0 VERSION..." >&2; exit 2; }
cache="${WVLINT_WEAVIATE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wvlint/weaviate}"
for version in "$@"; do
  version="${version#v}"
  case "$version" in
    *[!0-9.]* | "") echo "$0: $version is not a release version (want 1.35.2)" >&2; exit 2 ;;
  esac
  dir="$cache/v$version"
  bin="$dir/weaviate-server"
  if [ -x "$bin" ]; then
    echo "weaviate-server $version: $bin (already built)"
    continue
  fi
  mkdir -p "$dir"
  echo "weaviate-server $version: building into $dir (15-20 minutes the first time)"
  start=$(date +%s)
  # Build beside the target and move it in whole: an interrupted build never
  # leaves a binary the tests would take for a good one.
  tmp="$(mktemp -d "$dir/.build.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  GOBIN="$tmp" GOFLAGS='' go install "github.com/weaviate/weaviate/cmd/weaviate-server@v$version"
  mv "$tmp/weaviate-server" "$bin"
  rm -rf "$tmp"
  trap - EXIT
  echo "weaviate-server $version: built in $(( $(date +%s) - start ))s"
done
