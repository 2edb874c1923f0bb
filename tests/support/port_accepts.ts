/** Whether 127.0.0.1:`port` accepts a connection now (the connection is closed at once). */
export async function portAccepts(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return true;
  } catch {
    return false;
  }
}
