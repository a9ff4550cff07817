import { createWebGpuBackend } from '@lowrank/backend-webgpu';
import { createRefBackend } from '@lowrank/backend-ref';
import { hostTensor, ops } from '@lowrank/core';
import { readFileSync } from 'node:fs';
import { chebCoefficients, modeCross } from './dist/index.js';
const m = JSON.parse(readFileSync('golden/tensor/cheb-tucker/manifest.json'));
const bin = readFileSync('golden/tensor/cheb-tucker/data.bin');
const e = m.entries.find((e) => e.id === 'newton-8-beta2-n16');
const arr = (spec) => new Float64Array(bin.buffer.slice(bin.byteOffset + spec.offset, bin.byteOffset + spec.offset + 8 * spec.shape.reduce((a, b) => a * b, 1)));
const c = arr(e.outputs.coefficients);
const ref = createRefBackend();
const n = 17;
const g = await modeCross(ref, await ref.upload(hostTensor('f64', [n*n*n], c)), [n,n,n], await ref.upload(hostTensor('f64', [n*n*n], c)), [n,n,n], 0);
const gram = (await ref.download(g)).data;
const ev = await ops.syev(ref, g, { valuesOnly: true });
console.log('ref eig', Array.from((await ref.download(ev.values)).data).map(v=>v.toExponential(2)).join(' '));
const be = await createWebGpuBackend();
try { const r = await ops.syev(be, await be.upload(hostTensor('f32', [n,n], gram)), { valuesOnly: true }); console.log('gpu', Array.from((await be.download(r.values)).data).map(v=>v.toExponential(2)).join(' ')); } catch (err) { console.log('gpu error', err.message); }
const scaled = gram.map(v => v / gram[0]);
try { const r = await ops.syev(be, await be.upload(hostTensor('f32', [n,n], scaled)), { valuesOnly: true }); console.log('gpu scaled', Array.from((await be.download(r.values)).data).map(v=>v.toExponential(2)).join(' ')); } catch (err) { console.log('gpu scaled error', err.message); }
await be.close?.();
