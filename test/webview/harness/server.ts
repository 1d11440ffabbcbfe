// A tiny static server for the harness page: the real panel HTML (same CSP, nonce and
// bundle as in VS Code, src/editor/panel/html.ts) plus one nonce'd prelude script that
// does what VS Code's webview host does: injects the --vscode-* theme variables and the
// body class, and provides `acquireVsCodeApi` (its postMessage goes to the test process).
import { readFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { makeNonce, panelHtml } from '../../../src/editor/panel/html';
import { bodyClass, themeVariables, type ThemeKind } from './themes';

export interface PageConfig {
  readonly theme: ThemeKind;
  /** What getState() returns first (a reload restoring state). */
  readonly savedState?: unknown;
  /** The view state the host puts on a new panel's page (a panel closed and opened again). */
  readonly initialView?: unknown;
}

const ROOT = join(__dirname, '..', '..', '..');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

function prelude(cfg: PageConfig): string {
  return `(function () {
  var vars = ${JSON.stringify(themeVariables(cfg.theme))};
  for (var k in vars) document.documentElement.style.setProperty(k, vars[k]);
  document.body.className = ${JSON.stringify(bodyClass(cfg.theme))};
  document.body.setAttribute('data-vscode-theme-kind', ${JSON.stringify(bodyClass(cfg.theme))});
  var saved = ${JSON.stringify(cfg.savedState ?? null)};
  window.acquireVsCodeApi = function () {
    return {
      postMessage: function (m) { window.__toHost(JSON.parse(JSON.stringify(m))); },
      getState: function () { return saved === null ? undefined : saved; },
      setState: function (s) { saved = JSON.parse(JSON.stringify(s)); window.__setState(saved); },
    };
  };
})();`;
}

export class HarnessServer {
  private readonly pages = new Map<string, PageConfig>();
  private server: Server | undefined;
  private nextPage = 1;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const cfg = this.pages.get(url.pathname);
      if (cfg) {
        const nonce = makeNonce();
        let html = panelHtml({ cspSource: this.origin, nonce, scriptUri: `${this.origin}/dist/webview.js`, styleUri: `${this.origin}/media/panel.css`, initialView: cfg.initialView });
        html = html.replace('<script nonce=', `<script nonce="${nonce}">${prelude(cfg)}</script>\n<script nonce=`);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(html);
        return;
      }
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204);
        res.end();
        return;
      }
      const file = join(ROOT, url.pathname);
      const ext = file.slice(file.lastIndexOf('.'));
      if ((url.pathname.startsWith('/dist/') || url.pathname.startsWith('/media/')) && !url.pathname.includes('..') && existsSync(file) && TYPES[ext]) {
        res.writeHead(200, { 'content-type': TYPES[ext]!, 'cache-control': 'no-store' });
        res.end(readFileSync(file));
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A URL serving the panel page with this theme and saved state. */
  page(cfg: PageConfig): string {
    const path = `/panel-${this.nextPage++}.html`;
    this.pages.set(path, cfg);
    return this.origin + path;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
