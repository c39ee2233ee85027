# With CUDA the kernels and the runtime calls build into sysbench_gpu (CMakeLists.txt); without it
# gpu_none.cc stands in and every GPU case is skipped with that reason.
if(SYSBENCH_HAVE_CUDA)
  sysbench_topic(gpu
    SOURCES command.cc measure.cc peaks.cc nvml.cc
    CUDA gpu_runtime.cc kernels/arith.cu kernels/copy.cu
    CUDA_SM90A kernels/wgmma.cu
    TESTS gpu_test.cc)
else()
  sysbench_topic(gpu
    SOURCES command.cc measure.cc peaks.cc nvml.cc gpu_none.cc
    TESTS gpu_test.cc)
endif()
