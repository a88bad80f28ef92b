'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { parseCommandFile, parseWorkflowCommands } = require('./helpers/runner');

test('parseCommandFile: name=value and heredoc blocks', () => {
  const text = 'a=1\nb=x=y\nmulti<<ghadelimiter_1\nline 1\nline 2\nghadelimiter_1\nempty<<EOF\nEOF\nc=\n';
  assert.deepEqual(parseCommandFile(text), { a: '1', b: 'x=y', multi: 'line 1\nline 2', empty: '', c: '' });
  assert.deepEqual(parseCommandFile(''), {});
  assert.deepEqual(parseCommandFile('a=1\r\nb<<D\r\nv\r\nD\r\n'), { a: '1', b: 'v' });
});

test('parseCommandFile: malformed input throws', () => {
  assert.throws(() => parseCommandFile('just text\n'), /malformed/);
  assert.throws(() => parseCommandFile('x<<EOF\nno end\n'), /not found/);
  assert.throws(() => parseCommandFile('=v\n'), /empty name/);
  assert.throws(() => parseCommandFile('x<<\n\n'), /empty delimiter/);
});

test('parseWorkflowCommands unescapes data and properties', () => {
  const cmds = parseWorkflowCommands('hello\n::error file=a%2Cb%3Ac%25,line=2::m%0An 100%25\n::notice::x\n');
  assert.deepEqual(cmds, [
    { command: 'error', props: { file: 'a,b:c%', line: '2' }, message: 'm\nn 100%' },
    { command: 'notice', props: {}, message: 'x' },
  ]);
});
