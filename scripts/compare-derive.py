#!/usr/bin/env python3
"""Compares two `noether derive --all --format json` documents in every proven quantity.

Ignored (display only, or new in #17): an expression's "pretty", "prettyLatex", "prettyCheck"; a derivation's
"glossary"; the wording fields law.statement, law.overdamped, adaptive.law, adaptive.assumptions, adaptive.rmsProp;
"elapsedSeconds"; and the evidence text of a verdict whose zero test is NonZero (its witness point now lies inside the
declared hyperparameter domains; the verdict's outcome and zero-test kind are still compared).
Everything else must be equal: canonical text and LaTeX of every expression, generators, equations of motion,
verdict outcomes, every identity check (name, statement, holds, zero-test kind, evidence, bound), laws, Green's
functions, the r^4 law's expressions, accumulators and model laws."""
import json, sys

DISPLAY_KEYS = {"pretty", "prettyLatex", "prettyCheck"}
WORDING = {("law", "statement"), ("law", "overdamped"), ("adaptive", "law"), ("adaptive", "assumptions"), ("adaptive", "rmsProp")}

def strip(node, path=()):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k in DISPLAY_KEYS or k == "elapsedSeconds": continue
            if k == "glossary" and len(path) >= 1 and path[-1] == "results[]": continue
            if len(path) >= 1 and (path[-1], k) in WORDING: continue
            out[k] = strip(v, path + (k,))
        if path and path[-1] == "verdicts[]" and isinstance(out.get("zeroTest"), dict) and out["zeroTest"].get("kind") == "NonZero":
            out["zeroTest"] = {**out["zeroTest"], "evidence": "<NonZero witness: not compared>"}
        return out
    if isinstance(node, list):
        return [strip(x, path[:-1] + (path[-1] + "[]",) if path else ("[]",)) for x in node]
    return node

def diff(a, b, path="$", out=None):
    out = [] if out is None else out
    if type(a) != type(b): out.append(f"{path}: type {type(a).__name__} != {type(b).__name__}"); return out
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b: out.append(f"{path}.{k}: only in {'new' if k in b else 'baseline'}")
            else: diff(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, list):
        if len(a) != len(b): out.append(f"{path}: length {len(a)} != {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)): diff(x, y, f"{path}[{i}]", out)
    elif a != b: out.append(f"{path}: {str(a)[:120]!r} != {str(b)[:120]!r}")
    return out

base, new = (json.load(open(p)) for p in sys.argv[1:3])
d = diff(strip(base), strip(new))
nonzero = sum(1 for r in new["results"] for v in r["verdicts"] if (v.get("zeroTest") or {}).get("kind") == "NonZero")
checks = sum(len(r["checks"]) for r in new["results"])
print(f"{len(new['results'])} derivations, {checks} identity checks, {nonzero} NonZero verdict witnesses not compared; {len(d)} differences")
for line in d[:40]: print("  " + line)
sys.exit(1 if d else 0)
