// The CPU backend's N-API addon (aae_cpu.node): a Device object owning a thread pool and its allocations. Memory is
// addressed from JavaScript by numbers holding host pointers (exact below 2^53), and the ops take the same
// arguments, in the same order, as the CUDA addon's (native/src/addon.cc), so one TypeScript class drives both
// (ts/backend/device-backend.ts). Ops run to completion before they return.
#include <napi.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_set>

#include "gemm.h"
#include "kernels.h"
#include "../napi-args.h"
#include "pool.h"

namespace {

using namespace napi_args;

constexpr size_t ALIGN = 64;

Napi::Value BestIsa(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), bestIsa()); }

Napi::Value IsaSupported(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), isaSupported(info[0].As<Napi::String>().Utf8Value().c_str()));
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
      InstanceMethod<&Device::Sum>("sum"), InstanceMethod<&Device::FlagNonFinite>("flagNonFinite"),
      InstanceMethod<&Device::Bce>("bceWithSigmoid"), InstanceMethod<&Device::CrossEntropy>("crossEntropy"),
      InstanceMethod<&Device::DiscriminatorLoss>("discriminatorLoss"), InstanceMethod<&Device::GeneratorLoss>("generatorLoss"),
      InstanceMethod<&Device::ClusterHeadCost>("clusterHeadCost"), InstanceMethod<&Device::AdamTable>("adamTable"),
      InstanceMethod<&Device::Adam>("adam"), InstanceMethod<&Device::UniformFill>("uniformFill"),
      InstanceMethod<&Device::NormalFill>("normalFill"), InstanceMethod<&Device::Dropout>("dropout"),
      InstanceMethod<&Device::Categorical>("categorical"), InstanceMethod<&Device::RandomTranslate>("randomTranslate"),
      InstanceMethod<&Device::L2NormalizeRows>("l2NormalizeRows"), InstanceMethod<&Device::Entropy>("entropy"),
      InstanceMethod<&Device::MarginalEntropy>("marginalEntropy"),
      InstanceMethod<&Device::FmaPeak>("fmaPeak"),
    });
  }

  // new Device(threads, isa): isa is "avx512", "avx2" or "portable" and must be supported (see isaSupported).
  explicit Device(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Device>(info) {
    const int threads = i32(info[0]);
    const std::string isa = info[1].As<Napi::String>().Utf8Value();
    gemm_ = gemmFor(isa.c_str());
    if (!gemm_) throw Napi::Error::New(info.Env(), "cpu: instruction set \"" + isa + "\" is not supported by this CPU or build");
    if (threads < 1 || threads > 256) throw Napi::Error::New(info.Env(), "cpu: threads must be in [1, 256], got " + std::to_string(threads));
    pool_ = new Pool(threads);
  }

  ~Device() override { release(); }

 private:
  Pool* pool_ = nullptr;
  GemmFn gemm_ = nullptr;
  std::unordered_set<void*> owned_;

  void release() {
    for (void* p : owned_) std::free(p);
    owned_.clear();
    delete pool_;
    pool_ = nullptr;
  }

  Pool& pool(const Napi::CallbackInfo& info) {
    if (!pool_) throw Napi::Error::New(info.Env(), "cpu: the device has been disposed");
    return *pool_;
  }

  void* allocate(const Napi::CallbackInfo& info, size_t bytes) {
    const size_t rounded = (bytes < ALIGN ? ALIGN : bytes + ALIGN - 1) / ALIGN * ALIGN;
    void* p = std::aligned_alloc(ALIGN, rounded);
    if (!p) throw Napi::Error::New(info.Env(), "cpu.alloc: out of memory: asked for " + std::to_string(bytes >> 20) + " MiB");
    owned_.insert(p);
    return p;
  }

  // alloc(bytes) -> pointer to zeroed memory.
  Napi::Value Alloc(const Napi::CallbackInfo& info) {
    pool(info);
    const size_t bytes = static_cast<size_t>(f64(info[0]));
    void* p = allocate(info, bytes);
    std::memset(p, 0, bytes);
    return Napi::Number::New(info.Env(), static_cast<double>(reinterpret_cast<uintptr_t>(p)));
  }

  Napi::Value Free(const Napi::CallbackInfo& info) {
    void* p = ptr<void>(info[0]);
    if (owned_.erase(p) == 1) std::free(p);
    return info.Env().Undefined();
  }

  // upload(ptr, Float32Array | Uint8Array): copies the array's bytes.
  Napi::Value Upload(const Napi::CallbackInfo& info) {
    Napi::TypedArray a = info[1].As<Napi::TypedArray>();
    std::memcpy(ptr<void>(info[0]), static_cast<const uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset(), a.ByteLength());
    return info.Env().Undefined();
  }

  Napi::Value Download(const Napi::CallbackInfo& info) {
    const size_t n = static_cast<size_t>(i64(info[1]));
    Napi::Float32Array out = Napi::Float32Array::New(info.Env(), n);
    std::memcpy(out.Data(), ptr(info[0]), n * 4);
    return out;
  }

  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    release();
    return info.Env().Undefined();
  }

#define OP(Name, body)                               \
  Napi::Value Name(const Napi::CallbackInfo& info) { \
    Pool& p = pool(info);                            \
    (void)p;                                         \
    body;                                            \
    return info.Env().Undefined();                   \
  }

  OP(Gemm, gemm_({ptr(info[0]), ptr(info[1]), ptr(info[2]), ptr(info[3]), i32(info[4]), i32(info[5]), i32(info[6]),
                  flag(info[7]), flag(info[8]), flag(info[9]), i32(info[10])}, p))
  OP(ActBackward, actBackward(p, ptr(info[0]), ptr(info[1]), ptr(info[2]), i64(info[3]), i32(info[4])))
  OP(BiasGrad, biasGrad(p, ptr(info[0]), ptr(info[1]), i32(info[2]), i32(info[3]), flag(info[4])))
  OP(ReluDropoutBackward, reluDropoutBackward(p, ptr(info[0]), ptr(info[1]), ptr(info[2]), i32(info[3]), i32(info[4]),
                                              (float)f64(info[5]), ptr(info[6]), flag(info[7])))
  OP(Mul, mul(p, ptr(info[0]), ptr(info[1]), ptr(info[2]), i64(info[3])))
  OP(Axpby, axpby(p, ptr(info[0]), ptr(info[1]), ptr(info[2]), i64(info[3]), (float)f64(info[4]), (float)f64(info[5])))
  OP(Softmax, softmax(ptr(info[0]), ptr(info[1]), i32(info[2]), i32(info[3])))
  OP(SoftmaxBackward, softmaxBackward(ptr(info[0]), ptr(info[1]), ptr(info[2]), i32(info[3]), i32(info[4])))
  OP(GatherRows, gatherRows(p, ptr(info[0]), ptr(info[1]), ptr(info[2]), i32(info[3]), i32(info[4])))
  OP(GatherPixels, gatherPixels(p, ptr<uint8_t>(info[0]), ptr(info[1]), ptr(info[2]), i32(info[3]), i32(info[4])))
  OP(CopyCols, copyCols(ptr(info[0]), ptr(info[1]), i32(info[2]), i32(info[3]), i32(info[4]), i32(info[5]), i32(info[6]), i32(info[7])))
  OP(Fill, fill(p, ptr(info[0]), i64(info[1]), (float)f64(info[2])))
  OP(L2NormalizeRows, l2NormalizeRows(ptr(info[0]), ptr(info[1]), i32(info[2]), i32(info[3]), f64(info[4]), ptr(info[5])))
  OP(Sum, sum(ptr(info[0]), i64(info[1]), ptr(info[2])))
  OP(FlagNonFinite, flagNonFinite(ptr(info[0]), i64(info[1]), ptr(info[2])))
  OP(Bce, bceWithSigmoid(ptr(info[0]), ptr(info[1]), i64(info[2]), ptr(info[3]), ptr(info[4])))
  OP(CrossEntropy, crossEntropy(ptr(info[0]), ptr(info[1]), i32(info[2]), i32(info[3]), ptr(info[4]), ptr(info[5])))
  OP(DiscriminatorLoss, discriminatorLoss(ptr(info[0]), ptr(info[1]), i64(info[2]), ptr(info[3]), ptr(info[4]), ptr(info[5])))
  OP(GeneratorLoss, generatorLoss(ptr(info[0]), i64(info[1]), ptr(info[2]), ptr(info[3])))
  OP(Entropy, entropy(ptr(info[0]), i32(info[1]), i32(info[2]), ptr(info[3]), ptr(info[4])))
  OP(MarginalEntropy, marginalEntropy(ptr(info[0]), i32(info[1]), i32(info[2]), ptr(info[3]), ptr(info[4])))
  OP(ClusterHeadCost, clusterHeadCost(ptr(info[0]), i32(info[1]), i32(info[2]), f64(info[3]), f64(info[4]), ptr(info[5]), ptr(info[6])))
  // adam(table, count, maxN, lr, beta1, beta2, eps, weightDecay, step): maxN is the CUDA launch's; unused here.
  OP(Adam, adam(p, ptr<const AdamEntry>(info[0]), i32(info[1]), f64(info[3]), f64(info[4]), f64(info[5]), f64(info[6]),
                f64(info[7]), f64(info[8])))
  OP(UniformFill, uniformFill(p, ptr(info[0]), i64(info[1]), u64(info[2]), u64(info[3]), f64(info[4]), f64(info[5])))
  OP(NormalFill, normalFill(p, ptr(info[0]), i64(info[1]), u64(info[2]), u64(info[3]), f64(info[4]), f64(info[5])))
  OP(Dropout, dropout(p, ptr(info[0]), ptr(info[1]), ptr(info[2]), i64(info[3]), u64(info[4]), u64(info[5]),
                      static_cast<uint32_t>(i64(info[6])), (float)f64(info[7])))
  OP(Categorical, categorical(ptr(info[0]), i32(info[1]), i32(info[2]), u64(info[3]), u64(info[4])))
  OP(RandomTranslate, randomTranslate(ptr(info[0]), ptr(info[1]), i32(info[2]), i32(info[3]), i32(info[4]), i32(info[5]),
                                      i32(info[6]), u64(info[7]), u64(info[8])))
#undef OP

  // fmaPeak(isa, seconds) -> GFLOP/s of independent FMAs in registers on all the pool's threads (0: no probe).
  Napi::Value FmaPeak(const Napi::CallbackInfo& info) {
    const std::string isa = info[0].As<Napi::String>().Utf8Value();
    return Napi::Number::New(info.Env(), fmaPeakGflops(isa.c_str(), pool(info), f64(info[1])));
  }

  // adamTable([param, grad, m, v, n, ...]) -> pointer to an AdamEntry table (owned, freed with the device).
  Napi::Value AdamTable(const Napi::CallbackInfo& info) {
    pool(info);
    Napi::Array a = info[0].As<Napi::Array>();
    const size_t count = a.Length() / 5;
    AdamEntry* table = static_cast<AdamEntry*>(allocate(info, count * sizeof(AdamEntry) + 1));
    for (size_t i = 0; i < count; i++) {
      table[i] = {ptr(a.Get(5 * i)), ptr(a.Get(5 * i + 1)), ptr(a.Get(5 * i + 2)), ptr(a.Get(5 * i + 3)), i64(a.Get(5 * i + 4))};
    }
    return Napi::Number::New(info.Env(), static_cast<double>(reinterpret_cast<uintptr_t>(table)));
  }
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("bestIsa", Napi::Function::New(env, BestIsa));
  exports.Set("isaSupported", Napi::Function::New(env, IsaSupported));
  exports.Set("Device", Device::Init(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(aae_cpu, Init)
