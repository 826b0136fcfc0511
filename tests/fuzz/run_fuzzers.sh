#!/usr/bin/env bash
# Runs every fuzz_* binary in BUILD_DIR for SECONDS each, as many at once as
# there are cores (each fuzzer is single-threaded). Each fuzzer gets a fresh
# corpus in a temp folder, seeded from tests/fuzz/seeds/<name>/ when it
# exists, and its tokens from tests/fuzz/<name>.dict. Crashing inputs are kept
# in BUILD_DIR/fuzz-artifacts/. Exits non-zero if any fuzzer finds a crash.
set -u

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build_dir=$1
seconds=$2
fuzz_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
artifacts="$build_dir/fuzz-artifacts"
mkdir -p "$artifacts"
work=$(mktemp -d -t attnscope-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
# Files a fuzz target writes go under the work folder too, and leave with it.
export TMPDIR="$work"

mapfile -t binaries < <(find "$build_dir" -type f -name 'fuzz_*' -perm -u+x | sort)
if [[ ${#binaries[@]} -eq 0 ]]; then
  echo "no fuzz_* binaries in $build_dir (configure with -DATTNSCOPE_FUZZ=ON and build first)" >&2
  exit 2
fi

# One fuzzer; its log and exit status land in the work folder.
fuzz_one() {
  local binary=$1 name corpus
  name=$(basename "$binary")
  corpus="$work/$name"
  mkdir -p "$corpus"
  if [[ -d "$fuzz_dir/seeds/$name" ]]; then
    cp -r "$fuzz_dir/seeds/$name/." "$corpus/"
  fi
  local args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=60 -print_final_stats=1
              -artifact_prefix="$artifacts/$name-")
  if [[ -f "$fuzz_dir/$name.dict" ]]; then
    args+=(-dict="$fuzz_dir/$name.dict")
  fi
  "$binary" "${args[@]}" "$corpus" > "$work/$name.log" 2>&1
  echo $? > "$work/$name.status"
}

jobs_at_once=$(nproc)
for binary in "${binaries[@]}"; do
  while [[ $(jobs -rp | wc -l) -ge $jobs_at_once ]]; do wait -n; done
  echo "== $(basename "$binary"): ${seconds}s"
  fuzz_one "$binary" &
done
wait

failed=()
for binary in "${binaries[@]}"; do
  name=$(basename "$binary")
  if [[ "$(cat "$work/$name.status" 2>/dev/null)" != 0 ]]; then
    tail -n 60 "$work/$name.log"
    echo "== $name FAILED (crashing input in $artifacts/)"
    failed+=("$name")
  else
    grep -E '^stat::(number_of_executed_units|new_units_added)' "$work/$name.log" || true
    echo "== $name ok"
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzzers that found a crash: ${failed[*]}" >&2
  exit 1
fi
