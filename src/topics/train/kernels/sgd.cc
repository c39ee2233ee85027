#include "topics/train/kernels/sgd.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <vector>

namespace sysbench::kernels {
namespace {

__extension__ typedef unsigned __int128 U128;

// splitmix64: a small, well-mixed generator whose stream depends only on the seed.
struct SplitMix {
  std::uint64_t state;
  std::uint64_t Next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // N(0, 1) by Box-Muller (1 - u keeps the logarithm finite).
  double Normal() {
    const double u = 1.0 - Uniform();
    const double v = Uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
  }
};

template <typename T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

template <typename T>
void BlockScalar(Rows<T> rows, const T* params, T* grad) {
  const std::size_t f = rows.features;
  const T b = params[f];
  T grad_b = 0;  // a local: the stores into grad could alias the rows for all the compiler knows
  if (f == 1) {  // the seed's model, where a step is a few nanoseconds
    const T w = params[0];
    T grad_w = 0;
    for (std::size_t i = 0; i < rows.count; ++i) {
      const T r = rows.x[i] * w + b - rows.y[i];
      grad_w += r * rows.x[i];
      grad_b += r;
    }
    grad[0] = grad_w;
    grad[1] = grad_b;
    return;
  }
  for (std::size_t j = 0; j < f; ++j) grad[j] = 0;
  for (std::size_t i = 0; i < rows.count; ++i) {
    const T* xi = rows.x + i * f;
    T r = b - rows.y[i];
    for (std::size_t j = 0; j < f; ++j) r += xi[j] * params[j];
    grad_b += r;
    for (std::size_t j = 0; j < f; ++j) grad[j] += r * xi[j];
  }
  grad[f] = grad_b;
}

// Where Eigen's expressions beat the plain loop (measured per sample on Sapphire Rapids, SSE2
// build, both paths in one binary): a single row of >= 16 inputs, or >= 512 values in the block,
// except f32 rows of 2..7 inputs, where its general matrix-vector product stays 3-6% behind.
// Below, its dynamic-size set-up costs more than the arithmetic (0.6x the loop at 16 values).
template <typename T>
bool EigenPays(std::size_t rows, std::size_t features) {
  if (rows == 1) return features >= 16;
  if (sizeof(T) == 4 && features >= 2 && features < 8) return false;
  return rows * features >= 512;
}

// The hidden layer's matrix products pay from this many multiply-adds per block.
constexpr std::size_t kEigenMinValues = 16;

template <typename T>
void BlockEigen(Rows<T> rows, const T* params, T* residual, T* grad) {
  const auto n = static_cast<Eigen::Index>(rows.count);
  const auto f = static_cast<Eigen::Index>(rows.features);
  const T b = params[f];
  // The expression that fits the shape: a general matrix-vector product costs a dispatch that a
  // single input or a single row does not need.
  if (f == 1) {
    using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
    const Eigen::Map<const Array> xs(rows.x, n), ys(rows.y, n);
    const auto rs = xs * params[0] + (b - ys);  // lazy: two fused passes, no residual written
    grad[0] = (xs * rs).sum();
    grad[1] = rs.sum();
    return;
  }
  const Eigen::Map<const RowMatrix<T>> x(rows.x, n, f);
  const Eigen::Map<const Vector<T>> y(rows.y, n);
  const Eigen::Map<const Vector<T>> weights(params, f);
  Eigen::Map<Vector<T>> r(residual, n);
  Eigen::Map<Vector<T>> g(grad, f);
  if (n == 1) {
    const T r0 = x.row(0).dot(weights) + b - y[0];
    g.noalias() = x.row(0).transpose() * r0;
    grad[f] = r0;
    return;
  }
  r.noalias() = x * weights;
  r.array() += b - y.array();
  g.noalias() = x.transpose() * r;
  grad[f] = r.sum();
}

// The hidden layer, one row at a time: `act` holds the row's H activations.
template <typename T>
void HiddenBlockScalar(Model m, Rows<T> rows, const T* params, T* act, T* grad) {
  const std::size_t f = m.features, h = m.hidden;
  const T* w1 = params;
  const T* b1 = params + f * h;
  const T* w2 = b1 + h;
  const T b2 = w2[h];
  T* g_w1 = grad;
  T* g_b1 = grad + f * h;
  T* g_w2 = g_b1 + h;
  for (std::size_t p = 0; p < m.Params(); ++p) grad[p] = 0;
  for (std::size_t i = 0; i < rows.count; ++i) {
    const T* xi = rows.x + i * f;
    for (std::size_t k = 0; k < h; ++k) act[k] = b1[k];
    for (std::size_t j = 0; j < f; ++j) {
      for (std::size_t k = 0; k < h; ++k) act[k] += xi[j] * w1[j * h + k];
    }
    T r = b2 - rows.y[i];
    for (std::size_t k = 0; k < h; ++k) {
      act[k] = act[k] > 0 ? act[k] : T{0};
      r += act[k] * w2[k];
    }
    g_w2[h] += r;
    for (std::size_t k = 0; k < h; ++k) {
      g_w2[k] += r * act[k];
      act[k] = act[k] > 0 ? r * w2[k] : T{0};  // d out / d z, times r
      g_b1[k] += act[k];
    }
    for (std::size_t j = 0; j < f; ++j) {
      for (std::size_t k = 0; k < h; ++k) g_w1[j * h + k] += xi[j] * act[k];
    }
  }
}

// The hidden layer with Eigen's matrix products: A = relu(X W1 + b1) for the block, then
// the backward pass through the same buffer (A becomes dL/dZ).
template <typename T>
void HiddenBlockEigen(Model m, Rows<T> rows, const T* params, T* scratch, T* grad) {
  const auto n = static_cast<Eigen::Index>(rows.count);
  const auto f = static_cast<Eigen::Index>(m.features);
  const auto h = static_cast<Eigen::Index>(m.hidden);
  const Eigen::Map<const RowMatrix<T>> x(rows.x, n, f);
  const Eigen::Map<const Vector<T>> y(rows.y, n);
  const Eigen::Map<const RowMatrix<T>> w1(params, f, h);
  const Eigen::Map<const Eigen::Matrix<T, 1, Eigen::Dynamic>> b1(params + f * h, h);
  const Eigen::Map<const Vector<T>> w2(params + f * h + h, h);
  const T b2 = params[f * h + 2 * h];
  Eigen::Map<RowMatrix<T>> a(scratch, n, h);
  Eigen::Map<Vector<T>> r(scratch + n * h, n);
  Eigen::Map<RowMatrix<T>> g_w1(grad, f, h);
  Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>> g_b1(grad + f * h, h);
  Eigen::Map<Vector<T>> g_w2(grad + f * h + h, h);
  a.noalias() = x * w1;
  a.rowwise() += b1;
  a = a.cwiseMax(T{0});
  r.noalias() = a * w2;
  r.array() += b2 - y.array();
  g_w2.noalias() = a.transpose() * r;
  grad[f * h + 2 * h] = r.sum();
  // relu'(z) is 1 exactly where the activation is above 0.
  a = (a.array() > T{0}).select((r * w2.transpose()).array(), T{0});
  g_w1.noalias() = x.transpose() * a;
  g_b1.noalias() = a.colwise().sum();
}

// The model's output for one row, in the precision P of the parameters (act: H values).
template <typename T, typename P>
double Output(Model m, const T* xi, const P* params, double* act) {
  const std::size_t f = m.features, h = m.hidden;
  if (h == 0) {
    double out = static_cast<double>(params[f]);
    for (std::size_t j = 0; j < f; ++j) {
      out += static_cast<double>(xi[j]) * static_cast<double>(params[j]);
    }
    return out;
  }
  for (std::size_t k = 0; k < h; ++k) act[k] = static_cast<double>(params[f * h + k]);
  for (std::size_t j = 0; j < f; ++j) {
    for (std::size_t k = 0; k < h; ++k) {
      act[k] += static_cast<double>(xi[j]) * static_cast<double>(params[j * h + k]);
    }
  }
  double out = static_cast<double>(params[f * h + 2 * h]);
  for (std::size_t k = 0; k < h; ++k) {
    out += std::max(act[k], 0.0) * static_cast<double>(params[f * h + h + k]);
  }
  return out;
}

std::uint64_t Mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

template <typename T>
void GenerateData(std::uint64_t seed, std::size_t count, std::size_t features, T* x, T* y) {
  SplitMix rng{seed};
  for (std::size_t i = 0; i < count; ++i) {
    double sum = 0;
    for (std::size_t j = 0; j < features; ++j) {
      const T v = static_cast<T>(rng.Uniform());
      x[i * features + j] = v;
      sum += static_cast<double>(v);
    }
    y[i] = static_cast<T>(3.0 * sum / static_cast<double>(features) + 2.0 + 0.1 * rng.Normal());
  }
}

void Permutation(std::uint64_t seed, std::uint32_t* order, std::size_t n) {
  SplitMix rng{seed};
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  for (std::size_t i = n; i > 1; --i) {
    // Multiply-shift instead of a 64-bit division (bias below 2^-32 for any n that fits memory).
    const std::size_t j = static_cast<std::size_t>((static_cast<U128>(rng.Next()) * i) >> 64);
    const std::uint32_t t = order[i - 1];
    order[i - 1] = order[j];
    order[j] = t;
  }
}

template <typename T>
void GatherRows(Rows<T> rows, const std::uint32_t* order, T* x_out, T* y_out) {
  const std::size_t f = rows.features;
  // A loop, not memcpy: a call per row costs more than copying a few values.
  for (std::size_t i = 0; i < rows.count; ++i) {
    const T* from = rows.x + static_cast<std::size_t>(order[i]) * f;
    T* to = x_out + i * f;
    for (std::size_t j = 0; j < f; ++j) to[j] = from[j];
    y_out[i] = rows.y[order[i]];
  }
}

std::size_t GradientScratch(Model model) {
  if (model.hidden == 0) return kBlockRows + model.Params();
  return kHiddenBlockRows * (model.hidden + 1) + model.Params();
}

template <typename T>
void InitParams(Model model, std::uint64_t seed, T* params) {
  const std::size_t count = model.Params();
  for (std::size_t p = 0; p < count; ++p) params[p] = T{0};
  if (model.hidden == 0) return;
  SplitMix rng{seed ^ 0x5eedf00dull};
  const std::size_t f = model.features, h = model.hidden;
  const double bound1 = 1.0 / std::sqrt(static_cast<double>(f));
  const double bound2 = 1.0 / std::sqrt(static_cast<double>(h));
  for (std::size_t p = 0; p < f * h + h; ++p) {
    params[p] = static_cast<T>(bound1 * (2.0 * rng.Uniform() - 1.0));
  }
  for (std::size_t p = f * h + h; p < f * h + 2 * h; ++p) {
    params[p] = static_cast<T>(bound2 * (2.0 * rng.Uniform() - 1.0));
  }
}

namespace {

static_assert(kShuffleBuckets == 64, "a bucket is 6 bits of the hash");

// Calls fn(index, bucket) for the indices [lo, hi): one 64-bit hash of (seed, index / 8) gives
// the 6-bit buckets of 8 consecutive indices, so where a range starts does not change them.
template <typename Fn>
void ForEachBucket(std::uint64_t seed, std::size_t lo, std::size_t hi, Fn fn) {
  const std::uint64_t key = Mix(seed ^ 0x51ed270b27a9c1e5ull);
  for (std::size_t i = lo; i < hi;) {
    const std::uint64_t bits = Mix(key + (i >> 3));
    const std::size_t end = std::min(hi, (i | 7) + 1);
    for (; i < end; ++i) fn(i, static_cast<std::uint32_t>((bits >> ((i & 7) * 6)) & 63));
  }
}

}  // namespace

std::uint32_t ShuffleBucket(std::uint64_t seed, std::size_t index) {
  std::uint32_t bucket = 0;
  ForEachBucket(seed, index, index + 1, [&](std::size_t, std::uint32_t b) { bucket = b; });
  return bucket;
}

void CountBuckets(std::uint64_t seed, std::size_t lo, std::size_t hi, std::size_t* counts) {
  std::size_t local[kShuffleBuckets] = {};
  ForEachBucket(seed, lo, hi, [&](std::size_t, std::uint32_t b) { ++local[b]; });
  for (std::size_t b = 0; b < kShuffleBuckets; ++b) counts[b] += local[b];
}

void ScatterBuckets(std::uint64_t seed, std::size_t lo, std::size_t hi, std::size_t* next,
                    std::uint32_t* order) {
  // A local copy: the compiler need not reload it after every store into order.
  std::size_t slot[kShuffleBuckets];
  std::memcpy(slot, next, sizeof(slot));
  ForEachBucket(seed, lo, hi, [&](std::size_t i, std::uint32_t b) {
    order[slot[b]++] = static_cast<std::uint32_t>(i);
  });
  std::memcpy(next, slot, sizeof(slot));
}

void ShuffleBucketSlots(std::uint64_t seed, std::size_t bucket, std::uint32_t* order,
                        std::size_t begin, std::size_t end) {
  SplitMix rng{Mix(seed ^ 0xb0c4e7ull) + bucket};
  for (std::size_t i = end - begin; i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>((static_cast<U128>(rng.Next()) * i) >> 64);
    const std::uint32_t t = order[begin + i - 1];
    order[begin + i - 1] = order[begin + j];
    order[begin + j] = t;
  }
}

// The hidden layer's blocks, out of line so that the linear model's step stays small.
template <typename T>
__attribute__((noinline)) void AccumulateHidden(MathPath path, Model model, Rows<T> rows,
                                                const T* params, T* scratch, double* grad) {
  const std::size_t params_count = model.Params();
  T* block_grad = scratch + GradientScratch(model) - params_count;
  for (std::size_t start = 0; start < rows.count; start += kHiddenBlockRows) {
    Rows<T> block = rows;
    block.x = rows.x + start * rows.features;
    block.y = rows.y + start;
    block.count = std::min(rows.count - start, kHiddenBlockRows);
    if (path == MathPath::kEigen &&
        block.count * block.features * model.hidden >= kEigenMinValues) {
      HiddenBlockEigen(model, block, params, scratch, block_grad);
    } else {
      HiddenBlockScalar(model, block, params, scratch, block_grad);
    }
    for (std::size_t p = 0; p < params_count; ++p) grad[p] += static_cast<double>(block_grad[p]);
  }
}

template <typename T>
void AccumulateGradient(MathPath path, Model model, Rows<T> rows, const T* params, T* scratch,
                        double* grad) {
  if (model.hidden > 0) {
    AccumulateHidden(path, model, rows, params, scratch, grad);
    return;
  }
  const std::size_t params_count = model.Params();
  T* block_grad = scratch + kBlockRows;
  for (std::size_t start = 0; start < rows.count; start += kBlockRows) {
    Rows<T> block = rows;
    block.x = rows.x + start * rows.features;
    block.y = rows.y + start;
    block.count = std::min(rows.count - start, kBlockRows);
    if (path == MathPath::kEigen && EigenPays<T>(block.count, block.features)) {
      BlockEigen(block, params, scratch, block_grad);
    } else {
      BlockScalar(block, params, block_grad);
    }
    for (std::size_t p = 0; p < params_count; ++p) grad[p] += static_cast<double>(block_grad[p]);
  }
}

template <typename T>
void ApplyUpdate(T* params, const double* grad, std::size_t count, double scale) {
  for (std::size_t p = 0; p < count; ++p) params[p] -= static_cast<T>(scale * grad[p]);
}

template <typename T, typename P>
double SumSquaredError(Model model, Rows<T> rows, const P* params) {
  std::vector<double> act(model.hidden);
  double sum = 0;
  for (std::size_t i = 0; i < rows.count; ++i) {
    const double r = Output(model, rows.x + i * rows.features, params, act.data()) -
                     static_cast<double>(rows.y[i]);
    sum += r * r;
  }
  return sum;
}

template <typename T, typename P>
double MeanSquaredError(Rows<T> rows, const P* w, P b) {
  if (rows.count == 0) return 0;
  std::vector<P> params(w, w + rows.features);
  params.push_back(b);
  return SumSquaredError(Model{rows.features, 0}, rows, params.data()) /
         static_cast<double>(rows.count);
}

template <typename T>
bool LeastSquares(Rows<T> rows, double* w, double* b) {
  const auto f = static_cast<Eigen::Index>(rows.features);
  if (rows.count <= rows.features) return false;
  Vector<double> mean_x = Vector<double>::Zero(f);
  double mean_y = 0;
  for (std::size_t i = 0; i < rows.count; ++i) {
    for (Eigen::Index j = 0; j < f; ++j) {
      mean_x[j] += static_cast<double>(rows.x[i * rows.features + static_cast<std::size_t>(j)]);
    }
    mean_y += static_cast<double>(rows.y[i]);
  }
  const double n = static_cast<double>(rows.count);
  mean_x /= n;
  mean_y /= n;
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(f, f);
  Vector<double> cross = Vector<double>::Zero(f);
  Vector<double> xi(f);
  for (std::size_t i = 0; i < rows.count; ++i) {
    for (Eigen::Index j = 0; j < f; ++j) {
      xi[j] =
          static_cast<double>(rows.x[i * rows.features + static_cast<std::size_t>(j)]) - mean_x[j];
    }
    cov.selfadjointView<Eigen::Lower>().rankUpdate(xi);
    cross += xi * (static_cast<double>(rows.y[i]) - mean_y);
  }
  const Eigen::LDLT<Eigen::MatrixXd> solver(cov.selfadjointView<Eigen::Lower>());
  if (solver.info() != Eigen::Success || solver.rcond() < 1e-14) return false;
  const Vector<double> coef = solver.solve(cross);
  for (Eigen::Index j = 0; j < f; ++j) w[j] = coef[j];
  *b = mean_y - coef.dot(mean_x);
  return std::isfinite(*b);
}

#define SYSBENCH_TRAIN_KERNELS(T)                                                       \
  template void GenerateData<T>(std::uint64_t, std::size_t, std::size_t, T*, T*);       \
  template void InitParams<T>(Model, std::uint64_t, T*);                                \
  template void GatherRows<T>(Rows<T>, const std::uint32_t*, T*, T*);                   \
  template void AccumulateGradient<T>(MathPath, Model, Rows<T>, const T*, T*, double*); \
  template void ApplyUpdate<T>(T*, const double*, std::size_t, double);                 \
  template double SumSquaredError<T, T>(Model, Rows<T>, const T*);                      \
  template double MeanSquaredError<T, double>(Rows<T>, const double*, double);          \
  template bool LeastSquares<T>(Rows<T>, double*, double*);

SYSBENCH_TRAIN_KERNELS(float)
SYSBENCH_TRAIN_KERNELS(double)
template double MeanSquaredError<float, float>(Rows<float>, const float*, float);

}  // namespace sysbench::kernels
