'use strict';
// What the runner passes: every input declared in action.yml, with its default (read from
// action.yml, which is generated from src/options/table.rs). `${{ github.token }}` becomes `token`.

const fs = require('fs');
const path = require('path');

const ACTION_YML = path.resolve(__dirname, '..', '..', '..', 'action.yml');

function actionDefaults(token = '') {
  const text = fs.readFileSync(ACTION_YML, 'utf8');
  const section = text.slice(text.indexOf('\ninputs:\n'), text.indexOf('\noutputs:\n'));
  const out = {};
  let name = null;
  for (const line of section.split('\n')) {
    const m = /^ {2}([a-z0-9-]+):$/.exec(line);
    if (m) name = m[1];
    const d = /^ {4}default: '(.*)'$/.exec(line);
    if (d && name) out[name] = d[1].replace(/''/g, "'") === '${{ github.token }}' ? token : d[1].replace(/''/g, "'");
  }
  if (Object.keys(out).length < 10) throw new Error(`action.yml: could not read the inputs (${Object.keys(out).length})`);
  return out;
}

module.exports = { actionDefaults };
