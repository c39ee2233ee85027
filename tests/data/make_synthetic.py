#!/usr/bin/env python3
"""Writes synthetic sysbench --format json documents for the report and compare tests.

The numbers are made up but shaped like real runs (a cache line knee at 64 B, L1/L2/L3 steps,
FLOPS below a peak, thread scaling, STREAM kernels); the metric and param names follow issues
3, 4, 6 and 7. Deterministic: run it again and the files do not change.
"""
import json
import math
import random

rng = random.Random(8)


def samples(median, spread=0.01, n=10):
    values = [median * (1 + rng.uniform(-spread, spread)) for _ in range(n)]
    values.sort()
    values[n // 2] = median  # keep the median near the metric value
    return values


def med(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def result(command, case, params, metrics, sampled=None, unit="", better=None):
    r = {"command": command, "case": case, "params": params, "metrics": []}
    if sampled:
        name, values = sampled
        r["metrics"].append({"name": name, "value": med(values), "unit": unit,
                             "better": better, "source": "measured"})
    for name, value, u, b, src in metrics:
        r["metrics"].append({"name": name, "value": value, "unit": u, "better": b, "source": src})
    r["samples"] = sampled[1] if sampled else []
    if sampled:
        r["samples_metric"] = sampled[0]
    return r


def context(clock=4.2):
    return {"version": "0.1.0", "build_type": "Release", "optimized": True,
            "argv": ["sysbench", "--format", "json", "all"], "time_utc": "2026-11-30T01:00:00Z",
            "host": "synthetic", "kernel": "6.1.0", "cpu_vendor": "GenuineIntel",
            "cpu_model": "Synthetic Xeon", "logical_cpus": 2, "physical_cores": 2,
            "isa_extensions": ["sse2", "avx2", "fma", "avx512f"], "caches": [],
            "measured_clock_ghz": clock, "virtualization": "none", "governor": None,
            "load_avg_1min": 0.1, "warnings": []}


results = []
# cache-stride: flat up to the 64 B line, then time falls with 1/K.
base_ms = 80.0
for order in ["sequential", "random"]:
    for k in [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]:
        stride_bytes = 4 * k
        t = base_ms * (1.0 if stride_bytes <= 64 else 64 / stride_bytes)
        if order == "random":
            t *= 1.5
        t_ns = t * 1e6 * (1.02 if k == 1 else 1.0)
        vals = samples(t_ns, 0.01)
        results.append(result("cache-stride", f"{order}/stride={k}",
                              {"stride_elems": str(k), "stride_bytes": str(stride_bytes), "order": order},
                              [("relative_time", t_ns / (base_ms * 1e6 * 1.02 * (1.5 if order == "random" else 1)), "", "lower", "computed"),
                               ("ns_per_element", t_ns / (64 * 1024 * 1024 / k), "ns", "lower", "computed")],
                              ("ns_per_pass", vals), "ns", "lower"))
results.append(result("cache-stride", "line-size", {},
                      [("detected_line_bytes", 64, "B", None, "measured"),
                       ("line_bytes", 64, "B", None, "lookup")]))
# latency: 4 KiB .. 256 MiB, steps at 48 KiB, 2 MiB, 32 MiB.
size = 4096
while size <= 256 * 1024 * 1024:
    ns = 1.1 if size <= 48 * 1024 else 3.5 if size <= 2 * 1024 * 1024 else 14 if size <= 32 * 1024 * 1024 else 85
    ns *= 1 + 0.05 * math.log2(size / 4096) / 16
    vals = samples(ns, 0.02)
    results.append(result("latency", f"size={size}", {"size_bytes": str(size), "hugepages": "off", "chains": "1"},
                          [("cycles_per_load", ns * 4.2, "cycles", "lower", "computed")],
                          ("ns_per_load", vals), "ns", "lower"))
    size = int(size * 2)
results.append(result("latency", "levels", {},
                      [("l1_ns", 1.1, "ns", "lower", "measured"), ("l2_ns", 3.6, "ns", "lower", "measured"),
                       ("l3_ns", 14.5, "ns", "lower", "measured"), ("dram_ns", 88.0, "ns", "lower", "measured"),
                       ("detected_l1_bytes", 49152, "B", None, "measured"),
                       ("detected_l2_bytes", 2097152, "B", None, "measured")]))
# flops: per isa/dtype, one and two threads, against a peak.
lanes = {"scalar": 1, "sse": 2, "avx2": 4, "avx512": 8}
for dtype, factor in [("f64", 1), ("f32", 2)]:
    for isa in ["scalar", "sse", "avx2", "avx512"]:
        for threads in [1, 2]:
            peak = 4.2 * threads * 2 * 2 * lanes[isa] * factor  # 2 FMA pipes x 2 flop
            got = peak * (0.985 if isa != "sse" else 0.97)
            vals = samples(got, 0.005)
            results.append(result("flops", f"fma/{dtype}/{isa}/threads={threads}",
                                  {"dtype": dtype, "isa": isa, "op": "fma", "threads": str(threads)},
                                  [("flop_per_cycle", got / 4.2 / threads, "FLOP/cycle", "higher", "computed"),
                                   ("peak_gflops", peak, "GFLOP/s", None, "computed"),
                                   ("pct_of_peak", 100 * got / peak, "%", "higher", "computed")],
                                  ("gflops", vals), "GFLOP/s", "higher"))
results.append({"command": "flops", "case": "fma/bf16/avx512_bf16/threads=1",
                "params": {"dtype": "bf16", "isa": "avx512_bf16", "op": "fma", "threads": "1"},
                "metrics": [], "samples": [], "skipped": "AVX512_BF16 not supported by this CPU"})
# threads: scaling and locks.
for mode, eff in [("threads", 0.98), ("processes", 0.96)]:
    for n in [1, 2, 3, 4]:
        sp = 1.0 if n == 1 else min(n, 2) * eff + (0.05 if n > 2 else 0)
        vals = samples(sp, 0.01)
        results.append(result("threads", f"scaling/{mode}/threads={n}",
                              {"scenario": "scaling", "mode": mode, "threads": str(n)},
                              [("efficiency", sp / n, "", "higher", "computed")],
                              ("speedup", vals), "x", "higher"))
for lock, ops in [("mutex", 2.5e7), ("striped", 6e7), ("spinlock", 3e7), ("atomic", 9e7), ("local", 1.5e9)]:
    vals = samples(ops, 0.03)
    results.append(result("threads", f"locks/{lock}/threads=2",
                          {"scenario": "locks", "lock": lock, "threads": "2"}, [],
                          ("ops_per_s", vals), "op/s", "higher"))
# bandwidth: six kernels, 1 and 2 threads, plus a size sweep of triad.
for kernel, g in [("read", 24.0), ("write", 11.0), ("copy", 14.0), ("scale", 14.2), ("add", 16.0), ("triad", 16.3)]:
    for threads in [1, 2]:
        vals = samples(g * (1.6 if threads == 2 else 1), 0.02)
        results.append(result("bandwidth", f"{kernel}/threads={threads}/nt=off/size=1GiB",
                              {"kernel": kernel, "threads": str(threads), "nt": "off", "size_bytes": str(1 << 30)},
                              [], ("gbps", vals), "GB/s", "higher"))
for size in [16 << 10, 256 << 10, 4 << 20, 64 << 20, 1 << 30]:
    g = 120 if size <= 32 << 10 else 60 if size <= 1 << 20 else 35 if size <= 16 << 20 else 16.3
    vals = samples(g, 0.02)
    results.append(result("bandwidth", f"triad/threads=1/nt=off/size={size}",
                          {"kernel": "triad", "threads": "1", "nt": "off", "size_bytes": str(size)},
                          [], ("gbps", vals), "GB/s", "higher"))
# A command without a special chart: the generic bars.
for fmt, ns in [("json", 420.0), ("protobuf", 95.0), ("flatbuffers", 30.0)]:
    vals = samples(ns, 0.02)
    results.append(result("serialize", f"{fmt}/encode", {"format": fmt, "op": "encode"},
                          [("bytes_per_record", 120 if fmt == "json" else 48, "B", "lower", "computed")],
                          ("ns_per_record", vals), "ns", "lower"))

doc = {"schema_version": 1, "context": context(), "results": results}
with open("report_sample.json", "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
