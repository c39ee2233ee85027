"""The second method for every figure of `sysbench gpu` (issue 17), in the same script: PyTorch's
matrix products (cuBLAS GEMM; TF32 off, so f32 is true FP32) against sysbench's FMA and tensor
cases, and PyTorch's device copy and pinned/pageable host transfers against sysbench's copies.
Prints one table of both and the acceptance lines; exit 1 when one fails.
Usage: python3 gpu_peer.py SYSBENCH_GPU_JSON [SYSBENCH_FLOPS_ALL_JSON]"""
import json
import statistics
import sys

import torch


def metric(result, name):
    for m in result.get("metrics", []):
        if m["name"] == name:
            return m["value"]
    return None


def num(value, spec=".0f"):
    return format(value, spec) if isinstance(value, (int, float)) else str(value)


def rows(path):
    with open(path) as f:
        return {r["case"]: r for r in json.load(f)["results"]}


def timed(fn, repeat=10, warmup=3):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeat):
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop) / 1e3)
    return statistics.median(times)


def gemm_rate(dtype, n):
    gen = torch.Generator(device="cuda").manual_seed(1)
    if dtype == torch.int8:
        a = torch.randint(-8, 8, (n, n), device="cuda", dtype=torch.int8, generator=gen)
        b = torch.randint(-8, 8, (n, n), device="cuda", dtype=torch.int8, generator=gen)
        seconds = timed(lambda: torch._int_mm(a, b))
    else:
        a = torch.randn(n, n, device="cuda", dtype=dtype, generator=gen)
        b = torch.randn(n, n, device="cuda", dtype=dtype, generator=gen)
        seconds = timed(lambda: a @ b)
    return 2.0 * n ** 3 / seconds / 1e9


def copy_rate(nbytes):
    src = torch.empty(nbytes // 4, device="cuda", dtype=torch.float32).uniform_()
    dst = torch.empty_like(src)
    return 2.0 * nbytes / timed(lambda: dst.copy_(src)) / 1e9


def transfer_rate(nbytes, to_device, pinned):
    host = torch.empty(nbytes // 4, dtype=torch.float32, pin_memory=pinned).uniform_()
    dev = torch.empty(nbytes // 4, device="cuda", dtype=torch.float32)
    if to_device:
        return nbytes / timed(lambda: dev.copy_(host, non_blocking=pinned), repeat=6) / 1e9
    return nbytes / timed(lambda: host.copy_(dev, non_blocking=pinned), repeat=6) / 1e9


def main():
    sb = rows(sys.argv[1])
    flops_all = rows(sys.argv[2]) if len(sys.argv) > 2 else {}
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    print(f"peer: torch {torch.__version__}, cuBLAS through torch.matmul, "
          f"{torch.cuda.get_device_name(0)}")
    failed = False

    def verdict(ok, text):
        nonlocal failed
        failed |= not ok
        print(f"{'PASS' if ok else 'FAIL'}  {text}")

    print(f"{'case':28} {'sysbench':>12} {'pct_of_peak':>11} {'clock MHz':>9}  {'peer':>12}  peer method")
    peers = {
        "fma/f64/cores/gpu=0": ("DGEMM 8192", lambda: gemm_rate(torch.float64, 8192)),
        "fma/f32/cores/gpu=0": ("SGEMM 8192 (TF32 off)", lambda: gemm_rate(torch.float32, 8192)),
        "wgmma/f16/tensor/gpu=0": ("HGEMM 8192", lambda: gemm_rate(torch.float16, 8192)),
        "wgmma/bf16/tensor/gpu=0": ("bf16 GEMM 8192", lambda: gemm_rate(torch.bfloat16, 8192)),
        "wgmma/int8/tensor/gpu=0": ("int8 _int_mm 8192", lambda: gemm_rate(torch.int8, 8192)),
    }
    for case, r in sb.items():
        rate = metric(r, "gflops")
        if rate is None:
            if "skipped" in r and "/gpu=" in case and not case.startswith(("copy", "h2d", "d2h")):
                print(f"{case:28} skipped: {r['skipped']}")
            continue
        pct = metric(r, "pct_of_peak")
        clock = metric(r, "sm_clock_mhz")
        peer_text = ""
        if case in peers:
            name, fn = peers[case]
            try:
                peer_text = f"{fn():12.0f}  {name}"
            except Exception as error:  # a peer that cannot run is reported, not fatal
                peer_text = f"{'failed':>12}  {name}: {error}"
        pct_text = f"{pct:11.1f}" if pct is not None else f"{'-':>11}"
        print(f"{case:28} {rate:12.0f} {pct_text} {num(clock):>9}  {peer_text}")
    for case in ["fma/f64/cores/gpu=0", "fma/f32/cores/gpu=0"]:
        pct = metric(sb.get(case, {}), "pct_of_peak")
        verdict(pct is not None and pct >= 90, f"{case} at {pct}% of the peak at the measured clock (>= 90)")
    for case in ["wgmma/f16/tensor/gpu=0", "wgmma/bf16/tensor/gpu=0"]:
        pct = metric(sb.get(case, {}), "pct_of_peak")
        verdict(pct is not None and pct >= 80, f"{case} at {pct}% of the dense peak (>= 80)")

    gib = 1 << 30
    peer_copy = copy_rate(gib)
    kernel = sb.get("copy/kernel/gpu=0", {})
    memcpy = sb.get("copy/memcpy/gpu=0", {})
    print(f"copy: sysbench kernel {num(metric(kernel, 'gbps'))} GB/s ({num(metric(kernel, 'pct_of_memory'), '.1f')}% of "
          f"{num(metric(kernel, 'memory_gbps'))}), sysbench cudaMemcpy {num(metric(memcpy, 'gbps'))}, "
          f"torch copy_ {peer_copy:.0f} GB/s (bytes read + written)")
    pct = metric(kernel, "pct_of_memory")
    verdict(pct is not None and pct >= 85, f"device copy at {pct}% of the looked-up memory rate (>= 85)")
    mib256 = 256 << 20
    for case, to_device, pinned in [("h2d/pinned/gpu=0", True, True), ("d2h/pinned/gpu=0", False, True),
                                    ("h2d/pageable/gpu=0", True, False), ("d2h/pageable/gpu=0", False, False)]:
        r = sb.get(case, {})
        peer = transfer_rate(mib256, to_device, pinned)
        print(f"{case:20} sysbench {num(metric(r, 'gbps'), '.1f')} GB/s ({num(metric(r, 'pct_of_link'), '.1f')}% of "
              f"{metric(r, 'link_gbps')} GB/s, link {r.get('params', {}).get('link')}), torch {peer:.1f} GB/s")
    pct = metric(sb.get("h2d/pinned/gpu=0", {}), "pct_of_link")
    verdict(pct is not None and pct >= 80, f"pinned host-to-device at {pct}% of the link's rate (>= 80)")
    for case, r in flops_all.items():
        if case.startswith("summary/gpu_vs_cpu/"):
            print(f"{case:28} GPU {num(metric(r, 'gpu_gflops'))} / CPU {num(metric(r, 'cpu_gflops'), '.1f')} = "
                  f"{num(metric(r, 'gpu_vs_cpu'))}x ({r['params']['gpu_case']} vs {r['params']['cpu_case']})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
