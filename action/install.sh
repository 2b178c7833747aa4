#!/usr/bin/env bash
# Installs wvlint for the action into "$RUNNER_TEMP/wvlint-bin/wvlint".
#
# Used as a release (wvlint/wvlint@v1.2.3, or the moving major tag @v1),
# it downloads that release's binary for the runner and checks it against
# the release's checksums.txt. Otherwise (a branch, a commit, a local
# `uses: ./`), or when the download fails, it builds wvlint from the
# action's own checkout with the `go` already on PATH: nothing is installed
# for the caller's later steps (no setup-go, no PATH or GOROOT change), and
# GOTOOLCHAIN fetches the Go version go.mod asks for when that go is older.
#
# WVLINT_RELEASE_BASE (default https://github.com) is where releases and
# tags are looked up; tests point it at a directory.
set -euo pipefail

bin_dir="$RUNNER_TEMP/wvlint-bin"
bin="$bin_dir/wvlint"
mkdir -p "$bin_dir"
base="${WVLINT_RELEASE_BASE:-https://github.com}"
action_path="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"

# A used action is checked out at .../_actions/OWNER/REPO/REF: that is the
# only reliable way for a composite action to learn its own ref
# (github.action_ref is empty inside composite actions).
ref="$(basename "$action_path")"
repo="$(basename "$(dirname "$(dirname "$action_path")")")/$(basename "$(dirname "$action_path")")"
case "$action_path" in */_actions/*/*/*) ;; *) ref="" ;; esac

release_of() {
  # The release a ref names: itself for vX.Y.Z, the vX.Y.Z tag on the same
  # commit for a moving major tag (v1 or v1.2).
  if [[ $1 =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
    echo "$1"
  elif [[ $1 =~ ^v[0-9]+(\.[0-9]+)?$ ]]; then
    git ls-remote --tags "$base/$repo" 2>/dev/null | awk -v want="refs/tags/$1" '
      { sub(/\^\{\}$/, "", $2); commit[$2] = $1; tags[NR] = $2 }
      END {
        for (i in tags) if (tags[i] != want && commit[tags[i]] == commit[want] && tags[i] ~ /^refs\/tags\/v[0-9]+\.[0-9]+\.[0-9]+$/) { sub(/^refs\/tags\//, "", tags[i]); print tags[i]; exit }
      }'
  fi
}

platform() {
  local os arch
  case "${RUNNER_OS:-$(uname -s)}" in
    Linux) os=linux ;; macOS | Darwin) os=darwin ;; Windows | MINGW* | MSYS*) os=windows ;; *) return 1 ;;
  esac
  case "${RUNNER_ARCH:-$(uname -m)}" in
    X64 | x86_64 | amd64) arch=amd64 ;; ARM64 | arm64 | aarch64) arch=arm64 ;; *) return 1 ;;
  esac
  echo "${os}_${arch}"
}

download() {
  local version=$1 plat name dir
  plat="$(platform)" || return 1
  name="wvlint_$plat"
  [[ $plat == windows_* ]] && name="$name.exe"
  dir="$(mktemp -d "$RUNNER_TEMP/wvlint-dl.XXXXXX")"
  curl -fsSL --retry 3 -o "$dir/$name" "$base/$repo/releases/download/$version/$name" || return 1
  curl -fsSL --retry 3 -o "$dir/checksums.txt" "$base/$repo/releases/download/$version/checksums.txt" || return 1
  if ! (cd "$dir" && grep -E "  $name\$" checksums.txt | sha256sum --check --status --strict); then
    echo "::warning title=wvlint::the downloaded $name does not match the release's checksums.txt; building wvlint instead"
    return 1
  fi
  install -m 0755 "$dir/$name" "$bin"
  [ "$("$bin" version)" = "wvlint $version" ] || { echo "::warning title=wvlint::the downloaded binary is not wvlint $version; building wvlint instead"; return 1; }
  echo "wvlint $version: downloaded the release binary ($plat)"
}

version=""
[ -n "$ref" ] && version="$(release_of "$ref")"
if [ -n "$version" ] && download "$version"; then
  exit 0
fi

if ! command -v go >/dev/null; then
  echo "::error title=wvlint::no release binary for ${ref:-this checkout} and no go on PATH to build wvlint; use a release (wvlint/wvlint@v1) or run actions/setup-go before this action"
  exit 3
fi
# The caller's Go settings are theirs: build with the module's own.
(cd "$action_path" && env GOFLAGS= GOWORK=off GOTOOLCHAIN="${WVLINT_GOTOOLCHAIN:-auto}" CGO_ENABLED=0 \
  go build -trimpath -o "$bin" ./cmd/wvlint)
echo "$("$bin" version): built from the action's checkout with $(go env GOVERSION)"
