import { build } from "esbuild"; import { gzipSync } from "node:zlib"; import {writeFileSync} from "node:fs";
const r = await build({ stdin:{contents: process.argv[2] ?? 'export * from "./dist/index.js";', resolveDir: process.cwd(), loader:"js"}, bundle:true, minify:true, format:"esm", platform:"neutral", target:"es2022", mainFields:["module","main"], write:false});
const c = r.outputFiles[0].contents; writeFileSync("/tmp/out.js", c); console.log(c.length, gzipSync(c,{level:9}).length);
