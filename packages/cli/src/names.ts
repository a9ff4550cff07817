/** Names close to one the user typed, for 'did you mean' lists in usage errors. */

/** Edit distance, for suggesting names close to a filter that matched nothing. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/** The names nearest to `query`: those containing its words first, then by edit distance of the last path part. */
export function closestNames(names: readonly string[], query: string, count = 5): string[] {
  const q = query.replace(/[*?]/g, '').toLowerCase();
  const score = (n: string) => {
    const lower = n.toLowerCase();
    const tail = lower.slice(lower.lastIndexOf('/') + 1);
    return (q !== '' && lower.includes(q) ? 0 : 1000) + Math.min(distance(q, tail), distance(q, lower));
  };
  return [...new Set(names)].sort((a, b) => score(a) - score(b) || a.localeCompare(b)).slice(0, count);
}
