/**
 * Counts WebSocket sockets that have not finished `connect`, in total and per client address, so
 * never-connecting upgrades cannot pile up until the handshake timeout reaps them (the
 * reference's cap is 32 per address; past it the upgrade gets 503).
 */
export class PreAuthBudget {
  #total = 0;
  #byAddress = new Map<string, number>();
  #limits: { total: number; perAddress: number };

  constructor(limits: { total: number; perAddress: number }) {
    this.#limits = limits;
  }

  /** Takes one slot for `address`; returns a release function (idempotent), or undefined when full. */
  acquire(address: string): (() => void) | undefined {
    const held = this.#byAddress.get(address) ?? 0;
    if (this.#total >= this.#limits.total || held >= this.#limits.perAddress) return undefined;
    this.#total += 1;
    this.#byAddress.set(address, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total -= 1;
      const left = (this.#byAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#byAddress.set(address, left);
      else this.#byAddress.delete(address);
    };
  }

  /** Sockets awaiting `connect` now. */
  get total(): number {
    return this.#total;
  }
}
