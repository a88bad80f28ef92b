'use strict';
// The GitHub Actions runner's side of the protocol: inputs, outputs, masks, annotations, log
// groups, the job summary and the step's failure. It does what @actions/core does (lib/core.ts,
// command.ts, file-command.ts, utils.ts, summary.ts), byte for byte, without its HTTP client.
//
//   workflow commands on stdout:  ::name key=value,key=value::message
//     message:    % -> %25, CR -> %0D, LF -> %0A
//     properties: the same, then : -> %3A and , -> %2C; empty values are left out
//   outputs: appended to the file GITHUB_OUTPUT names as  name<<ghadelimiter_<uuid>\nvalue\n<delimiter>
//     (the ::set-output command only when GITHUB_OUTPUT is not set)

const fs = require('fs');
const os = require('os');

/** A value as a command string: '' for null / undefined, strings as they are, the rest as JSON. */
function toCommandValue(input) {
  if (input === null || input === undefined) return '';
  if (typeof input === 'string' || input instanceof String) return String(input);
  return JSON.stringify(input);
}

function escapeData(s) {
  return toCommandValue(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s) {
  return toCommandValue(s)
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/:/g, '%3A')
    .replace(/,/g, '%2C');
}

/** The text of a workflow command, without the line end. */
function formatCommand(command, properties, message) {
  let s = `::${command || 'missing.command'}`;
  if (properties && Object.keys(properties).length > 0) {
    s += ' ';
    let first = true;
    for (const key in properties) {
      if (!Object.prototype.hasOwnProperty.call(properties, key)) continue;
      const val = properties[key];
      if (!val) continue;
      if (!first) s += ',';
      first = false;
      s += `${key}=${escapeProperty(val)}`;
    }
  }
  return `${s}::${escapeData(message)}`;
}

function issueCommand(command, properties, message) {
  process.stdout.write(formatCommand(command, properties, message) + os.EOL);
}

/** Annotation properties ({ title, file, startLine, endLine, startColumn, endColumn }) as command properties. */
function toCommandProperties(p) {
  if (!p || !Object.keys(p).length) return {};
  return { title: p.title, file: p.file, line: p.startLine, endLine: p.endLine, col: p.startColumn, endColumn: p.endColumn };
}

/** INPUT_<NAME> (upper-cased, spaces as '_'), trimmed unless trimWhitespace is false; '' when unset. */
function getInput(name, options, env = process.env) {
  const val = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
  if (options && options.required && !val) throw new Error(`Input required and not supplied: ${name}`);
  if (options && options.trimWhitespace === false) return val;
  return val.trim();
}

/** `key<<delimiter\nvalue\ndelimiter` with a fresh random delimiter. */
function prepareKeyValueMessage(key, value) {
  // node:crypto is loaded here, not at start-up (≈ 8 ms).
  const delimiter = `ghadelimiter_${require('crypto').randomUUID()}`;
  const converted = toCommandValue(value);
  // Cannot happen short of a UUID collision; refused rather than written ambiguously.
  if (key.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  if (converted.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  return `${key}<<${delimiter}${os.EOL}${converted}${os.EOL}${delimiter}`;
}

function issueFileCommand(command, message) {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) throw new Error(`Unable to find environment variable for file command ${command}`);
  if (!fs.existsSync(filePath)) throw new Error(`Missing file at path: ${filePath}`);
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os.EOL}`, { encoding: 'utf8' });
}

function setOutput(name, value) {
  if (process.env.GITHUB_OUTPUT) {
    issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
    return;
  }
  process.stdout.write(os.EOL);
  issueCommand('set-output', { name }, toCommandValue(value));
}

function setSecret(secret) {
  issueCommand('add-mask', {}, secret);
}

const annotate = (command) => (message, properties = {}) =>
  issueCommand(command, toCommandProperties(properties), message instanceof Error ? message.toString() : message);

const error = annotate('error');
const warning = annotate('warning');
const notice = annotate('notice');

function setFailed(message) {
  process.exitCode = 1;
  error(message);
}

function info(message) {
  process.stdout.write(message + os.EOL);
}

function debug(message) {
  issueCommand('debug', {}, message);
}

function isDebug() {
  return process.env.RUNNER_DEBUG === '1';
}

function startGroup(name) {
  issueCommand('group', {}, name);
}

function endGroup() {
  issueCommand('endgroup', {}, '');
}

/** Appends `text` as is to the job summary (GITHUB_STEP_SUMMARY); throws as @actions/core's summary.write() does. */
function appendSummary(text) {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) {
    throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
  }
  try {
    fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
  }
  fs.appendFileSync(file, text, { encoding: 'utf8' });
}

module.exports = {
  getInput,
  setOutput,
  setSecret,
  setFailed,
  error,
  warning,
  notice,
  info,
  debug,
  isDebug,
  startGroup,
  endGroup,
  appendSummary,
  // the pieces, for tests
  formatCommand,
  escapeData,
  escapeProperty,
  toCommandValue,
  toCommandProperties,
  prepareKeyValueMessage,
};
