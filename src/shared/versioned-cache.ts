/**
 * A bounded map whose entries hold only while the data they came from is at the same
 * generation (src/db/change-watch.ts). A new generation empties it; an unknown one (null)
 * bypasses it. Only found values are kept, so unknown keys cannot grow it, and past
 * `capacity` the least recently used entry goes.
 */
export class VersionedCache<K, V> {
  private readonly entries = new Map<K, V>();
  private generation: number | null = null;

  constructor(private readonly capacity: number) {}

  async get(
    key: K,
    currentGeneration: () => Promise<number | null>,
    load: () => Promise<V | null>,
  ): Promise<V | null> {
    const generation = await currentGeneration();
    if (generation === null) return load();
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = await load();
    // Read under `generation`: kept only if no newer generation was seen meanwhile, and a
    // change committed during the load shows as a newer generation at the next look-up.
    if (value !== null && this.generation === generation) {
      this.entries.set(key, value);
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
