sysbench_topic(cache_stride
  SOURCES command.cc coherence.cc detect.cc line_report.cc
  KERNELS kernels/cache_stride.cc kernels/coherence.cc kernels/cache_stride_avx2.cc
  TESTS cache_stride_test.cc
  ISA kernels/cache_stride_avx2.cc "-mavx2")
