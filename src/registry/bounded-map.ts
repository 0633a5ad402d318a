// The one bound every per-process answer cache shares: an estimate of the memory its entries hold.

/**
 * A Map that forgets its oldest entries once their weight (an estimate of the bytes an entry holds) passes
 * `capacity`. Insertion order, not recency: the entries are answers that stay true until an explicit invalidation,
 * and a bound on memory matters more here than the best hit ratio. A count alone would not bound memory: one schema
 * can be a few bytes or a megabyte.
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(
    private readonly capacity: number,
    private readonly weigh: (key: K, value: V) => number,
  ) {}

  get(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.weigh(key, value);
    if (weight > this.capacity) return;
    this.entries.set(key, { value, weight });
    this.total += weight;
    for (const [oldest] of this.entries) {
      if (this.total <= this.capacity) break;
      this.delete(oldest);
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.weight;
  }

  keys(): IterableIterator<K> {
    return this.entries.keys();
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The estimated bytes held. */
  get weight(): number {
    return this.total;
  }
}
