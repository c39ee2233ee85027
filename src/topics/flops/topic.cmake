sysbench_topic(flops
  SOURCES command.cc peak.cc
  KERNELS kernels/flops.cc kernels/flops_sse2.cc kernels/flops_sse41.cc kernels/flops_fma128.cc
          kernels/flops_avx2.cc kernels/flops_avx512.cc
  TESTS flops_test.cc
  ISA kernels/flops_sse41.cc "-msse4.1"
      kernels/flops_fma128.cc "-mavx -mfma"
      kernels/flops_avx2.cc "-mavx2 -mfma"
      kernels/flops_avx512.cc "-mavx512f")
