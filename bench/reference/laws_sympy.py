#!/usr/bin/python3
"""SymPy side of `noether bench --suite laws` (the reference the C# engine is compared with).

For one network (argv: linear|relu, comma-separated widths, bias|nobias, degree) it runs the same algorithm as
NoetherTheory.Laws (theory/06-conservation-laws.md), written the way a SymPy user would, and prints one JSON object:
  phi: entries of U_L...U_1 (linear) or the path products (ReLU, bias paths included with biases), as Poly over QQ;
  fields V_i = grad phi_i; V_{k+1} = V_k + [V_0, V_k], each bracket reduced against the span of all fields so far
  (sparse echelon over QQ on the coefficients), rank at 2 random integer points (DomainMatrix over QQ) after each layer,
  stopping when the rank reaches D, no new field appears, or a layer leaves the rank unchanged;
  laws of degree 1..k: the nullspace (DomainMatrix over QQ) of the coefficient conditions <grad h, grad phi_i> = 0;
  each law checked by Poly arithmetic; functional independence by the Jacobian rank at a random point.
Exact over QQ throughout (the C# engine takes ranks modulo 2^61-1); both report the count D - rank.
Run with Debian's /usr/bin/python3 (python3-sympy).
"""
import json
import random
import sys
import time

try:
    import sympy as sp
    from sympy import QQ
    from sympy.polys.matrices import DomainMatrix
except ImportError as e:  # the C# side reports "SymPy not available"
    print(f'sympy is not importable: {e}', file=sys.stderr)
    sys.exit(3)


def network(kind, widths, bias):
    names, weights, biases = [], [], []
    for l in range(1, len(widths)):
        w = [[None] * widths[l - 1] for _ in range(widths[l])]
        for i in range(widths[l]):
            for j in range(widths[l - 1]):
                w[i][j] = sp.Symbol(f'U{l}[{i},{j}]')
                names.append(w[i][j])
        weights.append(w)
    if bias:
        for l in range(1, len(widths)):
            b = [sp.Symbol(f'b{l}[{i}]') for i in range(widths[l])]
            names.extend(b)
            biases.append(b)
    if kind == 'linear':
        prod = sp.Matrix(weights[0])
        for w in weights[1:]:
            prod = sp.Matrix(w) * prod
        comps = [sp.expand(e) for e in prod]
    else:
        comps = []
        starts = [0] + (list(range(1, len(widths))) if bias else [])
        for s in starts:
            ends = [(j, sp.Integer(1)) for j in range(widths[0])] if s == 0 else \
                [(i, biases[s - 1][i]) for i in range(widths[s])]
            for l in range(s + 1, len(widths)):
                ends = [(i, weights[l - 1][i][u] * p) for (u, p) in ends for i in range(widths[l])]
            comps.extend(p for (_, p) in ends)
    return names, comps


def to_dict(field):
    d = {}
    for k, p in enumerate(field):
        for monom, c in p.terms():
            if c != 0:
                d[(k, monom)] = QQ.convert(c)
    return d


class Span:
    """Sparse echelon basis (pivot = largest key) of fields as coefficient vectors over QQ."""

    def __init__(self):
        self.basis = {}

    def add(self, field):
        v = to_dict(field)
        while v:
            key = max(v)
            b = self.basis.get(key)
            if b is None:
                inv = QQ.one / v[key]
                v = {k: c * inv for k, c in v.items()}
                self.basis[key] = v
                return True
            f = v[key]
            for k, c in b.items():
                x = v.get(k, QQ.zero) - f * c
                if x:
                    v[k] = x
                else:
                    v.pop(k, None)
        return False


def bracket(u, v, xs):
    """[u, v]_k = sum_j u_j d_j v_k - v_j d_j u_k (zero components skipped)."""
    zero = sp.Poly(0, *xs, domain=QQ)
    out = []
    for k in range(len(xs)):
        acc = zero
        for j, x in enumerate(xs):
            if not u[j].is_zero and not v[k].is_zero:
                acc = acc + u[j] * v[k].diff(x)
            if not v[j].is_zero and not u[k].is_zero:
                acc = acc - v[j] * u[k].diff(x)
        out.append(acc)
    return out


def value(p, point):
    s = QQ.zero
    for monom, c in p.terms():
        t = QQ.convert(c)
        for x, e in zip(point, monom):
            if e:
                t *= x ** e
        s += t
    return s


def rank(rows, d):
    if not rows:
        return 0
    return DomainMatrix([list(r) for r in rows], (len(rows), d), QQ).rank()


def lie_rank(xs, comps, rng):
    d = len(xs)
    points = [[QQ(rng.randint(-2**20, 2**20)) for _ in range(d)] for _ in range(2)]
    span = Span()
    gens, values = [], [[], []]

    def record(f):
        for s in range(2):
            values[s].append([value(p, points[s]) for p in f])

    for c in comps:
        g = [sp.Poly(c, *xs, domain=QQ).diff(x) for x in xs]
        if span.add(g):
            gens.append(g)
            record(g)
    cur = lambda: max(rank(values[s], d) for s in range(2))
    by_depth = [cur()]
    layer, depth = list(gens), 0
    while True:
        if by_depth[-1] == d or not layer:
            break
        nxt = []
        for i in range(len(gens)):
            for j in range(i + 1 if depth == 0 else 0, len(layer)):
                b = bracket(gens[i], layer[j], xs)
                if span.add(b):
                    nxt.append(b)
                    record(b)
        depth += 1
        by_depth.append(cur())
        layer = nxt
        if by_depth[-1] == by_depth[-2] and nxt:
            break
    return by_depth[-1], by_depth


def laws(xs, comps, degree):
    d = len(xs)
    monos = []
    for k in range(1, degree + 1):
        monos.extend(sorted(sp.itermonomials(xs, k, k), key=sp.default_sort_key))
    cols = {m: i for i, m in enumerate(monos)}
    rows = []
    grads = [[sp.Poly(c, *xs, domain=QQ).diff(x) for x in xs] for c in comps]
    for g in grads:
        acc = {}
        for u, m in enumerate(monos):
            pm = sp.Poly(m, *xs, domain=QQ)
            for j, x in enumerate(xs):
                if g[j].is_zero:
                    continue
                dm = pm.diff(x)
                if dm.is_zero:
                    continue
                for monom, c in (dm * g[j]).terms():
                    row = acc.setdefault(monom, {})
                    row[u] = row.get(u, QQ.zero) + QQ.convert(c)
        rows.extend({k: v for k, v in r.items() if v} for r in acc.values())
    rows = [r for r in rows if r]
    if not rows:
        basis = [[QQ.one if i == u else QQ.zero for i in range(len(monos))] for u in range(len(monos))]
    else:
        m = DomainMatrix({i: r for i, r in enumerate(rows)}, (len(rows), len(monos)), QQ)
        basis = m.nullspace().to_Matrix().tolist()
    polys = [sp.Poly(sum(sp.sympify(c) * monos[i] for i, c in enumerate(v) if c), *xs, domain=QQ) for v in basis]
    return polys, grads


def main(kind, widths, bias, degree):
    rng = random.Random(20231210)
    t0 = time.perf_counter()
    xs, comps = network(kind, widths, bias)
    r, by_depth = lie_rank(xs, comps, rng)
    t1 = time.perf_counter()
    polys, grads = laws(xs, comps, degree)
    t2 = time.perf_counter()
    verified = all(
        sum((h.diff(x) * g[j] for j, x in enumerate(xs)), sp.Poly(0, *xs, domain=QQ)).is_zero
        for h in polys for g in grads)
    point = [QQ(rng.randint(-2**20, 2**20)) for _ in xs]
    jac = [[value(h.diff(x), point) for x in xs] for h in polys]
    independent = rank(jac, len(xs))
    t3 = time.perf_counter()
    name = f"{kind}:{','.join(map(str, widths))}" + (",bias" if bias else "")
    print(json.dumps({
        'model': name, 'parameters': len(xs), 'rank': r, 'rank_by_depth': by_depth, 'count': len(xs) - r,
        'laws': len(polys), 'independent': independent, 'verified': bool(verified),
        'total_s': t3 - t0, 'stages': {'lie_s': t1 - t0, 'kernel_s': t2 - t1, 'check_s': t3 - t2},
        'sympy': sp.__version__,
    }))


if __name__ == '__main__':
    if len(sys.argv) != 5 or sys.argv[1] not in ('linear', 'relu') or sys.argv[3] not in ('bias', 'nobias'):
        print('usage: laws_sympy.py linear|relu n0,n1,...,nL bias|nobias degree', file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], [int(w) for w in sys.argv[2].split(',')], sys.argv[3] == 'bias', int(sys.argv[4]))
