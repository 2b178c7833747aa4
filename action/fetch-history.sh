#!/usr/bin/env bash
# Brings into the clone the commits wvlint compares with, however
# actions/checkout left it (the default fetch-depth: 1 makes a shallow
# clone that has only the commit under test):
#   pull_request: the base branch, and history deep enough for the merge base;
#   push: the commit before the push (github.event.before), or for a new
#     branch (before is all zeros) the default branch and the merge base;
#   merge_group: the queue's base commit (merge_group.base_sha).
# A shallow clone is deepened step by step (--deepen), then unshallowed if
# the merge base is still missing. Nothing fails here: when a commit cannot
# be fetched, wvlint itself says what is missing and how to fix it.
#
# Environment: EVENT_NAME, BASE_REF, BEFORE, MERGE_GROUP_BASE, DEFAULT_BRANCH
# (the workflow expressions of the same names).
set -uo pipefail

zeros=0000000000000000000000000000000000000000
git_() { git -c protocol.version=2 "$@"; }
fetch() { git_ fetch --no-tags --quiet "$@"; }
shallow() { [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; }
have() { git cat-file -e "$1^{commit}" 2>/dev/null; }
note() { echo "wvlint: $*"; }
warn() { echo "::warning title=wvlint::$*"; }

# branch NAME: fetch refs/remotes/origin/NAME, 50 commits deep in a shallow clone.
branch() {
  local depth=()
  shallow && depth=(--depth=50)
  fetch "${depth[@]}" origin "+refs/heads/$1:refs/remotes/origin/$1" ||
    warn "could not fetch the branch $1 from origin"
}

# merge_base REF: deepen a shallow clone until REF and HEAD have a merge base.
merge_base() {
  local d=100 tries=0
  while shallow && ! git merge-base "$1" HEAD >/dev/null 2>&1; do
    if [ "$tries" -ge 4 ]; then
      note "no merge base with $1 after deepening; fetching the whole history"
      fetch --unshallow origin || warn "git fetch --unshallow failed"
      break
    fi
    note "shallow clone: deepening by $d commits to find the merge base with $1"
    fetch --deepen="$d" origin "+refs/heads/${1#origin/}:refs/remotes/$1" || break
    d=$((d * 4))
    tries=$((tries + 1))
  done
}

# commit SHA: fetch one commit (and its tree) when the clone lacks it.
commit() {
  have "$1" && return 0
  fetch --depth=1 origin "$1" || warn "could not fetch commit $1 from origin"
}

case "${EVENT_NAME:-}" in
  pull_request | pull_request_target)
    if [ -n "${BASE_REF:-}" ]; then
      branch "$BASE_REF"
      merge_base "origin/$BASE_REF"
    fi
    ;;
  push)
    if [ -z "${BEFORE:-}" ] || [ "$BEFORE" = "$zeros" ]; then
      if [ -n "${DEFAULT_BRANCH:-}" ]; then
        branch "$DEFAULT_BRANCH"
        merge_base "origin/$DEFAULT_BRANCH"
      fi
    else
      commit "$BEFORE"
    fi
    ;;
  merge_group)
    [ -n "${MERGE_GROUP_BASE:-}" ] && commit "$MERGE_GROUP_BASE"
    ;;
esac
exit 0
