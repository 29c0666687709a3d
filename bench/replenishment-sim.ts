/**
 * The day-by-day inventory simulation behind `npm run bench:replenishment`: one state per
 * policy and item × location, the same demand and the same lead times for every policy.
 */

/** Daily sales per series (store × item), dense from `start`, as read from the file. */
export interface DemandData {
  start: string;
  days: number;
  series: { store: number; item: number; sales: Int32Array }[];
}

/** What a policy decides at a review: the units to order for one series. */
export interface Policy {
  name: string;
  /** Called once per review day with the day index (into DemandData) and the positions. */
  review(day: number, positions: Float64Array): ArrayLike<number>;
  /** On hand at the start of the simulation, per series. */
  initialStock(): ArrayLike<number>;
}

export interface SimulationOptions {
  firstDay: number;
  lastDay: number;
  reviewEveryDays: number;
  /** Lead time of the order a series places at its k-th review: leadTimes[series][k]. */
  leadTimes: Int32Array[];
}

export interface PolicyResult {
  name: string;
  demanded: number;
  served: number;
  fillRate: number;
  /** Series × days with demand left unmet. */
  stockoutDays: number;
  /** Mean over series × days of the units on hand at the end of the day. */
  averageOnHand: number;
  orders: number;
  reviewMs: number;
}

interface State {
  onHand: Float64Array;
  /** Units ordered and not yet received, per series. */
  onOrder: Float64Array;
  /** arrivals[day - firstDay][series]: units arriving at the start of that day. */
  arrivals: Map<number, Float64Array>;
}

/**
 * Order of a day: what was due arrives first; on a review day each policy orders (an order
 * placed on day t with lead time L arrives at the start of day t + L); then the day's
 * demand is served from stock, and what cannot be served is lost.
 */
export function simulate(
  data: DemandData,
  policies: readonly Policy[],
  options: SimulationOptions,
): PolicyResult[] {
  const n = data.series.length;
  const states: State[] = policies.map((policy) => ({
    onHand: Float64Array.from(policy.initialStock()),
    onOrder: new Float64Array(n),
    arrivals: new Map(),
  }));
  const results: PolicyResult[] = policies.map((p) => ({
    name: p.name,
    demanded: 0,
    served: 0,
    fillRate: 0,
    stockoutDays: 0,
    averageOnHand: 0,
    orders: 0,
    reviewMs: 0,
  }));
  const onHandSum = new Float64Array(policies.length);
  for (let day = options.firstDay; day <= options.lastDay; day++) {
    const reviewIndex = (day - options.firstDay) / options.reviewEveryDays;
    policies.forEach((policy, p) => {
      const state = states[p]!;
      receive(state, day);
      if (Number.isInteger(reviewIndex)) {
        const started = performance.now();
        placeOrders(policy, state, results[p]!, day, reviewIndex, options.leadTimes);
        results[p]!.reviewMs += performance.now() - started;
      }
      onHandSum[p]! += serve(data, state, results[p]!, day);
    });
  }
  const seriesDays = n * (options.lastDay - options.firstDay + 1);
  for (const [p, result] of results.entries()) {
    result.fillRate = result.served / result.demanded;
    result.averageOnHand = onHandSum[p]! / seriesDays;
  }
  return results;
}

function receive(state: State, day: number) {
  const due = state.arrivals.get(day);
  if (!due) return;
  for (let s = 0; s < due.length; s++) {
    state.onHand[s]! += due[s]!;
    state.onOrder[s]! -= due[s]!;
  }
  state.arrivals.delete(day);
}

function placeOrders(
  policy: Policy,
  state: State,
  result: PolicyResult,
  day: number,
  reviewIndex: number,
  leadTimes: Int32Array[],
) {
  const positions = new Float64Array(state.onHand.length);
  for (let s = 0; s < positions.length; s++) positions[s] = state.onHand[s]! + state.onOrder[s]!;
  const quantities = policy.review(day, positions);
  for (let s = 0; s < positions.length; s++) {
    const quantity = quantities[s]!;
    if (quantity <= 0) continue;
    const arrive = day + leadTimes[s]![reviewIndex]!;
    let due = state.arrivals.get(arrive);
    if (!due) {
      due = new Float64Array(positions.length);
      state.arrivals.set(arrive, due);
    }
    due[s]! += quantity;
    state.onOrder[s]! += quantity;
    result.orders += 1;
  }
}

/** Serves the day's demand; answers the units left on hand at the end of the day. */
function serve(data: DemandData, state: State, result: PolicyResult, day: number): number {
  let left = 0;
  for (let s = 0; s < data.series.length; s++) {
    const demand = data.series[s]!.sales[day]!;
    const served = Math.min(demand, Math.max(0, state.onHand[s]!));
    state.onHand[s]! -= served;
    result.demanded += demand;
    result.served += served;
    if (served < demand) result.stockoutDays += 1;
    left += state.onHand[s]!;
  }
  return left;
}

/** Mulberry32: a small seeded generator, so every run and every policy sees the same draws. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Integer lead times uniform on min..max, one per series and review. */
export function drawLeadTimes(
  seriesCount: number,
  reviews: number,
  min: number,
  max: number,
  seed: number,
): Int32Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: seriesCount }, () =>
    Int32Array.from({ length: reviews }, () => min + Math.floor(random() * (max - min + 1))),
  );
}
