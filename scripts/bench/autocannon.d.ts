// The little of autocannon 9 the page benchmark uses (the package ships no types).
declare module 'autocannon' {
  type Histogram = { average: number; mean: number; stddev: number; min: number; max: number; p50: number; p90: number; p99: number; p99_9?: number };
  export type Result = {
    latency: Histogram;
    requests: Histogram & { total: number; sent: number };
    throughput: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    duration: number;
    '2xx': number;
    '3xx': number;
    '4xx': number;
    '5xx': number;
  };
  export type Options = {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
  };
  /** A running benchmark: a promise of the result that also reports each response. */
  export type Instance = Promise<Result> & {
    on(event: 'response', listener: (client: object, statusCode: number, bytes: number, responseTimeMs: number) => void): Instance;
    /** ends the run before its duration: the promise resolves with what was measured */
    stop(): void;
  };
  export default function autocannon(options: Options): Instance;
}
