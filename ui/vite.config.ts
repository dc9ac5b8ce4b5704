/// <reference types="node" />
// (Node types for this file only: the build config runs in Node; the app runs in the webview.)
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";

const UI = dirname(fileURLToPath(import.meta.url));

/**
 * Writes down which npm packages have code in the built bundle (name, version, licence, from the
 * modules Rollup rendered) to bundled-packages.json. The third-party notices name exactly these
 * (scripts/notices.mjs), and a Rust test (tests/notices.rs) holds the notices to this list.
 * Svelte is a devDependency yet its runtime ships: the list comes from the bundle, not from
 * package.json.
 */
function bundledPackages(): Plugin {
  return {
    name: "push3-bundled-packages",
    apply: "build",
    generateBundle(_options, bundle) {
      const names = new Set<string>();
      for (const output of Object.values(bundle)) {
        if (output.type !== "chunk") continue;
        for (const [id, module] of Object.entries(output.modules)) {
          if (module.renderedLength === 0) continue;
          // The package is the one after the last node_modules/ in the module's path.
          const match = id.match(/.*node_modules\/((?:@[^/]+\/)?[^/]+)\//);
          if (match) names.add(match[1]);
        }
      }
      const packages = [...names].sort().map((name) => {
        const manifest = JSON.parse(readFileSync(join(UI, "node_modules", name, "package.json"), "utf8"));
        return { name, version: manifest.version as string, license: manifest.license as string };
      });
      writeFileSync(join(UI, "bundled-packages.json"), JSON.stringify(packages, null, 2) + "\n");
    },
  };
}

// Tauri serves ui/dist from its own protocol; a fixed port lets `tauri dev` find Vite.
export default defineConfig({
  plugins: [svelte(), svelteTesting(), bundledPackages()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
  test: { environment: "jsdom", include: ["src/**/*.test.ts"], setupFiles: ["src/test/setup.ts"] },
});
