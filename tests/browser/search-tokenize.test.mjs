// The browser's tokenizer (static/search.js) against the vectors src/search.rs is tested on
// (tests/search-vectors.json): both must cut text into the same tokens, or a query would miss what the index holds.
// Runs the real theme file in a node vm context with no `document`, where the script hands over its tokenizer.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import vm from 'node:vm';

import { repoRoot } from './lib.mjs';

const vectors = JSON.parse(readFileSync(join(repoRoot, 'tests', 'search-vectors.json'), 'utf8'));

function loadCore() {
  const sandbox = {};
  sandbox.globalThis = sandbox;
  vm.runInNewContext(readFileSync(join(repoRoot, 'static', 'search.js'), 'utf8'), sandbox);
  assert.ok(sandbox.quireSearchCore, 'static/search.js hands over its tokenizer when there is no document');
  return sandbox.quireSearchCore;
}

describe('search tokenizer (static/search.js) on the shared vectors', () => {
  const core = loadCore();

  it('has vectors for every script the rules name', () => {
    assert.ok(vectors.index.length >= 10);
    assert.ok(vectors.query.length >= 5);
  });

  for (const v of vectors.index) {
    it(`index tokens of ${JSON.stringify(v.text)}`, () => {
      assert.deepEqual([...core.tokens(v.text)], v.tokens);
    });
  }

  for (const v of vectors.query) {
    it(`query terms of ${JSON.stringify(v.text)}`, () => {
      assert.deepEqual(JSON.parse(JSON.stringify(core.queryTerms(v.text))), v.terms);
    });
  }

  it('shards a term by its first three characters, as src/search.rs does', () => {
    // src/search.rs tests the same pairs (shards_group_by_three_character_prefix).
    assert.equal(core.shardOf('configure', 97), core.shardOf('configuration', 97));
    assert.equal(core.shardOf('x', 1), 0);
    for (const [term, n, expected] of vectors.shards) {
      assert.equal(core.shardOf(term, n), expected, `shard of ${term} among ${n}`);
    }
  });
});
