// The arithmetic of `sysbench train`: synthetic regression data, shuffling, the mini-batch
// gradient of a linear model under mean squared error, the SGD update, the full-data loss and the
// exact least-squares fit. Pure functions over caller-owned buffers: no I/O, no exceptions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sysbench::kernels {

// How the batch gradient is computed: a plain loop, or Eigen's matrix-vector products.
enum class MathPath : std::uint8_t { kScalar, kEigen };

// Row-major design matrix (count x features) and its targets.
template <typename T>
struct Rows {
  const T* x = nullptr;
  const T* y = nullptr;
  std::size_t count = 0;
  std::size_t features = 0;
};

// Rows per inner block: sums inside a block stay in T, blocks are added in double, so a
// full-batch sum in f32 loses no more than a 4096-term sum does.
inline constexpr std::size_t kBlockRows = 4096;

// Scratch T values AccumulateGradient needs for `features` inputs.
inline std::size_t GradientScratch(std::size_t features) { return kBlockRows + features; }

// The seed's data, generalised to `features` inputs: x ~ U(0,1), noise ~ N(0, 0.1),
// y = 3 * mean(x) + 2 + noise (for one input exactly y = 3x + 2 + noise). Deterministic in seed.
template <typename T>
void GenerateData(std::uint64_t seed, std::size_t count, std::size_t features, T* x, T* y);

// A uniformly random permutation of 0..n-1 (Fisher-Yates), deterministic in seed.
void Permutation(std::uint64_t seed, std::uint32_t* order, std::size_t n);

// Copies rows in `order` into contiguous buffers (what a shuffling data loader does per epoch).
template <typename T>
void GatherRows(Rows<T> rows, const std::uint32_t* order, T* x_out, T* y_out);

// Adds, over the rows, r = x.w + b - y times x to grad_w[0..features) and r to *grad_b.
template <typename T>
void AccumulateGradient(MathPath path, Rows<T> rows, const T* w, T b, T* scratch, double* grad_w,
                        double* grad_b);

// w -= scale * grad_w, b -= scale * grad_b, with scale = lr * 2 / batch (the MSE gradient).
template <typename T>
void ApplyUpdate(T* w, T* b, const double* grad_w, double grad_b, std::size_t features,
                 double scale);

// Mean squared error of (w, b) over all rows, accumulated in double.
template <typename T, typename P>
double MeanSquaredError(Rows<T> rows, const P* w, P b);

// The exact least-squares fit (normal equations on centred data, in double). Returns false when
// the system is singular (fewer distinct rows than unknowns).
template <typename T>
bool LeastSquares(Rows<T> rows, double* w, double* b);

// Floating-point operations of one batch step: forward (dot), residual, gradient and update.
inline double StepFlops(std::size_t batch, std::size_t features) {
  const double f = static_cast<double>(features);
  return static_cast<double>(batch) * (4.0 * f + 3.0) + 2.0 * (f + 1.0);
}

}  // namespace sysbench::kernels
