import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';

/** A stream that records what is written to it. */
const recorder = () => {
  const chunks: string[] = [];
  return { chunks, stream: { write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WriteStream };
};

describe('Progress', () => {
  it('on a terminal redraws one bar in place, with the count, rate and ETA, and ends its line', () => {
    const { chunks, stream } = recorder();
    const progress = new Progress('registering', 4, stream, true);
    progress.tick();
    progress.tick(3);
    progress.finish();
    expect(chunks[0]).toMatch(/^\rregistering \[#{8}\.{22}\] 1\/4 \(25%\), [\d.]+\/s(, ETA \d+s)?\u001b\[K$/);
    expect(chunks.at(-1)).toMatch(/^\rregistering \[#{30}\] 4\/4 \(100%\), [\d.]+\/s\u001b\[K\n$/);
  });

  it('elsewhere writes a plain line at each tenth of the way, no control characters', () => {
    const { chunks, stream } = recorder();
    const progress = new Progress('registering', 100, stream, false);
    for (let i = 0; i < 100; i++) progress.tick();
    progress.finish();
    expect(chunks).toHaveLength(10);
    expect(chunks[0]).toMatch(/^registering: 10\/100 \(10%\), [\d.]+\/s(, ETA \d+s)?\n$/);
    expect(chunks.join('')).not.toMatch(/[\r\u001b]/);
  });
});
