#!/usr/bin/env bash
# The peers harness: psephos and three Python libraries, each timed as a whole
# process on the same impartial-culture PrefLib files. Not run in CI.
#
#   benches/peers/run.sh [OUT_DIR] [VOTERS ...]
#
# OUT_DIR (default /tmp/psephos-peers) receives the generated files, a virtual
# environment with the pinned libraries (reused on later runs), results.csv and
# results.md. VOTERS defaults to 1000000 100000 10000. PSEPHOS names the binary
# (default: target/release/psephos, built if missing); RUNS the timed runs per
# cell (default 3, the best is kept); TIMEOUT a cell's limit in seconds (default 600).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-/tmp/psephos-peers}"
shift || true
sizes=("${@:-1000000 100000 10000}")
read -r -a sizes <<< "${sizes[*]}"
runs="${RUNS:-3}"
limit="${TIMEOUT:-600}"
python="${PYTHON:-python3}"

# Pinned versions: the newest on PyPI when the harness was written.
pins=(pref_voting==1.18.2 votekit==3.5.0 svvamp==0.15.2)

mkdir -p "$out"
psephos="${PSEPHOS:-$root/target/release/psephos}"
if [[ ! -x "$psephos" ]]; then
    (cd "$root" && cargo build --release -p psephos-cli)
fi

venv="$out/venv"
if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
fi
for pin in "${pins[@]}"; do
    if ! "$venv/bin/pip" install -q "$pin" > "$out/pip-${pin%%=*}.log" 2>&1; then
        echo "could not install $pin (see $out/pip-${pin%%=*}.log)" >&2
    fi
done

"$python" "$here/gen_preflib.py" "$out" "${sizes[@]}"

# Best wall time of $runs runs, in seconds, or a reason the cell has none.
time_cell() {
    local best="" status=0 t0 t1 dt
    for ((i = 0; i < runs; i++)); do
        t0=$(date +%s.%N)
        timeout "$limit" "$@" > "$out/last.out" 2> "$out/last.err" || status=$?
        if ((status != 0)); then break; fi
        t1=$(date +%s.%N)
        dt=$(echo "$t1 - $t0" | bc -l)
        if [[ -z "$best" ]] || (($(echo "$dt < $best" | bc -l))); then best=$dt; fi
    done
    if ((status == 124)); then echo "timeout (>${limit} s)"
    elif ((status == 3)); then echo "$(head -c 200 "$out/last.out" | tr '\n,' '  ')"
    elif ((status != 0)); then echo "failed: $(tail -n 1 "$out/last.err" | head -c 160 | tr ',' ' ')"
    else printf '%.3f\n' "$best"
    fi
}

csv="$out/results.csv"
echo "file,voters,rule,library,seconds,ratio_to_psephos" > "$csv"
for voters in "${sizes[@]}"; do
    for ext in soc soi; do
        file="$out/ic-$voters.$ext"
        for rule in irv plurality condorcet; do
            # psephos has no rule named condorcet: copeland builds the same pairwise
            # matrix and elects the Condorcet winner when there is one.
            prule=$rule; [[ $rule == condorcet ]] && prule=copeland
            base=$(time_cell "$psephos" tally "$file" --rule "$prule")
            echo "ic-$voters.$ext,$voters,$rule,psephos,$base,1" >> "$csv"
            for lib in pref_voting votekit svvamp; do
                t=$(time_cell "$venv/bin/python" "$here/peer.py" "$lib" "$rule" "$file")
                ratio=""
                if [[ $t =~ ^[0-9.]+$ && $base =~ ^[0-9.]+$ ]]; then ratio=$(printf '%.1f' "$(echo "$t / $base" | bc -l)"); fi
                echo "ic-$voters.$ext,$voters,$rule,$lib,$t,$ratio" >> "$csv"
            done
        done
    done
done

{
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| file | rule | psephos (s) | pref_voting | votekit | svvamp |"
    echo "|---|---|---|---|---|---|"
    "$python" - "$csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
cells = {}
for r in rows:
    cells.setdefault((r["file"], r["rule"]), {})[r["library"]] = r
for (f, rule), libs in cells.items():
    def show(lib):
        r = libs.get(lib)
        if r is None:
            return ""
        return f'{r["seconds"]} s ({r["ratio_to_psephos"]}×)' if r["ratio_to_psephos"] else r["seconds"]
    print(f'| {f} | {rule} | {libs["psephos"]["seconds"]} | {show("pref_voting")} | {show("votekit")} | {show("svvamp")} |')
PY
} > "$out/results.md"
rm -f "$out/last.out" "$out/last.err"
cat "$out/results.md"
