"""Writes one golden case: manifest.json (schema: golden/schema.json) plus data.bin (float64, little-endian).

Inputs drawn from the shared PRNG are not stored, only their recipe and the sha256 of the values, so
that the TypeScript side regenerates them and proves its generator agrees; everything else is stored.
Files are written to a temporary name and renamed, so an interrupted run leaves the old golden intact.
"""
import datetime
import hashlib
import json
import os
import platform
import sys

import numpy as np
import scipy

import lowrank_rng

SCHEMA_VERSION = 1


def _sha256(a):
    return hashlib.sha256(np.ascontiguousarray(a, dtype='<f8').tobytes()).hexdigest()


def generated(shape, seed, stream, dist='normal', scale=1.0, shift=0.0, round_to='f32', offset=0):
    """An input from the PRNG: draw * scale + shift, then rounded to float32 or float16 (once, to nearest even)."""
    count = int(np.prod(shape)) if len(shape) else 1
    v = lowrank_rng.draw(seed, stream, dist, count, offset) * scale + shift
    if round_to in ('f32', 'f16'):
        v = v.astype(np.float32 if round_to == 'f32' else np.float16).astype(np.float64)
    recipe = {'dist': dist, 'seed': seed, 'stream': stream, 'offset': offset, 'scale': scale, 'shift': shift, 'round': round_to}
    return v.reshape(shape), recipe


def blas_info():
    """The BLAS/LAPACK library Debian's alternatives resolve to (OpenBLAS or the reference netlib build)."""
    libs = [os.path.realpath(f'/usr/lib/{d}/{name}') for d in ('x86_64-linux-gnu', 'aarch64-linux-gnu')
            for name in ('libblas.so.3', 'liblapack.so.3') if os.path.exists(f'/usr/lib/{d}/{name}')]
    return ' '.join(libs) or 'unknown'


class GoldenCase:
    def __init__(self, root, family, case, description, script):
        self.dir = os.path.join(root, family, case)
        self.family, self.case, self.description, self.script = family, case, description, script
        self.entries = []
        self.blob = bytearray()

    def _stored(self, a):
        a = np.ascontiguousarray(a, dtype='<f8')
        spec = {'shape': list(a.shape), 'offset': len(self.blob), 'sha256': _sha256(a)}
        self.blob += a.tobytes()
        return spec

    def add(self, entry_id, params, inputs, outputs, dtypes=('f32', 'f64')):
        """inputs: name -> (array, recipe or None); outputs: name -> array (stored)."""
        ins = {}
        for name, (a, recipe) in inputs.items():
            if recipe is None:
                ins[name] = self._stored(a)
            else:
                ins[name] = {'shape': list(np.shape(a)), 'generated': recipe, 'sha256': _sha256(a)}
        outs = {name: self._stored(a) for name, a in outputs.items()}
        self.entries.append({'id': entry_id, 'params': params, 'dtypes': list(dtypes), 'inputs': ins, 'outputs': outs})

    def write(self):
        os.makedirs(self.dir, exist_ok=True)
        manifest = {
            'schemaVersion': SCHEMA_VERSION,
            'family': self.family,
            'case': self.case,
            'description': self.description,
            'generator': {
                'script': self.script,
                'python': platform.python_version(),
                'numpy': np.__version__,
                'scipy': scipy.__version__,
                'blas': blas_info(),
                'executable': sys.executable,
            },
            'created': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
            'dataFile': 'data.bin',
            'dataBytes': len(self.blob),
            'entries': self.entries,
        }
        for name, payload, mode in (('data.bin', bytes(self.blob), 'wb'),
                                    ('manifest.json', json.dumps(manifest, indent=1) + '\n', 'w')):
            path = os.path.join(self.dir, name)
            with open(path + '.tmp', mode) as f:
                f.write(payload)
            os.replace(path + '.tmp', path)
        print(f'{self.family}/{self.case}: {len(self.entries)} entries, {len(self.blob)} bytes')
