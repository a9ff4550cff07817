// Writes assembly/index.ts from the ABI table (src/abi.ts, built): `npm run abi:exports`.
import { writeFileSync } from 'node:fs';
import { PRIMITIVES } from '@lowrank/core';
import { assemblyIndex } from '../dist/abi.js';

writeFileSync(new URL('../assembly/index.ts', import.meta.url), assemblyIndex(PRIMITIVES));
