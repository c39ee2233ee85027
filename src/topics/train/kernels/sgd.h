// The arithmetic of `sysbench train`: synthetic regression data, shuffling, the mini-batch
// gradient of a linear model or of a one-hidden-layer ReLU network under mean squared error, the
// SGD update, the full-data loss and the exact least-squares fit. Pure functions over
// caller-owned buffers: no I/O, no exceptions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sysbench::kernels {

// How the batch gradient is computed: a plain loop, or Eigen's matrix products.
enum class MathPath : std::uint8_t { kScalar, kEigen };

// Row-major design matrix (count x features) and its targets.
template <typename T>
struct Rows {
  const T* x = nullptr;
  const T* y = nullptr;
  std::size_t count = 0;
  std::size_t features = 0;
};

// The model: hidden == 0 is the seed's linear model out = x.w + b, parameters [w (features), b].
// hidden == H is out = relu(x W1 + b1) . w2 + b2, parameters [W1 (features x H, row-major),
// b1 (H), w2 (H), b2].
struct Model {
  std::size_t features = 1;
  std::size_t hidden = 0;
  std::size_t Params() const {
    return hidden == 0 ? features + 1 : features * hidden + 2 * hidden + 1;
  }
};

// Rows per inner block: sums inside a block stay in T, blocks are added in double, so a
// full-batch sum in f32 loses no more than a block-sized sum does. The hidden layer's activations
// of a block live in the scratch, so its blocks are shorter.
inline constexpr std::size_t kBlockRows = 4096;
inline constexpr std::size_t kHiddenBlockRows = 256;

// Scratch T values AccumulateGradient needs for the model.
std::size_t GradientScratch(Model model);

// The seed's data, generalised to `features` inputs: x ~ U(0,1), noise ~ N(0, 0.1),
// y = 3 * mean(x) + 2 + noise (for one input exactly y = 3x + 2 + noise). Deterministic in seed.
template <typename T>
void GenerateData(std::uint64_t seed, std::size_t count, std::size_t features, T* x, T* y);

// Starting parameters: zero for the linear model (like the PyTorch peer); for the hidden layer
// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) per layer (PyTorch's nn.Linear default), b2 = 0.
template <typename T>
void InitParams(Model model, std::uint64_t seed, T* params);

// A uniformly random permutation of 0..n-1 (Fisher-Yates), deterministic in seed.
void Permutation(std::uint64_t seed, std::uint32_t* order, std::size_t n);

// The same permutation in parallel pieces (a bucket shuffle, uniform as Fisher-Yates is): every
// index goes to one of kShuffleBuckets buckets by a hash of (seed, index), the buckets are laid
// out one after another in index order, then each is shuffled by Fisher-Yates with its own
// stream. The result depends on seed and n only, not on how the work is split.
inline constexpr std::size_t kShuffleBuckets = 64;
std::uint32_t ShuffleBucket(std::uint64_t seed, std::size_t index);
// counts[k] += how many of the indices [lo, hi) fall into bucket k.
void CountBuckets(std::uint64_t seed, std::size_t lo, std::size_t hi, std::size_t* counts);
// Writes the indices [lo, hi) at next[bucket]++ of order (next: the first free slot per bucket
// for this range: the bucket's start plus the counts of the ranges before it).
void ScatterBuckets(std::uint64_t seed, std::size_t lo, std::size_t hi, std::size_t* next,
                    std::uint32_t* order);
// Fisher-Yates over one bucket's slots order[begin, end).
void ShuffleBucketSlots(std::uint64_t seed, std::size_t bucket, std::uint32_t* order,
                        std::size_t begin, std::size_t end);

// Copies rows in `order` into contiguous buffers (what a shuffling data loader does per epoch).
template <typename T>
void GatherRows(Rows<T> rows, const std::uint32_t* order, T* x_out, T* y_out);

// Adds, over the rows, r * d(out)/d(param) to grad[0..Params()) with r = out - y: half the
// gradient of the summed squared error.
template <typename T>
void AccumulateGradient(MathPath path, Model model, Rows<T> rows, const T* params, T* scratch,
                        double* grad);

// params -= scale * grad, with scale = lr * 2 / batch (the MSE gradient).
template <typename T>
void ApplyUpdate(T* params, const double* grad, std::size_t count, double scale);

// Sum of squared errors of the model over the rows, in double (the caller divides).
template <typename T, typename P>
double SumSquaredError(Model model, Rows<T> rows, const P* params);

// Mean squared error of the linear model (w, b) over all rows, accumulated in double.
template <typename T, typename P>
double MeanSquaredError(Rows<T> rows, const P* w, P b);

// The exact least-squares fit (normal equations on centred data, in double). Returns false when
// the system is singular (fewer distinct rows than unknowns).
template <typename T>
bool LeastSquares(Rows<T> rows, double* w, double* b);

// Floating-point operations of one batch step (a multiply, an add and a max(0, z) count one each):
// linear, per sample the dot, the residual and the gradient (4F + 3); hidden, per sample the two
// layers forward (2FH + 4H + 2) and back (2FH + 5H + 1); per step the update (2 per parameter).
inline double StepFlops(Model model, std::size_t batch) {
  const double f = static_cast<double>(model.features);
  const double h = static_cast<double>(model.hidden);
  const double per_sample = model.hidden == 0 ? 4.0 * f + 3.0 : 4.0 * f * h + 9.0 * h + 3.0;
  return static_cast<double>(batch) * per_sample + 2.0 * static_cast<double>(model.Params());
}

}  // namespace sysbench::kernels
