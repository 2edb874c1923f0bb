// A logical VACUUM, for where SQLite's own cannot run: Deno disables ATTACH (VACUUM attaches its
// scratch database) unless the process holds every permission. Like VACUUM it writes a fresh file
// with the same page size, auto-vacuum mode, header versions and schema text and every live row,
// so no deleted bytes of the source (free pages, freed cell space) survive into it.
import { DatabaseSync, type DatabaseSyncOptions, type SQLInputValue } from "node:sqlite";

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function pragma(db: DatabaseSync, name: string): number {
  return Number(Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0] ?? 0);
}

function copyRows(source: DatabaseSync, target: DatabaseSync, table: string, withRowid: boolean): void {
  const columns =
    (source.prepare(`PRAGMA main.table_xinfo(${quote(table)})`).all() as { name: string; hidden: number }[])
      .filter((column) => column.hidden === 0).map((column) => quote(column.name));
  const names = [...(withRowid ? ["rowid"] : []), ...columns];
  // Each result column gets its own alias: `rowid` would otherwise be named after its alias column.
  const select = source.prepare(
    `SELECT ${names.map((name, index) => `${name} AS c${index}`).join(", ")} FROM main.${quote(table)}`,
  );
  // 64-bit integers stay exact; REAL values stay REAL (numbers bind as doubles).
  select.setReadBigInts(true);
  const insert = target.prepare(
    `INSERT INTO main.${quote(table)} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`,
  );
  for (const row of select.iterate()) insert.run(...Object.values(row) as SQLInputValue[]);
}

/** Rebuilds the database at `sourcePath` into the new file `targetPath`, as `VACUUM` would. */
export function rebuildDatabase(sourcePath: string, targetPath: string): void {
  const source = new DatabaseSync(sourcePath, { readOnly: true });
  // Shadow tables (FTS) are written directly, as VACUUM copies them; triggers and foreign keys
  // are created or checked only after the rows are in, so nothing fires while copying.
  // (`defensive` is honoured at run time; Deno's types do not list it yet.)
  const options = { defensive: false, enableForeignKeyConstraints: false } as DatabaseSyncOptions;
  const target = new DatabaseSync(targetPath, options);
  try {
    target.exec(
      `PRAGMA page_size = ${pragma(source, "page_size")}; PRAGMA auto_vacuum = ${pragma(source, "auto_vacuum")};` +
        "PRAGMA journal_mode = DELETE; PRAGMA trusted_schema = OFF;",
    );
    const kinds = new Map(
      (source.prepare("PRAGMA main.table_list").all() as { schema: string; name: string; type: string; wr: number }[])
        .filter((row) => row.schema === "main").map((row) => [row.name, row]),
    );
    const schema = source.prepare(
      "SELECT type, name, sql FROM main.sqlite_master WHERE sql IS NOT NULL ORDER BY rowid",
    ).all() as { type: string; name: string; sql: string }[];
    const tables = schema.filter((item) => item.type === "table");
    target.exec("BEGIN");
    for (const { name, sql } of tables) {
      if (!name.startsWith("sqlite_") && kinds.get(name)?.type !== "shadow") target.exec(sql);
    }
    for (const { name } of tables) {
      const kind = kinds.get(name);
      if (!kind || kind.type === "virtual" || name.startsWith("sqlite_stat") || name === "sqlite_sequence") continue;
      if (kind.type === "shadow") target.exec(`DELETE FROM main.${quote(name)}`);
      copyRows(source, target, name, kind.wr === 0);
    }
    if (kinds.has("sqlite_sequence")) {
      target.exec("DELETE FROM main.sqlite_sequence");
      copyRows(source, target, "sqlite_sequence", true);
    }
    for (const { type, sql } of schema) if (type !== "table") target.exec(sql);
    target.exec(
      `PRAGMA user_version = ${pragma(source, "user_version")}; ` +
        `PRAGMA application_id = ${pragma(source, "application_id")};`,
    );
    target.exec("COMMIT");
  } finally {
    target.close();
    source.close();
  }
}
