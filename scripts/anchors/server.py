"""The protocol the anchor servers (lapack.py, statespace.py, blas.py) speak, one JSON object per line.

The server first writes {"kernel": corename, "config": openblas config, "threads": OpenBLAS's thread count};
then for each request {"case": name, "reps": k} it writes {"case": name, "ms": [k times]}, or {"error": ...} for
a case it does not know. A case is built and run once (workspaces, plans) on its first request, before it is
timed. It exits at end of input.
"""
import json
import sys
import time

from openblas_info import openblas


def serve(build, known):
    """build(label) returns the case's function, or raises KeyError/ValueError for an unknown label."""
    kernel, config, threads = openblas()
    print(json.dumps({'kernel': kernel, 'config': config, 'threads': threads}), flush=True)
    cases = {}
    for line in sys.stdin:
        req = json.loads(line)
        label = req.get('case')
        try:
            if label not in cases:
                cases[label] = build(label)
                cases[label]()
        except (KeyError, ValueError, AttributeError):
            print(json.dumps({'error': f"unknown case {label!r}; known: {known}"}), flush=True)
            continue
        ms = []
        for _ in range(int(req.get('reps', 1))):
            t0 = time.perf_counter()
            cases[label]()
            ms.append((time.perf_counter() - t0) * 1e3)
        print(json.dumps({'case': label, 'ms': ms}), flush=True)
