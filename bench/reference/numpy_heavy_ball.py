#!/usr/bin/python3
"""NumPy side of `noether bench --suite integrators`: heavy-ball steps per second on a scale-invariant toy model.

Model (the C# side uses NoetherTheory.Numerics' `rayleigh` model with the same data): the Rayleigh quotient
  f(q) = 1/2 q^T diag(a) q / |q|^2,  gradient g = (a*q - rho*q) / |q|^2,  rho = q^T diag(a) q / |q|^2,
with a_i = 1 + i/d and q0_i = 1 + (i mod 7)/7. Heavy ball in PyTorch's form: buf_1 = g_0, buf <- beta*buf + g, q <- q - lr*buf.
The loop is written the way one writes a fast NumPy loop: preallocated buffers and in-place ufuncs with out=, one
BLAS dot per reduction. Each repeat restarts from q0 and times `steps` steps; the best repeat is reported.
Usage: numpy_heavy_ball.py d steps lr beta [repeats]. Prints one JSON object. Run with Debian's /usr/bin/python3.
"""
import json
import sys
import time

try:
    import numpy as np
except ImportError as e:  # the C# side reports "NumPy not available"
    print(f'numpy is not importable: {e}', file=sys.stderr)
    sys.exit(3)


def run(a, q0, steps, lr, beta):
    q = q0.copy()
    buf = np.empty_like(q)
    aq = np.empty_like(q)
    g = np.empty_like(q)
    for n in range(steps):
        r2 = q @ q
        np.multiply(a, q, out=aq)
        rho = 2 * (0.5 * (aq @ q) / r2)
        np.multiply(q, rho, out=g)
        np.subtract(aq, g, out=g)
        g /= r2
        if n == 0:
            buf[:] = g
        else:
            buf *= beta
            buf += g
        np.multiply(buf, lr, out=g)
        q -= g
    return q


def main(d, steps, lr, beta, repeats):
    i = np.arange(d, dtype=np.float64)
    a = 1 + i / d
    q0 = 1 + (np.arange(d) % 7) / 7.0
    run(a, q0, min(steps, 200), lr, beta)  # warm-up
    best = float('inf')
    q = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        q = run(a, q0, steps, lr, beta)
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({'d': d, 'steps': steps, 'seconds': best, 'steps_per_s': steps / best,
                      'numpy': np.__version__, 'q_final': [float(v) for v in q]}))


if __name__ == '__main__':
    main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]),
         int(sys.argv[5]) if len(sys.argv) > 5 else 3)
