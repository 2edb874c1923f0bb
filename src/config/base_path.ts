/** `gateway.controlUi.basePath` as served: no trailing slash, one leading slash, "" for the root. */
export function normalizeBasePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, "");
  if (trimmed === "") return "";
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}
