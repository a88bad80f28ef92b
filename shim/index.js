'use strict';
// GitHub Action entry point (bundled to dist/index.js). The steps live in ./action.js.
require('./action').main();
