# node-gyp description of the CUDA addon (the same sources and flags as native/CMakeLists.txt), built by
# `npm run build:native:gyp` (scripts/build-native-gyp.mjs: node-gyp only reads a file named binding.gyp, so the
# script copies this one into build/gyp/, two levels below the package root `root`). .cu files go through nvcc by the
# rule below; the objects link with the static CUDA runtime.
{
  'variables': {
    'root%': '../..',  # the package root, seen from build/gyp/ where the build script places the copy
    'cuda%': '/usr/local/cuda',
    'cuda_arch%': '-gencode=arch=compute_90,code=sm_90',
  },
  'targets': [{
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
    'cflags_cc': ['-std=c++17', '-fexceptions'],
    'cflags_cc!': ['-fno-exceptions', '-fno-rtti'],
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
