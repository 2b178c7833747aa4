#!/usr/bin/env bash
# Builds wvlint's release binaries and their checksums:
#   .ci/release-build.sh VERSION OUTDIR
# VERSION is the tag (vMAJOR.MINOR.PATCH[-PRE]); it is stamped into the
# binary, so `wvlint version` prints it. TARGETS (GOOS/GOARCH, separated by
# spaces) defaults to every platform a release ships. Binaries are named
# wvlint_GOOS_GOARCH (.exe on Windows): the action downloads them by name.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -ne 2 ]; then
  echo "usage: $0 VERSION OUTDIR" >&2
  exit 2
fi
version=$1
out=$2
if ! [[ $version =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "release-build: $version is not a release tag (vMAJOR.MINOR.PATCH)" >&2
  exit 2
fi
targets=${TARGETS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}

mkdir -p "$out"
names=()
for t in $targets; do
  goos=${t%/*}
  goarch=${t#*/}
  name="wvlint_${goos}_${goarch}"
  [ "$goos" = windows ] && name="$name.exe"
  CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath \
    -ldflags "-s -w -X github.com/wvlint/wvlint/internal/buildinfo.version=$version" \
    -o "$out/$name" ./cmd/wvlint
  names+=("$name")
done
(cd "$out" && sha256sum "${names[@]}" > checksums.txt)
echo "release-build: ${#names[@]} binaries and checksums.txt in $out"
