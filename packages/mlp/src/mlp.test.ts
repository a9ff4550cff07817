/** The MLP autodiff on every backend: against numpy's complex-step Hessian (golden), and its identities. */
import { createRefBackend } from '@lowrank/backend-ref';
import { fillRandom } from '@lowrank/core';
import { familySuite } from '@lowrank/harness/vitest';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Adam, cases, gaussianMixture, initialParameters, Mlp } from './index.ts';

const GOLDEN = fileURLToPath(new URL('../../../golden', import.meta.url));

describe('MLP autodiff identities (reference backend)', () => {
  const widths = [3, 5, 4, 3];
  const data = gaussianMixture(9, 3, 3, 2, 7);

  it('per-sample gradients average to the gradient', async () => {
    const net = await Mlp.create(createRefBackend(), 'f64', widths, data.x, data.labels);
    await net.setParameters(initialParameters(widths, 1));
    const { grad } = await net.gradient();
    const rows = await net.perSampleGradients();
    for (let j = 0; j < net.parameters; j++) {
      let mean = 0;
      for (let i = 0; i < 9; i++) mean += rows[i * net.parameters + j] / 9;
      expect(mean).toBeCloseTo(grad[j], 14);
    }
    net.dispose();
  });

  it('the input gradient matches central differences of the loss; probabilities are the softmax rows', async () => {
    const net = await Mlp.create(createRefBackend(), 'f64', widths, data.x, data.labels);
    await net.setParameters(initialParameters(widths, 2));
    const { grad, dx } = await net.gradientWithInput();
    expect(Array.from(grad)).toEqual(Array.from((await net.gradient()).grad));
    const h = 1e-6;
    for (const e of [0, 4, 13, 26]) {
      const at = async (delta: number) => {
        const x = Float64Array.from(data.x);
        x[e] += delta;
        await net.setBatch(x, data.labels);
        return net.loss();
      };
      expect(dx[e]).toBeCloseTo(((await at(h)) - (await at(-h))) / (2 * h), 8);
    }
    await net.setBatch(data.x, data.labels);
    const probs = await net.probabilities();
    for (let i = 0; i < 9; i++) expect(probs[3 * i] + probs[3 * i + 1] + probs[3 * i + 2]).toBeCloseTo(1, 14);
    net.dispose();
  });

  it('Adam on parameters in parts steps as on their concatenation, and names a length mismatch', () => {
    const whole = Float64Array.of(1, -2, 3, 0.5, 4),
      grad = Float64Array.of(0.3, -1, 2, 0, 5);
    const left = whole.slice(0, 2),
      right = whole.slice(2);
    const one = new Adam(5, 0.1),
      two = new Adam(5, 0.1);
    for (let t = 0; t < 3; t++) {
      one.step(whole, grad);
      two.stepParts([left, right], [grad.subarray(0, 2), grad.subarray(2)]);
    }
    expect([...left, ...right]).toEqual([...whole]);
    expect(() => two.stepParts([left], [grad.subarray(0, 2)])).toThrow(/2 parameters for an optimizer made for 5/);
    expect(() => two.stepParts([left, right], [grad, grad])).toThrow(/a gradient of its length/);
  });

  it('Adam lowers the loss of a separable mixture to near zero', async () => {
    const net = await Mlp.create(createRefBackend(), 'f64', widths, data.x, data.labels);
    const theta = initialParameters(widths, 1);
    const adam = new Adam(theta.length, 0.05);
    await net.setParameters(theta);
    const first = await net.loss();
    for (let t = 0; t < 200; t++) {
      adam.step(theta, (await net.gradient()).grad);
      await net.setParameters(theta);
    }
    expect(await net.loss()).toBeLessThan(first / 100);
    net.dispose();
  });

  it('the feature-matching gradient matches central differences of Σ‖H_l − T_l‖²/N', async () => {
    const net = await Mlp.create(createRefBackend(), 'f64', widths, data.x, data.labels);
    const theta = initialParameters(widths, 2);
    const targets = [
      fillRandom({ seed: 5, stream: 0 }, 'normal', 'f64', 9 * 5) as Float64Array,
      fillRandom({ seed: 5, stream: 1 }, 'normal', 'f64', 9 * 4) as Float64Array,
    ];
    await net.setParameters(theta);
    const { grad } = await net.featureMatchGradient(targets);
    const lossAt = async (t: Float64Array) => {
      await net.setParameters(t);
      return (await net.featureMatchGradient(targets)).loss;
    };
    for (let j = 0; j < theta.length; j += 3) {
      const up = Float64Array.from(theta),
        down = Float64Array.from(theta);
      up[j] += 1e-6;
      down[j] -= 1e-6;
      const fd = ((await lossAt(up)) - (await lossAt(down))) / 2e-6;
      expect(Math.abs(grad[j] - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
    await expect(net.featureMatchGradient([targets[0]])).rejects.toThrow(/1 feature targets for 2 hidden layers/);
    net.dispose();
  });

  it('a batch of the same size replaces the data; accuracy counts the argmax hits', async () => {
    const net = await Mlp.create(createRefBackend(), 'f64', widths, data.x, data.labels);
    await net.setParameters(initialParameters(widths, 1));
    const before = await net.loss();
    const other = gaussianMixture(9, 3, 3, 2, 8);
    await net.setBatch(other.x, other.labels);
    expect(await net.loss()).not.toBe(before);
    const acc = await net.accuracy();
    expect(acc * 9).toBeCloseTo(Math.round(acc * 9), 12);
    await expect(net.setBatch(other.x.subarray(3), other.labels.subarray(1))).rejects.toThrow(
      /a batch of 8 samples for a network made for 9/,
    );
    expect(Array.from(await net.layerInput(0))).toEqual(Array.from(other.x));
    expect((await net.layerInput(1)).length).toBe(9 * 5);
    await expect(net.layerInput(3)).rejects.toThrow(/layer 3 is not in \[0, 3\)/);
    net.dispose();
  });

  it("the 'mse' head: gradient and Hessian-vector product match central differences; targets are checked", async () => {
    const be = createRefBackend();
    const targets = fillRandom({ seed: 5, stream: 1 }, 'normal', 'f64', 9 * 3);
    const net = await Mlp.create(be, 'f64', widths, data.x, targets, { head: 'mse' });
    const theta = initialParameters(widths, 3);
    await net.setParameters(theta);
    const { loss, grad } = await net.gradient();
    const v = fillRandom({ seed: 5, stream: 2 }, 'normal', 'f64', net.parameters);
    const hv = await net.curvatureProduct(v);
    const h = 1e-5;
    const along = async (t: number) => {
      await net.setParameters(theta.map((x, i) => x + t * v[i]));
      return net.gradient();
    };
    const [plus, minus] = [await along(h), await along(-h)];
    expect(grad.reduce((s, g, i) => s + g * v[i], 0)).toBeCloseTo((plus.loss - minus.loss) / (2 * h), 7);
    for (const j of [0, 7, 30, 58]) expect(hv[j]).toBeCloseTo((plus.grad[j] - minus.grad[j]) / (2 * h), 6);
    expect(loss).toBeGreaterThan(0);
    await expect(net.probabilities()).rejects.toThrow(/need the softmax head, not 'mse'/);
    await expect(Mlp.create(be, 'f64', widths, data.x, targets.subarray(1), { head: 'mse' })).rejects.toThrow(
      /26 targets is not a whole number of samples of 3 outputs/,
    );
    await expect(
      Mlp.create(
        be,
        'f64',
        widths,
        data.x,
        Float64Array.from(targets, (t, i) => (i === 2 ? Infinity : t)),
        {
          head: 'mse',
        },
      ),
    ).rejects.toThrow(/target 2 is Infinity/);
    net.dispose();
  });

  it('bad input is named: shapes, labels, non-finite values, missing parameters', async () => {
    const be = createRefBackend();
    await expect(Mlp.create(be, 'f64', [3], data.x, data.labels)).rejects.toThrow(/at least two positive integers/);
    await expect(Mlp.create(be, 'f64', widths, data.x.subarray(1), data.labels)).rejects.toThrow(
      /26 values but 9 samples × 3 inputs/,
    );
    await expect(Mlp.create(be, 'f64', widths, data.x, [0, 1, 2, 3, 0, 1, 2, 0, 1])).rejects.toThrow(/label 3 is 3/);
    await expect(
      Mlp.create(
        be,
        'f64',
        widths,
        Float64Array.from(data.x, (v, i) => (i === 4 ? NaN : v)),
        data.labels,
      ),
    ).rejects.toThrow(/x\[4\] is NaN/);
    const net = await Mlp.create(be, 'f64', widths, data.x, data.labels);
    await expect(net.loss()).rejects.toThrow(/no parameters set/);
    await expect(net.setParameters([1, 2])).rejects.toThrow(/θ has 2 values, the network 59/);
    await net.setParameters(initialParameters(widths, 1));
    await expect(net.curvatureProduct([1])).rejects.toThrow(/v has 1 values/);
    net.dispose();
  });
});

await familySuite({
  family: 'mlp',
  cases,
  goldenRoot: GOLDEN,
  bench: { sizes: [8], accuracyBelow: { f64: 1000, f32: 1000 } },
});
