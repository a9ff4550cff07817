import { describe, expect, it } from 'vitest';
import { createProgress, yieldToEventLoop } from './progress.ts';

describe('progress', () => {
  it('in a log: one line per phase start and end, one per finished item, counting finished items', () => {
    const out: string[] = [];
    const p = createProgress({ write: (s) => out.push(s) }, 'plain');
    p.start(2, 'verify');
    p.item('a');
    p.step('seed 1');
    p.note('FAIL a');
    p.item('b');
    p.finish();
    expect(out.map((l) => l.replace(/\d+\.\d s/g, 'T'))).toEqual([
      'verify: 2 items\n',
      'FAIL a\n',
      '[1/2] verify a T\n',
      '[2/2] verify b T\n',
      'verify: 2 of 2 done in T\n',
    ]);
  });

  it('on a terminal: the line shows what the current item is doing, and a timer keeps redrawing it', async () => {
    const out: string[] = [];
    const p = createProgress({ isTTY: true, write: (s) => out.push(s) });
    p.start(3, 'claims');
    p.item('S27');
    p.step('seed 2');
    // eslint-disable-next-line no-control-regex -- the ANSI erase-line escape is what the progress line writes
    expect(out.at(-1)).toMatch(/^\r\x1b\[2K\[0\/3\] claims S27 · seed 2 \(0\.\d s\) · 0\.\d s$/);
    const drawn = out.length;
    await new Promise((r) => setTimeout(r, 1100));
    expect(out.length).toBeGreaterThan(drawn);
    p.finish();
    expect(out.at(-1)).toMatch(/claims: 1 of 3 done in /);
    const after = out.length;
    await new Promise((r) => setTimeout(r, 1100));
    expect(out.length).toBe(after);
  });

  it('yieldToEventLoop lets a timer fire inside a loop of awaited work', async () => {
    let fired = false;
    setTimeout(() => {
      fired = true;
    }, 0);
    for (let i = 0; i < 3 && !fired; i++) await yieldToEventLoop();
    expect(fired).toBe(true);
  });
});
