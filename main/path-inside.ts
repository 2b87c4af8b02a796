import path from "node:path";

/**
 * Whether `child` lies strictly inside the folder `parent`. A name that merely begins with two dots
 * ("..notes.md") is inside; only a real ".." step leads out.
 */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
