// The break-glass config flags the audit reports one by one under
// `config.insecure_or_dangerous_flags`, with the reference's labels.
import type { AuditInputs } from "./security_inputs.ts";

/** The enabled break-glass flags, one label each, as the reference words them. */
export function dangerousFlags(inputs: AuditInputs): string[] {
  const { raw } = inputs;
  const flags: string[] = [];
  // gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback, a flag of the reference's, is not
  // listed: this gateway does not act on it.
  if (raw.hooks?.gmail?.allowUnsafeExternalContent === true) flags.push("hooks.gmail.allowUnsafeExternalContent=true");
  for (const [index, mapping] of (raw.hooks?.mappings ?? []).entries()) {
    if (mapping?.allowUnsafeExternalContent === true) {
      flags.push(`hooks.mappings[${index}].allowUnsafeExternalContent=true`);
    }
  }
  if (inputs.section("tools", "exec", "applyPatch", "workspaceOnly") === false) {
    flags.push("tools.exec.applyPatch.workspaceOnly=false");
  }
  const suppressions = inputs.section("security", "audit", "suppressions");
  if (Array.isArray(suppressions) && suppressions.length > 0) {
    flags.push(`security.audit.suppressions configured (${suppressions.length})`);
  }
  if (raw.hooks?.allowRequestSessionKey === true) flags.push("hooks.allowRequestSessionKey=true");
  if (inputs.section("tools", "fs", "workspaceOnly") === false) flags.push("tools.fs.workspaceOnly=false");
  return flags;
}
