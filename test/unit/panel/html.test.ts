// The panel's HTML shell (src/editor/panel/html.ts): a strict CSP — nothing remote, no
// inline script or style without this load's nonce (vscode-anchors §D "CSP").
import * as assert from 'node:assert/strict';
import { makeNonce, panelCsp, panelHtml } from '../../../src/editor/panel/html';

const parts = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/media/panel.css', nonce: 'abc123' };

describe('panel html and CSP', () => {
  it('denies everything by default and allows scripts only with the nonce', () => {
    const csp = panelCsp(parts);
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['script-src'], ["'nonce-abc123'"]);
    assert.deepEqual(directives['style-src'], [parts.cspSource, "'nonce-abc123'"]);
    assert.deepEqual(directives['connect-src'], ["'none'"]);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:\/\/\*|\s\*/);
  });

  it('loads only the bundle and the stylesheet, nonce-tagged, and tells FAST the nonce', () => {
    const html = panelHtml(parts);
    assert.match(html, /<script nonce="abc123" src="https:\/\/x\/dist\/webview.js"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/x\/media\/panel.css" nonce="abc123">/);
    assert.match(html, /<meta property="csp-nonce" content="abc123">/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.doesNotMatch(html, /style="/);
  });

  it('escapes attribute values', () => {
    const html = panelHtml({ ...parts, scriptUri: 'https://x/a"onload="alert(1)' });
    assert.doesNotMatch(html, /"onload="/);
  });

  it('makes a fresh 128-bit nonce each time', () => {
    const a = makeNonce();
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.notEqual(a, makeNonce());
  });
});
