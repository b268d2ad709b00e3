#!/usr/bin/env node
// The simulator's CLI (src/cli.ts). The package ships its TypeScript source
// and has no build step, so the CLI runs through tsx's require hook.
require("tsx/cjs")
require("../src/cli.ts")
