// The config most hosts run with, as issue 23's CLI row names it: the gateway, a model provider,
// agents, and a chat channel (Telegram, disabled so nothing dials out). Shared by the benches and the
// tests that check what such a config costs at start and in the CLI (docs/performance.md).

/** A realistic config for a gateway on `port` with `token`. */
export function realisticConfig(port: number, token: string): Record<string, unknown> {
  return {
    meta: { lastTouchedVersion: "2026.9.6" },
    gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token } },
    logging: { level: "info" },
    models: {
      providers: {
        local: {
          baseUrl: "http://127.0.0.1:9/v1",
          apiKey: "sk-local-0123456789",
          api: "openai-completions",
          models: [{ id: "llama3", name: "Llama 3", contextWindow: 8192, maxTokens: 2048, input: ["text"] }],
        },
      },
    },
    agents: {
      defaults: { model: { primary: "local/llama3" }, workspace: "~/.openclaw/workspace" },
      list: [{ id: "main", default: true, tools: { profile: "coding" } }, { id: "helper", tools: { deny: ["exec"] } }],
    },
    channels: { telegram: { enabled: false, botToken: "123456:ABCDEF", dmPolicy: "pairing", allowFrom: [] } },
    session: { dmScope: "per-channel-peer" },
  };
}
