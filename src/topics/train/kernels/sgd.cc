#include "topics/train/kernels/sgd.h"

#include <Eigen/Dense>
#include <cmath>
#include <cstring>
#include <numbers>

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
void BlockScalar(Rows<T> rows, const T* w, T b, T* grad, T* grad_b) {
  const std::size_t f = rows.features;
  for (std::size_t j = 0; j < f; ++j) grad[j] = 0;
  T gb = 0;
  for (std::size_t i = 0; i < rows.count; ++i) {
    const T* xi = rows.x + i * f;
    T r = b - rows.y[i];
    for (std::size_t j = 0; j < f; ++j) r += xi[j] * w[j];
    gb += r;
    for (std::size_t j = 0; j < f; ++j) grad[j] += r * xi[j];
  }
  *grad_b = gb;
}

// Below this many values per block Eigen's dynamic-size set-up costs more than the step itself
// (0.7x the plain loop at batch 1, one input), so the eigen path uses the plain loop there.
constexpr std::size_t kEigenMinValues = 16;

template <typename T>
void BlockEigen(Rows<T> rows, const T* w, T b, T* residual, T* grad, T* grad_b) {
  const auto n = static_cast<Eigen::Index>(rows.count);
  const auto f = static_cast<Eigen::Index>(rows.features);
  // The expression that fits the shape: a general matrix-vector product costs a dispatch that a
  // single input or a single row does not need.
  if (f == 1) {
    using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
    const Eigen::Map<const Array> xs(rows.x, n), ys(rows.y, n);
    const auto rs = xs * w[0] + (b - ys);  // lazy: two fused passes, no residual written
    grad[0] = (xs * rs).sum();
    *grad_b = rs.sum();
    return;
  }
  const Eigen::Map<const RowMatrix<T>> x(rows.x, n, f);
  const Eigen::Map<const Vector<T>> y(rows.y, n);
  const Eigen::Map<const Vector<T>> weights(w, f);
  Eigen::Map<Vector<T>> r(residual, n);
  Eigen::Map<Vector<T>> g(grad, f);
  if (n == 1) {
    const T r0 = x.row(0).dot(weights) + b - y[0];
    g.noalias() = x.row(0).transpose() * r0;
    *grad_b = r0;
    return;
  }
  r.noalias() = x * weights;
  r.array() += b - y.array();
  g.noalias() = x.transpose() * r;
  *grad_b = r.sum();
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
  for (std::size_t i = 0; i < rows.count; ++i) {
    std::memcpy(x_out + i * f, rows.x + static_cast<std::size_t>(order[i]) * f, f * sizeof(T));
    y_out[i] = rows.y[order[i]];
  }
}

template <typename T>
void AccumulateGradient(MathPath path, Rows<T> rows, const T* w, T b, T* scratch, double* grad_w,
                        double* grad_b) {
  T* grad = scratch + kBlockRows;
  for (std::size_t start = 0; start < rows.count; start += kBlockRows) {
    Rows<T> block = rows;
    block.x = rows.x + start * rows.features;
    block.y = rows.y + start;
    block.count = rows.count - start < kBlockRows ? rows.count - start : kBlockRows;
    T gb = 0;
    if (path == MathPath::kEigen && block.count * block.features >= kEigenMinValues) {
      BlockEigen(block, w, b, scratch, grad, &gb);
    } else {
      BlockScalar(block, w, b, grad, &gb);
    }
    for (std::size_t j = 0; j < rows.features; ++j) grad_w[j] += static_cast<double>(grad[j]);
    *grad_b += static_cast<double>(gb);
  }
}

template <typename T>
void ApplyUpdate(T* w, T* b, const double* grad_w, double grad_b, std::size_t features,
                 double scale) {
  for (std::size_t j = 0; j < features; ++j) w[j] -= static_cast<T>(scale * grad_w[j]);
  *b -= static_cast<T>(scale * grad_b);
}

template <typename T, typename P>
double MeanSquaredError(Rows<T> rows, const P* w, P b) {
  if (rows.count == 0) return 0;
  double sum = 0;
  for (std::size_t i = 0; i < rows.count; ++i) {
    double r = static_cast<double>(b) - static_cast<double>(rows.y[i]);
    for (std::size_t j = 0; j < rows.features; ++j) {
      r += static_cast<double>(rows.x[i * rows.features + j]) * static_cast<double>(w[j]);
    }
    sum += r * r;
  }
  return sum / static_cast<double>(rows.count);
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

#define SYSBENCH_TRAIN_KERNELS(T)                                                            \
  template void GenerateData<T>(std::uint64_t, std::size_t, std::size_t, T*, T*);            \
  template void GatherRows<T>(Rows<T>, const std::uint32_t*, T*, T*);                        \
  template void AccumulateGradient<T>(MathPath, Rows<T>, const T*, T, T*, double*, double*); \
  template void ApplyUpdate<T>(T*, T*, const double*, double, std::size_t, double);          \
  template double MeanSquaredError<T, double>(Rows<T>, const double*, double);               \
  template bool LeastSquares<T>(Rows<T>, double*, double*);

SYSBENCH_TRAIN_KERNELS(float)
SYSBENCH_TRAIN_KERNELS(double)
template double MeanSquaredError<float, float>(Rows<float>, const float*, float);

}  // namespace sysbench::kernels
