#!/usr/bin/env bash
# sysbench train against PyTorch (Debian python3-torch) on the same data and settings: the data
# set is written once by sysbench (--save-data, CSV), both train a zero-initialised linear model
# with MSE and plain SGD (same lr, epochs, batch sizes; shuffled every epoch: PyTorch through
# TensorDataset + DataLoader(shuffle=True)), both on one thread, f32. Timing excludes the loss
# evaluation in both. Prints per case samples/s of both and the ratio, the final loss and the
# learned parameters of both, then the acceptance lines of issue 16, including sysbench's own
# thread scaling (2 threads vs 1 at batch >= 65536).
# Usage: bench/compare/train.sh [path/to/sysbench]   (installs python3-torch if root and missing)
set -euo pipefail
SYSBENCH=${1:-build/release/sysbench}
PY=${PY:-/usr/bin/python3}  # PY=python3 where that one has torch
if ! "$PY" -c 'import torch' 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch >&2 ||
      { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch >&2; }
  else
    echo "python3-torch missing: sudo apt-get install -y python3-torch" >&2
    exit 2
  fi
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/sysbench-train-compare-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
SYSBENCH="$SYSBENCH" WORK="$work" "$PY" - <<'PYEOF'
import json, os, subprocess, time
import numpy as np
import torch

SB, WORK = os.environ["SYSBENCH"], os.environ["WORK"]
LR, SEED = 0.01, 1
torch.set_num_threads(1)

def sysbench(args):
    out = subprocess.run([SB, "-q", "--format", "jsonl", "--repetitions", "1"] + args,
                         check=True, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.strip()]

def metrics(r):
    return {m["name"]: m["value"] for m in r["metrics"]}

def ours(path, features, batch, epochs, threads=1):
    for r in sysbench(["train", "--data", path, "--batch", str(batch), "--epochs", str(epochs),
                       "--dtype", "f32", "--path", "eigen", "--max-time", "120",
                       "--threads", str(threads)]):
        if r["case"].startswith("sgd/"):
            return metrics(r)
    raise SystemExit("no sgd case in sysbench's output")

def peer(path, batch, epochs):
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64).astype(np.float32)
    x, y = torch.from_numpy(data[:, :-1].copy()), torch.from_numpy(data[:, -1:].copy())
    torch.manual_seed(SEED)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y),
                                         batch_size=batch, shuffle=True)
    model = torch.nn.Linear(x.shape[1], 1)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.zero_()
    loss_fn, opt = torch.nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=LR)
    start = time.perf_counter()
    for _ in range(epochs):
        for xb, yb in loader:
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        final = float(((model(x).double() - y.double()) ** 2).mean())
    return {"samples_per_s": epochs * x.shape[0] / seconds, "loss": final,
            "w": model.weight.detach().double().numpy().ravel(), "b": float(model.bias)}

def dataset(samples, features):
    path = f"{WORK}/data-{samples}-{features}.csv"
    subprocess.run([SB, "-q", "train", "--samples", str(samples), "--features", str(features),
                    "--seed", str(SEED), "--save-data", path], check=True)
    return path

verdicts = []
print(f"{'case':34s} {'sysbench/s':>12s} {'pytorch/s':>12s} {'ratio':>7s} "
      f"{'loss ours':>10s} {'loss torch':>10s}  params ours | torch (max |diff|)")
for samples, features, cases in [(4096, 1, [(1, 2), (32, 20), (1024, 200), (4096, 500)]),
                                 (8192, 256, [(1, 1), (32, 5), (1024, 20)])]:
    path = dataset(samples, features)
    for batch, epochs in cases:
        o, p = ours(path, features, batch, epochs), peer(path, batch, epochs)
        ratio = o["samples_per_s"] / p["samples_per_s"]
        if features == 1:
            ow, tw = np.array([o["w"]]), p["w"]
            params = f"w {o['w']:.4f} b {o['b']:.4f} | w {tw[0]:.4f} b {p['b']:.4f}"
            diff = max(abs(o["w"] - tw[0]), abs(o["b"] - p["b"]))
        else:
            diff = float("nan")
            params = "(weights not printed)"
        name = f"f={features} n={samples} batch={batch} ep={epochs}"
        print(f"{name:34s} {o['samples_per_s']:12.4g} {p['samples_per_s']:12.4g} {ratio:7.2f} "
              f"{o['loss']:10.5f} {p['loss']:10.5f}  {params}"
              + (f" ({diff:.4f})" if features == 1 else ""))
        if features == 1:
            verdicts.append((f"params within 0.05 of PyTorch's, batch {batch}", diff <= 0.05,
                             f"{diff:.4f}"))
        if features == 1 and batch == 1:
            verdicts.append(("samples/s >= 20x PyTorch at batch 1", ratio >= 20, f"{ratio:.1f}x"))
        if features == 256 and batch == 1024:
            verdicts.append(("samples/s >= 1.0x PyTorch at batch 1024, --features 256",
                             ratio >= 1.0, f"{ratio:.2f}x"))
            verdicts.append(("loss within 5% of PyTorch's at batch 1024, --features 256",
                             abs(o["loss"] / p["loss"] - 1) <= 0.05,
                             f"{o['loss']:.5f} vs {p['loss']:.5f}"))

print("\nthreads (sysbench only, f32, eigen):")
for features, samples, batch, epochs in [(1, 131072, 65536, 40), (64, 131072, 65536, 4),
                                         (1, 131072, 4096, 20)]:
    path = dataset(samples, features)
    one = ours(path, features, batch, epochs, 1)["samples_per_s"]
    two = ours(path, features, batch, epochs, 2)["samples_per_s"]
    print(f"  f={features} batch={batch}: 1 thread {one:.4g}/s, 2 threads {two:.4g}/s, "
          f"{two / one:.2f}x")
    if batch >= 65536:
        verdicts.append((f"2 threads >= 1.6x one at batch {batch}, f={features}",
                         two / one >= 1.6, f"{two / one:.2f}x"))
    verdicts.append((f"2 threads >= 0.95x one at batch {batch}, f={features}",
                     two / one >= 0.95, f"{two / one:.2f}x"))

print("\nsysbench alone, default sweep over 5 seeds (f32 and f64, eigen and scalar, one thread):")
runs = subprocess.run([SB, "-q", "--format", "jsonl", "--repetitions", "5", "--threads", "1",
                       "train"], check=True, capture_output=True, text=True).stdout
sweep = {}
for line in runs.splitlines():
    r = json.loads(line)
    m = metrics(r)
    if r["case"].startswith("check/"):
        verdicts.append((f"{r['case']}: within 0.01 of the fit, MSE <= 1.01x",
                         m["within_0.01_of_fit"] == "yes",
                         f"w {m['w']:.4f} b {m['b']:.4f} vs {m['fit_w']:.4f} {m['fit_b']:.4f}"))
    if r["case"].startswith("sgd/") and m.get("status") == "reached":
        p = r["params"]
        sweep[(p["dtype"], int(p["batch"]), p["path"])] = m["samples_per_s"]
        cv = r["stats"]["cv"] * 100
        product = m["epochs_x_epoch_time_s"] / m["time_to_target_s"]
        print(f"  {r['case']:48s} time to target {m['time_to_target_s']:.4g} s, CV {cv:.1f}%, "
              f"epochs x epoch time / it {product:.3f}, {m['samples_per_s']:.4g} samples/s")
        verdicts.append((f"{r['case']}: time-to-target CV <= 10%", cv <= 10, f"{cv:.1f}%"))
        verdicts.append((f"{r['case']}: epochs x epoch time within 5%", abs(product - 1) <= 0.05,
                         f"{product:.3f}"))
for (dtype, batch, path), sps in sorted(sweep.items()):
    if path == "eigen" and (dtype, batch, "scalar") in sweep:
        ratio = sps / sweep[(dtype, batch, "scalar")]
        # Below 16 values both paths run the same loop: allow 5% for noise.
        verdicts.append((f"eigen >= scalar samples/s (0.95 allowed), {dtype} batch {batch}",
                         ratio >= 0.95, f"{ratio:.2f}x"))

print("\nacceptance:")
for what, ok, value in verdicts:
    print(f"  {'PASS' if ok else 'FAIL'}  {what}: {value}")
PYEOF
