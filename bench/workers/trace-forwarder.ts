// The benchmark's tail Worker: every invocation of the Workers and their Durable Objects (its
// script, entry point, object id, event, outcome and logs) is posted to the benchmark on loopback,
// which counts them (bench/turn-cost-meters.ts).
interface ForwarderEnv {
  BENCH_COLLECTOR_URL: string;
}

export default {
  async tail(events, env) {
    const invocations = events.map((item) => ({
      scriptName: item.scriptName ?? null,
      executionModel: item.executionModel,
      entrypoint: item.entrypoint ?? null,
      event: item.event,
      outcome: item.outcome,
      durableObjectId: item.durableObjectId ?? null,
      wallTime: item.wallTime,
      logs: item.logs.map((entry) => entry.message as unknown),
    }));
    await fetch(env.BENCH_COLLECTOR_URL, { method: "POST", body: JSON.stringify(invocations) });
  },
} satisfies ExportedHandler<ForwarderEnv>;
