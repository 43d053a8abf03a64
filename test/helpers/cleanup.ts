/** Cleanups run last-in first-out; register each one in the same breath as what it undoes. */
export class Cleanup {
  private readonly fns: (() => unknown)[] = [];
  add(fn: () => unknown): void {
    this.fns.push(fn);
  }
  async run(): Promise<void> {
    const errors: unknown[] = [];
    while (this.fns.length > 0) {
      const fn = this.fns.pop()!;
      try {
        await fn();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed');
  }
}
