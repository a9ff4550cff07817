/**
 * A vitest reporter that ends the run with why tests were skipped: one line per reason with a count.
 * The reason is read from the test's title, or the nearest enclosing suite's, as "(skipped: why)"
 * (harness's skipTitle writes it there); a skipped test without one is counted as "no reason given".
 */
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

const REASON = /\(skipped: (.*)\)\s*$/;

function reasonOf(t: TestCase): string {
  let node: TestCase | TestSuite | TestModule | undefined = t;
  while (node !== undefined && node.type !== 'module') {
    const m = REASON.exec(node.name);
    if (m !== null) return m[1];
    node = node.parent;
  }
  return 'no reason given';
}

export default class SkipReasons implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = new Map<string, number>();
    const unexplained: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        if (t.result().state !== 'skipped') continue;
        const why = reasonOf(t);
        counts.set(why, (counts.get(why) ?? 0) + 1);
        if (why === 'no reason given') unexplained.push(`${m.moduleId.replace(/^.*\/packages\//, '')}: ${t.fullName}`);
      }
    }
    if (counts.size === 0) return;
    const lines = [...counts].sort((a, b) => b[1] - a[1]).map(([why, n]) => `  ${String(n).padStart(4)}  ${why}`);
    // A skip should say why: name a few that do not.
    lines.push(...unexplained.slice(0, 3).map((name) => `        (no reason: ${name})`));
    process.stdout.write(`\nSkipped tests, by reason:\n${lines.join('\n')}\n`);
  }
}
