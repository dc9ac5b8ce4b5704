// Prints the npm part of THIRD-PARTY-NOTICES.md: each package whose code is in the window's
// bundle (bundled-packages.json, written by every `vite build`), with its licence text as the
// package ships it. `./x notices` appends this to cargo-about's Rust part.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ui = join(dirname(fileURLToPath(import.meta.url)), "..");
const packages = JSON.parse(readFileSync(join(ui, "bundled-packages.json"), "utf8"));

const out = ["## npm packages in the window", ""];
for (const p of packages) out.push(`- ${p.name} ${p.version} (${p.license})`);
out.push("");
for (const p of packages) {
  const dir = join(ui, "node_modules", p.name);
  // LICENSE, LICENSE.md, license, or one file per licence of a dual-licensed package.
  const files = readdirSync(dir).filter((f) => /^(licen[cs]e|copying)([.-]|$)/i.test(f)).sort();
  if (files.length === 0) throw new Error(`${p.name} ships no licence file`);
  out.push(`### ${p.name} ${p.version}`, "");
  for (const file of files) out.push("```text", readFileSync(join(dir, file), "utf8").trimEnd(), "```", "");
}
process.stdout.write(out.join("\n"));
