# sysbench_topic(NAME SOURCES ... KERNELS ... TESTS ... [ISA file "flag flag" ...]
#                [CUDA ...] [CUDA_SM90A ...])
# Called from src/topics/NAME/topic.cmake: adds the topic's files, relative to its folder, to the
# lists the top-level CMakeLists.txt builds from. KERNELS go into sysbench_kernels (no I/O), ISA
# gives a kernel file the instruction-set flags it is compiled with (it is called only after
# cpuid agrees). CUDA files go into sysbench_gpu (built only when a CUDA compiler is found: see
# SYSBENCH_HAVE_CUDA), CUDA_SM90A ones too but for Hopper's sm_90a alone (wgmma).
function(sysbench_topic name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;KERNELS;TESTS;ISA;CUDA;CUDA_SM90A")
  set(dir src/topics/${name})
  foreach(kind SOURCES KERNELS TESTS CUDA CUDA_SM90A)
    set(files)
    foreach(file IN LISTS arg_${kind})
      list(APPEND files ${dir}/${file})
    endforeach()
    set(SYSBENCH_TOPIC_${kind} ${SYSBENCH_TOPIC_${kind}} ${files} PARENT_SCOPE)
  endforeach()
  set(isa ${arg_ISA})
  while(isa)
    list(POP_FRONT isa file flags)
    separate_arguments(options UNIX_COMMAND "${flags}")
    set_source_files_properties(${dir}/${file} PROPERTIES COMPILE_OPTIONS "${options}")
  endwhile()
endfunction()
