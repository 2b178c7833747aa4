#!/usr/bin/env bash
# Proves the pre-commit hooks with the real pre-commit: a temp repository
# installs this checkout's hooks; a staged change that skips a minor is
# blocked with the finding shown, a safe bump commits; the fixing hook
# rewrites a stale patch, fails, and the re-staged fix commits. Needs git, go and
# pre-commit (Debian package), and the Go module proxy for the golang hook.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$repo" rev-parse HEAD)
if [ -n "$(git -C "$repo" status --porcelain -- ':!.bench' 2>/dev/null)" ]; then
  echo "note: the golang hook builds the committed HEAD ($rev), not uncommitted changes"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache" GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com

# The system hook needs wvlint on PATH.
mkdir -p "$work/bin"
(cd "$repo" && go build -o "$work/bin/wvlint" ./cmd/wvlint)
export PATH="$work/bin:$PATH"

fail() { echo "FAIL: $*"; exit 1; }

# setup HOOK: a fresh repository in $work/HOOK (the current directory after)
# whose pre-commit config installs HOOK from this checkout, with a
# compose deployment on 1.37.14 committed and the hooks installed.
setup() {
  dir="$work/$1"
  mkdir -p "$dir/deploy"
  cd "$dir"
  git init -q -b main
  cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: $1
YAML
  cat > deploy/compose.yaml <<'YAML'
services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:${WEAVIATE_VERSION}
    environment:
      CLUSTER_HOSTNAME: node1
      ENABLE_MODULES: backup-s3
      BACKUP_S3_BUCKET: weaviate-backups
YAML
  printf 'WEAVIATE_VERSION=1.37.14\n' > deploy/.env
  git add -A
  git commit -q --no-verify -m 'weaviate 1.37'
  pre-commit install >/dev/null
}

for hook in wvlint wvlint-system; do
  echo "== hook $hook"
  setup "$hook"

  # Skipping 1.38 is blocked, and the finding is shown.
  printf 'WEAVIATE_VERSION=1.39.0\n' > deploy/.env
  git add deploy/.env
  if git commit -m 'skip a minor' > "$dir/out.txt" 2>&1; then
    cat "$dir/out.txt"; fail "$hook: a commit that skips a minor went through"
  fi
  grep -q 'deploy/.env:1:18: error: upgrade from 1.37.14 to 1.39.0 skips 1.38' "$dir/out.txt" || { cat "$dir/out.txt"; fail "$hook: the finding is not shown"; }
  echo "blocked, with the finding shown"

  # One minor up to its latest patch, with the backup recorded, commits.
  printf '# wvlint:backup s3/before-1.38\nWEAVIATE_VERSION=1.38.11\n' > deploy/.env
  git add deploy/.env
  git commit -q -m 'weaviate 1.38' > "$dir/out.txt" 2>&1 || { cat "$dir/out.txt"; fail "$hook: a safe bump was blocked"; }
  echo "safe bump committed"
done
# The fixing hook: a patch that is not the latest is rewritten in place,
# the hook fails (files changed), and the re-staged fix commits.
echo "== hook wvlint-fix"
setup wvlint-fix
printf '# wvlint:backup s3/before-1.38\r\nWEAVIATE_VERSION=1.38.2 # next minor\r\n' > deploy/.env
git add deploy/.env
if git commit -m 'weaviate 1.38' > "$dir/out.txt" 2>&1; then
  cat "$dir/out.txt"; fail "wvlint-fix: a stale patch went through unfixed"
fi
grep -q 'deploy/.env:2:18: fixed: use 1.38.11, the latest patch of 1.38' "$dir/out.txt" || { cat "$dir/out.txt"; fail "wvlint-fix: the fix is not shown"; }
grep -q 'files were modified by this hook' "$dir/out.txt" || { cat "$dir/out.txt"; fail "wvlint-fix: pre-commit did not see the change"; }
[ "$(cat deploy/.env)" = "$(printf '# wvlint:backup s3/before-1.38\r\nWEAVIATE_VERSION=1.38.11 # next minor\r')" ] || { od -c deploy/.env; fail "wvlint-fix: the .env is not the fixed one, byte for byte"; }
echo "fixed in place, hook failed"
git add deploy/.env
git commit -q -m 'weaviate 1.38' > "$dir/out.txt" 2>&1 || { cat "$dir/out.txt"; fail "wvlint-fix: the re-staged fix was blocked"; }
echo "re-staged fix committed"
echo "pre-commit hooks: OK"
