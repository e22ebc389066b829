#!/usr/bin/env bash
# Generates (or with --check, verifies) each Worker's env types from its wrangler.toml.
# Each Worker gets its own interface name so that one tsconfig can check all three.
set -euo pipefail
cd "$(dirname "$0")/.."
check=()
[ "${1:-}" = "--check" ] && check=(--check)
run() { wrangler types "${check[@]}" --include-main-module=false "$@" >/dev/null; }
metrics=(-c workers/metrics/wrangler.toml)
run -c wrangler.toml -c workers/intent/wrangler.toml "${metrics[@]}" --env-interface GatewayEnv workers/gateway/worker-configuration.d.ts
run -c workers/intent/wrangler.toml -c wrangler.toml "${metrics[@]}" --env-interface IntentEnv --include-runtime=false workers/intent/worker-configuration.d.ts
run -c workers/dialogue/wrangler.toml -c wrangler.toml -c workers/intent/wrangler.toml "${metrics[@]}" --env-interface DialogueEnv --include-runtime=false workers/dialogue/worker-configuration.d.ts
run -c workers/metrics/wrangler.toml --env-interface MetricsWorkerEnv --include-runtime=false workers/metrics/worker-configuration.d.ts
if [ ${#check[@]} -gt 0 ]; then echo "env types are up to date"; else echo "env types generated"; fi
