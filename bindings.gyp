# node-gyp description of the native addons (the same sources and flags as native/CMakeLists.txt): aae_cpu (the
# C++ CPU backend; on x86-64 its AVX-512 and AVX2 GEMM micro-kernels are static libraries of their own, compiled with
# their instruction sets) and aae_cuda (the CUDA backend). Built by
# `npm run build:native:gyp` (scripts/build-native-gyp.mjs: node-gyp only reads a file named binding.gyp, so the
# script copies this one into build/gyp/, two levels below the package root `root`). .cu files go through nvcc by the
# rule below; the objects link with the static CUDA runtime.
{
  'variables': {
    'root%': '../..',  # the package root, seen from build/gyp/ where the build script places the copy
    'cuda%': '/usr/local/cuda',
    'cuda_arch%': '-gencode=arch=compute_90,code=sm_90',
  },
  'target_defaults': {
    'cflags_cc': ['-std=c++20', '-O3', '-fno-math-errno', '-fno-trapping-math', '-fexceptions', '-fPIC'],
    'cflags_cc!': ['-fno-exceptions', '-fno-rtti', '-std=gnu++17'],
    'conditions': [['target_arch=="x64"', {'defines': ['AAE_X86']}]],
  },
  'targets': [{
    'target_name': 'aae_cpu_avx512',
    'type': 'static_library',
    'sources': ['<(root)/native/src/cpu/gemm-avx512.cc', '<(root)/native/src/cpu/philox-avx512.cc'],
    'cflags_cc': ['-mavx512f', '-mfma'],
  }, {
    'target_name': 'aae_cpu_avx2',
    'type': 'static_library',
    'sources': ['<(root)/native/src/cpu/gemm-avx2.cc'],
    'cflags_cc': ['-mavx2', '-mfma'],
  }, {
    # Loops cloned per instruction set (native/src/cpu/clones.h), without contraction into FMA: every clone rounds alike.
    'target_name': 'aae_cpu_cloned',
    'type': 'static_library',
    'sources': ['<(root)/native/src/cpu/adam.cc', '<(root)/native/src/cpu/elementwise.cc'],
    'cflags_cc': ['-ffp-contract=off'],
  }, {
    'target_name': 'aae_cpu',
    'sources': [
      '<(root)/native/src/cpu/addon.cc',
      '<(root)/native/src/cpu/pool.cc',
      '<(root)/native/src/cpu/gemm.cc',
      '<(root)/native/src/cpu/gemm-portable.cc',
      '<(root)/native/src/cpu/loss.cc',
      '<(root)/native/src/cpu/random.cc',
    ],
    'dependencies': ['aae_cpu_cloned'],
    'conditions': [['target_arch=="x64"', {'dependencies': ['aae_cpu_avx512', 'aae_cpu_avx2']}]],
    'include_dirs': ['<(root)/node_modules/node-addon-api'],
    'defines': ['NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS'],
    'libraries': ['-lpthread'],
  }, {
    'target_name': 'aae_cuda',
    'sources': [
      '<(root)/native/src/addon.cc',
      '<(root)/native/src/gemm.cu',
      '<(root)/native/src/elementwise.cu',
      '<(root)/native/src/loss.cu',
      '<(root)/native/src/adam.cu',
      '<(root)/native/src/random.cu',
      '<(root)/native/src/graph.cu',
    ],
    'include_dirs': ['<(root)/node_modules/node-addon-api', '<(cuda)/include'],
    'defines': ['NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS'],
    'libraries': ['-L<(cuda)/lib64', '-lcudart_static', '-ldl', '-lrt', '-lpthread'],
    'rules': [{
      'rule_name': 'nvcc',
      'extension': 'cu',
      'inputs': ['<(RULE_INPUT_PATH)'],
      'outputs': ['<(INTERMEDIATE_DIR)/<(RULE_INPUT_ROOT).o'],
      'action': ['<(cuda)/bin/nvcc', '-std=c++17', '-O3', '-Xcompiler', '-fPIC', '<@(cuda_arch)', '-c', '<@(_inputs)', '-o', '<@(_outputs)'],
      'message': 'nvcc <(RULE_INPUT_PATH)',
      'process_outputs_as_sources': 1,
    }],
  }],
}
