#!/usr/bin/python3
"""SymPy side of `noether bench --suite symbolic` (the reference the C# engine is compared with).

For one n it runs the core derivation of issue 2 the way an expert SymPy user would, times each stage, and
prints one JSON object on stdout:
  L = exp(t/tau) (m/2 sum qdot_i^2 - V(q)),  V scale-invariant (see scale_invariant_potential);
  Euler-Lagrange with the total time derivative on the jet (q, qdot, qddot, t);
  linear_eq_to_matrix + LUsolve for qddot;
  scale charge Q = sum dL/dqdot_i q_i and the on-shell check dQ/dt - exp(t/tau) m |qdot|^2 == 0 by together + expand;
  lambdify(..., cse=True) of the right-hand side, and the time of one call (best of repeated timeit runs).
Run with Debian's /usr/bin/python3 (python3-sympy 1.11).
"""
import json
import sys
import time
import timeit

try:
    import sympy as sp
except ImportError as e:  # the C# side reports "SymPy not available"
    print(f'sympy is not importable: {e}', file=sys.stderr)
    sys.exit(3)


def scale_invariant_potential(q):
    n = len(q)
    r2 = sum(qi**2 for qi in q)
    v = sum((q[i]**2 / r2 - sp.Rational(1, i + 2))**2 for i in range(n))
    v += sum(q[i] * q[(i + 1) % n] / r2 for i in range(n))
    return v


def main(n):
    stages = {}
    t0 = time.perf_counter()
    t, tau, m = sp.symbols('t tau m', positive=True)
    q = sp.symbols(f'q0:{n}', real=True)
    qd = sp.symbols(f'qdot0:{n}', real=True)
    qdd = sp.symbols(f'qddot0:{n}', real=True)
    lag = sp.exp(t / tau) * (m / 2 * sum(v**2 for v in qd) - scale_invariant_potential(q))

    def total_dt(expr):
        return (sp.diff(expr, t)
                + sum(sp.diff(expr, q[j]) * qd[j] for j in range(n))
                + sum(sp.diff(expr, qd[j]) * qdd[j] for j in range(n)))

    el = [total_dt(sp.diff(lag, qd[i])) - sp.diff(lag, q[i]) for i in range(n)]
    stages['euler_lagrange_s'] = time.perf_counter() - t0

    t1 = time.perf_counter()
    mass, forcing = sp.linear_eq_to_matrix(el, qdd)
    sol = mass.LUsolve(forcing)
    stages['solve_s'] = time.perf_counter() - t1

    t2 = time.perf_counter()
    charge = sum(sp.diff(lag, qd[i]) * q[i] for i in range(n))
    dq = total_dt(charge).subs({qdd[i]: sol[i] for i in range(n)}, simultaneous=True)
    residual = dq - sp.exp(t / tau) * m * sum(v**2 for v in qd)
    num, _ = sp.fraction(sp.together(residual))
    verified = sp.expand(num) == 0
    stages['charge_check_s'] = time.perf_counter() - t2

    t3 = time.perf_counter()
    args = list(q) + list(qd) + [t, m, tau]
    rhs = sp.lambdify(args, list(sol), modules='math', cse=True)
    stages['compile_s'] = time.perf_counter() - t3
    total = time.perf_counter() - t0

    import random
    rng = random.Random(1)
    point = [rng.uniform(0.5, 1.5) for _ in range(2 * n)] + [0.3, 0.05, 0.5]
    number = 2000
    call = min(timeit.repeat(lambda: rhs(*point), number=number, repeat=5)) / number
    print(json.dumps({'n': n, 'verified': bool(verified), 'total_s': total, 'rhs_call_s': call,
                      'stages': stages, 'sympy': sp.__version__,
                      'rhs_at_point': [float(v) for v in rhs(*point)], 'point': point}))


if __name__ == '__main__':
    main(int(sys.argv[1]))
