// Bundles the extension (dist/extension.js, `vscode` left to the editor) or, with --tests, the
// unit tests (out-test/*.test.js, `vscode` replaced by test/vscode-stub.ts) for `node --test`.
import * as esbuild from "esbuild";
import { readdirSync, rmSync } from "fs";

const tests = process.argv.includes("--tests");
const production = process.argv.includes("--production");

if (tests) {
  rmSync("out-test", { recursive: true, force: true });
  await esbuild.build({
    entryPoints: readdirSync("test").filter((f) => f.endsWith(".test.ts")).map((f) => `test/${f}`),
    outdir: "out-test",
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: "inline",
    alias: { vscode: "./test/vscode-stub.ts" },
    logLevel: "warning",
  });
} else {
  await esbuild.build({
    entryPoints: ["src/extension.ts"],
    outfile: "dist/extension.js",
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node18",
    external: ["vscode"],
    minify: production,
    sourcemap: !production,
    logLevel: "warning",
  });
}
