// How both addons (aae_cpu.node, aae_cuda.node) read an op's arguments from JavaScript: numbers holding addresses
// (exact below 2^53), integers, doubles and 0/1 flags. ts/backend/kernel-table.ts names each op's arguments by
// these conversions, and test/backend/kernel-table.test.ts checks the addons' unpacking against it.
#pragma once

#include <napi.h>

#include <cstdint>

namespace napi_args {

template <typename T = float>
inline T* ptr(const Napi::Value& v) {
  return reinterpret_cast<T*>(static_cast<uintptr_t>(v.As<Napi::Number>().DoubleValue()));
}
inline int i32(const Napi::Value& v) { return v.As<Napi::Number>().Int32Value(); }
inline int64_t i64(const Napi::Value& v) { return v.As<Napi::Number>().Int64Value(); }
inline double f64(const Napi::Value& v) { return v.As<Napi::Number>().DoubleValue(); }
inline uint64_t u64(const Napi::Value& v) { return static_cast<uint64_t>(v.As<Napi::Number>().DoubleValue()); }
inline bool flag(const Napi::Value& v) { return v.As<Napi::Number>().Int32Value() != 0; }

}  // namespace napi_args
