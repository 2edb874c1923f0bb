// The audit's file-mode checks of the state dir, the config file, credentials, auth profile
// stores, session indexes and the configured log file, with the reference's checkIds and words
// (`<path> mode=755`, `chmod 700 <path>`).
import type { AuditFinding } from "./security_findings.ts";
import { finding, groupReadable, groupWritable, inspect, worldReadable, worldWritable } from "./security_fs_modes.ts";
import type { AuditInputs } from "./security_inputs.ts";
import { credentialsDir } from "../../config/account_dirs.ts";

/** The agent ids whose directories the reference inspects: `main` plus every configured agent. */
export function auditedAgentIds(inputs: AuditInputs): string[] {
  const ids = new Set(["main"]);
  const agents = inputs.raw.agents;
  for (const entry of agents?.list ?? []) {
    if (typeof entry?.id === "string" && entry.id.trim()) ids.add(entry.id.trim());
  }
  for (const id of Object.keys(agents?.entries ?? {})) if (id.trim()) ids.add(id.trim());
  return [...new Set([...ids].map(folderAgentId))];
}

/**
 * The reference's normalizeAgentId: the folder name an id maps to under agents/ (invalid characters
 * become "-", edge dashes dropped, 64 at most; nothing left: "main"), so no id names a path outside.
 */
export function folderAgentId(id: string): string {
  const trimmed = id.trim();
  const lower = trimmed.toLowerCase();
  if (/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(trimmed)) return lower;
  const folder = lower.replace(/[^a-z0-9_-]+/g, "-").replace(/^-+/, "").replace(/-+$/, "").slice(0, 64);
  return folder || "main";
}

async function stateDirFindings(stateDir: string): Promise<AuditFinding[]> {
  const perms = await inspect(stateDir);
  if (!perms) return [];
  const findings: AuditFinding[] = [];
  if (perms.isSymlink) {
    findings.push({
      checkId: "fs.state_dir.symlink",
      severity: "warn",
      title: "State dir is a symlink",
      detail: `${stateDir} is a symlink; treat this as an extra trust boundary.`,
    });
  }
  if (worldWritable(perms)) {
    findings.push(
      finding(
        "fs.state_dir.perms_world_writable",
        "critical",
        "State dir is world-writable",
        stateDir,
        perms,
        "other users can write into your OpenClaw state.",
        0o700,
      ),
    );
  } else if (groupWritable(perms)) {
    findings.push(
      finding(
        "fs.state_dir.perms_group_writable",
        "warn",
        "State dir is group-writable",
        stateDir,
        perms,
        "group users can write into your OpenClaw state.",
        0o700,
      ),
    );
  } else if (groupReadable(perms) || worldReadable(perms)) {
    findings.push(
      finding(
        "fs.state_dir.perms_readable",
        "warn",
        "State dir is readable by others",
        stateDir,
        perms,
        "consider restricting to 700.",
        0o700,
      ),
    );
  }
  return findings;
}

async function configFindings(configPath: string): Promise<AuditFinding[]> {
  const perms = await inspect(configPath);
  if (!perms) return [];
  const findings: AuditFinding[] = [];
  const why = "config can contain tokens and private settings.";
  if (perms.isSymlink) {
    findings.push({
      checkId: "fs.config.symlink",
      severity: "warn",
      title: "Config file is a symlink",
      detail: `${configPath} is a symlink; make sure you trust its target.`,
    });
  }
  if (worldWritable(perms) || groupWritable(perms)) {
    findings.push(
      finding(
        "fs.config.perms_writable",
        "critical",
        "Config file is writable by others",
        configPath,
        perms,
        "another user could change gateway/auth/tool policies.",
        0o600,
      ),
    );
  } else if (!perms.isSymlink && worldReadable(perms)) {
    findings.push(
      finding(
        "fs.config.perms_world_readable",
        "critical",
        "Config file is world-readable",
        configPath,
        perms,
        why,
        0o600,
      ),
    );
  } else if (!perms.isSymlink && groupReadable(perms)) {
    findings.push(
      finding("fs.config.perms_group_readable", "warn", "Config file is group-readable", configPath, perms, why, 0o600),
    );
  }
  return findings;
}

async function stateFileFindings(inputs: AuditInputs): Promise<AuditFinding[]> {
  const findings: AuditFinding[] = [];
  // The reference's resolveOAuthDir: OPENCLAW_OAUTH_DIR, else <state>/credentials (the gateway's too).
  const credentials = credentialsDir(inputs.stateDir, inputs.env);
  const creds = await inspect(credentials);
  if (creds?.isDir) {
    if (worldWritable(creds) || groupWritable(creds)) {
      findings.push(
        finding(
          "fs.credentials_dir.perms_writable",
          "critical",
          "Credentials dir is writable by others",
          credentials,
          creds,
          "another user could drop/modify credential files.",
          0o700,
        ),
      );
    } else if (groupReadable(creds) || worldReadable(creds)) {
      findings.push(
        finding(
          "fs.credentials_dir.perms_readable",
          "warn",
          "Credentials dir is readable by others",
          credentials,
          creds,
          "credentials and allowlists can be sensitive.",
          0o700,
        ),
      );
    }
  }
  for (const agentId of auditedAgentIds(inputs)) {
    const agentDir = `${inputs.stateDir}/agents/${agentId}/agent`;
    const stores: [string, string][] = [
      [`${agentDir}/auth-profiles.json`, "legacy auth-profiles.json"],
      ...["", "-wal", "-shm", "-journal"].map((suffix): [string, string] => [
        `${agentDir}/openclaw-agent.sqlite${suffix}`,
        "auth profile SQLite store",
      ]),
    ];
    for (const [path, label] of stores) {
      const perms = await inspect(path);
      if (!perms) continue;
      if (worldWritable(perms) || groupWritable(perms)) {
        findings.push(
          finding(
            "fs.auth_profiles.perms_writable",
            "critical",
            `${label} is writable by others`,
            path,
            perms,
            "another user could inject credentials.",
            0o600,
          ),
        );
      } else if (worldReadable(perms) || groupReadable(perms)) {
        findings.push(
          finding(
            "fs.auth_profiles.perms_readable",
            "warn",
            `${label} is readable by others`,
            path,
            perms,
            "auth profile storage contains API keys and OAuth tokens.",
            0o600,
          ),
        );
      }
    }
    const store = `${inputs.stateDir}/agents/${agentId}/sessions/sessions.json`;
    const perms = await inspect(store);
    if (perms && (worldReadable(perms) || groupReadable(perms))) {
      findings.push(
        finding(
          "fs.sessions_store.perms_readable",
          "warn",
          "sessions.json is readable by others",
          store,
          perms,
          "routing and transcript metadata can be sensitive.",
          0o600,
        ),
      );
    }
  }
  const logFile = inputs.raw.logging?.file?.trim();
  if (logFile) {
    const home = inputs.env.HOME ?? "";
    const path = logFile.startsWith("~") ? `${home}${logFile.slice(1)}` : logFile;
    const perms = await inspect(path);
    if (perms && (worldReadable(perms) || groupReadable(perms))) {
      findings.push(
        finding(
          "fs.log_file.perms_readable",
          "warn",
          "Log file is readable by others",
          path,
          perms,
          "logs can contain private messages and tool output.",
          0o600,
        ),
      );
    }
  }
  return findings;
}

/** `fs.synced_dir` (reported early, as the reference orders it). */
export function syncedFindings(inputs: AuditInputs): AuditFinding[] {
  const synced = (path: string) => /icloud|dropbox|google drive|googledrive|onedrive/.test(path.toLowerCase());
  if (!synced(inputs.stateDir) && !synced(inputs.configPath)) return [];
  return [{
    checkId: "fs.synced_dir",
    severity: "warn",
    title: "State/config path looks like a synced folder",
    detail:
      `stateDir=${inputs.stateDir}, configPath=${inputs.configPath}. Synced folders (iCloud/Dropbox/OneDrive/Google Drive) can leak tokens and transcripts onto other devices.`,
    remediation: 'Keep OPENCLAW_STATE_DIR on a local-only volume and re-run "openclaw security audit --fix".',
  }];
}

/** `fs.*`: state dir, config file, then the state's sensitive files. */
export async function filesystemFindings(inputs: AuditInputs): Promise<AuditFinding[]> {
  return [
    ...await stateDirFindings(inputs.stateDir),
    ...await configFindings(inputs.configPath),
    ...await stateFileFindings(inputs),
  ];
}
