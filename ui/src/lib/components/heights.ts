// Row heights for the windowed cue list: measured where a row has been rendered, estimated
// elsewhere, with prefix sums recomputed lazily from the first changed row.

export class HeightIndex {
  private readonly heights: Float64Array;
  /** offsets[i] = sum of heights[0..i); length n + 1. */
  private readonly offsets: Float64Array;
  private dirtyFrom = 0;

  constructor(readonly count: number, estimate: (index: number) => number) {
    this.heights = new Float64Array(count);
    this.offsets = new Float64Array(count + 1);
    for (let i = 0; i < count; i++) this.heights[i] = estimate(i);
  }

  /** Records a measured height; returns the change (0 when unchanged). */
  set(index: number, height: number): number {
    if (index < 0 || index >= this.count) return 0;
    const delta = height - this.heights[index];
    if (delta === 0) return 0;
    this.heights[index] = height;
    this.dirtyFrom = Math.min(this.dirtyFrom, index);
    return delta;
  }

  /** Top of row `index` (index may be `count`, giving the total height). */
  offsetOf(index: number): number {
    this.settle();
    return this.offsets[Math.max(0, Math.min(index, this.count))];
  }

  get total(): number {
    return this.offsetOf(this.count);
  }

  /** The row at vertical position `y` (clamped to the rows that exist). */
  indexAt(y: number): number {
    this.settle();
    if (this.count === 0) return 0;
    // Last i with offsets[i] <= y.
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid] <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private settle() {
    if (this.dirtyFrom > this.count) return;
    for (let i = this.dirtyFrom; i < this.count; i++) {
      this.offsets[i + 1] = this.offsets[i] + this.heights[i];
    }
    this.dirtyFrom = this.count + 1;
  }
}
