// The benchmark's view of a Worker's bindings: every queue send and Analytics Engine data point a
// Worker makes is logged (with the message's size), where the benchmark's tail Worker picks it up.
// Nothing here runs in production.

/**
 * An RPC stub (a service binding, a Durable Object namespace's stub, the local rate limiter) answers
 * `in` for every name, so it would pass for a queue or a dataset: such bindings pass through.
 */
function answersEveryName(value: object): boolean {
  return "stratus_bench_no_such_member" in value;
}

function isQueue(value: unknown): value is Queue {
  if (typeof value === "object" && value !== null && answersEveryName(value)) return false;
  return typeof value === "object" && value !== null && "send" in value && "sendBatch" in value;
}

function isAnalyticsDataset(value: unknown): value is AnalyticsEngineDataset {
  if (typeof value === "object" && value !== null && answersEveryName(value)) return false;
  return typeof value === "object" && value !== null && "writeDataPoint" in value;
}

/** The runtime hands an isolate the same env object each time: wrap it once (parsed-env caches key on it). */
const wrappedEnvs = new WeakMap<object, object>();

export function meteredEnv<Env extends object>(env: Env): Env {
  const cached = wrappedEnvs.get(env);
  if (cached) return cached as Env;
  const wrapped: Record<string, unknown> = {};
  for (const [name, binding] of Object.entries(env)) {
    if (isQueue(binding)) {
      wrapped[name] = {
        send(body: unknown, options?: QueueSendOptions) {
          console.log(JSON.stringify({ event: "bench_queue_send", binding: name, bytes: JSON.stringify(body).length }));
          return binding.send(body, options);
        },
        sendBatch(messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) {
          for (const message of messages) {
            console.log(JSON.stringify({ event: "bench_queue_send", binding: name, bytes: JSON.stringify(message.body).length }));
          }
          return binding.sendBatch(messages, options);
        },
      } satisfies Pick<Queue, "send" | "sendBatch">;
    } else if (isAnalyticsDataset(binding)) {
      wrapped[name] = {
        writeDataPoint(point?: AnalyticsEngineDataPoint) {
          console.log(JSON.stringify({ event: "bench_data_point", binding: name }));
          binding.writeDataPoint(point);
        },
      } satisfies AnalyticsEngineDataset;
    } else {
      wrapped[name] = binding;
    }
  }
  wrappedEnvs.set(env, wrapped);
  return wrapped as Env;
}
