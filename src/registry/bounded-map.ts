// The one bound every per-process answer cache shares.

/**
 * A Map that forgets its oldest entries beyond `capacity`. Insertion order, not recency: the entries are answers that
 * stay true until an explicit invalidation, and a bound on memory matters more here than the best hit ratio.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.capacity && !this.has(key)) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
