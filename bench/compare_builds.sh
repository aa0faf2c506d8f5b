#!/usr/bin/env bash
# Time whole builds of one corpus by two installations of imsskg, alternating, in one run:
#   bench/compare_builds.sh OLD/.venv/bin/imsskg NEW/.venv/bin/imsskg CORPUS [ROUNDS] [--model M]
# (make the corpus with: python bench/generate.py CORPUS --docs 1000). Prints seconds per build
# and the ratio new/old for one and two extraction processes.
set -euo pipefail
old=$1 new=$2 corpus=$3 rounds=${4:-2}
shift $(( $# < 4 ? $# : 4 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A total
for round in $(seq "$rounds"); do
  for side in old new; do
    bin=${!side}
    for procs in 1 2; do
      rm -rf "$work/kg"
      start=$(date +%s.%N)
      "$bin" build "$corpus" --store "$work/kg" --processes "$procs" "$@" > /dev/null 2>&1
      took=$(echo "$(date +%s.%N) - $start" | bc)
      echo "round $round  $side  processes=$procs  ${took} s"
      total[$side$procs]=$(echo "${total[$side$procs]:-0} + $took" | bc)
    done
  done
done
for procs in 1 2; do
  echo "processes=$procs: new/old time $(echo "scale=3; ${total[new$procs]} / ${total[old$procs]}" | bc)"
done
