// The reference's version-skew advice under a refused config: when `meta.lastTouchedVersion` names a
// newer OpenClaw than the one running, the file was likely written for keys this version lacks. Its
// comparison is SemVer's with two OpenClaw habits: `1.2.3.beta.4` is read as `1.2.3-beta.4`, and a
// bare numeric prerelease (`2026.9.6-1`) is a correction that sorts after its release, not before.

interface Version {
  main: [number, number, number];
  prerelease: (string | number)[];
  build: string[];
}

const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Parses an OpenClaw version (`2026.9.6`, `2026.9.6-beta.1`, `2026.9.6.beta.1`), or undefined. */
export function parseOpenClawVersion(raw: string | undefined): Version | undefined {
  if (!raw) return undefined;
  let text = raw.trim();
  const dotBeta = /^([vV]?\d+\.\d+\.\d+)\.beta(?:\.([0-9A-Za-z.-]+))?$/.exec(text);
  if (dotBeta) text = dotBeta[2] ? `${dotBeta[1]}-beta.${dotBeta[2]}` : `${dotBeta[1]}-beta`;
  const match = SEMVER.exec(text);
  if (!match) return undefined;
  const main = [Number(match[1]), Number(match[2]), Number(match[3])] as [number, number, number];
  if (!main.every(Number.isSafeInteger)) return undefined;
  const prerelease = match[4] ? match[4].split(".").map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [];
  return { main, prerelease, build: match[5] ? match[5].split(".") : [] };
}

function isCorrection(version: Version): boolean {
  return version.prerelease.length === 1 && typeof version.prerelease[0] === "number";
}

function compareIdentifiers(a: string | number, b: string | number): number {
  const numA = typeof a === "number" || /^\d+$/.test(a);
  const numB = typeof b === "number" || /^\d+$/.test(b);
  if (numA && numB) return Math.sign(Number(a) - Number(b));
  if (numA) return -1;
  if (numB) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareLists(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0;; i++) {
    const left = a[i];
    const right = b[i];
    if (left === undefined && right === undefined) return 0;
    if (right === undefined) return 1;
    if (left === undefined) return -1;
    const order = compareIdentifiers(left, right);
    if (order !== 0) return order;
  }
}

function compareMain(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const order = Math.sign(a.main[i]! - b.main[i]!);
    if (order !== 0) return order;
  }
  return 0;
}

/** Orders two versions: main, then prerelease (none sorts last), then build; a correction is a build. */
export function compareOpenClawVersions(a: Version, b: Version): number {
  const left = isCorrection(a) ? { ...a, prerelease: [], build: [String(a.prerelease[0])] } : a;
  const right = isCorrection(b) ? { ...b, prerelease: [], build: [String(b.prerelease[0])] } : b;
  const main = compareMain(left, right);
  if (main !== 0) return main;
  if (left.prerelease.length > 0 && right.prerelease.length === 0) return -1;
  if (left.prerelease.length === 0 && right.prerelease.length > 0) return 1;
  const pre = compareLists(left.prerelease, right.prerelease);
  return pre !== 0 ? pre : compareLists(left.build, right.build);
}

/** Whether a config last written by `touched` is newer than the running `current` (a same-release stable or correction is not). */
export function shouldWarnOnTouchedVersion(current: string, touched: string | undefined): boolean {
  const parsedCurrent = parseOpenClawVersion(current);
  const parsedTouched = parseOpenClawVersion(touched);
  if (!parsedCurrent || !parsedTouched) return false;
  if (compareMain(parsedCurrent, parsedTouched) === 0) {
    if (parsedTouched.prerelease.length === 0 || isCorrection(parsedTouched)) return false;
  }
  return compareOpenClawVersions(parsedCurrent, parsedTouched) < 0;
}

/** The reference's advice line after the issues when {@link shouldWarnOnTouchedVersion} holds, else undefined. */
export function touchedVersionLine(current: string, touched: string | undefined): string | undefined {
  if (!shouldWarnOnTouchedVersion(current, touched)) return undefined;
  return `Config was last written by OpenClaw ${touched}, but you are running ${current} — upgrade or re-run setup.`;
}
