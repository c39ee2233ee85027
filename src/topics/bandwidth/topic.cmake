sysbench_topic(bandwidth
  SOURCES command.cc
  KERNELS kernels/bandwidth_scalar.cc kernels/bandwidth_avx2.cc kernels/bandwidth_avx512.cc
  TESTS bandwidth_test.cc
  ISA kernels/bandwidth_avx2.cc "-mavx2 -mfma"
      kernels/bandwidth_avx512.cc "-mavx512f")
