// `openclaw sessions export-trajectory` on this host, for the CLI (which may not reach into sessions/
// itself): the export runs offline over the agent database, as the reference's does, with no gateway.
export {
  type ExportRequest,
  type ExportSummary,
  exportTrajectory,
  formatExportSummary,
  TrajectoryExportError,
} from "../sessions/trajectory_export.ts";
