// A recorder's session: the gateway under record (startRecordedGateway: the reference's or ours) driven
// through the reference client as the CLI connects (operator read, write and admin), both stopped after.
import { connectReference, type ReferenceSession } from "./reference_client.ts";
import { type RecordedGateway, startRecordedGateway } from "./reference_gateway.ts";

/** The scopes a recorder's client asks for. */
const RECORDER_SCOPES = ["operator.read", "operator.write", "operator.admin"];

/**
 * Starts the gateway under record (`target` "ref": the reference, under `root`; any other: ours), connects the
 * reference client with `token` and runs `steps`. On a failure the gateway's last output is written to stderr
 * before the error goes on; the client and the gateway (by PID, its home removed) are stopped either way.
 */
export async function withRecordedSession<T>(
  target: string,
  input: { root: string; port: number; config: Record<string, unknown>; token: string },
  steps: (session: ReferenceSession, gateway: RecordedGateway) => Promise<T>,
): Promise<T> {
  const gateway = await startRecordedGateway(target, input);
  try {
    const session = await connectReference({
      port: input.port,
      token: input.token,
      mode: "cli",
      clientName: "cli",
      scopes: RECORDER_SCOPES,
    });
    try {
      return await steps(session, gateway);
    } finally {
      session.stop();
    }
  } catch (error) {
    Deno.stderr.writeSync(new TextEncoder().encode(`${gateway.output().slice(-4000)}\n`));
    throw error;
  } finally {
    await gateway.stop();
  }
}
