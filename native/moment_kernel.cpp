/*
 * libnoether_moments.so: MomentKernel's float32 walks (src/NoetherTheory.Torch/Measurement/MomentKernel*.cs) in C++,
 * split over libtorch's own OpenMP threads.
 *
 * Why: on the CPU the group measurement forms each measured tensor's moment table in heavy ball's update pass. In the
 * training loop the managed kernel's second thread gained nothing: libtorch's OpenMP threads spin after every operation
 * and hold the core that thread needs. An OpenMP parallel region here runs on those very threads (this library is
 * linked against the libgomp that libtorch loads, so both use one thread pool): the fused pass over a 256 × 3072 layer
 * then costs about what libtorch's own update of it costs.
 *
 * What: the same arithmetic as the managed kernel, operation for operation: products by fused multiply-adds in float32
 * lanes of 8, each lane moved to float64 after at most 32 products (LaneTerms), the update in PyTorch's CPU roundings
 * (HeavyBallUpdate). Each index (long runs) or element (strip walk) is summed by one thread in one order, so the
 * results do not depend on the thread count; the update is bit for bit the managed one (tests compare both). Shapes the
 * managed kernel handles with scalar tails (a run or a row block that is not a multiple of 8) are left to it: the
 * managed side calls this only for post % 8 == 0 (long runs) or rows·post % 8 == 0 (strip walk).
 *
 * Built by eng/NoetherTheory.Moments.targets with -O2 -mavx2 -mfma -fopenmp -ffp-contract=off (no contraction the
 * managed code does not make); the managed side uses it only where AVX2 and FMA are available.
 */
#include <immintrin.h>

#include <cstdint>
#include <cstring>

namespace
{
constexpr int Width = 9;           // WW, WG, WV, GG, VV, GV, SW, SG, SV
constexpr int LaneTerms = 32;      // products per float32 lane before it moves to float64
constexpr long TileStrips = 32;    // strips of 8 per tile: 256 elements, 9 KB of float32 sums
constexpr long TileElements = TileStrips * 8;

struct Update
{
    int enabled;        // 0: moments only (nothing written)
    float learning_rate;
    float coupled_decay;
    float momentum;
    float buffer_scale;
    int nesterov;
    int has_buffer;
    int first_step;
    float decoupled_factor;
};

struct Vectors
{
    __m256 decay, beta, scale, rate, factor;
    explicit Vectors(const Update& u)
        : decay(_mm256_set1_ps(u.coupled_decay)), beta(_mm256_set1_ps(u.momentum)), scale(_mm256_set1_ps(u.buffer_scale)),
          rate(_mm256_set1_ps(-u.learning_rate)), factor(_mm256_set1_ps(u.decoupled_factor))
    {
    }
};

// Heavy ball's update of 8 elements at `at` (HeavyBallStep.Apply).
inline void Apply(const Update& u, const Vectors& k, __m256 a, __m256 b, __m256 c, float* theta, float* velocity, long at)
{
    if (!u.enabled) return;
    __m256 d = u.coupled_decay != 0 ? _mm256_fmadd_ps(k.decay, a, b) : b;
    __m256 s = d;
    if (u.has_buffer)
    {
        __m256 v = u.first_step ? d : _mm256_fmadd_ps(k.scale, d, _mm256_mul_ps(k.beta, c));
        _mm256_storeu_ps(velocity + at, v);
        s = u.nesterov ? _mm256_fmadd_ps(k.beta, v, d) : v;
    }
    __m256 t = _mm256_fmadd_ps(k.rate, s, a);
    _mm256_storeu_ps(theta + at, u.decoupled_factor != 1 ? _mm256_mul_ps(t, k.factor) : t);
}

// A lane vector's sum in float64, each lane widened exactly (MomentKernel.Total: low and high halves added in float64
// lanes, then the four sums).
inline double Total(__m256 lanes)
{
    __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(lanes));
    __m256d hi = _mm256_cvtps_pd(_mm256_extractf128_ps(lanes, 1));
    __m256d s = _mm256_add_pd(lo, hi);
    alignas(32) double d[4];
    _mm256_store_pd(d, s);
    return ((d[0] + d[1]) + d[2]) + d[3];
}

// One contiguous run of n (a multiple of 8) elements added into sums (MomentKernel.Reduce).
void Reduce(const Update& u, const Vectors& k, float* x, const float* y, float* z, long n, double* sums)
{
    long i = 0;
    while (i + 8 <= n)
    {
        __m256 ww = _mm256_setzero_ps(), wg = ww, wv = ww, gg = ww, vv = ww, gv = ww, sw = ww, sg = ww, sv = ww;
        long end = n - 7 < i + 8L * LaneTerms ? n - 7 : i + 8L * LaneTerms;
        for (; i < end; i += 8)
        {
            __m256 a = _mm256_loadu_ps(x + i), b = _mm256_loadu_ps(y + i), c = _mm256_loadu_ps(z + i);
            ww = _mm256_fmadd_ps(a, a, ww);
            wg = _mm256_fmadd_ps(a, b, wg);
            wv = _mm256_fmadd_ps(a, c, wv);
            gg = _mm256_fmadd_ps(b, b, gg);
            vv = _mm256_fmadd_ps(c, c, vv);
            gv = _mm256_fmadd_ps(b, c, gv);
            sw = _mm256_add_ps(sw, a);
            sg = _mm256_add_ps(sg, b);
            sv = _mm256_add_ps(sv, c);
            Apply(u, k, a, b, c, x, z, i);
        }
        sums[0] += Total(ww); sums[1] += Total(wg); sums[2] += Total(wv); sums[3] += Total(gg); sums[4] += Total(vv);
        sums[5] += Total(gv); sums[6] += Total(sw); sums[7] += Total(sg); sums[8] += Total(sv);
    }
}

// sums[at … at + 7] += x0·y0 + x1·y1 + x2·y2 + x3·y3 as four fused multiply-adds (MomentKernel.Four).
inline void Four(float* sums, long at, __m256 x0, __m256 y0, __m256 x1, __m256 y1, __m256 x2, __m256 y2, __m256 x3, __m256 y3)
{
    __m256 t = _mm256_fmadd_ps(x0, y0, _mm256_loadu_ps(sums + at));
    t = _mm256_fmadd_ps(x1, y1, t);
    t = _mm256_fmadd_ps(x2, y2, t);
    _mm256_storeu_ps(sums + at, _mm256_fmadd_ps(x3, y3, t));
}

inline void AddTo(float* sums, long at, __m256 t) { _mm256_storeu_ps(sums + at, _mm256_add_ps(t, _mm256_loadu_ps(sums + at))); }

// Strips first … end − 1 of the [pre, length] view, tile by tile (MomentKernel.StripRange); totals[m·length + j].
void StripRange(const Update& u, const Vectors& k, float* x, const float* y, float* z, long pre, long length, long first, long end, double* totals)
{
    alignas(64) float sums[Width * TileElements];
    const long te = TileElements;
    for (long s0 = first; s0 < end; s0 += TileStrips)
    {
        long count = (end - s0 < TileStrips ? end - s0 : TileStrips) * 8, j0 = s0 * 8;
        for (long p0 = 0; p0 < pre; p0 += LaneTerms)
        {
            std::memset(sums, 0, sizeof sums);
            long p1 = pre < p0 + LaneTerms ? pre : p0 + LaneTerms, p = p0;
            for (; p + 4 <= p1; p += 4)
            {
                long r0 = p * length + j0;
                for (long e = 0; e < count; e += 8)
                {
                    long e0 = r0 + e, e1 = e0 + length, e2 = e1 + length, e3 = e2 + length;
                    __m256 a0 = _mm256_loadu_ps(x + e0), a1 = _mm256_loadu_ps(x + e1), a2 = _mm256_loadu_ps(x + e2), a3 = _mm256_loadu_ps(x + e3);
                    __m256 b0 = _mm256_loadu_ps(y + e0), b1 = _mm256_loadu_ps(y + e1), b2 = _mm256_loadu_ps(y + e2), b3 = _mm256_loadu_ps(y + e3);
                    __m256 c0 = _mm256_loadu_ps(z + e0), c1 = _mm256_loadu_ps(z + e1), c2 = _mm256_loadu_ps(z + e2), c3 = _mm256_loadu_ps(z + e3);
                    Four(sums, 0 * te + e, a0, a0, a1, a1, a2, a2, a3, a3);
                    Four(sums, 1 * te + e, a0, b0, a1, b1, a2, b2, a3, b3);
                    Four(sums, 2 * te + e, a0, c0, a1, c1, a2, c2, a3, c3);
                    Four(sums, 3 * te + e, b0, b0, b1, b1, b2, b2, b3, b3);
                    Four(sums, 4 * te + e, c0, c0, c1, c1, c2, c2, c3, c3);
                    Four(sums, 5 * te + e, b0, c0, b1, c1, b2, c2, b3, c3);
                    AddTo(sums, 6 * te + e, _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
                    AddTo(sums, 7 * te + e, _mm256_add_ps(_mm256_add_ps(b0, b1), _mm256_add_ps(b2, b3)));
                    AddTo(sums, 8 * te + e, _mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)));
                    Apply(u, k, a0, b0, c0, x, z, e0);
                    Apply(u, k, a1, b1, c1, x, z, e1);
                    Apply(u, k, a2, b2, c2, x, z, e2);
                    Apply(u, k, a3, b3, c3, x, z, e3);
                }
            }
            for (; p < p1; p++)
            {
                long row = p * length + j0;
                for (long e = 0; e < count; e += 8)
                {
                    __m256 a = _mm256_loadu_ps(x + row + e), b = _mm256_loadu_ps(y + row + e), c = _mm256_loadu_ps(z + row + e);
                    _mm256_storeu_ps(sums + 0 * te + e, _mm256_fmadd_ps(a, a, _mm256_loadu_ps(sums + 0 * te + e)));
                    _mm256_storeu_ps(sums + 1 * te + e, _mm256_fmadd_ps(a, b, _mm256_loadu_ps(sums + 1 * te + e)));
                    _mm256_storeu_ps(sums + 2 * te + e, _mm256_fmadd_ps(a, c, _mm256_loadu_ps(sums + 2 * te + e)));
                    _mm256_storeu_ps(sums + 3 * te + e, _mm256_fmadd_ps(b, b, _mm256_loadu_ps(sums + 3 * te + e)));
                    _mm256_storeu_ps(sums + 4 * te + e, _mm256_fmadd_ps(c, c, _mm256_loadu_ps(sums + 4 * te + e)));
                    _mm256_storeu_ps(sums + 5 * te + e, _mm256_fmadd_ps(b, c, _mm256_loadu_ps(sums + 5 * te + e)));
                    AddTo(sums, 6 * te + e, a);
                    AddTo(sums, 7 * te + e, b);
                    AddTo(sums, 8 * te + e, c);
                    Apply(u, k, a, b, c, x, z, row + e);
                }
            }
            // The first block sets the totals (the caller need not clear them; 0 + x is x but for the sign of a zero, which
            // the fold into the cleared destination makes +0 either way), the later ones add.
            for (long m = 0; m < Width; m++)
                for (long e = 0; e < count; e += 8)
                {
                    __m256 lanes = _mm256_loadu_ps(sums + m * te + e);
                    double* t = totals + m * length + j0 + e;
                    __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(lanes)), hi = _mm256_cvtps_pd(_mm256_extractf128_ps(lanes, 1));
                    if (p0 == 0)
                    {
                        _mm256_storeu_pd(t, lo);
                        _mm256_storeu_pd(t + 4, hi);
                    }
                    else
                    {
                        _mm256_storeu_pd(t, _mm256_add_pd(_mm256_loadu_pd(t), lo));
                        _mm256_storeu_pd(t + 4, _mm256_add_pd(_mm256_loadu_pd(t + 4), hi));
                    }
                }
        }
    }
}
} // namespace

extern "C" {

/*
 * Long runs (post ≥ 16, post % 8 == 0): destination[i·9 + m] += moment m of index i over the pre blocks (the caller
 * clears it). threads ≥ 2 splits the indices over libtorch's OpenMP threads.
 */
void noether_moments_runs(float* x, const float* y, float* z, long pre, long rows, long post, double* destination,
                          const Update* update, int threads)
{
    const Update u = *update;
    const Vectors k(u);
#pragma omp parallel for num_threads(threads > 1 ? threads : 1) schedule(static) if (threads > 1)
    for (long i = 0; i < rows; i++)
        for (long p = 0; p < pre; p++)
        {
            long at = (p * rows + i) * post;
            Reduce(u, k, x + at, y + at, z + at, post, destination + i * Width);
        }
}

/*
 * Strip walk (rows·post % 8 == 0): totals[m·length + j] = moment m of element j of the [rows·post] blocks over the pre
 * blocks (set, not added: the caller folds it). threads ≥ 2 splits the tiles over libtorch's OpenMP threads.
 */
void noether_moments_strips(float* x, const float* y, float* z, long pre, long length, double* totals, const Update* update, int threads)
{
    const Update u = *update;
    const Vectors k(u);
    // Tiles of at most TileStrips strips, narrower where there are fewer tiles than threads (a 256 × 256 matrix is one
    // tile of 32 strips: two threads then take 16 each). Each element is summed over the pre blocks in the same order
    // whatever the tiles, so the tiling changes no bit.
    long strips = length / 8, n = threads > 1 ? threads : 1;
    long per = (strips + n - 1) / n, width = per < TileStrips ? (per > 0 ? per : 1) : TileStrips;
    long tiles = (strips + width - 1) / width;
#pragma omp parallel for num_threads(threads > 1 ? threads : 1) schedule(static) if (threads > 1)
    for (long t = 0; t < tiles; t++)
    {
        long first = t * width, end = first + width < strips ? first + width : strips;
        StripRange(u, k, x, y, z, pre, length, first, end, totals);
    }
}

/* 1 when this build's kernels run on this CPU (AVX2 and FMA). */
int noether_moments_supported() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1 : 0; }
}
