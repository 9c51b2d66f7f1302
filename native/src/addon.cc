// The N-API addon: device discovery and a Device object owning one CUDA stream. Device memory is addressed from
// JavaScript by numbers holding device pointers (exact below 2^53). Ops mirror the Wasm kernels (asm/) one to one
// and are enqueued on the stream; upload and download synchronise. Every CUDA failure becomes a JavaScript Error
// naming the op and the CUDA error string; nothing here exits or aborts.
#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "check.cuh"
#include "kernels.h"
#include "napi-args.h"

namespace {

using namespace napi_args;

// Runs fn, turning CudaError into a JavaScript exception.
template <typename F>
Napi::Value guarded(const Napi::CallbackInfo& info, F fn) {
  try {
    return fn();
  } catch (const CudaError& e) {
    throw Napi::Error::New(info.Env(), e.what());
  }
}

Napi::Value DeviceCount(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    int n = 0;
    check(cudaGetDeviceCount(&n), "deviceCount");
    return Napi::Number::New(info.Env(), n);
  });
}

Napi::Value DeviceInfo(const Napi::CallbackInfo& info) {
  return guarded(info, [&] {
    cudaDeviceProp p{};
    check(cudaGetDeviceProperties(&p, i32(info[0])), "deviceInfo");
    Napi::Object o = Napi::Object::New(info.Env());
    o.Set("name", std::string(p.name));
    o.Set("major", p.major);
    o.Set("minor", p.minor);
    o.Set("totalMemory", static_cast<double>(p.totalGlobalMem));
    return o;
  });
}

class Device : public Napi::ObjectWrap<Device> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "Device", {
      InstanceMethod<&Device::Alloc>("alloc"), InstanceMethod<&Device::Free>("free"),
      InstanceMethod<&Device::Upload>("upload"), InstanceMethod<&Device::Download>("download"),
      InstanceMethod<&Device::Dispose>("dispose"),
      InstanceMethod<&Device::Gemm>("gemm"), InstanceMethod<&Device::ActBackward>("actBackward"),
      InstanceMethod<&Device::BiasGrad>("biasGrad"), InstanceMethod<&Device::Mul>("mul"),
      InstanceMethod<&Device::ReluDropoutBackward>("reluDropoutBackward"),
      InstanceMethod<&Device::Axpby>("axpby"), InstanceMethod<&Device::Softmax>("softmax"),
      InstanceMethod<&Device::SoftmaxBackward>("softmaxBackward"), InstanceMethod<&Device::GatherRows>("gatherRows"),
      InstanceMethod<&Device::GatherPixels>("gatherPixels"),
      InstanceMethod<&Device::CopyCols>("copyCols"), InstanceMethod<&Device::Fill>("fill"),
      InstanceMethod<&Device::Sum>("sum"), InstanceMethod<&Device::FlagNonFinite>("flagNonFinite"), InstanceMethod<&Device::Bce>("bceWithSigmoid"),
      InstanceMethod<&Device::CrossEntropy>("crossEntropy"), InstanceMethod<&Device::DiscriminatorLoss>("discriminatorLoss"),
      InstanceMethod<&Device::GeneratorLoss>("generatorLoss"), InstanceMethod<&Device::ClusterHeadCost>("clusterHeadCost"), InstanceMethod<&Device::AdamTable>("adamTable"),
      InstanceMethod<&Device::Adam>("adam"), InstanceMethod<&Device::UniformFill>("uniformFill"),
      InstanceMethod<&Device::NormalFill>("normalFill"), InstanceMethod<&Device::Dropout>("dropout"),
      InstanceMethod<&Device::Categorical>("categorical"), InstanceMethod<&Device::RandomTranslate>("randomTranslate"),
      InstanceMethod<&Device::L2NormalizeRows>("l2NormalizeRows"), InstanceMethod<&Device::Entropy>("entropy"),
      InstanceMethod<&Device::MarginalEntropy>("marginalEntropy"),
      InstanceMethod<&Device::BeginCapture>("beginCapture"), InstanceMethod<&Device::EndCapture>("endCapture"),
      InstanceMethod<&Device::AbortCapture>("abortCapture"), InstanceMethod<&Device::LaunchGraph>("launchGraph"),
      InstanceMethod<&Device::DestroyGraph>("destroyGraph"),
    });
  }

  explicit Device(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Device>(info) {
    guarded(info, [&] {
      check(cudaSetDevice(i32(info[0])), "setDevice");
      check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "streamCreate");
      // Two GraphShift words: the one replayed graphs read (set before each launch), and zeros for eager ops.
      check(cudaMalloc(&shifts_, 2 * sizeof(GraphShift)), "setDevice");
      check(cudaMemsetAsync(shifts_, 0, 2 * sizeof(GraphShift), stream_), "setDevice");
      check(cudaStreamSynchronize(stream_), "setDevice");
      return info.Env().Undefined();
    });
  }

  ~Device() override { release(); }

 private:
  cudaStream_t stream_ = nullptr;
  std::vector<void*> owned_;
  // shifts_[0]: the shift of the graph being replayed; shifts_[1]: always zero.
  GraphShift* shifts_ = nullptr;
  bool capturing_ = false;
  std::vector<cudaGraphExec_t> graphs_;

  // What random ops and Adam read: the replay shift while capturing (baked into the graph), zeros otherwise.
  const GraphShift* shift() const { return capturing_ ? shifts_ : shifts_ + 1; }

  // Ends a capture in progress and throws its graph away (the capture's errors are cleared: nothing ran).
  void discardCapture() {
    if (!capturing_) return;
    capturing_ = false;
    cudaGraph_t g = nullptr;
    cudaStreamEndCapture(stream_, &g);
    if (g) cudaGraphDestroy(g);
    cudaGetLastError();
  }

  void release() {
    if (!stream_) return;
    discardCapture();
    for (cudaGraphExec_t g : graphs_) if (g) cudaGraphExecDestroy(g);
    graphs_.clear();
    for (void* p : owned_) cudaFree(p);
    owned_.clear();
    cudaFree(shifts_);
    shifts_ = nullptr;
    cudaStreamDestroy(stream_);
    stream_ = nullptr;
  }

  // alloc(bytes) -> device pointer; out of memory names the size asked and the free memory.
  Napi::Value Alloc(const Napi::CallbackInfo& info) {
    return guarded(info, [&] {
      const size_t bytes = static_cast<size_t>(f64(info[0]));
      void* p = nullptr;
      const cudaError_t status = cudaMalloc(&p, bytes < 4 ? 4 : bytes);
      if (status == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        size_t freeBytes = 0, total = 0;
        cudaMemGetInfo(&freeBytes, &total);
        throw CudaError("cuda.alloc: out of memory: asked for " + std::to_string(bytes >> 20) + " MiB, " +
                        std::to_string(freeBytes >> 20) + " MiB free of " + std::to_string(total >> 20) + " MiB");
      }
      check(status, "alloc");
      owned_.push_back(p);
      return Napi::Number::New(info.Env(), static_cast<double>(reinterpret_cast<uintptr_t>(p)));
    });
  }

  Napi::Value Free(const Napi::CallbackInfo& info) {
    return guarded(info, [&] {
      void* p = ptr<void>(info[0]);
      for (size_t i = 0; i < owned_.size(); i++) {
        if (owned_[i] == p) {
          owned_[i] = owned_.back();
          owned_.pop_back();
          check(cudaFree(p), "free");
          break;
        }
      }
      return info.Env().Undefined();
    });
  }

  // upload(ptr, Float32Array | Uint8Array): copies the array's bytes; returns once they are on the device.
  Napi::Value Upload(const Napi::CallbackInfo& info) {
    return guarded(info, [&] {
      Napi::TypedArray a = info[1].As<Napi::TypedArray>();
      const uint8_t* bytes = static_cast<const uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset();
      check(cudaMemcpyAsync(ptr<void>(info[0]), bytes, a.ByteLength(), cudaMemcpyHostToDevice, stream_), "upload");
      check(cudaStreamSynchronize(stream_), "upload");
      return info.Env().Undefined();
    });
  }

  // download(ptr, n) -> Float32Array: waits for every enqueued op (execution errors surface here).
  Napi::Value Download(const Napi::CallbackInfo& info) {
    return guarded(info, [&] {
      const size_t n = static_cast<size_t>(i64(info[1]));
      Napi::Float32Array out = Napi::Float32Array::New(info.Env(), n);
      check(cudaMemcpyAsync(out.Data(), ptr(info[0]), n * 4, cudaMemcpyDeviceToHost, stream_), "download");
      check(cudaStreamSynchronize(stream_), "download");
      return out;
    });
  }

  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    release();
    return info.Env().Undefined();
  }

#define OP(Name, body)                                  \
  Napi::Value Name(const Napi::CallbackInfo& info) {    \
    return guarded(info, [&] {                          \
      body;                                             \
      return info.Env().Undefined();                    \
    });                                                 \
  }

  OP(Gemm, gemm(ptr(info[0]), ptr(info[1]), ptr(info[2]), ptr(info[3]), i32(info[4]), i32(info[5]), i32(info[6]),
                flag(info[7]), flag(info[8]), flag(info[9]), i32(info[10]), stream_))
  OP(ActBackward, actBackward(ptr(info[0]), ptr(info[1]), ptr(info[2]), i64(info[3]), i32(info[4]), stream_))
  OP(BiasGrad, biasGrad(ptr(info[0]), ptr(info[1]), i32(info[2]), i32(info[3]), flag(info[4]), stream_))
  OP(ReluDropoutBackward, reluDropoutBackward(ptr(info[0]), ptr(info[1]), ptr(info[2]), i32(info[3]), i32(info[4]),
                                              (float)f64(info[5]), ptr(info[6]), flag(info[7]), stream_))
  OP(Mul, mul(ptr(info[0]), ptr(info[1]), ptr(info[2]), i64(info[3]), stream_))
  OP(Axpby, axpby(ptr(info[0]), ptr(info[1]), ptr(info[2]), i64(info[3]), (float)f64(info[4]), (float)f64(info[5]), stream_))
  OP(Softmax, softmax(ptr(info[0]), ptr(info[1]), i32(info[2]), i32(info[3]), stream_))
  OP(SoftmaxBackward, softmaxBackward(ptr(info[0]), ptr(info[1]), ptr(info[2]), i32(info[3]), i32(info[4]), stream_))
  OP(GatherRows, gatherRows(ptr(info[0]), ptr(info[1]), ptr(info[2]), i32(info[3]), i32(info[4]), stream_))
  OP(GatherPixels, gatherPixels(ptr<uint8_t>(info[0]), ptr(info[1]), ptr(info[2]), i32(info[3]), i32(info[4]), stream_))
  OP(CopyCols, copyCols(ptr(info[0]), ptr(info[1]), i32(info[2]), i32(info[3]), i32(info[4]), i32(info[5]), i32(info[6]),
                        i32(info[7]), stream_))
  OP(Fill, fill(ptr(info[0]), i64(info[1]), (float)f64(info[2]), stream_))
  OP(L2NormalizeRows, l2NormalizeRows(ptr(info[0]), ptr(info[1]), i32(info[2]), i32(info[3]), f64(info[4]), ptr(info[5]), stream_))
  OP(Sum, sum(ptr(info[0]), i64(info[1]), ptr(info[2]), stream_))
  OP(FlagNonFinite, flagNonFinite(ptr(info[0]), i64(info[1]), ptr(info[2]), stream_))
  OP(Bce, bceWithSigmoid(ptr(info[0]), ptr(info[1]), i64(info[2]), ptr(info[3]), ptr(info[4]), stream_))
  OP(CrossEntropy, crossEntropy(ptr(info[0]), ptr(info[1]), i32(info[2]), i32(info[3]), ptr(info[4]), ptr(info[5]), stream_))
  OP(DiscriminatorLoss, discriminatorLoss(ptr(info[0]), ptr(info[1]), i64(info[2]), ptr(info[3]), ptr(info[4]), ptr(info[5]), stream_))
  OP(GeneratorLoss, generatorLoss(ptr(info[0]), i64(info[1]), ptr(info[2]), ptr(info[3]), stream_))
  OP(Entropy, entropy(ptr(info[0]), i32(info[1]), i32(info[2]), ptr(info[3]), ptr(info[4]), stream_))
  OP(MarginalEntropy, marginalEntropy(ptr(info[0]), i32(info[1]), i32(info[2]), ptr(info[3]), ptr(info[4]), stream_))
  OP(ClusterHeadCost, clusterHeadCost(ptr(info[0]), i32(info[1]), i32(info[2]), f64(info[3]), f64(info[4]), ptr(info[5]), ptr(info[6]), stream_))
  OP(Adam, adam(ptr<const AdamEntry>(info[0]), i32(info[1]), i64(info[2]), f64(info[3]), f64(info[4]), f64(info[5]),
                f64(info[6]), f64(info[7]), f64(info[8]), shift(), stream_))
  OP(UniformFill, uniformFill(ptr(info[0]), i64(info[1]), u64(info[2]), u64(info[3]), shift(), f64(info[4]), f64(info[5]),
                              stream_))
  OP(NormalFill, normalFill(ptr(info[0]), i64(info[1]), u64(info[2]), u64(info[3]), shift(), f64(info[4]), f64(info[5]),
                            stream_))
  OP(Dropout, dropout(ptr(info[0]), ptr(info[1]), ptr(info[2]), i64(info[3]), u64(info[4]), u64(info[5]), shift(),
                      static_cast<uint32_t>(i64(info[6])), (float)f64(info[7]), stream_))
  OP(Categorical, categorical(ptr(info[0]), i32(info[1]), i32(info[2]), u64(info[3]), u64(info[4]), shift(), stream_))
  OP(RandomTranslate, randomTranslate(ptr(info[0]), ptr(info[1]), i32(info[2]), i32(info[3]), i32(info[4]), i32(info[5]),
                                      i32(info[6]), u64(info[7]), u64(info[8]), shift(), stream_))

  // ---- CUDA Graphs: beginCapture(); ...ops...; endCapture() -> id; launchGraph(id, rngShift, stepShift). ----
  // Thread-local capture mode: only this thread's calls are affected; synchronising calls (upload, download,
  // adamTable) fail while capturing, and the TypeScript side refuses them first.
  OP(BeginCapture, {
    if (capturing_) throw CudaError("cuda.beginCapture: a graph is already being captured");
    check(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal), "beginCapture");
    capturing_ = true;
  })
  OP(AbortCapture, discardCapture())
  OP(LaunchGraph, {
    const size_t id = static_cast<size_t>(i64(info[0]));
    if (id >= graphs_.size() || !graphs_[id]) throw CudaError("cuda.launchGraph: graph " + std::to_string(id) + " does not exist");
    setGraphShift(shifts_, u64(info[1]), i64(info[2]), stream_);
    check(cudaGraphLaunch(graphs_[id], stream_), "launchGraph");
  })
  OP(DestroyGraph, {
    const size_t id = static_cast<size_t>(i64(info[0]));
    if (id < graphs_.size() && graphs_[id]) {
      check(cudaGraphExecDestroy(graphs_[id]), "destroyGraph");
      graphs_[id] = nullptr;
    }
  })
#undef OP

  // endCapture() -> id of the instantiated graph (an index into graphs_).
  Napi::Value EndCapture(const Napi::CallbackInfo& info) {
    return guarded(info, [&] {
      if (!capturing_) throw CudaError("cuda.endCapture: no graph is being captured");
      capturing_ = false;
      cudaGraph_t graph = nullptr;
      check(cudaStreamEndCapture(stream_, &graph), "endCapture");
      cudaGraphExec_t exec = nullptr;
      const cudaError_t status = cudaGraphInstantiate(&exec, graph, 0);
      cudaGraphDestroy(graph);
      check(status, "endCapture (instantiate)");
      graphs_.push_back(exec);
      return Napi::Number::New(info.Env(), static_cast<double>(graphs_.size() - 1));
    });
  }

  // adamTable([param, grad, m, v, n, ...]) -> device pointer of an AdamEntry table (owned, freed with the device).
  Napi::Value AdamTable(const Napi::CallbackInfo& info) {
    return guarded(info, [&] {
      Napi::Array a = info[0].As<Napi::Array>();
      std::vector<AdamEntry> entries(a.Length() / 5);
      for (size_t i = 0; i < entries.size(); i++) {
        entries[i] = {ptr(a.Get(5 * i)), ptr(a.Get(5 * i + 1)), ptr(a.Get(5 * i + 2)), ptr(a.Get(5 * i + 3)),
                      i64(a.Get(5 * i + 4))};
      }
      void* table = nullptr;
      check(cudaMalloc(&table, entries.size() * sizeof(AdamEntry) + 1), "adamTable");
      owned_.push_back(table);
      check(cudaMemcpyAsync(table, entries.data(), entries.size() * sizeof(AdamEntry), cudaMemcpyHostToDevice, stream_), "adamTable");
      check(cudaStreamSynchronize(stream_), "adamTable");
      return Napi::Number::New(info.Env(), static_cast<double>(reinterpret_cast<uintptr_t>(table)));
    });
  }
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("deviceCount", Napi::Function::New(env, DeviceCount));
  exports.Set("deviceInfo", Napi::Function::New(env, DeviceInfo));
  exports.Set("Device", Device::Init(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(aae_cuda, Init)
