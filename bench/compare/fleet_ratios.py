#!/usr/bin/env python3
"""The ratios and PASS/FAIL lines of bench/compare/fleet.sh from the documents it saved.

  fleet_ratios.py overhead OUT ROUNDS   (OUT/overhead-wall.tsv: how, round, subcommand, seconds;
                                         OUT/overhead-{alone,srun}-ROUND-SUBCOMMAND.json)
  fleet_ratios.py net OUT ROUNDS        (OUT/net-{alone,two,pair}-R.json)

Ratios are speeds: > 1 means faster than the reference whatever the metric's direction (a time
ratio is inverted). A pair is two processes by construction (two nodes in real use), so its bar is
`net server` + `net client` with the same --cpus placement; the in-process form is printed too. Bars are printed, not enforced: the exit code is 0 unless a document is
missing or unreadable.
"""
import json
import math
import statistics
import sys


def headlines(path):
    """(command, case) -> (metric, value, better) for every result with a headline metric."""
    out = {}
    with open(path) as f:
        doc = json.load(f)
    for r in doc["results"]:
        name = r.get("samples_metric")
        if not name or r.get("skipped"):
            continue
        m = next((m for m in r["metrics"] if m["name"] == name), None)
        if m is None or not m["value"] or m["value"] <= 0:
            continue
        case = r["case"].split("/", 1)[1] if r["case"].startswith("pair=") else r["case"]
        out[(r["command"], case)] = (name, m["value"], m.get("better", "higher"))
    return out


def speed(value, reference, better):
    return reference / value if better == "lower" else value / reference


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def verdict(ok):
    return "PASS" if ok else "FAIL"


def overhead(out, rounds):
    wall = {}  # (how, round) -> seconds, summed over the subcommands
    names = []
    with open(f"{out}/overhead-wall.tsv") as f:
        for line in f:
            how, rnd, name, seconds = line.split("\t")
            wall[(how, int(rnd))] = wall.get((how, int(rnd)), 0.0) + float(seconds)
            if name not in names:
                names.append(name)
    runs = {how: [{} for _ in range(rounds)] for how in ("alone", "srun")}
    for how in runs:
        for r in range(rounds):
            for name in names:
                runs[how][r].update(headlines(f"{out}/overhead-{how}-{r}-{name}.json"))
    cases = sorted(set.intersection(*(set(d) for how in runs for d in runs[how])))
    by_command = {}
    for key in cases:
        _, _, better = runs["alone"][0][key]
        med = {how: statistics.median(d[key][1] for d in runs[how]) for how in runs}
        alone_values = [d[key][1] for d in runs["alone"]]
        spread = max(alone_values) / min(alone_values)
        by_command.setdefault(key[0], []).append((speed(med["srun"], med["alone"], better), spread))
    print("   per subcommand: geometric mean over its cases of srun/alone speed (medians of "
          f"{rounds} run(s) each); 'alone spread' = geometric mean of max/min between the alone "
          "runs (the noise floor); bar 0.9-1.1x")
    failed = 0
    for command, items in by_command.items():
        ratios = [r for r, _ in items]
        g = geomean(ratios)
        ok = 0.9 <= g <= 1.1
        failed += not ok
        spread = geomean([s for _, s in items]) if rounds > 1 else float("nan")
        # A miss smaller than the alone runs' own spread cannot be told from noise.
        noise = "" if ok or not spread >= max(g, 1 / g) else ", within the noise floor"
        print(f"== overhead {command:<13} {len(items):3d} cases  x{g:.3f}  (cases x{min(ratios):.2f}"
              f"..x{max(ratios):.2f}; alone spread x{spread:.3f})  {verdict(ok)}{noise}")
    for name in names:
        if name not in by_command:
            print(f"== overhead {name:<13}   0 cases  (no measured headline here: skipped), not judged")
    totals = {how: [wall[(how, r)] for r in range(rounds)] for how in runs}
    a, s = statistics.median(totals["alone"]), statistics.median(totals["srun"])
    print(f"== overhead wall time, summed over the {len(names)} subcommands: alone {a:.1f} s, "
          f"under srun {s:.1f} s (medians of {rounds} rounds), {s - a:+.1f} s  bar <= +10 s  "
          + verdict(s - a <= 10))
    print(f"== overhead: {len(by_command) - failed} of {len(by_command)} subcommands within "
          "0.9-1.1x  " + verdict(failed == 0))


def net(out, rounds):
    runs = {how: [headlines(f"{out}/net-{how}-{r}.json") for r in range(rounds)]
            for how in ("alone", "two", "pair")}
    cases = sorted(set.intersection(*(set(d) for how in runs for d in runs[how])))
    all_ok = True
    for key in cases:
        name, _, better = runs["alone"][0][key]
        unit = "us" if name.endswith("_us") else "Gbit/s"
        values = {how: [d[key][1] for d in runs[how]] for how in runs}
        med = {how: statistics.median(v) for how, v in values.items()}
        print(f"== net {key[1]} {name} ({unit}), medians of {rounds}: alone {med['alone']:.4g}, "
              f"two {med['two']:.4g}, pair {med['pair']:.4g}  (ranges: "
              + ", ".join(f"{how} {min(v):.3g}-{max(v):.3g}" for how, v in values.items()) + ")")
        bar = speed(med["pair"], med["two"], better)
        ok = 0.9 <= bar <= 1.1
        all_ok = all_ok and ok
        print(f"==   pair vs net alone as two processes (the bar): x{bar:.3f}  bar 0.9-1.1  "
              + verdict(ok))
        print(f"==   pair vs net alone in one process: x{speed(med['pair'], med['alone'], better):.3f}"
              f"; two processes vs one: x{speed(med['two'], med['alone'], better):.3f} (the process "
              "boundary, no Slurm: on a shared CPU each switch between client and server also "
              "switches address space)")
    print("== net pairs within 10% of sysbench net alone (net server + net client, same --cpus): "
          + verdict(all_ok))


def main():
    mode, out, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        overhead(out, rounds) if mode == "overhead" else net(out, rounds)
    except (OSError, KeyError, ValueError) as e:
        print(f"fleet_ratios.py: {mode}: cannot read the runs: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
