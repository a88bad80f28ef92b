#!/usr/bin/env node
'use strict';
// Command-line entry point (bundled to dist/cli.js): `cua-check check examples/`.
require('./cli-main').main();
