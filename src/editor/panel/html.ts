// The panel's HTML shell: a strict CSP (nothing but our bundle and stylesheet, scripts
// and style elements only with this load's nonce, no remote content), the stylesheet and
// the bundle. The `csp-nonce` meta is where FAST (under the toolkit) looks for the nonce
// of the one <style> element it creates; no 'unsafe-inline' is needed.
// No vscode import: the webview test harness serves the same page.

export interface PanelHtmlParts {
  /** `webview.cspSource`: the origin our local resources are served from. */
  readonly cspSource: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly nonce: string;
  /** The view state a closed panel left (tab, step, filters, scroll): a new panel starts there. */
  readonly initialView?: unknown;
}

/** 128 random bits as hex: a fresh script nonce per page load. */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function panelCsp(p: Pick<PanelHtmlParts, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `img-src ${p.cspSource} data:`,
    `font-src ${p.cspSource}`,
    `style-src ${p.cspSource} 'nonce-${p.nonce}'`,
    `script-src 'nonce-${p.nonce}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function panelHtml(p: PanelHtmlParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(panelCsp(p))}">
<meta property="csp-nonce" content="${attr(p.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(p.styleUri)}" nonce="${attr(p.nonce)}">
<title>MMU state</title>
</head>
<body>
<div id="app" aria-live="polite"${p.initialView === undefined ? '' : ` data-view="${attr(JSON.stringify(p.initialView))}"`}></div>
<script nonce="${attr(p.nonce)}" src="${attr(p.scriptUri)}"></script>
</body>
</html>`;
}
