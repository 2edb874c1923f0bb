import assert from "node:assert/strict";
import { readSecretFile, resolveGatewaySecrets, SecretFileError } from "../../src/cli/gateway_secret_options.ts";

Deno.test("resolveGatewaySecrets() reads --token-file and --password-file, trimmed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/t`, "  tok\n");
    await Deno.writeTextFile(`${dir}/p`, "pw\n");
    assert.deepEqual(resolveGatewaySecrets({ tokenFile: `${dir}/t`, passwordFile: `${dir}/p` }), {
      token: "tok",
      password: "pw",
    });
    assert.deepEqual(resolveGatewaySecrets({}), {});
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("resolveGatewaySecrets() refuses a secret given inline and by file, in the reference's words", () => {
  assert.throws(
    () => resolveGatewaySecrets({ token: "a", tokenFile: "/nope" }),
    new SecretFileError("Use either --token or --token-file for Gateway token."),
  );
  assert.throws(
    () => resolveGatewaySecrets({ password: "a", passwordFile: "/nope" }),
    new SecretFileError("Use either --password or --password-file for Gateway password."),
  );
});

Deno.test("readSecretFile() refuses a missing, empty or symlinked file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.throws(
      () => readSecretFile(`${dir}/missing`, "Gateway token"),
      new SecretFileError(
        `Failed to inspect Gateway token file at ${dir}/missing: Error: ENOENT: no such file or directory, lstat '${dir}/missing' | ENOENT`,
      ),
    );
    await Deno.writeTextFile(`${dir}/empty`, " \n");
    assert.throws(
      () => readSecretFile(`${dir}/empty`, "Gateway token"),
      new SecretFileError(`Gateway token file at ${dir}/empty is empty.`),
    );
    await Deno.writeTextFile(`${dir}/real`, "x");
    await Deno.symlink(`${dir}/real`, `${dir}/link`);
    assert.throws(() => readSecretFile(`${dir}/link`, "Gateway token"), /must not be a symlink/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
