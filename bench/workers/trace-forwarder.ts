// The benchmark's tail Worker: every invocation of the three Workers and the conversation object
// (its event, its logs) is posted to the benchmark on loopback, which counts them per turn.
interface ForwarderEnv {
  BENCH_COLLECTOR_URL: string;
}

export default {
  async tail(events, env) {
    const invocations = events.map((item) => ({
      executionModel: item.executionModel,
      entrypoint: item.entrypoint ?? null,
      event: item.event,
      outcome: item.outcome,
      durableObjectId: item.durableObjectId ?? null,
      logs: item.logs.map((entry) => entry.message as unknown),
    }));
    await fetch(env.BENCH_COLLECTOR_URL, { method: "POST", body: JSON.stringify(invocations) });
  },
} satisfies ExportedHandler<ForwarderEnv>;
