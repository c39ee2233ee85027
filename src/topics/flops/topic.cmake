sysbench_topic(flops
  SOURCES command.cc case_names.cc peak.cc peak_check.cc isa_clock.cc amx_permission.cc running_time.cc
  KERNELS kernels/flops.cc kernels/flops_sse2.cc kernels/flops_sse41.cc kernels/flops_fma128.cc
          kernels/flops_avx2.cc kernels/flops_avx512.cc kernels/flops_amx.cc
  TESTS flops_test.cc peak_test.cc
  ISA kernels/flops_sse41.cc "-msse4.1"
      kernels/flops_fma128.cc "-mavx -mfma"
      kernels/flops_avx2.cc "-mavx2 -mfma"
      kernels/flops_avx512.cc "-mavx512f"
      kernels/flops_amx.cc "-mamx-tile -mamx-int8 -mamx-bf16")
