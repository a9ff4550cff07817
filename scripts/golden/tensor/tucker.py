"""The tensor/tucker golden; the family's conventions are in common.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import lowrank_rng
from golden_store import GoldenCase, generated
from common import mode_product

SCRIPT = 'scripts/golden/tensor/tucker.py'


def tucker_case(root):
    g = GoldenCase(root, 'tensor', 'tucker', 'n-mode products in every mode and the Tucker reconstruction, by numpy.einsum', SCRIPT)
    for j, (shape, ranks) in enumerate((((2, 3, 4), (1, 2, 2)), ((5, 4, 3, 2), (3, 2, 3, 1)), ((32, 32, 3, 3), (4, 4, 2, 2)))):
        x, rx = generated(shape, seed=9950 + j, stream=0)
        core, rc = generated(ranks, seed=9950 + j, stream=1)
        inputs = {'x': (x, rx), 'core': (core, rc)}
        outputs = {}
        recon = core
        for k, (n, r) in enumerate(zip(shape, ranks)):
            a, ra = generated((n, r), seed=9950 + j, stream=2 + k)  # factor A_k (n_k x r_k)
            b, rb = generated((r, n), seed=9950 + j, stream=10 + k)  # a J x n_k matrix for the mode product of x
            inputs[f'a{k}'] = (a, ra)
            inputs[f'b{k}'] = (b, rb)
            outputs[f'mode{k}'] = mode_product(x, b, k)
            recon = mode_product(recon, a, k)
        outputs['tucker'] = recon
        g.add('x'.join(map(str, shape)) + '-r' + 'x'.join(map(str, ranks)), {'shape': list(shape), 'ranks': list(ranks)}, inputs, outputs)
    g.write()


if __name__ == '__main__':
    lowrank_rng.check_kat()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'golden')
    tucker_case(root)
